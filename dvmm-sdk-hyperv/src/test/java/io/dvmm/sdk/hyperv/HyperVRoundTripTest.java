package io.dvmm.sdk.hyperv;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvmm.sdk.CloneMode;
import io.dvmm.sdk.Credentials;
import io.dvmm.sdk.Hypervisor;
import io.dvmm.sdk.HypervisorConfig;
import io.dvmm.sdk.Hypervisors;
import io.dvmm.sdk.NicSpec;
import io.dvmm.sdk.PowerState;
import io.dvmm.sdk.TlsOptions;
import io.dvmm.sdk.VmInfo;
import io.dvmm.sdk.VmProvisionSpec;
import io.dvmm.sdk.VmQuery;
import io.dvmm.sdk.simulator.hyperv.HyperVSimulator;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Round trips per operation, counted at the WinRM simulator and asserted exactly: which scripts ran, how many
 * WS-Management messages they cost. A warm connection (a shell open, the inventory read) is the steady state; a
 * command on a reused shell costs Command, Receive and Signal, one whose argument travels in the shell environment
 * also Create and Delete (a shell of its own). The simulator's delays are zero, so that the number of IP polls is
 * fixed too.
 */
class HyperVRoundTripTest {

    private HyperVSimulator sim;
    private Hypervisor hv;

    @BeforeEach
    void connect() throws Exception {
        sim = HyperVSimulator.builder().scripts(HyperVContractTest.catalog()).basic(true).vms(20)
                .startDelay(Duration.ZERO).guestIpDelay(Duration.ZERO).build().start();
        hv = Hypervisors.connect(HypervisorConfig.builder(sim.sdkUri())
                .credentials(Credentials.password(sim.username(), sim.password()))
                .tls(TlsOptions.pinSha256(sim.certificateSha256())).property(HyperVProvider.AUTH, "basic")
                .property(HyperVProvider.TEMPLATES_PATH, HyperVSimulator.TEMPLATES_FOLDER)
                .property(HyperVProvider.VM_ROOT, HyperVSimulator.VM_ROOT).build());
    }

    @AfterEach
    void close() {
        hv.close();
        sim.violations().assertNone();
        sim.close();
    }

    private static <T> T await(CompletableFuture<T> f) throws Exception {
        return f.get(60, TimeUnit.SECONDS);
    }

    /** The counts since the last reset, only the non-zero ones, sorted. */
    private Map<String, Long> counts() {
        Map<String, Long> out = new TreeMap<>();
        sim.counts().forEach((k, v) -> {
            if (v != 0) {
                out.put(k, v);
            }
        });
        return out;
    }

    private void warm() throws Exception {
        await(hv.inventory());
        sim.resetCounts();
    }

    @Test
    void theFirstCommandOpensTheShellAndLaterOnesReuseIt() throws Exception {
        await(hv.listVms(VmQuery.all()));
        assertThat(counts()).isEqualTo(Map.of("script:list-vms", 1L, HyperVSimulator.CREATE, 1L, HyperVSimulator.COMMAND, 1L,
                HyperVSimulator.RECEIVE, 1L, HyperVSimulator.SIGNAL, 1L));
        sim.resetCounts();
        for (int i = 0; i < 5; i++) {
            await(hv.listVms(VmQuery.all()));
        }
        assertThat(counts()).as("3 messages per command on the reused shell").isEqualTo(Map.of("script:list-vms", 5L,
                HyperVSimulator.COMMAND, 5L, HyperVSimulator.RECEIVE, 5L, HyperVSimulator.SIGNAL, 5L));
    }

    @Test
    void listVmsIsOneCommand() throws Exception {
        warm();
        assertThat(await(hv.listVms(VmQuery.all()))).hasSize(20);
        assertThat(sim.scriptCount("list-vms")).isEqualTo(1);
        assertThat(sim.count(HyperVSimulator.COMMAND)).isEqualTo(1);
        assertThat(counts()).isEqualTo(Map.of("script:list-vms", 1L, HyperVSimulator.COMMAND, 1L, HyperVSimulator.RECEIVE, 1L,
                HyperVSimulator.SIGNAL, 1L));
    }

