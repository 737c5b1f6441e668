package io.dvmm.sdk.testkit.inmemory;

import io.dvmm.sdk.HypervisorConfig;
import io.dvmm.sdk.inmemory.InMemoryCloud;
import io.dvmm.sdk.testkit.contract.ResourceDefaultsContract;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;

/** The connection's resource defaults on the in-memory provider: the reference behaviour. */
class InMemoryResourceDefaultsTest extends ResourceDefaultsContract {
    private static final String CLOUD = "defaults-" + UUID.randomUUID();

    @Override
    protected HypervisorConfig config() {
        return HypervisorConfig.builder("inmemory:/" + CLOUD).property("inmemory.taskMillis", "20").build();
    }

    @Override
    protected String templateName() {
        return "ubuntu-22.04";
    }

    @Override
    protected List<String> hostNames() {
        return List.of("host1", "host2");
    }

    @Override
    protected List<String> datastoreNames() {
        return List.of("datastore1", "nfs-shared");
    }

    @Override
    protected List<String> networkNames() {
        return List.of("vm-network", "backend");
    }

    @AfterAll
    void dropTheCloud() {
        InMemoryCloud.drop(CLOUD);
    }
}
