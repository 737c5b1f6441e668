package io.dvmm.sdk.testkit.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.dvmm.sdk.CloneMode;
import io.dvmm.sdk.DiskInfo;
import io.dvmm.sdk.Hypervisor;
import io.dvmm.sdk.HypervisorConfig;
import io.dvmm.sdk.Hypervisors;
import io.dvmm.sdk.InvalidSpecException;
import io.dvmm.sdk.NicInfo;
import io.dvmm.sdk.NicSpec;
import io.dvmm.sdk.Placement;
import io.dvmm.sdk.VmId;
import io.dvmm.sdk.VmInfo;
import io.dvmm.sdk.VmProvisionSpec;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The connection's resource defaults ({@link HypervisorConfig.Builder#defaults(Placement)},
 * {@link HypervisorConfig.Builder#defaultNetwork(String)}) as every provider must apply them: a
 * spec that leaves the host, datastore or NIC out gets the connection's, a spec's own value wins,
 * and both show in {@link VmInfo} as the provider reports them. A provider's tests extend it and
 * name two hosts and two datastores a full clone of the template can go to, and the networks a
 * NIC can attach to. VMs are full clones, left powered off, and removed at the end.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ResourceDefaultsContract {
    private final String prefix = "rd" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0xffff)) + "-";
    private final List<Created> created = new CopyOnWriteArrayList<>();

    private record Created(HypervisorConfig config, VmId id) {
    }

    /** @return a configuration that reaches the endpoint under test, without resource defaults */
    protected abstract HypervisorConfig config();

    /** @return a template that exists on the endpoint */
    protected abstract String templateName();

    /** @return two hosts (or nodes) a full clone of the template can be placed on */
    protected abstract List<String> hostNames();

    /** @return two datastores a full clone's disks can go to */
    protected abstract List<String> datastoreNames();

    /** @return the networks a NIC can attach to: at least one; with two, the spec's and the default differ */
    protected abstract List<String> networkNames();

    private String name(String what) {
        return prefix + what;
    }

    private VmProvisionSpec.Builder spec(String what) {
        return VmProvisionSpec.builder().name(name(what)).template(templateName()).cloneMode(CloneMode.FULL).powerOn(false);
    }

    private HypervisorConfig withDefaults() {
        return config().toBuilder()
                .defaults(Placement.builder().host(hostNames().get(1)).datastore(datastoreNames().get(1)).build())
                .defaultNetwork(networkNames().get(networkNames().size() - 1))
                .build();
    }

    private static <T> T await(CompletableFuture<T> f) {
        try {
            return f.get(2, TimeUnit.MINUTES);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new AssertionError(e.getCause());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private VmInfo create(HypervisorConfig config, VmProvisionSpec spec) {
        try (Hypervisor hv = Hypervisors.connect(config)) {
            VmInfo vm = await(hv.createVm(spec));
            created.add(new Created(config, vm.id()));
            return await(hv.getVm(vm.id()));
        }
    }

    private static String bootDatastore(VmInfo vm) {
        return vm.disks().stream().map(DiskInfo::datastore).filter(d -> !d.isEmpty()).findFirst()
                .orElseGet(() -> fail("VM " + vm.id() + " reports no disk with a datastore: " + vm.disks()));
    }

    private static List<String> networks(VmInfo vm) {
        return vm.nics().stream().map(NicInfo::network).toList();
    }

    @Test
    void theConnectionsDefaultsFillWhatTheSpecLeavesOut() {
        VmInfo vm = create(withDefaults(), spec("defaults").build());
        assertEquals(hostNames().get(1), vm.host(), "host from the connection's defaults");
        assertEquals(datastoreNames().get(1), bootDatastore(vm), "datastore from the connection's defaults");
        String defaultNetwork = networkNames().get(networkNames().size() - 1);
        assertTrue(networks(vm).contains(defaultNetwork), "a NIC on the default network " + defaultNetwork + ": " + vm.nics());
    }

    @Test
    void aSpecsOwnValuesWin() {
        VmInfo vm = create(withDefaults(), spec("own").placement(Placement.builder().host(hostNames().get(0))
                .datastore(datastoreNames().get(0)).build()).nic(NicSpec.dhcp(networkNames().get(0))).build());
        assertEquals(hostNames().get(0), vm.host(), "the spec's host");
        assertEquals(datastoreNames().get(0), bootDatastore(vm), "the spec's datastore");
        assertTrue(networks(vm).contains(networkNames().get(0)), "the spec's NIC: " + vm.nics());
        if (networkNames().size() > 1) {
            assertTrue(!networks(vm).contains(networkNames().get(1)), "no NIC on the default network when the spec names one: "
                    + vm.nics());
        }
    }

    @Test
    void aTargetTheSpecNamesWinsAloneTheRestStillComeFromTheDefaults() {
        VmInfo vm = create(withDefaults(), spec("mixed").placement(Placement.builder().host(hostNames().get(0)).build()).build());
        assertEquals(hostNames().get(0), vm.host(), "the spec's host");
        assertEquals(datastoreNames().get(1), bootDatastore(vm), "the default datastore");
    }

    @Test
    void aBadDefaultFailsLikeABadSpecBeforeAnythingIsMade() {
        HypervisorConfig bad = config().toBuilder().defaults(Placement.builder().host("no-such-host-" + prefix).build()).build();
        try (Hypervisor hv = Hypervisors.connect(bad)) {
            try {
                await(hv.createVm(spec("bad").build()));
                fail("a default host that does not exist must fail the create");
            } catch (RuntimeException e) {
                InvalidSpecException ise = assertInstanceOf(InvalidSpecException.class, e);
                assertEquals("placement.host", ise.field());
            }
            assertTrue(await(hv.findVm(name("bad"))).isEmpty(), "nothing was made");
        }
    }

    @AfterAll
    void removeTheVms() {
        for (Created c : created) {
            try (Hypervisor hv = Hypervisors.connect(c.config())) {
                await(hv.deleteVm(c.id()));
            } catch (RuntimeException e) {
                System.err.println("could not remove " + c.id() + ": " + e);
            }
        }
    }
}
