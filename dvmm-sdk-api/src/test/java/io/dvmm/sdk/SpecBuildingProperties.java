package io.dvmm.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvmm.sdk.spi.HypervisorProvider;
import io.dvmm.sdk.testing.HostileStrings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.junit.jupiter.api.Assertions;

/**
 * Whatever a caller passes to the builders (control characters, dot segments, huge, empty or
 * unusual Unicode, numbers out of range, and {@code null} where a parameter may be null), the
 * result is a valid value or {@link InvalidSpecException} naming the field it concerns; never
 * another exception, never a hang. Parameters documented as required ({@code Objects.requireNonNull})
 * get no {@code null}: that is a programming error, reported as {@code NullPointerException}.
 */
class SpecBuildingProperties {

    /** Every field a builder may name, as the specs name them. */
    private static final Pattern SPEC_FIELDS = Pattern.compile("name|template|templateId|cpuCount|memoryMiB|waitForIp"
            + "|disks\\[\\d+]\\.(sizeGiB|datastore)"
            + "|nics\\[\\d+]\\.(network|macAddress|ip\\.(address|prefixLength|gateway))"
            + "|metadata(\\..*)?"
            + "|placement\\.(datacenter|cluster|clusterId|host|hostId|datastore|datastoreId|resourcePool|resourcePoolId|folder)"
            + "|guest\\.(hostname|domain|username|userData|(sshKeys|dnsServers|searchDomains)\\[\\d+])", Pattern.DOTALL);

    /** A provider of this test only, so that fromProperties can resolve a type and check declared properties. */
    static final class PropertiesTestProvider implements HypervisorProvider {
        @Override
        public String type() {
            return "propstest";
        }

        @Override
        public Set<String> schemes() {
            return Set.of("propstest");
        }

        @Override
        public String displayName() {
            return "Property test provider";
        }

        @Override
        public Set<Capability> capabilities() {
            return EnumSet.of(Capability.INVENTORY);
        }

        @Override
        public List<ProviderProperty> properties() {
            return List.of(ProviderProperty.builder("propstest.pool", ProviderProperty.Type.STRING).build(),
                    ProviderProperty.builder("propstest.shells", ProviderProperty.Type.INTEGER).range(1, 64).build(),
                    ProviderProperty.builder("propstest.ntlm", ProviderProperty.Type.BOOLEAN).build(),
                    ProviderProperty.builder("propstest.mode", ProviderProperty.Type.ENUM).allowedValues(List.of("a", "b")).build(),
                    ProviderProperty.builder("propstest.families", ProviderProperty.Type.ENUM_LIST)
                            .allowedValues(List.of("ipv4", "ipv6")).build());
        }

        @Override
        public Hypervisor connect(HypervisorConfig config) {
            throw new UnsupportedCapabilityException(Capability.INVENTORY, ErrorContext.of("propstest", "connect"));
        }
    }

    @BeforeContainer
    static void register() {
        Hypervisors.register(new PropertiesTestProvider());
    }

    @AfterContainer
    static void unregister() {
        Hypervisors.unregister("propstest");
    }

    // ---- VmProvisionSpec, with its NICs, disks, placement and guest ---------------------------------

    @Property(tries = 400)
    void aProvisionSpecIsBuiltOrRefusedNamingItsField(@ForAll("specInputs") SpecInput in) {
        InvalidSpecException refused = refusalOrNone(() -> in.build());
        if (refused != null) {
            assertThat(refused.field()).as(refused.getMessage()).matches(SPEC_FIELDS);
        }
    }

    @Property(tries = 200)
    void aBuiltSpecSurvivesItsOwnCopy(@ForAll("specInputs") SpecInput in) {
        VmProvisionSpec spec;
        try {
            spec = in.build();
        } catch (InvalidSpecException e) {
            return;
        }
        assertThat(spec.toBuilder().build()).isEqualTo(spec);
        assertThat(spec.name()).isEqualTo(in.name()).isEqualTo(spec.name().strip()).hasSizeLessThanOrEqualTo(80);
        assertThat(spec.toString()).isNotNull();
    }

