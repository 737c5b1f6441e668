package io.dvmm.sdk.powervm.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvmm.sdk.ErrorContext;
import io.dvmm.sdk.HypervisorException;
import io.dvmm.sdk.ProtocolException;
import io.dvmm.sdk.testing.HostileBodies;
import io.dvmm.sdk.testing.HostileBodies.Body;
import io.dvmm.sdk.testing.ParserContract;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;

/**
 * Every answer an HMC could send, read the way the provider reads it: Atom feeds and entries bound
 * to {@link HmcObjects} ({@link HmcXml#entries}, {@link HmcXml#object}), the DOM the provider patches
 * ({@link DocumentPatch#entries}), and the mapper, job and error readings on top. A value or a typed
 * error, never another exception, never a hang; a DTD or entity declaration is refused, typed. The
 * seeds are the real HMC captures in {@code shared/data/powervm} (the large feeds cut to their first
 * entry), read in place: absent, the properties are skipped, and fail under {@code CI=true}.
 */
@AddLifecycleHook(PowerVmParsingProperties.CapturesPresent.class)
class PowerVmParsingProperties {
    private static final ErrorContext CTX = ErrorContext.of("powervm", "parse");
    /** A capture larger than this is cut to its first entry, so that one try stays a few milliseconds. */
    private static final int WHOLE_UP_TO = 40_000;
    private static final Map<String, byte[]> SEEDS = new LinkedHashMap<>();

    /** Skips the class when the captures are absent, except under {@code CI=true}, where {@link #loadCaptures} fails. */
    static final class CapturesPresent implements SkipExecutionHook {
        @Override
        public SkipResult shouldBeSkipped(LifecycleContext context) {
            if (Captures.locate().isEmpty() && !"true".equalsIgnoreCase(System.getenv("CI"))) {
                return SkipResult.skip("the HMC captures (" + Captures.RELATIVE + ") are not above " + Path.of("").toAbsolutePath()
                        + "; the PowerVM parsing properties are skipped");
            }
            return SkipResult.doNotSkip();
        }
    }

    @BeforeContainer
    static void loadCaptures() throws IOException {
        Optional<Path> dir = Captures.locate();
        if (dir.isEmpty()) {
            throw new AssertionError("the HMC captures (" + Captures.RELATIVE + ") are not above " + Path.of("").toAbsolutePath()
                    + ", which CI=true does not allow");
        }
        try (Stream<Path> files = Files.walk(dir.get())) {
            for (Path p : files.filter(f -> f.toString().endsWith(".xml")).sorted().toList()) {
                byte[] xml = Files.readAllBytes(p);
                SEEDS.put(dir.get().relativize(p).toString(), xml.length <= WHOLE_UP_TO ? xml : firstEntry(xml));
            }
        }
        assertThat(SEEDS).hasSizeGreaterThan(40);
    }

    @Property(tries = 300)
    void aMutatedAnswerIsReadOrRefusedTyped(@ForAll("mutatedAnswers") Body body) {
        ParserContract.typedOutcome(() -> read(body.bytes()));
    }

    @Property(tries = 300)
    void anAnswerWithHostileValuesIsReadOrRefusedTyped(@ForAll("revaluedAnswers") Body body) {
        ParserContract.typedOutcome(() -> read(body.bytes()));
    }

    @Property(tries = 150)
    void noiseIsReadOrRefusedTyped(@ForAll("noise") Body body) {
        ParserContract.typedOutcome(() -> read(body.bytes()));
    }

    /** A DTD is refused by every reading, typed, whatever entities it declares: nothing is read from it. */
    @Property(tries = 100)
    void aDeclaredDtdIsRefusedTyped(@ForAll("withDtd") Body body) {
        byte[] xml = body.bytes();
        for (Supplier<?> reading : List.<Supplier<?>>of(
                () -> HmcXml.entries(xml, HmcObjects.LogicalPartition.class, null, "test", CTX),
                () -> HmcXml.object(xml, HmcObjects.LogonResponse.class, "test", CTX),
                () -> DocumentPatch.entries(xml, null, "test", CTX),
                () -> HmcXml.dom(xml, "test", CTX))) {
            ParserContract.Outcome<?> o = ParserContract.typedOutcome(reading::get);
            assertThat(o.failed()).as("a DTD must be refused").isTrue();
            assertThat(o.error().getMessage()).doesNotContain("root:x:0:0");
        }
    }

