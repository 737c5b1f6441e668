package io.dvmm.sdk.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dvmm.sdk.Hypervisor;
import io.dvmm.sdk.NicSpec;
import io.dvmm.sdk.VmInfo;
import io.dvmm.sdk.VmProvisionSpec;
import java.io.File;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A user's project that depends on {@code dvmm-sdk-testkit} alone (plus JUnit and AssertJ for its
 * own tests, as this module's test class path is) runs {@code @WithInMemoryHypervisor}: no
 * provider, no simulator, no Jackson, no HTTP client comes with it.
 */
@WithInMemoryHypervisor
class TestkitAloneTest {

    /** What the test kit must not bring: JSON, HTTP, SOAP, WinRM, simulators, providers. */
    private static final List<String> FORBIDDEN = List.of("jackson", "okhttp", "mockwebserver", "wiremock", "cxf", "winrm4j",
            "yavijava", "dvmm-sdk-simulator", "dvmm-sdk-proxmox", "dvmm-sdk-vsphere", "dvmm-sdk-hyperv", "dvmm-sdk-powervm");

    @Test
    void theExtensionRunsWithNothingButTheTestKitOnTheClassPath(Hypervisor hv) {
        VmInfo vm = hv.createVm(VmProvisionSpec.builder().name("alone").template("debian-12").nic(NicSpec.dhcp("vm-network"))
                .powerOn(false).build()).join();
        assertThat(hv.getVm(vm.id()).join().name()).isEqualTo("alone");

        List<String> jars = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(p -> p.replace('\\', '/').toLowerCase(java.util.Locale.ROOT)).toList();
        assertThat(jars).as("the test class path").anyMatch(j -> j.contains("dvmm-sdk-inmemory"));
        for (String forbidden : FORBIDDEN) {
            assertThat(jars).as("no " + forbidden + " on the class path").noneMatch(j -> j.contains(forbidden));
        }
        assertThatThrownBy(() -> Class.forName("com.fasterxml.jackson.databind.ObjectMapper"))
                .isInstanceOf(ClassNotFoundException.class);
        assertThatThrownBy(() -> Class.forName("okhttp3.OkHttpClient")).isInstanceOf(ClassNotFoundException.class);
    }
}