    /** What a caller may hand the builder; {@code build()} builds the parts in the order a caller would. */
    record SpecInput(Core core, Extras extras) {
        String name() {
            return core.name();
        }

        VmProvisionSpec build() {
            VmProvisionSpec.Builder b = VmProvisionSpec.builder().name(core.name()).cpuCount(core.cpu()).memoryMiB(core.memory())
                    .powerOn(extras.powerOn()).waitForIp(extras.waitForIp()).placement(extras.placement().build())
                    .guest(extras.guest().build());
            if (core.byId()) {
                b.templateId(core.template());
            } else {
                b.template(core.template());
            }
            core.disks().forEach(b::disk);
            for (NicInput n : core.nics()) {
                b.nic(n.build());
            }
            extras.metadata().forEach(b::metadata);
            return b.build();
        }
    }

    record Core(String name, String template, boolean byId, int cpu, long memory, List<DiskSpec> disks, List<NicInput> nics) {
    }

    record Extras(Map<String, String> metadata, PlacementInput placement, GuestInput guest, boolean powerOn, boolean waitForIp) {
    }

    record NicInput(String network, String address, int prefix, String gateway, String mac, boolean dhcp) {
        NicSpec build() {
            return new NicSpec(network, dhcp ? IpConfig.dhcp() : IpConfig.staticIp(address, prefix, gateway), mac);
        }
    }

    record PlacementInput(List<String> values) {
        Placement build() {
            return Placement.builder().datacenter(values.get(0)).cluster(values.get(1)).clusterId(values.get(2))
                    .host(values.get(3)).hostId(values.get(4)).datastore(values.get(5)).datastoreId(values.get(6))
                    .resourcePool(values.get(7)).resourcePoolId(values.get(8)).folder(values.get(9)).build();
        }
    }

    record GuestInput(String hostname, String domain, String username, List<String> sshKeys, List<String> dns, List<String> search,
                      String userData) {
        GuestCustomization build() {
            GuestCustomization.Builder b = GuestCustomization.builder().hostname(hostname).domain(domain).username(username)
                    .userData(userData);
            sshKeys.forEach(b::sshKey);
            dns.forEach(b::dnsServer);
            search.forEach(b::searchDomain);
            return b.build();
        }
    }

    @Provide
    Arbitrary<SpecInput> specInputs() {
        Arbitrary<String> s = HostileStrings.strings();
        Arbitrary<String> sn = HostileStrings.orNull();
        Arbitrary<Integer> cpu = Arbitraries.oneOf(Arbitraries.integers(), Arbitraries.integers().between(-2, 800));
        Arbitrary<Long> memory = Arbitraries.oneOf(Arbitraries.longs(), Arbitraries.longs().between(0, 30_000_000));
        Arbitrary<DiskSpec> disk = Combinators.combine(Arbitraries.oneOf(Arbitraries.longs(), Arbitraries.longs().between(-1, 100)), sn)
                .as(DiskSpec::new);
        Arbitrary<NicInput> nic = Combinators.combine(sn, s, Arbitraries.integers().between(-1, 130), sn,
                Arbitraries.oneOf(sn, Arbitraries.of("00:11:22:33:44:55", "AA:bb:CC:dd:EE:ff")), Arbitraries.of(true, false))
                .as(NicInput::new);
        Arbitrary<Map<String, String>> metadata = Arbitraries.maps(sn, sn).ofMaxSize(3).map(HashMap::new);
        Arbitrary<PlacementInput> placement = sn.list().ofSize(10).map(PlacementInput::new);
        Arbitrary<List<String>> few = s.list().ofMaxSize(2);
        Arbitrary<GuestInput> guest = Combinators.combine(sn, sn, sn, few, few, few, sn).as(GuestInput::new);
        Arbitrary<String> name = Arbitraries.oneOf(sn, Arbitraries.strings().alpha().numeric().withChars("-_. ").ofMinLength(1).ofMaxLength(90));
        return Combinators.combine(
                Combinators.combine(name, sn, Arbitraries.of(true, false), cpu, memory, disk.list().ofMaxSize(2),
                        nic.list().ofMaxSize(2)).as(Core::new),
                Combinators.combine(metadata, placement, guest, Arbitraries.of(true, false), Arbitraries.of(true, false))
                        .as(Extras::new))
                .as(SpecInput::new);
    }

