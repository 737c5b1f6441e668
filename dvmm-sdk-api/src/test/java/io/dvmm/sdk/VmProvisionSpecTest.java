package io.dvmm.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class VmProvisionSpecTest {

    private static VmProvisionSpec.Builder valid() {
        return VmProvisionSpec.builder().name("web-01").template("ubuntu").cpuCount(2).memoryMiB(2048)
                .nic(NicSpec.dhcp("vmbr0"));
    }

    private static void assertRejects(String field, String ruleFragment, Supplier<?> build) {
        InvalidSpecException e = catchThrowableOfType(InvalidSpecException.class, build::get);
        assertThat(e).as("expected InvalidSpecException for %s", field).isNotNull();
        assertThat(e.field()).isEqualTo(field);
        assertThat(e.rule()).contains(ruleFragment);
        assertThat(e.getMessage()).startsWith(field + ": ");
    }

    @Test
    void buildsAnImmutableSpecThatCopiesThroughToBuilder() {
        VmProvisionSpec spec = valid().metadata("team", "web").disk(DiskSpec.ofGiB(40)).build();
        assertThat(spec.cpuCount()).hasValue(2);
        assertThat(spec.memoryMiB()).hasValue(2048);
        assertThat(spec.cloneMode()).isEqualTo(CloneMode.FULL);
        assertThat(spec.powerOn()).isTrue();
        assertThat(spec.waitForIp()).isFalse();
        assertThatThrownBy(() -> spec.nics().add(NicSpec.dhcp("x"))).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> spec.metadata().put("a", "b")).isInstanceOf(UnsupportedOperationException.class);

        VmProvisionSpec copy = spec.toBuilder().build();
        assertThat(copy).isEqualTo(spec).hasSameHashCodeAs(spec);
        VmProvisionSpec changed = spec.toBuilder().cpuCount(4).build();
        assertThat(changed.cpuCount()).hasValue(4);
        assertThat(spec.cpuCount()).hasValue(2);
    }

    @Test
    void leavesCpuAndMemoryToTheTemplateWhenUnset() {
        VmProvisionSpec spec = VmProvisionSpec.builder().name("a").templateId("9000").build();
        assertThat(spec.cpuCount()).isEmpty();
        assertThat(spec.memoryMiB()).isEmpty();
        assertThat(spec.templateId()).hasValue("9000");
        assertThat(spec.templateName()).isEmpty();
    }

    @Test
    void namesTheFieldAndRuleOfEachViolation() {
        assertRejects("name", "must not be empty", () -> valid().name("").build());
        assertRejects("name", "must not be empty", () -> valid().name(null).build());
        assertRejects("name", "at most 80", () -> valid().name("a".repeat(81)).build());
        assertRejects("name", "white space", () -> valid().name(" web").build());
        assertRejects("cpuCount", "between 1 and 768", () -> valid().cpuCount(0).build());
        assertRejects("memoryMiB", "between 16", () -> valid().memoryMiB(-512).build());
        assertRejects("template", "is required", () -> VmProvisionSpec.builder().name("x").build());
        assertRejects("disks[0].sizeGiB", "at least 1", () -> valid().disk(DiskSpec.ofGiB(0)).build());
        assertRejects("nics[1].network", "must not be empty", () -> valid().nic(NicSpec.dhcp(" ")).build());
        assertRejects("nics[1].ip.address", "IPv4 or IPv6", () -> valid().nic(NicSpec.staticIp("n", "10.0.0.256", 24, null)).build());
        assertRejects("nics[1].ip.prefixLength", "between 1 and 32", () -> valid().nic(NicSpec.staticIp("n", "10.0.0.5", 33, null)).build());
        assertRejects("nics[1].ip.gateway", "IPv4 or IPv6", () -> valid().nic(NicSpec.staticIp("n", "10.0.0.5", 24, "gw")).build());
        assertRejects("nics[1].macAddress", "hex pairs", () -> valid().nic(new NicSpec("n", IpConfig.dhcp(), "zz:11")).build());
        assertRejects("placement.host", "blank", () -> valid().placement(Placement.any().withHost("")).build());
        assertRejects("waitForIp", "powerOn", () -> valid().powerOn(false).waitForIp(true).build());
        assertRejects("metadata", "1 to 128", () -> valid().metadata("", "v").build());
    }

    @ParameterizedTest
    @ValueSource(strings = {"web/01", "a\\b", "semi;colon", "tab\tname", "quote\"", "star*", "new\nline", "100%"})
    void refusesCharactersNoHypervisorAllows(String name) {
        assertRejects("name", "must not contain", () -> valid().name(name).build());
    }

    @Test
    void acceptsIpv6StaticAddressesWithoutNameLookups() {
        VmProvisionSpec spec = valid().nic(NicSpec.staticIp("vmbr0", "2001:db8::10", 64, "2001:db8::1")).build();
        assertThat(spec.nics().get(1).ip().address()).hasValue("2001:db8::10");
        assertRejects("nics[1].ip.address", "IPv4 or IPv6", () -> valid().nic(NicSpec.staticIp("n", "example.com", 24, null)).build());
    }

    @Test
    void guestCustomizationValidatesItsFields() {
        assertRejects("guest.hostname", "one DNS label", () -> GuestCustomization.builder().hostname("web_01").build());
        assertRejects("guest.sshKeys[0]", "OpenSSH", () -> GuestCustomization.builder().sshKey("not a key").build());
        assertRejects("guest.dnsServers[0]", "IP literal", () -> GuestCustomization.builder().dnsServer("dns.local").build());
        assertRejects("guest.username", "POSIX", () -> GuestCustomization.builder().username("Root User").build());
        GuestCustomization g = GuestCustomization.builder().hostname("web-01").username("ops")
                .sshKey("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB3x ops@laptop").dnsServer("1.1.1.1").userData("#cloud-config\n").build();
        assertThat(g.isEmpty()).isFalse();
        assertThat(g.toString()).doesNotContain("AAAAC3").contains("sshKeys=1");
        assertThat(g.toBuilder().build()).isEqualTo(g);
    }

    @Test
    void providerOptionsAreTypedAndKeyedByProvider() {
        record Opts(String providerType, String storage) implements ProviderOptions {
        }
        VmProvisionSpec spec = valid().providerOptions(new Opts("proxmox", "local-lvm")).build();
        assertThat(spec.providerOptions(Opts.class)).hasValueSatisfying(o -> assertThat(o.storage()).isEqualTo("local-lvm"));
        assertThat(spec.providerOptions()).containsOnlyKeys("proxmox");
    }

    @Test
    void reconfigureAndSnapshotSpecsValidateToo() {
        assertRejects("cpuCount", "nothing to change", () -> VmReconfigureSpec.builder().build());
        assertRejects("memoryMiB", "between 16", () -> VmReconfigureSpec.builder().memoryMiB(8).build());
        assertRejects("snapshot.name", "start with a letter", () -> SnapshotSpec.named("1st"));
        assertThat(VmReconfigureSpec.builder().cpuCount(4).build().cpuCount()).hasValue(4);
    }
}
