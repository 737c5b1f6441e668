package io.dvmm.sdk.testkit.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.dvmm.sdk.AuthenticationException;
import io.dvmm.sdk.Capability;
import io.dvmm.sdk.CloneMode;
import io.dvmm.sdk.ConflictException;
import io.dvmm.sdk.ConnectionInfo;
import io.dvmm.sdk.Credentials;
import io.dvmm.sdk.GuestCustomization;
import io.dvmm.sdk.Hypervisor;
import io.dvmm.sdk.HypervisorConfig;
import io.dvmm.sdk.HypervisorException;
import io.dvmm.sdk.Hypervisors;
import io.dvmm.sdk.InvalidSpecException;
import io.dvmm.sdk.Inventory;
import io.dvmm.sdk.NicSpec;
import io.dvmm.sdk.NotFoundException;
import io.dvmm.sdk.OperationOptions;
import io.dvmm.sdk.OperationTimeoutException;
import io.dvmm.sdk.Placement;
import io.dvmm.sdk.PowerState;
import io.dvmm.sdk.Progress;
import io.dvmm.sdk.ProviderOptions;
import io.dvmm.sdk.Snapshot;
import io.dvmm.sdk.SnapshotSpec;
import io.dvmm.sdk.StopSpec;
import io.dvmm.sdk.UnavailableException;
import io.dvmm.sdk.UnsupportedCapabilityException;
import io.dvmm.sdk.VmId;
import io.dvmm.sdk.VmInfo;
import io.dvmm.sdk.VmProvisionSpec;
import io.dvmm.sdk.VmQuery;
import io.dvmm.sdk.VmReconfigureSpec;
import io.dvmm.sdk.ProviderInfo;
import io.dvmm.sdk.spi.support.Addresses;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The behaviour every provider must have, as one JUnit 5 suite. A provider's tests extend it and
 * supply a configuration that reaches a live endpoint (a simulator on loopback, the in-memory
 * cloud, a lab) plus the names of a template, network and datastore that exist there.
 *
 * <pre>{@code
 * class ProxmoxContractTest extends HypervisorContract {
 *     protected HypervisorConfig config() { return sim.config(); }
 *     protected String templateName() { return "ubuntu-22.04-template"; }
 *     ...
 * }
 * }</pre>
 *
 * <p>Each case names the {@link Hypervisor} methods it exercises with {@link Covers};
 * {@link #everyHypervisorMethodIsCovered()} fails if a method of the interface has no case, and
 * writes the method → cases report. VMs are named with a random prefix and removed at the end.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class HypervisorContract {
    /** A syntactically valid public key for cloud-init cases. */
    protected static final String SSH_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFyQ3Ekq1vqW4o0vM3qjP6i4hU4o1b4rZxE0x8nQbLh8 contract@dvmm";

    private final String prefix = "ct" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0xffff)) + "-";
    private final AtomicInteger counter = new AtomicInteger();
    /** Cases whose hook said the endpoint cannot show them: reported, never passed in silence. */
    private final Set<String> notShown = java.util.Collections.synchronizedSet(new TreeSet<>());
    private Hypervisor hv;

    // ---- what a provider's test supplies

    /** @return a configuration that reaches the endpoint under test with valid credentials */
    protected abstract HypervisorConfig config();

    /** @return the name of a template that exists on the endpoint */
    protected abstract String templateName();

    /** @return the name of a network a NIC can attach to */
    protected abstract String networkName();

    /** @return the name of a datastore the VM's disks can go to */
    protected abstract String datastoreName();

    /** @return how many requests the endpoint has received so far (counted at the endpoint) */
    protected abstract long requestCount();

    /**
     * {@link #requestCount()} once the endpoint has been quiet for a moment: work an earlier case left running in the
     * background (a rollback, a cancelled create's cleanup) must not count against a case that asserts "no request".
     * Waits until two readings 250 ms apart agree, at most 10 seconds.
     */
    private long quietRequestCount() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        long last = requestCount();
        while (System.nanoTime() < deadline) {
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            long now = requestCount();
            if (now == last) {
                return now;
            }
            last = now;
        }
        return last;
    }

    /** @return a configuration with wrong credentials; by default {@link #config()} with a wrong password */
    protected HypervisorConfig badCredentialsConfig() {
        return config().toBuilder().credentials(Credentials.password("nobody@pve", "wrong-password")).build();
    }

    /**
     * @return a configuration of a connection lacking at least one capability (such as a
     *         standalone ESXi host), or {@code null} when the provider has none
     */
    protected HypervisorConfig limitedConfig() {
        return null;
    }

    /**
     * @return a configuration that reaches the endpoint but must refuse its TLS certificate (a
     *         wrong pin, an empty trust store), or {@code null} when the endpoint has no TLS
     */
    protected HypervisorConfig untrustedTlsConfig() {
        return null;
    }

    /**
     * Makes two VMs of one name behind the SDK's back (as another tool would), for the case that
     * {@code findVm} refuses an ambiguous name.
     *
     * @param name the name both get
     * @return the ids of the two VMs, or an empty list when the endpoint cannot hold two VMs of one name
     */
    protected List<VmId> makeTwoVmsNamed(String name) {
        return List.of();
    }

    /**
     * @return a placement whose names match several inventory entries on this endpoint (the same
     *         datastore name in two datacenters), or {@code null} when the endpoint has none
     */
    protected Placement ambiguousPlacement() {
        return null;
    }

    /**
     * @return a configuration with valid credentials that may not see {@link #vmHiddenFromRestrictedConfig()}
     *         (a privilege-separated token, a user without a role), or {@code null} when the endpoint has none
     */
    protected HypervisorConfig restrictedConfig() {
        return null;
    }

    /** @return a VM that exists and that {@link #restrictedConfig()} may not see; made by the provider's test */
    protected VmId vmHiddenFromRestrictedConfig() {
        throw new UnsupportedOperationException("override together with restrictedConfig()");
    }

    /** @return a name {@link VmProvisionSpec.Builder#build()} accepts but this provider forbids */
    protected String forbiddenName() {
        return "bad name with spaces";
    }

    /** @return an id no VM has */
    protected VmId unknownVmId() {
        return VmId.of("987654321");
    }

    /** @return how long one operation of the suite may take */
    protected Duration operationTimeout() {
        return Duration.ofSeconds(120);
    }

    /** @return how many {@code createVm} calls the concurrency case runs at once; at least 50 */
    protected int concurrentCreates() {
        return 50;
    }

    // ---- fixture

    @BeforeAll
    final void connectToEndpoint() {
        hv = Hypervisors.connect(config());
    }

    @AfterAll
    final void reportWhatTheEndpointCannotShow() throws IOException {
        StringBuilder report = new StringBuilder("Contract cases this endpoint cannot show (" + getClass().getSimpleName() + "): "
                + (notShown.isEmpty() ? "none" : "") + "\n");
        notShown.forEach(c -> report.append("  ").append(c).append('\n'));
        Path out = Path.of("target", "contract-not-shown-" + getClass().getSimpleName() + ".txt");
        if (Files.isDirectory(out.getParent())) {
            Files.writeString(out, report);
        }
        System.out.print(report);
    }

    /**
     * Records that a case's hook said this endpoint cannot show it, so the run reports it
     * ({@code target/contract-not-shown-<test>.txt}) instead of passing it in silence.
     *
     * @param what the behaviour that was not exercised, and why
     */
    protected final void notShown(String what) {
        notShown.add(what);
    }

    @AfterAll
    final void removeLeftoversAndClose() {
        if (hv == null) {
            return;
        }
        try {
            List<VmInfo> left = await(hv.listVms(VmQuery.builder().namePattern(prefix + "*").build()));
            List<CompletableFuture<Boolean>> deletes = new ArrayList<>();
            for (VmInfo vm : left) {
                deletes.add(hv.deleteVm(vm.id()));
            }
            for (CompletableFuture<Boolean> d : deletes) {
                try {
                    await(d);
                } catch (RuntimeException e) {
                    // best effort: the endpoint is torn down by the provider's test anyway
                }
            }
        } catch (RuntimeException e) {
            // best effort, see above
        } finally {
            hv.close();
        }
    }

    /** @return the suite's connection */
    protected final Hypervisor hypervisor() {
        return hv;
    }

    /**
     * @param stem a short stem
     * @return a VM name unique to this run, DNS-safe
     */
    protected final String uniqueName(String stem) {
        return prefix + stem + "-" + counter.incrementAndGet();
    }

    /**
     * @param name the VM's name
     * @return a small powered-off clone of the fixture template on the fixture network and datastore
     */
    protected VmProvisionSpec.Builder baseSpec(String name) {
        return VmProvisionSpec.builder().name(name).template(templateName()).cpuCount(1).memoryMiB(512)
                .nic(NicSpec.dhcp(networkName())).placement(Placement.any().withDatastore(datastoreName()))
                .powerOn(false);
    }

    /**
     * Waits for a future within {@link #operationTimeout()} and returns its value, rethrowing its
     * failure unwrapped.
     *
     * @param future the future
     * @param <T> the value type
     * @return the value
     */
    protected final <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(operationTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException r) {
                throw r;
            }
            throw new AssertionError("operation failed", c);
        } catch (TimeoutException e) {
            throw new AssertionError("operation did not complete within " + operationTimeout(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /**
     * Asserts that a future fails with the given type and returns the failure.
     *
     * @param type the expected failure type
     * @param future the future
     * @param <E> the failure type
     * @return the failure
     */
    protected final <E extends Throwable> E awaitFailure(Class<E> type, CompletableFuture<?> future) {
        return assertThrows(type, () -> await(future));
    }

    private void eventually(String what, Supplier<Boolean> condition) {
        long end = System.nanoTime() + operationTimeout().toNanos();
        while (System.nanoTime() < end) {
            if (condition.get()) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        fail("not reached within " + operationTimeout() + ": " + what);
    }

    private Set<Capability> caps() {
        return await(hv.capabilities());
    }

    private VmInfo create(VmProvisionSpec spec) {
        return await(hv.createVm(spec));
    }

    // ---- connection, discovery, capabilities, inventory

    @Test
    @Covers({"type", "endpoint", "testConnection"})
    void connectionIsIdentifiedAndItsProviderDiscovered() {
        Optional<ProviderInfo> provider = Hypervisors.provider(config().type());
        assertTrue(provider.isPresent(), "provider '" + config().type() + "' must be found through ServiceLoader");
        assertEquals(provider.get().type(), hv.type());
        assertEquals(config().endpoint(), hv.endpoint());
        ConnectionInfo info = await(hv.testConnection());
        assertEquals(hv.type(), info.provider());
        assertFalse(info.product().isBlank(), "product");
        assertFalse(info.version().isBlank(), "version");
        assertFalse(info.latency().isNegative(), "latency");
    }

    @Test
    @Covers("capabilities")
    void capabilitiesStayWithinWhatTheProviderDeclares() {
        Set<Capability> caps = caps();
        Set<Capability> declared = Hypervisors.provider(hv.type()).orElseThrow().capabilities();
        assertTrue(declared.containsAll(caps), "connection offers " + caps + " beyond the provider's " + declared);
        assertTrue(caps.containsAll(EnumSet.of(Capability.INVENTORY, Capability.LIST_VMS)),
                "every connection can list its inventory and VMs: " + caps);
    }

    @Test
    @Covers("inventory")
    void inventoryHoldsTheFixtures() {
        Inventory inv = await(hv.inventory());
        assertFalse(inv.hosts().isEmpty(), "hosts");
        assertTrue(inv.template(templateName()).isPresent(), "template " + templateName() + " in " + inv.templates());
        assertTrue(inv.networks().stream().anyMatch(n -> n.name().equals(networkName())), "network " + networkName());
        assertTrue(inv.datastores().stream().anyMatch(d -> d.name().equals(datastoreName())), "datastore " + datastoreName());
        assertTrue(inv.templates().stream().map(Inventory.Template::name).noneMatch(n -> n.startsWith(prefix)),
                "VMs are not templates");
    }

    // ---- lifecycle

    @Test
    @Covers({"createVm", "getVm", "findVm", "listVms", "waitForGuestIp", "deleteVm"})
    void provisionsAVmFindsItAndDeletesIt() {
        Set<Capability> caps = caps();
        String name = uniqueName("life");
        VmProvisionSpec.Builder spec = baseSpec(name).cpuCount(2).memoryMiB(1024).powerOn(true)
                .waitForIp(caps.contains(Capability.GUEST_IP));
        if (caps.contains(Capability.METADATA)) {
            spec.metadata("owner", "contract");
        }
        if (caps.contains(Capability.GUEST_CUSTOMIZATION)) {
            spec.guest(GuestCustomization.builder().hostname(name.replace('.', '-')).dnsServer("192.0.2.53").build());
        }
        VmInfo vm = create(spec.build());
        assertEquals(name, vm.name());
        assertEquals(2, vm.cpuCount());
        assertEquals(1024, vm.memoryMiB());
        assertEquals(PowerState.POWERED_ON, vm.powerState());
        if (caps.contains(Capability.GUEST_IP)) {
            String ip = vm.primaryIpAddress().orElseThrow(() -> new AssertionError("waitForIp(true) must yield an IP"));
            assertTrue(Addresses.isUsable(ip), "usable IP, was " + ip);
            VmInfo withIp = await(hv.waitForGuestIp(vm.id(), operationTimeout()));
            assertTrue(withIp.ipAddresses().contains(ip), "waitForGuestIp reports " + withIp.ipAddresses());
        } else {
            awaitFailure(UnsupportedCapabilityException.class, hv.waitForGuestIp(vm.id(), Duration.ofSeconds(1)));
        }

        VmInfo fetched = await(hv.getVm(vm.id()));
        assertEquals(vm.id(), fetched.id());
        assertEquals(name, fetched.name());
        assertEquals(vm.id(), await(hv.findVm(name)).orElseThrow().id());

        List<VmInfo> byName = await(hv.listVms(VmQuery.builder().namePattern(prefix + "life-*").build()));
        assertTrue(byName.stream().anyMatch(v -> v.id().equals(vm.id())), "listVms by name pattern");
        List<VmInfo> stopped = await(hv.listVms(VmQuery.builder().powerState(PowerState.POWERED_OFF).build()));
        assertTrue(stopped.stream().noneMatch(v -> v.id().equals(vm.id())), "a running VM is not listed as stopped");
        if (caps.contains(Capability.METADATA)) {
            assertEquals("contract", fetched.metadata().get("owner"));
            List<VmInfo> tagged = await(hv.listVms(VmQuery.builder().metadata("owner", "contract").build()));
            assertTrue(tagged.stream().anyMatch(v -> v.id().equals(vm.id())), "listVms by metadata");
        }
        List<VmInfo> all = await(hv.listVms());
        assertEquals(all.stream().map(VmInfo::name).sorted().toList(), all.stream().map(VmInfo::name).toList(),
                "listVms orders by name");

        assertTrue(await(hv.deleteVm(vm.id())), "the first delete deletes");
        awaitFailure(NotFoundException.class, hv.getVm(vm.id()));
        assertTrue(await(hv.findVm(name)).isEmpty(), "gone from findVm");
        assertFalse(await(hv.deleteVm(vm.id())), "deleting again is a no-op that reports false");
    }

    @Test
    @Covers({"startVm", "stopVm", "restartVm", "suspendVm", "resumeVm", "waitForState"})
    void powerOperationsMoveThroughTheStates() {
        Set<Capability> caps = caps();
        VmInfo vm = create(baseSpec(uniqueName("power")).build());
        assertEquals(PowerState.POWERED_OFF, vm.powerState());
        VmId id = vm.id();

        assertEquals(PowerState.POWERED_ON, await(hv.startVm(id)).powerState());
        assertEquals(PowerState.POWERED_ON, await(hv.startVm(id)).powerState(), "starting a running VM is a no-op");
        assertEquals(PowerState.POWERED_ON, await(hv.waitForState(id, PowerState.POWERED_ON, operationTimeout())).powerState());
        assertEquals(PowerState.POWERED_ON, await(hv.restartVm(id)).powerState());

        if (caps.contains(Capability.SUSPEND)) {
            assertEquals(PowerState.SUSPENDED, await(hv.suspendVm(id)).powerState());
            assertEquals(PowerState.SUSPENDED, await(hv.getVm(id)).powerState());
            assertEquals(PowerState.POWERED_ON, await(hv.resumeVm(id)).powerState());
        } else {
            awaitFailure(UnsupportedCapabilityException.class, hv.suspendVm(id));
            awaitFailure(UnsupportedCapabilityException.class, hv.resumeVm(id));
        }
        OperationTimeoutException late = awaitFailure(OperationTimeoutException.class,
                hv.waitForState(id, PowerState.POWERED_OFF, Duration.ofMillis(300)));
        assertTrue(late.retryable(), "a timeout may succeed later");

        assertEquals(PowerState.POWERED_OFF, await(hv.stopVm(id, StopSpec.gracefulThenHard(Duration.ofSeconds(30)))).powerState());
        assertEquals(PowerState.POWERED_OFF, await(hv.stopVm(id, StopSpec.hard())).powerState(), "stopping a stopped VM is a no-op");
        assertEquals(PowerState.POWERED_OFF, await(hv.waitForState(id, PowerState.POWERED_OFF, operationTimeout())).powerState());
        awaitFailure(NotFoundException.class, hv.startVm(unknownVmId()));
        awaitFailure(NotFoundException.class, hv.stopVm(unknownVmId(), StopSpec.hard()));
        assertTrue(await(hv.deleteVm(id)));
    }

    @Test
    @Covers("reconfigureVm")
    void reconfigureChangesCpuAndMemory() {
        VmInfo vm = create(baseSpec(uniqueName("reconf")).build());
        VmInfo changed = await(hv.reconfigureVm(vm.id(), VmReconfigureSpec.builder().cpuCount(2).memoryMiB(1536).build()));
        assertEquals(2, changed.cpuCount());
        assertEquals(1536, changed.memoryMiB());
        VmInfo fetched = await(hv.getVm(vm.id()));
        assertEquals(2, fetched.cpuCount());
        assertEquals(1536, fetched.memoryMiB());
        awaitFailure(NotFoundException.class, hv.reconfigureVm(unknownVmId(), VmReconfigureSpec.builder().cpuCount(1).build()));
        assertThrows(InvalidSpecException.class, () -> VmReconfigureSpec.builder().build());
        assertTrue(await(hv.deleteVm(vm.id())));
    }

    @Test
    @Covers({"createSnapshot", "listSnapshots", "revertToSnapshot", "deleteSnapshot"})
    void snapshotsAreTakenListedRevertedAndDeleted() {
        VmInfo vm = create(baseSpec(uniqueName("snap")).build());
        if (!caps().contains(Capability.SNAPSHOTS)) {
            // A hypervisor without snapshots (PowerVM) refuses every snapshot call typed, before any request.
            long before = quietRequestCount();
            awaitFailure(UnsupportedCapabilityException.class, hv.createSnapshot(vm.id(), SnapshotSpec.named("before")));
            awaitFailure(UnsupportedCapabilityException.class, hv.listSnapshots(vm.id()));
            awaitFailure(UnsupportedCapabilityException.class, hv.revertToSnapshot(vm.id(), "before"));
            awaitFailure(UnsupportedCapabilityException.class, hv.deleteSnapshot(vm.id(), "before"));
            assertEquals(before, requestCount(), "unsupported snapshot calls send no request");
            assertTrue(await(hv.deleteVm(vm.id())));
            return;
        }
        Snapshot s1 = await(hv.createSnapshot(vm.id(), new SnapshotSpec("before", "contract snapshot", false)));
        assertEquals("before", s1.name());
        awaitFailure(ConflictException.class, hv.createSnapshot(vm.id(), SnapshotSpec.named("before")));
        assertEquals(List.of("before"), await(hv.listSnapshots(vm.id())).stream().map(Snapshot::name).toList());

        await(hv.reconfigureVm(vm.id(), VmReconfigureSpec.builder().memoryMiB(768).build()));
        VmInfo reverted = await(hv.revertToSnapshot(vm.id(), "before"));
        assertEquals(512, reverted.memoryMiB(), "revert restores the configuration of the snapshot");
        awaitFailure(NotFoundException.class, hv.revertToSnapshot(vm.id(), "never-taken"));

        await(hv.deleteSnapshot(vm.id(), "before"));
        assertTrue(await(hv.listSnapshots(vm.id())).isEmpty(), "no snapshot left");
        awaitFailure(NotFoundException.class, hv.deleteSnapshot(vm.id(), "before"));
        assertThrows(InvalidSpecException.class, () -> SnapshotSpec.named("has spaces"));
        assertTrue(await(hv.deleteVm(vm.id())));
    }

    // ---- error paths

    @Test
    @Covers({"getVm", "findVm", "listSnapshots"})
    void unknownVmIsNotFound() {
        NotFoundException e = awaitFailure(NotFoundException.class, hv.getVm(unknownVmId()));
        assertEquals(hv.type(), e.provider());
        assertFalse(e.retryable());
        assertTrue(await(hv.findVm(uniqueName("absent"))).isEmpty());
        if (caps().contains(Capability.SNAPSHOTS)) {
            awaitFailure(NotFoundException.class, hv.listSnapshots(unknownVmId()));
        } else {
            awaitFailure(UnsupportedCapabilityException.class, hv.listSnapshots(unknownVmId()));
        }
    }

    @Test
    @Covers("createVm")
    void duplicateNameIsAConflict() {
        String name = uniqueName("dup");
        VmInfo first = create(baseSpec(name).build());
        ConflictException e = awaitFailure(ConflictException.class, hv.createVm(baseSpec(name).build()));
        assertEquals("createVm", e.operation());
        List<VmInfo> same = await(hv.listVms()).stream().filter(v -> v.name().equals(name)).toList();
        assertEquals(1, same.size(), "exactly one VM named " + name);
        assertEquals(first.id(), same.get(0).id());
        assertTrue(await(hv.deleteVm(first.id())));
    }

    @Test
    @Covers("createVm")
    void invalidSpecsAreRejectedBeforeAnyRequest() {
        assertField("name", () -> baseSpec("").build());
        assertField("name", () -> baseSpec("   ").build());
        assertField("cpuCount", () -> baseSpec(uniqueName("cpu")).cpuCount(0).build());
        assertField("memoryMiB", () -> baseSpec(uniqueName("mem")).memoryMiB(-1).build());
        assertField("template", () -> VmProvisionSpec.builder().name(uniqueName("tpl")).build());
        assertField("nics[1].ip.address", () -> baseSpec(uniqueName("ip"))
                .nic(NicSpec.staticIp(networkName(), "10.0.0.300", 24, null)).build());
        assertField("name", () -> baseSpec("web/01").build());

        long before = quietRequestCount();
        InvalidSpecException e = awaitFailure(InvalidSpecException.class, hv.createVm(baseSpec(forbiddenName()).build()));
        assertEquals("name", e.field());
        assertEquals(before, requestCount(), "a spec failing local validation sends no request");

        String name = uniqueName("notpl");
        InvalidSpecException t = awaitFailure(InvalidSpecException.class,
                hv.createVm(baseSpec(name).template("no-such-template-" + prefix.substring(0, prefix.length() - 1)).build()));
        assertEquals("template", t.field());
        assertTrue(await(hv.findVm(name)).isEmpty(), "nothing is created for an unknown template");
    }

    private static void assertField(String field, Runnable build) {
        InvalidSpecException e = assertThrows(InvalidSpecException.class, build::run);
        assertEquals(field, e.field(), e.getMessage());
        assertTrue(e.getMessage().contains(field), "message names the field: " + e.getMessage());
    }

    @Test
    @Covers({"capabilities", "createVm"})
    void unsupportedCapabilitiesFailTypedBeforeAnyRequest() {
        HypervisorConfig limited = limitedConfig();
        try (Hypervisor conn = limited == null ? null : Hypervisors.connect(limited)) {
            Hypervisor target = conn == null ? hv : conn;
            Set<Capability> missing = EnumSet.allOf(Capability.class);
            missing.removeAll(await(target.capabilities()));
            missing.remove(Capability.CANCEL_TASK);
            long before = quietRequestCount();
            int probed = 0;
            for (Capability c : missing) {
                CompletableFuture<?> call = probe(target, c);
                UnsupportedCapabilityException e = awaitFailure(UnsupportedCapabilityException.class, call);
                assertEquals(c, e.capability());
                probed++;
            }
            ProviderOptions foreign = () -> "no-such-provider";
            InvalidSpecException e = awaitFailure(InvalidSpecException.class,
                    target.createVm(baseSpec(uniqueName("foreign")).providerOptions(foreign).build()));
            assertEquals("providerOptions", e.field(), "options of another provider are refused, never dropped");
            assertEquals(before, requestCount(), probed + " unsupported calls and foreign options sent no request");
        }
    }

    private CompletableFuture<?> probe(Hypervisor target, Capability c) {
        VmId id = unknownVmId();
        return switch (c) {
            case INVENTORY -> target.inventory();
            case LIST_VMS -> target.listVms();
            case CLONE_FULL -> target.createVm(baseSpec(uniqueName("full")).cloneMode(CloneMode.FULL).build());
            case CLONE_LINKED -> target.createVm(baseSpec(uniqueName("linked")).cloneMode(CloneMode.LINKED).build());
            case GUEST_CUSTOMIZATION -> target.createVm(baseSpec(uniqueName("guest"))
                    .guest(GuestCustomization.builder().dnsServer("192.0.2.53").build()).build());
            case CUSTOM_HOSTNAME -> target.createVm(baseSpec(uniqueName("host"))
                    .guest(GuestCustomization.builder().hostname("another-name").build()).build());
            case CLOUD_INIT -> target.createVm(baseSpec(uniqueName("ci"))
                    .guest(GuestCustomization.builder().username("ops").sshKey(SSH_KEY).build()).build());
            case USER_DATA -> target.createVm(baseSpec(uniqueName("ud"))
                    .guest(GuestCustomization.builder().userData("#cloud-config\n").build()).build());
            case DISKS -> target.createVm(baseSpec(uniqueName("disk")).disk(io.dvmm.sdk.DiskSpec.ofGiB(100)).build());
            case METADATA -> target.createVm(baseSpec(uniqueName("meta")).metadata("k", "v").build());
            case POWER -> target.startVm(id);
            case SUSPEND -> target.suspendVm(id);
            case RECONFIGURE -> target.reconfigureVm(id, VmReconfigureSpec.builder().cpuCount(1).build());
            case SNAPSHOTS -> target.listSnapshots(id);
            case GUEST_IP -> target.waitForGuestIp(id, Duration.ofSeconds(1));
            case DELETE -> target.deleteVm(id);
            case CANCEL_TASK -> throw new IllegalArgumentException("no probe for " + c);
        };
    }

    @Test
    @Covers("testConnection")
    void wrongCredentialsFailAsAuthentication() {
        try (Hypervisor bad = Hypervisors.connect(badCredentialsConfig())) {
            AuthenticationException e = awaitFailure(AuthenticationException.class, bad.testConnection());
            assertFalse(e.retryable());
            assertFalse(e.getMessage().contains("wrong-password"), "the message never shows the secret");
        }
    }

    // ---- long-running operations

    @Test
    @Covers("createVm")
    void progressIsOrderedAndNeverGoesBack() {
        List<Progress> events = new CopyOnWriteArrayList<>();
        VmInfo vm = await(hv.createVm(baseSpec(uniqueName("progress")).powerOn(true).build(),
                OperationOptions.progress(events::add)));
        assertFalse(events.isEmpty(), "createVm reports progress");
        int last = -1;
        for (int i = 0; i < events.size(); i++) {
            Progress p = events.get(i);
            assertEquals("createVm", p.operation());
            if (i > 0) {
                assertFalse(p.at().isBefore(events.get(i - 1).at()), "reports arrive in order");
            }
            if (p.percent().isPresent()) {
                assertTrue(p.percent().getAsInt() >= last, "percent never decreases: " + events);
                last = p.percent().getAsInt();
            }
        }
        Progress end = events.get(events.size() - 1);
        assertEquals(Progress.Stage.DONE, end.stage(), "the last report is the 'done' stage: " + events);
        assertEquals(100, end.percent().orElse(-1));
        assertTrue(await(hv.deleteVm(vm.id())));
    }

    @Test
    @Covers("createVm")
    void cancellingCreateStopsItAndLeavesNothing() throws InterruptedException {
        String name = uniqueName("cancel");
        CountDownLatch started = new CountDownLatch(1);
        CompletableFuture<VmInfo> f = hv.createVm(baseSpec(name).powerOn(true).build(),
                OperationOptions.progress(p -> started.countDown()));
        assertTrue(started.await(operationTimeout().toMillis(), TimeUnit.MILLISECONDS), "createVm started");
        assertTrue(f.cancel(true) || f.isDone(), "cancel is accepted while running");
        if (f.isCancelled()) {
            assertThrows(CancellationException.class, f::join);
        }
        // Cancelled (or finished just before the cancel): the SDK removes what it made, in the background.
        if (!f.isCancelled()) {
            assertTrue(await(hv.deleteVm(f.join().id())));
        }
        eventually("no VM named " + name + " remains", () -> await(hv.findVm(name)).isEmpty());
    }

    @Test
    @Covers("createVm")
    void deadlineFailsWithTimeoutAndCleansUp() {
        for (Duration deadline : List.of(Duration.ofMillis(1), Duration.ofMillis(400))) {
            String name = uniqueName("deadline");
            long start = System.nanoTime();
            CompletableFuture<VmInfo> f = hv.createVm(baseSpec(name).powerOn(true).build(), OperationOptions.timeout(deadline));
            try {
                VmInfo fast = await(f);
                assertTrue(await(hv.deleteVm(fast.id())), "a create faster than " + deadline + " still counts");
                continue;
            } catch (OperationTimeoutException e) {
                assertEquals(hv.type(), e.provider());
                assertEquals("createVm", e.operation());
            }
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertTrue(took.compareTo(deadline.plusMillis(1500)) < 0, "a " + deadline + " deadline ended after " + took);
            eventually("the timed-out VM is cleaned up", () -> await(hv.findVm(name)).isEmpty());
        }
    }

    @Test
    @Covers({"createVm", "listVms", "deleteVm"})
    void concurrentCreatesLoseAndDuplicateNothing() {
        int n = Math.max(50, concurrentCreates());
        String stem = uniqueName("conc");
        List<String> names = new ArrayList<>();
        List<CompletableFuture<VmInfo>> futures = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String name = stem + "-" + i;
            names.add(name);
            futures.add(hv.createVm(baseSpec(name).build()));
        }
        List<VmInfo> made = futures.stream().map(this::await).toList();
        assertEquals(new TreeSet<>(names), made.stream().map(VmInfo::name).collect(Collectors.toCollection(TreeSet::new)));
        Set<VmId> ids = made.stream().map(VmInfo::id).collect(Collectors.toSet());
        assertEquals(n, ids.size(), "every VM has its own id");

        List<VmInfo> listed = await(hv.listVms(VmQuery.builder().namePattern(stem + "-*").build()));
        assertEquals(n, listed.size(), "listVms sees each VM once");
        assertEquals(ids, listed.stream().map(VmInfo::id).collect(Collectors.toSet()));

        List<CompletableFuture<Boolean>> deletes = made.stream().map(v -> hv.deleteVm(v.id())).toList();
        assertTrue(deletes.stream().allMatch(this::await), "every delete deletes");
        assertTrue(await(hv.listVms(VmQuery.builder().namePattern(stem + "-*").build())).isEmpty());
    }

    @Test
    @Covers("close")
    void closeReleasesTheConnection() {
        Hypervisor other = Hypervisors.connect(config());
        assertEquals(other.type(), await(other.testConnection()).provider());
        other.close();
        other.close();
        UnavailableException e = awaitFailure(UnavailableException.class, other.listVms());
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }


    // ---- one answer per state: the power matrix

    /** The answer a power operation must give in a state: the state it leads to, or the error class. */
    private record Expected(PowerState state, Class<? extends HypervisorException> error) {
        static Expected now(PowerState s) {
            return new Expected(s, null);
        }

        static Expected conflict() {
            return new Expected(null, ConflictException.class);
        }
    }

    private void bringTo(VmId id, PowerState state) {
        if (state == PowerState.POWERED_OFF) {
            await(hv.stopVm(id, StopSpec.hard()));
        } else if (state == PowerState.POWERED_ON) {
            VmInfo vm = await(hv.getVm(id));
            if (vm.powerState() == PowerState.SUSPENDED) {
                await(hv.resumeVm(id));
            } else {
                await(hv.startVm(id));
            }
        } else {
            await(hv.startVm(id));
            await(hv.suspendVm(id));
        }
        assertEquals(state, await(hv.getVm(id)).powerState(), "set-up of " + state);
    }

    private void check(VmId id, PowerState from, String op, Supplier<CompletableFuture<VmInfo>> call, Expected expected) {
        bringTo(id, from);
        String what = op + " on a VM that is " + from;
        if (expected.error() != null) {
            HypervisorException e = assertThrows(HypervisorException.class, () -> await(call.get()), what);
            assertInstanceOf(expected.error(), e, what + ": " + e);
            assertFalse(e.retryable(), what + " is not retryable: waiting will not change the state");
            assertEquals(op, e.operation(), what);
            assertEquals(from, await(hv.getVm(id)).powerState(), what + " leaves the VM as it was");
        } else {
            assertEquals(expected.state(), await(call.get()).powerState(), what);
            assertEquals(expected.state(), await(hv.getVm(id)).powerState(), what + ", read back");
        }
    }

    @Test
    @Covers({"startVm", "stopVm", "restartVm", "suspendVm", "resumeVm"})
    void everyPowerOperationHasOneAnswerInEveryState() {
        boolean suspend = caps().contains(Capability.SUSPEND);
        VmId id = create(baseSpec(uniqueName("matrix")).build()).id();
        List<PowerState> states = suspend ? List.of(PowerState.POWERED_OFF, PowerState.POWERED_ON, PowerState.SUSPENDED)
                : List.of(PowerState.POWERED_OFF, PowerState.POWERED_ON);
        StopSpec graceful = StopSpec.gracefulThenHard(Duration.ofSeconds(30));
        for (PowerState from : states) {
            boolean off = from == PowerState.POWERED_OFF;
            boolean on = from == PowerState.POWERED_ON;
            check(id, from, "startVm", () -> hv.startVm(id), Expected.now(PowerState.POWERED_ON));
            check(id, from, "stopVm", () -> hv.stopVm(id, graceful), Expected.now(PowerState.POWERED_OFF));
            check(id, from, "stopVm", () -> hv.stopVm(id, StopSpec.hard()), Expected.now(PowerState.POWERED_OFF));
            check(id, from, "restartVm", () -> hv.restartVm(id), on ? Expected.now(PowerState.POWERED_ON) : Expected.conflict());
            if (suspend) {
                check(id, from, "suspendVm", () -> hv.suspendVm(id), off ? Expected.conflict() : Expected.now(PowerState.SUSPENDED));
                check(id, from, "resumeVm", () -> hv.resumeVm(id), off ? Expected.conflict() : Expected.now(PowerState.POWERED_ON));
            } else {
                awaitFailure(UnsupportedCapabilityException.class, hv.suspendVm(id));
                awaitFailure(UnsupportedCapabilityException.class, hv.resumeVm(id));
            }
        }
        assertTrue(await(hv.deleteVm(id)));
    }

    @Test
    @Covers({"startVm", "stopVm", "restartVm", "deleteVm"})
    void longOperationsReportTheirStageAndEndWithDone() {
        VmId id = create(baseSpec(uniqueName("stages")).build()).id();
        assertStages("startVm", Progress.Stage.POWER_ON, l -> hv.startVm(id, OperationOptions.progress(l)));
        assertStages("restartVm", Progress.Stage.RESTART, l -> hv.restartVm(id, OperationOptions.progress(l)));
        assertStages("stopVm", Progress.Stage.SHUTDOWN, l -> hv.stopVm(id, StopSpec.gracefulThenHard(Duration.ofSeconds(30)),
                OperationOptions.progress(l)));
        assertStages("deleteVm", Progress.Stage.DELETE, l -> hv.deleteVm(id, OperationOptions.progress(l)));
    }

    private void assertStages(String op, Progress.Stage expected,
                              java.util.function.Function<io.dvmm.sdk.ProgressListener, CompletableFuture<?>> call) {
        List<Progress> events = new CopyOnWriteArrayList<>();
        await(call.apply(events::add));
        List<Progress.Stage> stages = events.stream().map(Progress::stage).toList();
        assertTrue(stages.contains(expected), op + " reports " + expected + ": " + stages);
        assertEquals(Progress.Stage.DONE, stages.get(stages.size() - 1), op + " ends with done: " + stages);
        assertTrue(events.stream().allMatch(p -> p.operation().equals(op)), op + " names itself: " + events);
    }

    // ---- one class per error

    @Test
    @Covers({"testConnection", "getVm", "createVm"})
    void errorsMapToOneClassEach() {
        HypervisorConfig tls = untrustedTlsConfig();
        if (tls == null) {
            notShown("an untrusted TLS certificate is an AuthenticationException (untrustedTlsConfig() is null)");
        }
        if (tls != null) {
            long before = quietRequestCount();
            try (Hypervisor untrusted = Hypervisors.connect(tls)) {
                AuthenticationException e = awaitFailure(AuthenticationException.class, untrusted.testConnection());
                assertFalse(e.retryable(), "an untrusted certificate stays untrusted");
                assertTrue(e.getMessage().toLowerCase(Locale.ROOT).contains("tls")
                        || e.getMessage().toLowerCase(Locale.ROOT).contains("certificate"), "names TLS: " + e.getMessage());
                awaitFailure(AuthenticationException.class, untrusted.listVms());
            }
            assertEquals(before, requestCount(), "no request passes a refused TLS handshake");
        }
        try (Hypervisor bad = Hypervisors.connect(badCredentialsConfig())) {
            AuthenticationException e = awaitFailure(AuthenticationException.class, bad.listVms());
            assertFalse(e.retryable());
        }
        NotFoundException nf = awaitFailure(NotFoundException.class, hv.getVm(unknownVmId()));
        assertFalse(nf.retryable());
        InvalidSpecException invalid = awaitFailure(InvalidSpecException.class,
                hv.createVm(baseSpec(uniqueName("badnet")).nics(List.of(NicSpec.dhcp("no-such-network-" + prefix.substring(2, 6))))
                        .build()));
        assertEquals("nics[0].network", invalid.field());
        assertFalse(invalid.retryable());
        String name = uniqueName("taken");
        VmInfo first = create(baseSpec(name).build());
        ConflictException taken = awaitFailure(ConflictException.class, hv.createVm(baseSpec(name).build()));
        assertFalse(taken.retryable());
        assertTrue(await(hv.deleteVm(first.id())));
    }

    // ---- every claimed capability works

    @Test
    @Covers("createVm")
    void everyCapabilityTheConnectionClaimsWorks() {
        Set<Capability> caps = caps();
        List<String> made = new ArrayList<>();
        java.util.function.Function<VmProvisionSpec, VmInfo> make = spec -> {
            VmInfo vm = create(spec);
            made.add(vm.id().value());
            return vm;
        };
        try {
            if (caps.contains(Capability.CLONE_FULL)) {
                assertEquals(PowerState.POWERED_OFF, make.apply(baseSpec(uniqueName("full")).cloneMode(CloneMode.FULL).build()).powerState());
            }
            if (caps.contains(Capability.CLONE_LINKED)) {
                make.apply(baseSpec(uniqueName("linked")).cloneMode(CloneMode.LINKED).placement(Placement.any()).build());
            }
            if (caps.contains(Capability.CLOUD_INIT)) {
                make.apply(baseSpec(uniqueName("ci")).guest(GuestCustomization.builder().username("ops").sshKey(SSH_KEY).build()).build());
            }
            if (caps.contains(Capability.USER_DATA)) {
                make.apply(baseSpec(uniqueName("ud")).guest(GuestCustomization.builder()
                        .userData("#cloud-config\nruncmd:\n  - echo hello\n").build()).build());
            }
            if (caps.contains(Capability.CUSTOM_HOSTNAME)) {
                make.apply(baseSpec(uniqueName("hn")).guest(GuestCustomization.builder().hostname("other-host").build()).build());
            }
            if (caps.contains(Capability.GUEST_CUSTOMIZATION)) {
                VmInfo vm = make.apply(baseSpec(uniqueName("static")).nics(List.of(NicSpec.staticIp(networkName(), "192.0.2.44", 24,
                        "192.0.2.1"))).guest(GuestCustomization.builder().dnsServer("192.0.2.53").searchDomain("example.test").build())
                        .build());
                assertEquals(1, vm.nics().size(), "one NIC");
            }
            if (caps.contains(Capability.METADATA)) {
                VmInfo vm = make.apply(baseSpec(uniqueName("meta")).metadata("team", "contract").metadata("cost-center", "4711").build());
                assertEquals("contract", await(hv.getVm(vm.id())).metadata().get("team"));
                assertEquals("4711", await(hv.getVm(vm.id())).metadata().get("cost-center"));
            }
            if (caps.contains(Capability.DISKS)) {
                long boot = await(hv.inventory()).template(templateName()).orElseThrow().diskGiB();
                VmInfo vm = make.apply(baseSpec(uniqueName("disk")).cloneMode(CloneMode.FULL)
                        .disk(io.dvmm.sdk.DiskSpec.ofGiB(boot + 1)).build());
                assertTrue(await(hv.getVm(vm.id())).disks().stream().anyMatch(d -> d.sizeGiB() >= boot + 1),
                        "the boot disk grew: " + await(hv.getVm(vm.id())).disks());
            }
        } finally {
            made.forEach(id -> await(hv.deleteVm(VmId.of(id))));
        }
    }

    // ---- a create cancelled at any stage leaves nothing

    @Test
    @Covers("createVm")
    void aCreateCancelledAtEachStageLeavesNothingBehind() {
        boolean ip = caps().contains(Capability.GUEST_IP);
        List<Progress.Stage> stages = new ArrayList<>(List.of(Progress.Stage.RESOLVE, Progress.Stage.CLONE,
                Progress.Stage.CONFIGURE, Progress.Stage.POWER_ON));
        if (ip) {
            stages.add(Progress.Stage.WAIT_IP);
        }
        List<String> names = new ArrayList<>();
        for (Progress.Stage stage : stages) {
            String name = uniqueName("cancel-" + stage.id());
            names.add(name);
            CompletableFuture<VmInfo>[] holder = new CompletableFuture[1];
            CountDownLatch reached = new CountDownLatch(1);
            holder[0] = hv.createVm(baseSpec(name).powerOn(true).waitForIp(ip).build(), OperationOptions.progress(p -> {
                if (p.stage() == stage && reached.getCount() > 0) {
                    reached.countDown();
                }
            }));
            try {
                assertTrue(reached.await(operationTimeout().toMillis(), TimeUnit.MILLISECONDS), "createVm reached " + stage);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            holder[0].cancel(true);
            assertTrue(holder[0].isDone(), "cancelled at " + stage);
        }
        for (String name : names) {
            eventually("no VM named " + name + " remains after its create was cancelled", () -> await(hv.findVm(name)).isEmpty());
        }
    }


    // ---- names, read back, restricted credentials

    @Test
    @Covers({"findVm", "createVm"})
    void anAmbiguousNameIsRefusedWithItsCandidates() {
        String name = uniqueName("twin");
        List<VmId> twins = makeTwoVmsNamed(name);
        if (twins.isEmpty()) {
            notShown("findVm refuses a name two VMs share (makeTwoVmsNamed() made none)");
        }
        if (!twins.isEmpty()) {
            ConflictException e = awaitFailure(ConflictException.class, hv.findVm(name));
            for (VmId id : twins) {
                assertTrue(e.getMessage().contains(id.value()), "the error lists " + id + ": " + e.getMessage());
            }
            twins.forEach(id -> await(hv.deleteVm(id)));
        }
        Placement ambiguous = ambiguousPlacement();
        if (ambiguous == null) {
            notShown("createVm refuses an ambiguous placement name with its candidates (ambiguousPlacement() is null)");
        }
        if (ambiguous != null) {
            long before = quietRequestCount();
            InvalidSpecException e = awaitFailure(InvalidSpecException.class,
                    hv.createVm(baseSpec(uniqueName("amb")).placement(ambiguous).build()));
            assertTrue(e.field().startsWith("placement."), "names the placement field: " + e.field());
            assertTrue(e.getMessage().contains("ambiguous") || e.getMessage().contains("candidates"), e.getMessage());
            assertTrue(requestCount() - before < 20, "refused during resolution, before any clone");
        }
    }

    @Test
    @Covers("createVm")
    void concurrentCreatesOfOneNameLetExactlyOneThrough() {
        String name = uniqueName("race");
        List<CompletableFuture<VmInfo>> racing = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            racing.add(hv.createVm(baseSpec(name).build()));
        }
        int ok = 0;
        VmInfo winner = null;
        for (CompletableFuture<VmInfo> f : racing) {
            try {
                winner = await(f);
                ok++;
            } catch (ConflictException e) {
                assertEquals("createVm", e.operation());
            }
        }
        assertEquals(1, ok, "exactly one of four concurrent creates of one name succeeds");
        assertEquals(1, await(hv.listVms(VmQuery.builder().namePattern(name).build())).size());
        assertTrue(await(hv.deleteVm(winner.id())));
    }

    @Test
    @Covers({"createVm", "getVm"})
    void createVmAnswersWithTheVmAsTheEndpointReportsIt() {
        Set<Capability> caps = caps();
        VmProvisionSpec.Builder spec = baseSpec(uniqueName("readback")).cpuCount(2).memoryMiB(768);
        if (caps.contains(Capability.METADATA)) {
            spec.metadata("k", "v");
        }
        VmInfo made = create(spec.build());
        VmInfo read = await(hv.getVm(made.id()));
        assertEquals(read.id(), made.id());
        assertEquals(read.name(), made.name());
        assertEquals(read.powerState(), made.powerState());
        assertEquals(read.cpuCount(), made.cpuCount());
        assertEquals(read.memoryMiB(), made.memoryMiB());
        assertEquals(read.host(), made.host(), "host");
        assertEquals(read.metadata(), made.metadata(), "metadata");
        assertEquals(read.nics().stream().map(n -> n.network() + " " + n.macAddress()).toList(),
                made.nics().stream().map(n -> n.network() + " " + n.macAddress()).toList(), "NICs");
        assertEquals(read.disks().stream().map(d -> d.sizeGiB() + " " + d.datastore()).toList(),
                made.disks().stream().map(d -> d.sizeGiB() + " " + d.datastore()).toList(), "disks");
        assertTrue(await(hv.deleteVm(made.id())));
    }

    @Test
    @Covers({"getVm", "startVm", "deleteVm"})
    void aRestrictedCredentialGetsPermissionDeniedNotNotFound() {
        HypervisorConfig restricted = restrictedConfig();
        if (restricted == null) {
            notShown("a restricted credential gets PermissionDeniedException (restrictedConfig() is null)");
            return;
        }
        VmId hidden = vmHiddenFromRestrictedConfig();
        try (Hypervisor limited = Hypervisors.connect(restricted)) {
            assertTrue(await(limited.listVms()).stream().noneMatch(v -> v.id().equals(hidden)), "the listing hides it");
            io.dvmm.sdk.PermissionDeniedException e = awaitFailure(io.dvmm.sdk.PermissionDeniedException.class, limited.getVm(hidden));
            assertFalse(e.retryable());
            awaitFailure(io.dvmm.sdk.PermissionDeniedException.class, limited.startVm(hidden));
            awaitFailure(io.dvmm.sdk.PermissionDeniedException.class, limited.deleteVm(hidden));
        }
        assertEquals(hidden, await(hv.getVm(hidden)).id(), "the VM is still there");
    }

    // ---- coverage

    @Test
    void everyHypervisorMethodIsCovered() throws IOException {
        Map<String, Set<String>> cases = new TreeMap<>();
        for (Method m : Hypervisor.class.getMethods()) {
            if (m.getDeclaringClass() == Hypervisor.class || m.getName().equals("close")) {
                cases.put(m.getName(), new TreeSet<>());
            }
        }
        for (Class<?> c = getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            for (Method m : c.getDeclaredMethods()) {
                Covers covers = m.getAnnotation(Covers.class);
                if (covers != null && m.isAnnotationPresent(Test.class)) {
                    for (String method : covers.value()) {
                        assertTrue(cases.containsKey(method), "@Covers names an unknown Hypervisor method: " + method);
                        cases.get(method).add(m.getName());
                    }
                }
            }
        }
        StringBuilder report = new StringBuilder("Hypervisor method -> contract cases (" + getClass().getSimpleName() + ")\n");
        cases.forEach((method, tests) -> report.append(String.format(Locale.ROOT, "%-18s %s%n", method, tests)));
        Path out = Path.of("target", "contract-coverage-" + getClass().getSimpleName() + ".txt");
        if (Files.isDirectory(out.getParent())) {
            Files.writeString(out, report);
        }
        System.out.print(report);
        Set<String> uncovered = new HashSet<>();
        cases.forEach((method, tests) -> {
            if (tests.isEmpty()) {
                uncovered.add(method);
            }
        });
        assertTrue(uncovered.isEmpty(), "Hypervisor methods without a contract case: " + uncovered);
        assertTrue(Arrays.stream(Hypervisor.class.getMethods()).anyMatch(m -> m.getName().equals("createVm")));
    }
}
