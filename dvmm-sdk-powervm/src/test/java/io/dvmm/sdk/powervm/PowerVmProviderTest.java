package io.dvmm.sdk.powervm;

import static io.dvmm.sdk.powervm.SimulatorConfigs.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dvmm.sdk.AuthenticationException;
import io.dvmm.sdk.CloneMode;
import io.dvmm.sdk.ConflictException;
import io.dvmm.sdk.Credentials;
import io.dvmm.sdk.DiskSpec;
import io.dvmm.sdk.GuestCustomization;
import io.dvmm.sdk.Hypervisor;
import io.dvmm.sdk.Hypervisors;
import io.dvmm.sdk.InvalidSpecException;
import io.dvmm.sdk.NicSpec;
import io.dvmm.sdk.OperationOptions;
import io.dvmm.sdk.Placement;
import io.dvmm.sdk.PowerState;
import io.dvmm.sdk.Progress;
import io.dvmm.sdk.ResourceExhaustedException;
import io.dvmm.sdk.SnapshotSpec;
import io.dvmm.sdk.StopSpec;
import io.dvmm.sdk.UnsupportedCapabilityException;
import io.dvmm.sdk.VmId;
import io.dvmm.sdk.VmInfo;
import io.dvmm.sdk.VmProvisionSpec;
import io.dvmm.sdk.VmReconfigureSpec;
import io.dvmm.sdk.simulator.Fault;
import io.dvmm.sdk.simulator.FaultRule;
import io.dvmm.sdk.simulator.RequestLog;
import io.dvmm.sdk.simulator.powervm.HmcOperations;
import io.dvmm.sdk.simulator.powervm.HmcState;
import io.dvmm.sdk.simulator.powervm.PowerVmSimulator;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The PowerVM behaviours the contract suite does not pin: the identity of a create whose answer
 * was lost, refusals before any request, the retry paths (VIOS busy, 412, an expired session),
 * the shutdown escalation, what delete removes, the empty-disk full clone, DLPAR limits and job
 * cancellation — each against the HMC simulator over HTTPS.
 */
class PowerVmProviderTest {
    private static final String VIOS_POST = "POST /rest/api/uom/ManagedSystem/{ms}/VirtualIOServer/{vios}";

    private PowerVmSimulator sim;
    private Hypervisor hv;
    private String network;

    private void start(PowerVmSimulator.Builder b) {
        sim = b.start();
        hv = Hypervisors.connect(SimulatorConfigs.config(sim).build());
        network = await(hv.inventory()).networks().get(0).name();
    }

    @AfterEach
    void stop() {
        if (hv != null) {
            hv.close();
        }
        if (sim != null) {
            sim.close();
        }
    }

    private VmProvisionSpec.Builder linked(String name) {
        return VmProvisionSpec.builder().name(name).template(PowerVmSimulator.SSP_TEMPLATE).cloneMode(CloneMode.LINKED)
                .cpuCount(1).memoryMiB(1024).nic(NicSpec.dhcp(network)).powerOn(false);
    }

    private static Throwable failure(CompletableFuture<?> f) {
        try {
            await(f);
        } catch (CompletionException e) {
            return e.getCause();
        }
        throw new AssertionError("expected a failure");
    }

    private List<HmcState.Lpar> named(String name) {
        return sim.lpars().stream().filter(l -> l.name().equals(name)).toList();
    }

    // ---- a create whose answer was lost -------------------------------------------------------------

    @Test
    void aLostAnswerOfAnLparCreateThatLandedMakesNoSecondLpar() {
        start(SimulatorConfigs.simulator());
        sim.faults().add(FaultRule.onOperation(HmcOperations.LPAR_CREATE).times(1).then(Fault.reset()));
        VmInfo vm = await(hv.createVm(linked("lost-1").build()));
        assertThat(sim.faults().injected()).hasSize(1);
        assertThat(named("lost-1")).singleElement().satisfies(l -> assertThat(l.uuid()).isEqualTo(vm.id().value()));
        assertThat(sim.requestCount(HmcOperations.LPAR_CREATE)).as("found by its identity, not sent again").isEqualTo(1);
        assertThat(sim.mappingsOf(vm.id().value())).hasSize(2);
        assertThat(await(hv.deleteVm(vm.id()))).isTrue();
        sim.assertNoViolations();
    }