    // ---- the parts on their own ------------------------------------------------------------------

    @Property(tries = 300)
    void aPlacementIsBuiltOrRefusedNamingItsFieldAndCombinesWithAnyOther(@ForAll("placements") PlacementInput a,
                                                                          @ForAll("placements") PlacementInput b) {
        InvalidSpecException refused = refusalOrNone(a::build);
        if (refused != null) {
            assertThat(refused.field()).startsWith("placement.").matches(SPEC_FIELDS);
            return;
        }
        Placement built = a.build();
        assertThat(built.toBuilder().build()).isEqualTo(built);
        Placement defaults;
        try {
            defaults = b.build();
        } catch (InvalidSpecException e) {
            return;
        }
        Placement combined = built.orElse(defaults);
        assertThat(combined.orElse(defaults)).isEqualTo(combined);
    }

    @Provide
    Arbitrary<PlacementInput> placements() {
        return HostileStrings.orNull().injectNull(0.5).list().ofSize(10).map(PlacementInput::new);
    }

    @Property(tries = 300)
    void aNicIsBuiltOrRefusedNamingItsField(@ForAll("nicInputs") NicInput nic) {
        InvalidSpecException refused = refusalOrNone(() -> VmProvisionSpec.builder().name("web-01").template("t").nic(nic.build()).build());
        if (refused != null) {
            assertThat(refused.field()).startsWith("nics[0].").matches(SPEC_FIELDS);
        }
    }

    @Provide
    Arbitrary<NicInput> nicInputs() {
        Arbitrary<String> addresses = Arbitraries.oneOf(HostileStrings.strings(),
                Arbitraries.strings().withChars("0123456789abcdefABCDEF:.%").ofMaxLength(50));
        return Combinators.combine(HostileStrings.orNull(), addresses, Arbitraries.integers(), addresses.injectNull(0.3),
                Arbitraries.oneOf(HostileStrings.orNull(), Arbitraries.strings().withChars("0123456789abcdefABCDEF:").ofMaxLength(20)),
                Arbitraries.of(true, false)).as(NicInput::new);
    }

    @Property(tries = 300)
    void ipLiteralChecksAnswerForAnyString(@ForAll("addressLike") String s) {
        boolean v4 = IpConfig.isIpv4(s);
        boolean v6 = IpConfig.isIpv6(s);
        assertThat(v4 && v6).as("both families").isFalse();
    }

    @Provide
    Arbitrary<String> addressLike() {
        return Arbitraries.oneOf(HostileStrings.orNull(), Arbitraries.strings().withChars("0123456789abcdef:.").ofMaxLength(60));
    }

    @Property(tries = 300)
    void aSnapshotNameIsAcceptedOnlyWhenItFollowsTheRule(@ForAll("snapshotNames") String name, @ForAll("nullableStrings") String description) {
        InvalidSpecException refused = refusalOrNone(() -> new SnapshotSpec(name, description, false));
        if (refused == null) {
            assertThat(name).matches("[A-Za-z][A-Za-z0-9_-]{0,39}");
        } else {
            assertThat(refused.field()).isIn("snapshot.name", "snapshot.description");
        }
    }

    @Provide
    Arbitrary<String> snapshotNames() {
        return Arbitraries.oneOf(HostileStrings.orNull(), Arbitraries.strings().alpha().numeric().withChars("-_.").ofMaxLength(45));
    }

    @Provide
    Arbitrary<String> nullableStrings() {
        return HostileStrings.orNull();
    }