    @Test
    void aLinkedCloneWithAStaticIpPoweredOnAndWaitedForIsFourCommandsBesidesIpPolls() throws Exception {
        warm();
        VmInfo vm = await(hv.createVm(VmProvisionSpec.builder().name("rt-linked").template("ubuntu-24.04")
                .cloneMode(CloneMode.LINKED).cpuCount(2).memoryMiB(2048)
                .nic(NicSpec.staticIp(HyperVSimulator.DEFAULT_SWITCH, "10.0.0.21", 24, "10.0.0.1"))
                .powerOn(true).waitForIp(true).build()));
        assertThat(vm.powerState()).isEqualTo(PowerState.POWERED_ON);
        assertThat(vm.ipAddresses()).isNotEmpty();
        assertThat(vm.disks()).singleElement().satisfies(d -> assertThat(d.sizeGiB()).isEqualTo(30));

        long polls = sim.scriptCount("guest-ips");
        assertThat(polls).as("zero delays: the first poll sees the address").isEqualTo(1);
        // create-linked (CPU, memory, Notes), copy-file (the cloud-init seed with the static address), reconfigure
        // (NIC, MAC, the seed's DVD), start (answers with the disks, so nothing is read back after the last poll)
        assertThat(counts()).isEqualTo(Map.of("script:create-linked", 1L, "script:copy-file", 1L, "script:reconfigure", 1L,
                "script:start", 1L, "script:guest-ips", 1L,
                HyperVSimulator.COMMAND, 5L, HyperVSimulator.RECEIVE, 5L, HyperVSimulator.SIGNAL, 5L,
                // the seed's chunk is too large for the command line: its own shell, with the argument in the environment
                HyperVSimulator.CREATE, 1L, HyperVSimulator.DELETE, 1L));
        assertThat(sim.count(HyperVSimulator.COMMAND) - polls).isEqualTo(4);
        assertThat(sim.vmsNamed("rt-linked")).hasSize(1);
    }

    @Test
    void aCreateWithoutGuestCustomizationIsThreeCommands() throws Exception {
        warm();
        await(hv.createVm(VmProvisionSpec.builder().name("rt-plain").template("ubuntu-24.04").cloneMode(CloneMode.LINKED)
                .nic(NicSpec.dhcp(HyperVSimulator.DEFAULT_SWITCH)).powerOn(true).build()));
        assertThat(counts()).isEqualTo(Map.of("script:create-linked", 1L, "script:reconfigure", 1L, "script:start", 1L,
                HyperVSimulator.COMMAND, 3L, HyperVSimulator.RECEIVE, 3L, HyperVSimulator.SIGNAL, 3L));
    }

    @Test
    void lookupsPowerAndDeleteCount() throws Exception {
        warm();
        VmInfo any = await(hv.findVm("vm-0002")).orElseThrow();
        assertThat(counts()).isEqualTo(Map.of("script:find-vm", 1L, HyperVSimulator.COMMAND, 1L, HyperVSimulator.RECEIVE, 1L,
                HyperVSimulator.SIGNAL, 1L));
        assertThat(any.powerState()).isEqualTo(PowerState.POWERED_OFF);

        sim.resetCounts();
        await(hv.getVm(any.id()));
        assertThat(sim.scriptCount("get-vm")).isEqualTo(1);
        assertThat(sim.count(HyperVSimulator.COMMAND)).isEqualTo(1);

        sim.resetCounts();
        await(hv.startVm(any.id()));
        assertThat(counts()).as("read the state, then start (whose answer is the result)").isEqualTo(Map.of(
                "script:get-vm", 1L, "script:start", 1L, HyperVSimulator.COMMAND, 2L, HyperVSimulator.RECEIVE, 2L,
                HyperVSimulator.SIGNAL, 2L));

        sim.resetCounts();
        assertThat(await(hv.deleteVm(any.id()))).isTrue();
        assertThat(counts()).as("read the folder the Notes name, then delete").isEqualTo(Map.of("script:get-vm", 1L,
                "script:delete", 1L, HyperVSimulator.COMMAND, 2L, HyperVSimulator.RECEIVE, 2L, HyperVSimulator.SIGNAL, 2L));
    }
}