    @Test
    void aLostCreateThatDidNotLandIsSentAgainOnceProvenAbsent() {
        start(SimulatorConfigs.simulator());
        sim.faults().add(FaultRule.onOperation(HmcOperations.LPAR_CREATE).times(1).then(Fault.reset().notApplied()));
        VmInfo vm = await(hv.createVm(linked("lost-2").build()));
        assertThat(named("lost-2")).singleElement();
        assertThat(sim.requestCount(HmcOperations.LPAR_CREATE)).isEqualTo(2);
        assertThat(await(hv.deleteVm(vm.id()))).isTrue();
    }

    @Test
    void anLparOfTheNameThatIsNotThisCreatesIsNeverAdoptedNorRemoved() {
        start(SimulatorConfigs.simulator());
        VmInfo other = await(hv.createVm(linked("taken-1").memoryMiB(2048).build()));
        // The create lands nothing (the name is taken) and its answer is lost: the LPAR of the name is older and sized
        // otherwise, so it is not this create's; sending again meets the HMC's "already exists".
        sim.faults().add(FaultRule.onOperation(HmcOperations.LPAR_CREATE).times(1).then(Fault.reset()));
        Throwable e = failure(hv.createVm(linked("taken-1").build()));
        assertThat(e).isInstanceOf(ConflictException.class);
        assertThat(named("taken-1")).singleElement().satisfies(l -> assertThat(l.uuid()).isEqualTo(other.id().value()));
        assertThat(sim.mappingsOf(other.id().value())).hasSize(2);
    }

    // ---- refused before any request -----------------------------------------------------------------

    @Test
    void unsupportedCapabilitiesFailTypedBeforeAnyRequest() {
        sim = SimulatorConfigs.simulator().start();
        try (Hypervisor fresh = Hypervisors.connect(SimulatorConfigs.config(sim).build())) {
            sim.resetCounters();
            VmId id = VmId.of("5314F0D6-FC3B-4BCB-9266-15FA0A515040");
            List<CompletableFuture<?>> calls = List.of(fresh.suspendVm(id), fresh.resumeVm(id),
                    fresh.createSnapshot(id, SnapshotSpec.named("s1")), fresh.listSnapshots(id),
                    fresh.revertToSnapshot(id, "s1"), fresh.deleteSnapshot(id, "s1"),
                    fresh.createVm(VmProvisionSpec.builder().name("meta-1").template(PowerVmSimulator.SSP_TEMPLATE).cloneMode(CloneMode.LINKED)
                            .metadata("owner", "x").build()));
            for (CompletableFuture<?> c : calls) {
                assertThat(failure(c)).isInstanceOf(UnsupportedCapabilityException.class);
            }
            assertThat(sim.totalRequests()).as("no logon, no request").isZero();
        }
    }

    @Test
    void whatTheLocalRulesRefuseSendsNothing() {
        start(SimulatorConfigs.simulator());
        await(hv.listVms());
        long before = sim.totalRequests();
        InvalidSpecException name = (InvalidSpecException) failure(hv.createVm(linked("x".repeat(32)).build()));
        assertThat(name.field()).isEqualTo("name");
        InvalidSpecException full = (InvalidSpecException) failure(hv.createVm(linked("full-1").cloneMode(CloneMode.FULL)
                .build()));
        assertThat(full.field()).isEqualTo("cloneMode");
        assertThat(full.getMessage()).contains("emptyBootDisk");
        // The logical memory block is known once the managed system was read: 1000 MiB is no multiple of it.
        InvalidSpecException lmb = (InvalidSpecException) failure(hv.createVm(linked("lmb-1").memoryMiB(1000).build()));
        assertThat(lmb.field()).isEqualTo("memoryMiB");
        assertThat(lmb.getMessage()).contains("logical memory block");
        assertThat(sim.totalRequests()).isEqualTo(before);
    }