    @Property(tries = 300)
    void aVmIdIsAcceptedOrRefusedAsVmId(@ForAll("nullableStrings") String value) {
        InvalidSpecException refused = refusalOrNone(() -> VmId.of(value));
        if (refused != null) {
            assertThat(refused.field()).isEqualTo("vmId");
        } else {
            assertThat(VmId.of(value).toString()).isEqualTo(value);
        }
    }

    @Property(tries = 200)
    void reconfigureStopAndQuerySpecsAreBuiltOrRefused(@ForAll int cpu, @ForAll long memory, @ForAll long stopMillis,
                                                        @ForAll("nullableStrings") String glob, @ForAll("nullableStrings") String vmName) {
        refusalOrNone(() -> VmReconfigureSpec.builder().cpuCount(cpu).memoryMiB(memory).build());
        refusalOrNone(() -> StopSpec.graceful(Duration.ofMillis(stopMillis)));
        InvalidSpecException refused = refusalOrNone(() -> VmQuery.builder().namePattern(glob).build());
        if (refused != null) {
            assertThat(refused.field()).isEqualTo("namePattern");
            return;
        }
        VmInfo vm = VmInfo.builder().id(VmId.of("1")).name(vmName == null ? "" : vmName).powerState(PowerState.UNKNOWN).build();
        refusalOrNone(() -> VmQuery.builder().namePattern(glob).build().matches(vm));
    }

    /** Globs of many stars against long names of one letter: the shape that makes a backtracking matcher take forever. */
    @Property(tries = 100)
    void aNameGlobAnswersWithinTheBoundForAnyNameAndPattern(@ForAll("starryGlobs") String glob, @ForAll("longNames") String name) {
        VmQuery query = VmQuery.builder().namePattern(glob).build();
        VmInfo vm = VmInfo.builder().id(VmId.of("1")).name(name).powerState(PowerState.UNKNOWN).build();
        refusalOrNone(() -> query.matches(vm));
    }

    @Provide
    Arbitrary<String> starryGlobs() {
        return Arbitraries.strings().withChars("*?ab").ofMinLength(1).ofMaxLength(40);
    }

    @Provide
    Arbitrary<String> longNames() {
        return Arbitraries.strings().withChars("ab\n").ofMaxLength(200);
    }

    @Example
    void aGlobOfManyStarsIsMatchedWithoutBacktracking() {
        VmQuery query = VmQuery.builder().namePattern("*a*a*a*a*a*a*a*a*a*a*a*a*b").build();
        VmInfo vm = VmInfo.builder().id(VmId.of("1")).name("a".repeat(80)).powerState(PowerState.UNKNOWN).build();
        assertThat(Assertions.assertTimeoutPreemptively(Duration.ofSeconds(5), () -> query.matches(vm))).isFalse();
        assertThat(VmQuery.builder().namePattern("web-??-*").build().matches(VmInfo.builder().id(VmId.of("1")).name("web-01-eu")
                .powerState(PowerState.UNKNOWN).build())).isTrue();
    }

    @Example
    void aNullKeyInThePropertiesIsLeftOutLikeAKeyOfAnotherPrefix() {
        Map<String, String> properties = new HashMap<>();
        properties.put(null, "ignored");
        properties.put("endpoint", "propstest://h");
        assertThat(HypervisorConfig.fromProperties(properties, "", () -> "secret").endpoint()).hasToString("propstest://h");
    }

    // ---- HypervisorConfig: the builder's endpoint and fromProperties ------------------------------

    @Property(tries = 300)
    void anEndpointStringIsParsedOrRefusedAsEndpoint(@ForAll("endpoints") String endpoint) {
        InvalidSpecException refused = refusalOrNone(() -> HypervisorConfig.builder(endpoint).build());
        if (refused != null) {
            assertThat(refused.field()).isEqualTo("endpoint");
        }
    }

    @Provide
    Arbitrary<String> endpoints() {
        return Arbitraries.oneOf(HostileStrings.strings(), Arbitraries.strings().withChars("propstest:/@[]%.-#?0123456789 ")
                .ofMaxLength(40).map(s -> "propstest://" + s));
    }