    @Example
    void everySeedIsRead() {
        long read = SEEDS.values().stream().filter(xml -> ParserContract.typedOutcome(() -> read(xml)).value() > 0).count();
        assertThat(read).as("captures some reading makes a value of").isGreaterThan(SEEDS.size() * 3L / 4);
    }

    /**
     * The counterexample the mutated-answer property shrank to: an entry nested in copies of its own
     * start tag. The DOM parser built it for seconds before finding the truncation; it now refuses
     * past {@link HmcXml#MAX_DEPTH}, as the StAX reader does.
     */
    @Example
    void aDeeplyNestedAnswerIsRefusedAtTheDepthLimit() {
        String open = "<entry xmlns=\"http://www.w3.org/2005/Atom\" xmlns:ns2=\"http://a9.com/-/spec/opensearch/1.1/\">";
        byte[] xml = (open.repeat(20_000) + "<id>x</id>").getBytes(StandardCharsets.UTF_8);
        for (Supplier<?> reading : List.<Supplier<?>>of(() -> DocumentPatch.entries(xml, null, "test", CTX),
                () -> HmcXml.dom(xml, "test", CTX), () -> HmcXml.entries(xml, HmcObjects.LogicalPartition.class, null, "test", CTX))) {
            assertThat(ParserContract.typedOutcome(reading::get).error()).isInstanceOf(ProtocolException.class)
                    .hasMessageMatching("(?s).*(1,001|\\(1000\\)).*");
        }
    }

    /** The shrunk counterexample: an entry whose {@code <id>} was deleted reached the mapper and threw NullPointerException. */
    @Example
    void anEntryWithoutIdIsAProtocolError() {
        String feed = "<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry><content type=\"x\"><VolumeGroup "
                + "xmlns=\"http://www.ibm.com/xmlns/systems/power/firmware/uom/mc/2012_10/\" schemaVersion=\"V1_0\">"
                + "<GroupName>rootvg</GroupName></VolumeGroup></content></entry></feed>";
        byte[] xml = feed.getBytes(StandardCharsets.UTF_8);
        assertThat(ParserContract.typedOutcome(() -> HmcXml.entries(xml, HmcObjects.VolumeGroup.class, null, "GET x", CTX)).error())
                .isInstanceOf(ProtocolException.class).hasMessageContaining("without <id>");
        assertThat(ParserContract.typedOutcome(() -> read(xml)).value()).isPositive(); // DocumentPatch still reads it
    }

    @Provide
    Arbitrary<Body> mutatedAnswers() {
        return HostileBodies.mutated(HostileBodies.Syntax.XML, SEEDS);
    }

    @Provide
    Arbitrary<Body> revaluedAnswers() {
        return HostileBodies.revalued(HostileBodies.Syntax.XML, SEEDS);
    }

    @Provide
    Arbitrary<Body> noise() {
        return HostileBodies.noise();
    }

    @Provide
    Arbitrary<Body> withDtd() {
        return HostileBodies.withDtd(SEEDS);
    }

    // ---- the reading ------------------------------------------------------------------------------