    @Test
    void aSpecTheManagedSystemCannotHoldIsRefusedBeforeTheLparIsMade() {
        start(SimulatorConfigs.simulator());
        sim.systemCapacity(4096, 0.5);
        assertThat(failure(hv.createVm(linked("big-1").memoryMiB(8192).build()))).isInstanceOf(ResourceExhaustedException.class);
        assertThat(failure(hv.createVm(linked("cpu-1").cpuCount(4).build()))).isInstanceOf(ResourceExhaustedException.class);
        assertThat(sim.requestCount(HmcOperations.LPAR_CREATE)).isZero();
    }

    // ---- retry paths ----------------------------------------------------------------------------------

    @Test
    void viosBusyAnswersAreSentAgainWithLinearBackOff() {
        start(SimulatorConfigs.simulator());
        sim.viosBusy(VIOS_POST, 1, PowerVmSimulator.Busy.HSCL3205)
                .viosBusy(VIOS_POST, 1, PowerVmSimulator.Busy.VIOS0014)
                .viosBusy(HmcOperations.LPAR_CREATE, 1, PowerVmSimulator.Busy.HTTP_503)
                .viosBusy("GET /rest/api/uom/ManagedSystem/{ms}/VirtualIOServer", 1, PowerVmSimulator.Busy.BUSY_MESSAGE);
        VmInfo vm = await(hv.createVm(linked("busy-1").build()));
        assertThat(named("busy-1")).singleElement();
        assertThat(sim.requestCount(HmcOperations.LPAR_CREATE)).isEqualTo(2);
        assertThat(sim.requestCount(VIOS_POST)).isEqualTo(4);
        assertThat(sim.mappingsOf(vm.id().value())).hasSize(2);
        sim.assertNoViolations();
    }

    @Test
    void a412IsReadAgainReappliedAndSentAgain() {
        start(SimulatorConfigs.simulator().vioses(1));
        sim.faults().add(FaultRule.onOperation(VIOS_POST).times(1).then(Fault.status(412, "Precondition Failed")));
        sim.resetCounters();
        VmInfo vm = await(hv.createVm(linked("etag-1").build()));
        assertThat(sim.requestCount(VIOS_POST)).isEqualTo(2);
        assertThat(sim.requestCount("GET /rest/api/uom/ManagedSystem/{ms}/VirtualIOServer/{vios}")).as("read again").isEqualTo(1);
        assertThat(sim.mappingsOf(vm.id().value())).singleElement();
    }

    @Test
    void anExpiredSessionLogsOnOnceAgainAndCloseLogsOff() {
        start(SimulatorConfigs.simulator());
        long logons = sim.requestCount(HmcOperations.LOGON);
        sim.expireSessions();
        await(hv.listVms());
        assertThat(sim.requestCount(HmcOperations.LOGON)).isEqualTo(logons + 1);
        assertThat(sim.sessionCount()).isEqualTo(1);
        hv.close();
        hv = null;
        assertThat(sim.requestCount(HmcOperations.LOGOFF)).isEqualTo(1);
        assertThat(sim.sessionCount()).isZero();
    }

    @Test
    void aRefusedPasswordIsNotTriedAgain() {
        sim = SimulatorConfigs.simulator().start();
        try (Hypervisor bad = Hypervisors.connect(SimulatorConfigs.config(sim)
                .credentials(Credentials.password(sim.username(), "not-" + sim.password())).build())) {
            Throwable e = failure(bad.listVms());
            assertThat(e).isInstanceOf(AuthenticationException.class);
            assertThat(((AuthenticationException) e).retryable()).isFalse();
            assertThat(sim.requestCount(HmcOperations.LOGON)).isEqualTo(1);
        }
    }

    // ---- power ----------------------------------------------------------------------------------------

    @Test
    void anOsShutdownRefusedForWantOfRmcFallsBackToAVspShutdown() {
        start(SimulatorConfigs.simulator());
        VmInfo vm = await(hv.createVm(linked("down-1").powerOn(true).waitForIp(true).build()));
        sim.failNextJob("PowerOff", "HSCL0DB4 The operating system shutdown cannot be performed because the partition has no "
                + "active RMC connection.");
        sim.resetCounters();
        VmInfo off = await(hv.stopVm(vm.id(), StopSpec.graceful(Duration.ofSeconds(30))));
        assertThat(off.powerState()).isEqualTo(PowerState.POWERED_OFF);
        List<String> operations = sim.requestLog().snapshot().stream()
                .filter(e -> HmcOperations.POWER_OFF.equals(e.operation())).map(RequestLog.Entry::bodyText)
                .map(b -> b.replaceAll("(?s).*<ParameterName>operation</ParameterName><ParameterValue>([a-z]+)<.*", "$1")).toList();
        assertThat(operations).containsExactly("osshutdown", "shutdown");
        assertThat(sim.jobs()).isEmpty();
    }

