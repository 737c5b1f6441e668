package io.dvmm.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Values that would change a request's meaning are refused by the builders, naming the field. */
class HostileValuesTest {

    private static VmProvisionSpec.Builder spec() {
        return VmProvisionSpec.builder().name("web-01").template("ubuntu");
    }

    @Test
    void controlCharactersAreRefusedInEveryNameAndValue() {
        String bad = "a\nb";
        assertField("template", () -> spec().template(bad).build());
        assertField("placement.host", () -> spec().placement(Placement.any().withHost(bad)).build());
        assertField("placement.datastore", () -> spec().placement(Placement.any().withDatastore("ds\u0000")).build());
        assertField("nics[0].network", () -> spec().nic(NicSpec.dhcp("vmbr0\r")).build());
        assertField("disks[0].datastore", () -> spec().disk(new DiskSpec(10, "x\t")).build());
        assertField("metadata.owner", () -> spec().metadata("owner", "alice\nnameserver 6.6.6.6").build());
        assertField("metadata", () -> spec().metadata("own\u0007er", "alice").build());
        assertField("vmId", () -> VmId.of("100\n"));
        assertField("snapshot.description", () -> new SnapshotSpec("s1", "a\u0000b", false));
    }

    @Test
    void aSearchDomainCannotSmuggleAResolverLine() {
        assertField("guest.searchDomains[0]", () -> GuestCustomization.builder().searchDomain("corp.example\nnameserver 6.6.6.6").build());
        assertField("guest.searchDomains[0]", () -> GuestCustomization.builder().searchDomain("a b").build());
        assertThat(GuestCustomization.builder().searchDomain("corp.example").build().searchDomains()).containsExactly("corp.example");
    }

    @Test
    void userDataKeepsLineBreaksButNotOtherControlCharacters() {
        assertThat(GuestCustomization.builder().userData("#cloud-config\nruncmd:\n\t- ls\r\n").build().userData()).isPresent();
        assertField("guest.userData", () -> GuestCustomization.builder().userData("#cloud-config\u0000").build());
    }

    @Test
    void ipLiteralsAreParsedNeverResolved() {
        assertThat(IpConfig.isIpv6("::1")).isTrue();
        assertThat(IpConfig.isIpv6("2001:db8::10")).isTrue();
        assertThat(IpConfig.isIpv6("::ffff:192.0.2.1")).isTrue();
        assertThat(IpConfig.isIpv6("fe80::1:2:3:4:5")).isTrue();
        assertThat(IpConfig.isIpv6("1:2:3:4:5:6:7:8")).isTrue();
        assertThat(IpConfig.isIpv6("1:2:3:4:5:6:7:8:9")).isFalse();
        assertThat(IpConfig.isIpv6("1::2::3")).isFalse();
        assertThat(IpConfig.isIpv6("12345::")).isFalse();
        assertThat(IpConfig.isIpv6("localhost")).isFalse();
        // Hex letters only: a name like "cafe:beef" in a hosts file is not an address, nor is "dead" alone.
        assertThat(IpConfig.isIpv6("cafe:beef")).isFalse();
        assertThat(IpConfig.isIpv6("fe80::1%eth0")).isFalse();
    }

    private static void assertField(String field, Runnable build) {
        assertThatThrownBy(build::run).isInstanceOf(InvalidSpecException.class)
                .satisfies(e -> assertThat(((InvalidSpecException) e).field()).isEqualTo(field));
    }
}
