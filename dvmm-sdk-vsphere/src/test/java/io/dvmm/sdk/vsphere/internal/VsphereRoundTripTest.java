package io.dvmm.sdk.vsphere.internal;

import io.dvmm.sdk.simulator.vsphere.Vcsim;
import io.dvmm.sdk.NicSpec;
import io.dvmm.sdk.Placement;
import io.dvmm.sdk.GuestCustomization;
import io.dvmm.sdk.VmInfo;
import io.dvmm.sdk.VmProvisionSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Round trips counted by the connection's request listener (exact, not timed). vcsim here caps
 * RetrievePropertiesEx pages at 100 objects, like vCenter.
 */
class VsphereRoundTripTest {

    private static final int PAGE = 100;
    private static Vcsim sim;
    private static VsphereHypervisor hv;
    private static final RequestCounter REQUESTS = new RequestCounter();

    @BeforeAll
    static void start() {
        sim = Vcsim.vcenter(1, 2, 120); // 2 resource pools x 120 VMs, one of them made the template
        hv = VcsimFixture.connect(sim, REQUESTS);
        hv.testConnection().join(); // log in: the session's cost is not the operations'
        // Likewise the connection's update collector (one per session), made by its first wait.
        VmInfo any = hv.listVms().join().get(0);
        hv.waitForState(any.id(), any.powerState(), java.time.Duration.ofSeconds(30)).join();
    }

    @AfterAll
    static void stop() {
        if (hv != null) {
            hv.close();
        }
        if (sim != null) {
            sim.close();
        }
    }

    private static Map<String, Long> delta(Map<String, Long> before) {
        return REQUESTS.since(before);
    }

    private static long total(Map<String, Long> d, String... except) {
        long sum = 0;
        for (Map.Entry<String, Long> e : d.entrySet()) {
            if (!List.of(except).contains(e.getKey())) {
                sum += e.getValue();
            }
        }
        return sum;
    }

    @Test
    void listVmsCostsAViewPlusOneCallPerPageAndNothingPerVm() {
        Map<String, Long> before = REQUESTS.counts();
        List<VmInfo> vms = hv.listVms().join();
        Map<String, Long> d = delta(before);
        int n = vms.size();
        assertThat(n).isGreaterThanOrEqualTo(230);
        long budget = 3 + (long) Math.ceil((n + 4.0) / PAGE); // +4: hosts share the view
        System.out.printf("listVms of %d VMs: %d calls %s (budget %d)%n", n, total(d), d, budget);
        assertThat(total(d)).isLessThanOrEqualTo(budget);
        assertThat(d).doesNotContainKey("RetrieveProperties");
        assertThat(d.get("ContinueRetrievePropertiesEx")).as("pages beyond the first").isGreaterThanOrEqualTo(2L);
    }

    @Test
    void createVmStaysWithinSixteenCallsBesidesWaitForUpdatesEx() {
        hv.inventory().join(); // the placement catalog is cached per connection
        Map<String, Long> before = REQUESTS.counts();
        VmInfo vm = hv.createVm(VmProvisionSpec.builder().name("rt-create-1").template(Vcsim.TEMPLATE)
                .cpuCount(2).memoryMiB(1024).nic(NicSpec.dhcp("VM Network"))
                .placement(Placement.any().withDatastore("LocalDS_0"))
                .guest(GuestCustomization.builder().hostname("rt-create-1").dnsServer("192.0.2.53").build())
                .powerOn(true).waitForIp(true).build()).join();
        Map<String, Long> d = delta(before);
        System.out.printf("createVm (clone, read back, reconfigure, customize, power on, wait for IP): %d calls besides "
                + "WaitForUpdatesEx %s%n", total(d, "WaitForUpdatesEx"), d);
        assertThat(vm.cpuCount()).isEqualTo(2);
        assertThat(vm.primaryIpAddress()).isPresent();
        assertThat(d).containsEntry("CloneVM_Task", 1L).doesNotContainKey("RetrieveProperties");
        assertThat(total(d, "WaitForUpdatesEx")).isLessThanOrEqualTo(16);
        assertThat(hv.deleteVm(vm.id()).join()).isTrue();
    }

    @Test
    void getVmIsOneCall() {
        VmInfo any = hv.listVms().join().get(0);
        Map<String, Long> before = REQUESTS.counts();
        hv.getVm(any.id()).join();
        assertThat(delta(before)).isEqualTo(Map.of("RetrievePropertiesEx", 1L));
    }
}