    @Test
    void cancellingAPowerOnCancelsTheHmcJob() throws InterruptedException {
        start(SimulatorConfigs.simulator());
        VmInfo vm = await(hv.createVm(linked("cancel-1").build()));
        sim.jobDurations(Duration.ofMillis(50), Duration.ofSeconds(30));
        CountDownLatch powering = new CountDownLatch(1);
        CompletableFuture<VmInfo> start = hv.startVm(vm.id(), OperationOptions.progress(p -> {
            if (p.stage() == Progress.Stage.POWER_ON) {
                powering.countDown();
            }
        }));
        assertThat(powering.await(10, TimeUnit.SECONDS)).isTrue();
        long deadline = System.currentTimeMillis() + 10_000;
        while (sim.jobsRunning().isEmpty() && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        start.cancel(true);
        while (sim.requestCount("POST /rest/api/uom/jobs/{job}/cancel") == 0 && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertThat(sim.requestCount("POST /rest/api/uom/jobs/{job}/cancel")).isEqualTo(1);
        while (!sim.jobsRunning().isEmpty() && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertThat(sim.jobsRunning()).isEmpty();
        assertThat(sim.lpar(vm.id().value()).orElseThrow().state()).isEqualTo("not activated");
    }

    // ---- storage ----------------------------------------------------------------------------------------

    @Test
    void deleteRemovesTheMappingsDisksAndMediaTheSdkMadeAndNothingElse() {
        start(SimulatorConfigs.simulator());
        String templateDisk = sim.logicalUnits().stream().filter(u -> u.name().equals(PowerVmSimulator.SSP_TEMPLATE_DISK))
                .findFirst().orElseThrow().udid();
        VmInfo vm = await(hv.createVm(linked("full-set-1").disk(DiskSpec.ofGiB(25)).disk(DiskSpec.ofGiB(5))
                .guest(GuestCustomization.builder().username("ops").sshKey("ssh-ed25519 AAAAC3Nz ops@x").build()).build()));
        String uuid = vm.id().value();
        String token = "dv" + uuid.replace("-", "").toLowerCase().substring(0, 12);
        assertThat(vm.disks()).extracting(d -> d.sizeGiB()).containsExactly(25L, 5L);
        assertThat(sim.logicalUnits()).filteredOn(u -> u.name().startsWith(token)).hasSize(2)
                .anySatisfy(u -> assertThat(u.clonedFrom()).isEqualTo(templateDisk));
        assertThat(sim.media()).anySatisfy(m -> assertThat(m.name()).isEqualTo(token + "_cidata.iso"));
        assertThat(sim.uploads()).anySatisfy(u -> assertThat(u.fileName()).isEqualTo(token + "_cidata.iso"));
        assertThat(sim.mappingsOf(uuid)).extracting(HmcState.Mapping::storageType)
                .contains("LogicalUnit", "VirtualOpticalMedia").hasSize(5);

        assertThat(await(hv.deleteVm(vm.id()))).isTrue();
        assertThat(sim.lpar(uuid)).isEmpty();
        assertThat(sim.mappingsOf(uuid)).isEmpty();
        assertThat(sim.logicalUnits()).noneMatch(u -> u.name().startsWith(token));
        assertThat(sim.media()).noneMatch(m -> m.name().startsWith(token));
        assertThat(sim.logicalUnits()).anySatisfy(u -> assertThat(u.udid()).isEqualTo(templateDisk));
        assertThat(sim.mappingsOf(sim.lpar(PowerVmSimulator.SSP_TEMPLATE).orElseThrow().uuid())).hasSize(2);
        assertThat(await(hv.deleteVm(vm.id()))).isFalse();
        sim.assertNoViolations();
    }

    @Test
    void aFullCloneIsAnEmptyVolumeGroupDiskForANetworkInstallAndALogicalVolumeTemplateCannotBeLinked() {
        start(SimulatorConfigs.simulator());
        InvalidSpecException linked = (InvalidSpecException) failure(hv.createVm(linked("lv-linked")
                .template(PowerVmSimulator.LV_TEMPLATE).build()));
        assertThat(linked.field()).isEqualTo("cloneMode");
        assertThat(sim.requestCount(HmcOperations.LPAR_CREATE)).isZero();

        VmInfo vm = await(hv.createVm(linked("lv-full").template(PowerVmSimulator.LV_TEMPLATE).cloneMode(CloneMode.FULL)
                .disk(DiskSpec.ofGiB(12)).providerOptions(PowerVmOptions.builder().emptyBootDisk(true)
                        .bootMode(PowerVmOptions.BootMode.SMS).build()).build()));
        String token = "dv" + vm.id().value().replace("-", "").toLowerCase().substring(0, 12);
        assertThat(sim.virtualDisks()).filteredOn(d -> d.name().startsWith(token)).singleElement()
                .satisfies(d -> assertThat(d.capacityGb()).isEqualTo(12.0));
        assertThat(sim.mappingsOf(vm.id().value())).singleElement()
                .satisfies(m -> assertThat(m.storageType()).isEqualTo("VirtualDisk"));
        assertThat(await(hv.deleteVm(vm.id()))).isTrue();
        assertThat(sim.virtualDisks()).noneMatch(d -> d.name().startsWith(token));
        assertThat(sim.virtualDisks()).anySatisfy(d -> assertThat(d.name()).isEqualTo(PowerVmSimulator.LV_TEMPLATE_DISK));
    }

    @Test
    void aLinkedCloneStaysInTheTemplatesPool() {
        start(SimulatorConfigs.simulator());
        InvalidSpecException e = (InvalidSpecException) failure(hv.createVm(linked("elsewhere")
                .placement(Placement.any().withDatastore("rootvg")).build()));
        assertThat(e.field()).isEqualTo("placement.datastore");
        assertThat(sim.requestCount(HmcOperations.LPAR_CREATE)).isZero();
    }

    // ---- reconfigure ------------------------------------------------------------------------------------

    @Test
    void aRunningLparChangesWithinItsMinimumAndMaximumOnly() {
        start(SimulatorConfigs.simulator());
        VmInfo vm = await(hv.createVm(linked("dlpar-1").memoryMiB(2048).powerOn(true).waitForIp(true).build()));
        VmInfo more = await(hv.reconfigureVm(vm.id(), VmReconfigureSpec.builder().memoryMiB(3072).build()));
        assertThat(more.memoryMiB()).isEqualTo(3072);
        assertThat(failure(hv.reconfigureVm(vm.id(), VmReconfigureSpec.builder().memoryMiB(8192).build())))
                .isInstanceOf(ConflictException.class).hasMessageContaining("dynamic LPAR");
        await(hv.stopVm(vm.id(), StopSpec.hard()));
        VmInfo big = await(hv.reconfigureVm(vm.id(), VmReconfigureSpec.builder().memoryMiB(8192).cpuCount(2).build()));
        assertThat(big.memoryMiB()).isEqualTo(8192);
        assertThat(big.cpuCount()).isEqualTo(2);
        assertThat(await(hv.deleteVm(vm.id()))).isTrue();
        sim.assertNoViolations();
    }

    @Test
    void aMissingTemplateOrNetworkIsRefusedNamingTheField() {
        start(SimulatorConfigs.simulator());
        assertThatThrownBy(() -> await(hv.createVm(linked("t-1").template("no-such-template").build())))
                .hasCauseInstanceOf(InvalidSpecException.class).hasMessageContaining("template");
        InvalidSpecException net = (InvalidSpecException) failure(hv.createVm(linked("n-1").nics(List.of(NicSpec.dhcp("VLAN9")))
                .build()));
        assertThat(net.field()).isEqualTo("nics[0].network");
        assertThat(sim.requestCount(HmcOperations.LPAR_CREATE)).isZero();
    }
}
