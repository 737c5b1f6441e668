package io.dvmm.sdk.testkit.inmemory;

import io.dvmm.sdk.inmemory.InMemoryCloud;

import io.dvmm.sdk.HypervisorConfig;
import io.dvmm.sdk.testkit.contract.HypervisorContract;
import java.util.UUID;

/** The contract suite against the in-memory provider: the reference behaviour. */
class InMemoryContractTest extends HypervisorContract {
    private static final String CLOUD = "contract-" + UUID.randomUUID();

    @Override
    protected HypervisorConfig config() {
        return HypervisorConfig.builder("inmemory:/" + CLOUD)
                .property("inmemory.taskMillis", "40")
                .property("inmemory.ipDelayMillis", "60")
                .build();
    }

    @Override
    protected HypervisorConfig limitedConfig() {
        return config().toBuilder().property("inmemory.disabledCapabilities",
                "CLONE_FULL,CLONE_LINKED,GUEST_CUSTOMIZATION,CUSTOM_HOSTNAME,CLOUD_INIT,USER_DATA,DISKS,METADATA,POWER,SUSPEND,"
                        + "RECONFIGURE,SNAPSHOTS,GUEST_IP,DELETE").build();
    }

    @Override
    protected java.util.List<io.dvmm.sdk.VmId> makeTwoVmsNamed(String name) {
        InMemoryCloud cloud = InMemoryCloud.named(CLOUD);
        return java.util.List.of(io.dvmm.sdk.VmId.of(cloud.addVmBehindTheSdk(name)), io.dvmm.sdk.VmId.of(cloud.addVmBehindTheSdk(name)));
    }

    @Override
    protected io.dvmm.sdk.Placement ambiguousPlacement() {
        return io.dvmm.sdk.Placement.builder().resourcePool("dev").build();
    }

    @Override
    protected String templateName() {
        return "ubuntu-22.04";
    }

    @Override
    protected String networkName() {
        return "vm-network";
    }

    @Override
    protected String datastoreName() {
        return "datastore1";
    }

    @Override
    protected long requestCount() {
        return InMemoryCloud.named(CLOUD).totalRequests();
    }
}