    /**
     * Any keys and values, known keys most of the time, under any prefix: a configuration or a
     * refusal naming one of the keys as it was given (or the missing endpoint under the prefix).
     */
    @Property(tries = 500)
    void propertiesAreReadOrRefusedNamingTheKeyAsGiven(@ForAll("propertyMaps") Map<String, String> properties,
                                                        @ForAll("prefixes") String prefix, @ForAll boolean withSecret) {
        InvalidSpecException refused = refusalOrNone(() -> HypervisorConfig.fromProperties(properties, prefix,
                withSecret ? () -> "secret" : null));
        if (refused != null) {
            List<String> named = new ArrayList<>(properties.keySet());
            named.add(prefix + "endpoint");
            assertThat(refused.field()).as(refused.getMessage()).isIn(named);
        }
    }

    @Provide
    Arbitrary<String> prefixes() {
        return Arbitraries.of("", "dvmm.", "DVMM_TENANT_A_", "x");
    }

    @Provide
    Arbitrary<Map<String, String>> propertyMaps() {
        List<String> keys = new ArrayList<>(HypervisorConfig.propertyKeys());
        keys.addAll(List.of("propstest.pool", "propstest.shells", "propstest.ntlm", "propstest.mode", "propstest.families",
                "propstest.nosuch", "timeouts.write", "CIRCUIT_BREAKER_OPEN_DURATION", "circuit-breaker.enabled", "Endpoint"));
        Arbitrary<String> key = Arbitraries.oneOf(Arbitraries.of(keys), Arbitraries.of(keys).map(k -> "dvmm." + k),
                Arbitraries.of(keys).map(k -> "DVMM_TENANT_A_" + k), HostileStrings.strings());
        Arbitrary<String> value = Arbitraries.oneOf(HostileStrings.orNull(), Arbitraries.of("propstest://h:1", "propstest:/x",
                "inmemory:/x", "30s", "500ms", "PT30S", "-PT1S", "P99999999999D", "999999999999d", "0", "1", "-1", "1e3", "NaN",
                "Infinity", "true", "false", "password", "apiToken", "none", "root@pam", "a,b", "ipv4, ipv6",
                "ab".repeat(32), "/nonexistent/store.p12", "JKS", "/", "//x"));
        Arbitrary<Map<String, String>> maps = Arbitraries.maps(key, value).ofMaxSize(8).map(HashMap::new);
        // Most maps name an endpoint, so that the reading gets past it.
        return Arbitraries.oneOf(maps, Combinators.combine(maps, Arbitraries.of("propstest://pve1:8006", "propstest:/a", "x://h",
                "propstest://u:p@h")).as((m, e) -> {
                    Map<String, String> withEndpoint = new HashMap<>(m);
                    withEndpoint.put("endpoint", e);
                    return withEndpoint;
                }), maps.map(m -> {
                    Map<String, String> withNullKey = new HashMap<>(m);
                    withNullKey.put(null, "ignored");
                    withNullKey.put("endpoint", "propstest://h");
                    return withNullKey;
                }));
    }

    // ---- the check ----------------------------------------------------------------------------

    /**
     * Runs a build within the hang bound.
     *
     * @return the refusal, or {@code null} when it was built
     * @throws AssertionError when it throws anything but {@link InvalidSpecException}, or hangs
     */
    private static InvalidSpecException refusalOrNone(Callable<?> build) {
        InvalidSpecException refused = Assertions.assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            try {
                build.call();
                return null;
            } catch (InvalidSpecException e) {
                return e;
            } catch (Throwable e) {
                throw new AssertionError("threw " + e + ", not InvalidSpecException", e);
            }
        });
        if (refused != null) {
            assertThat(refused.field()).isNotNull();
            if (refused.field().length() < 1000) {
                assertThat(refused.getMessage()).startsWith(refused.field() + ": ");
            }
        }
        return refused;
    }
}