    /**
     * One answer through every reading the provider makes of an HMC answer. Each may fail typed
     * (a feed of VIOSes holds no LPAR); none may fail otherwise.
     *
     * @return how many readings gave a value
     */
    static int read(byte[] xml) {
        HmcTopology topology = new HmcTopology(null, URI.create("powervm://hmc"));
        int read = 0;
        read += reading(() -> HmcXml.entries(xml, HmcObjects.LogicalPartition.class, "etag", "test", CTX).stream()
                .map(e -> List.of(PowerVmMapper.vm(e.id(), e.content(), "sys", List.of(), List.of()), LparShape.read(e.content()),
                        PowerVmMapper.template(e.id(), e.content(), "sys", 10)))
                .toList());
        read += reading(() -> HmcXml.entries(xml, HmcObjects.ManagedSystem.class, null, "test", CTX).stream()
                .map(e -> PowerVmMapper.host(e.id(), e.content())).toList());
        read += reading(() -> HmcXml.entries(xml, HmcObjects.SharedProcessorPool.class, null, "test", CTX).stream()
                .map(e -> PowerVmMapper.resourcePool(e.id(), e.content())).toList());
        read += reading(() -> HmcXml.entries(xml, HmcObjects.VirtualIOServer.class, null, "test", CTX).stream().map(e -> {
            VirtualStorage.Vios v = new VirtualStorage.Vios(e.id(), e.content(), null);
            v.name();
            return e.content().mappings().stream().map(HmcObjects.ScsiMapping::clientUuid).filter(c -> c != null)
                    .map(c -> PowerVmMapper.disks(c, List.of(v), "ssp")).toList();
        }).toList());
        read += reading(() -> HmcXml.entries(xml, HmcObjects.JobResponse.class, null, "test", CTX).stream().map(e -> {
            HmcObjects.JobResponse r = e.content();
            return HmcJobs.outcome(r, r.id(), "PowerOff", Set.of("COMPLETED_OK"), CTX);
        }).toList());
        read += reading(() -> PowerVmMapper.nics(HmcXml.entries(xml, HmcObjects.ClientNetworkAdapter.class, null, "test", CTX)
                .stream().map(HmcXml.Entry::content).toList(), topology));
        read += reading(() -> HmcXml.entries(xml, HmcObjects.VirtualNetwork.class, null, "test", CTX).stream()
                .map(e -> PowerVmMapper.network(PowerVmMapper.network(e.content()))).toList());
        read += reading(() -> HmcXml.entries(xml, HmcObjects.VolumeGroup.class, null, "test", CTX).stream()
                .map(e -> PowerVmMapper.datastore(e.id(), "vios1", e.content())).toList());
        read += reading(() -> HmcXml.entries(xml, HmcObjects.SharedStoragePool.class, null, "test", CTX).stream()
                .map(e -> PowerVmMapper.datastore(e.id(), e.content())).toList());
        read += reading(() -> HmcXml.entries(xml, HmcObjects.LogicalUnit.class, null, "test", CTX).stream()
                .map(e -> PowerVmMapper.gib(e.content().capacityGb())).toList());
        read += reading(() -> HmcXml.entries(xml, HmcObjects.HttpErrorResponse.class, null, "test", CTX).stream()
                .map(e -> HmcErrors.fromResponse(500, e.content(), "Internal Server Error", null, "GET x", CTX)).toList());
        read += reading(() -> HmcXml.object(xml, HmcObjects.LogonResponse.class, "logon", CTX).session());
        read += reading(() -> LparShape.read(HmcXml.object(xml, HmcObjects.LogicalPartition.class, "create", CTX)));
        read += reading(() -> DocumentPatch.entries(xml, "etag", "test", CTX).stream().map(DocumentPatch::body).toList());
        return read;
    }

    /** @return 1 when the reading gave a value (a non-empty list), 0 when none or a typed error */
    private static int reading(Supplier<Object> reading) {
        try {
            Object v = reading.get();
            return v == null || (v instanceof List<?> l && l.isEmpty()) ? 0 : 1;
        } catch (HypervisorException e) {
            return 0;
        }
    }

    /** A feed cut to the part before its first entry, that entry, and the feed's end. */
    private static byte[] firstEntry(byte[] xml) {
        String s = new String(xml, StandardCharsets.ISO_8859_1);
        int start = s.indexOf("<entry");
        int end = s.indexOf("</entry>", start);
        if (start < 0 || end < 0 || !s.contains("</feed>")) {
            return xml;
        }
        return (s.substring(0, end + "</entry>".length()) + "</feed>").getBytes(StandardCharsets.ISO_8859_1);
    }
}
