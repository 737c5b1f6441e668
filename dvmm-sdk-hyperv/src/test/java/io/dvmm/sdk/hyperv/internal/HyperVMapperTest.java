package io.dvmm.sdk.hyperv.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvmm.sdk.Inventory;
import io.dvmm.sdk.PowerState;
import io.dvmm.sdk.VmInfo;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HyperVMapperTest {

    static HyperVWire.Vm vm(String state, List<HyperVWire.Nic> nics, String notes, Map<String, String> kvp) {
        return new HyperVWire.Vm("6b3f1f9e-3c1a-4c55-9a55-0f6c1d2e3a4b", "web1", state, 2, 2147483648L, false, notes, nics,
                List.of("D:\\vms\\web1\\os.vhdx"), null, null, null, null, null, null, null, null, null, null, null, null, kvp);
    }

    @Test
    void statesFollowTheTable() {
        assertThat(HyperVMapper.powerState("Running")).isEqualTo(PowerState.POWERED_ON);
        assertThat(HyperVMapper.powerState("Off")).isEqualTo(PowerState.POWERED_OFF);
        for (String s : List.of("Saved", "FastSaved", "Hibernated", "Paused")) {
            assertThat(HyperVMapper.powerState(s)).as(s).isEqualTo(PowerState.SUSPENDED);
        }
        for (String s : List.of("Starting", "Stopping", "Saving", "Pausing", "Resuming", "Reset", "FastSaving", "Other",
                "ComponentServicing", "RunningCritical", "OffCritical", "SavedCritical", "Whatever")) {
            assertThat(HyperVMapper.powerState(s)).as(s).isEqualTo(PowerState.UNKNOWN);
        }
        assertThat(HyperVMapper.powerState(null)).isEqualTo(PowerState.UNKNOWN);
    }

    @Test
    void macsAndAddressesAreNormalized() {
        assertThat(HyperVMapper.mac("00155D01020A")).isEqualTo("00:15:5d:01:02:0a");
        assertThat(HyperVMapper.mac("000000000000")).isEmpty();
        assertThat(HyperVMapper.mac(null)).isEmpty();
        assertThat(HyperVMapper.wireMac("02:15:5d:aa:bb:cc")).isEqualTo("02155DAABBCC");
        List<String> raw = List.of("fe80::215:5dff:fe01:20a", "169.254.3.4", "2001:db8::5", "172.20.1.5", "127.0.0.1",
                "::1", "fe80::1%3", "junk", "172.20.1.5");
        assertThat(HyperVMapper.ips(raw, List.of("ipv4", "ipv6"))).containsExactly("172.20.1.5", "2001:db8::5");
        assertThat(HyperVMapper.ips(raw, List.of("ipv6"))).containsExactly("2001:db8::5");
        assertThat(HyperVMapper.ips(raw, List.of("ipv6", "ipv4"))).containsExactly("2001:db8::5", "172.20.1.5");
    }

    @Test
    void aVmKeepsItsIdMetadataAndUsableAddresses() {
        String notes = new NotesFrame("my notes", Map.of("team", "web"), Map.of(NotesFrame.MARKER, "dvmm-1")).render();
        VmInfo info = HyperVMapper.vm(vm("Running", List.of(new HyperVWire.Nic("Network Adapter", "LAN", "00155D01020A",
                List.of("fe80::1", "192.0.2.7"))), notes, Map.of("NetworkAddressIPv4", "192.0.2.7;10.1.2.3",
                "NetworkAddressIPv6", "fe80::2;2001:db8::9")), "hv1", List.of("ipv4", "ipv6"));
        assertThat(info.id().value()).isEqualTo("6b3f1f9e-3c1a-4c55-9a55-0f6c1d2e3a4b");
        assertThat(info.powerState()).isEqualTo(PowerState.POWERED_ON);
        assertThat(info.rawState()).isEqualTo("Running");
        assertThat(info.memoryMiB()).isEqualTo(2048);
        assertThat(info.cpuCount()).isEqualTo(2);
        assertThat(info.host()).isEqualTo("hv1");
        assertThat(info.metadata()).containsExactly(Map.entry("team", "web"));
        assertThat(info.nics()).singleElement().satisfies(n -> {
            assertThat(n.network()).isEqualTo("LAN");
            assertThat(n.macAddress()).isEqualTo("00:15:5d:01:02:0a");
            assertThat(n.ipAddresses()).containsExactly("192.0.2.7");
        });
        assertThat(info.ipAddresses()).containsExactly("192.0.2.7", "10.1.2.3", "2001:db8::9");
        assertThat(info.disks()).singleElement().satisfies(d -> assertThat(d.datastore()).isEqualTo("D:\\vms\\web1"));
    }

    @Test
    void inventoryMapsSwitchesPathsAndTemplates() {
        HyperVWire.Inventory inv = new HyperVWire.Inventory("HV1", "C:\\VMs", "C:\\VHDs",
                List.of(new HyperVWire.Switch("s1", "LAN", "External")),
                List.of(new HyperVWire.Datastore("C:\\VMs", "vol1", "NTFS", 100L, 40L)),
                List.of(new HyperVWire.Template("vhdx", "ubuntu", "C:\\T\\ubuntu.vhdx", 10L * HyperVMapper.GIB + 1, "Dynamic", null, null),
                        new HyperVWire.Template("vm", "win", "C:\\T\\win.vhdx", null, null, null, "6b3f1f9e-3c1a-4c55-9a55-0f6c1d2e3a4b")));
        Inventory out = HyperVMapper.inventory(inv);
        assertThat(out.hosts()).singleElement().satisfies(h -> assertThat(h.name()).isEqualTo("HV1"));
        assertThat(out.networks()).singleElement().satisfies(n -> assertThat(n.name()).isEqualTo("LAN"));
        assertThat(out.datastores()).singleElement().satisfies(d -> {
            assertThat(d.name()).isEqualTo("C:\\VMs");
            assertThat(d.freeBytes()).isEqualTo(40);
        });
        assertThat(out.template("ubuntu")).hasValueSatisfying(t -> assertThat(t.diskGiB()).isEqualTo(11));
        assertThat(out.template("win")).hasValueSatisfying(t -> assertThat(t.id()).isEqualTo("6b3f1f9e-3c1a-4c55-9a55-0f6c1d2e3a4b"));
    }

    @Test
    void templatesAreRecognizedByTheirNotesLine() {
        assertThat(HyperVMapper.isTemplate(vm("Off", List.of(), "golden image\r\n[hvsdk-template]", Map.of()))).isTrue();
        assertThat(HyperVMapper.isTemplate(vm("Off", List.of(), "not [hvsdk-template] alone", Map.of()))).isFalse();
    }
}
