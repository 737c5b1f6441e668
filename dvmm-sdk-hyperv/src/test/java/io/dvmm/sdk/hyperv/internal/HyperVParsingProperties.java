package io.dvmm.sdk.hyperv.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dvmm.sdk.ErrorContext;
import io.dvmm.sdk.ProtocolException;
import io.dvmm.sdk.hyperv.internal.scripts.HyperVScript;
import io.dvmm.sdk.testing.HostileBodies;
import io.dvmm.sdk.testing.HostileBodies.Body;
import io.dvmm.sdk.testing.ParserContract;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Every answer a Hyper-V host could give, read the way the provider reads it: the one result line
 * ({@link HyperVClient#result}, base64 of JSON bound to the {@link HyperVWire} records), CLIXML on
 * stderr ({@link HyperVClient#stderrText}), the Notes frame ({@link NotesFrame#parse}) and the
 * mapper. A value or a typed error, never another exception, never a hang. The seeds are the
 * shapes of the scripts' contract ({@code scripts/README.md}, which the simulator answers with),
 * in {@code results/}, mutated by {@link HostileBodies}.
 */
class HyperVParsingProperties {
    private static final ErrorContext CTX = ErrorContext.of("hyperv", "parse");
    private static final List<String> FAMILIES = List.of("ipv4", "ipv6");
    private static final Map<String, byte[]> RESULTS = seeds("list-vms", "get-vm", "get-vm-absent", "guest-ips", "inventory",
            "checkpoint-list", "checkpoint-create", "test-connection", "copy-file", "delete", "checkpoint-delete",
            "failure-not-found", "failure-state");
    private static final Map<String, byte[]> STDERR = Map.of("clixml", resource("stderr-clixml.xml"));

    @Property(tries = 250)
    void aMutatedResultIsReadOrRefusedTyped(@ForAll("mutatedResults") Body body, @ForAll @IntRange(min = 0, max = 1) int exit) {
        ParserContract.typedOutcome(() -> readResult(exit, stdout(body.bytes()), ""));
    }

    @Property(tries = 800)
    void aResultWithHostileValuesIsReadOrRefusedTyped(@ForAll("revaluedResults") Body body) {
        ParserContract.typedOutcome(() -> readResult(0, stdout(body.bytes()), ""));
    }

    @Property(tries = 800)
    void aResultOfKnownMembersAndHostileValuesIsReadOrRefusedTyped(@ForAll("recombinedResults") Body body) {
        ParserContract.typedOutcome(() -> readResult(0, stdout(body.bytes()), ""));
    }

    /** What surrounds the line: any stdout (no line, several, garbled base64) and any stderr, with any exit code. */
    @Property(tries = 200)
    void anyOutputAroundTheResultLineIsReadOrRefusedTyped(@ForAll("noise") Body stdout, @ForAll("mutatedStderr") Body stderr,
                                                          @ForAll @IntRange(min = -1, max = 2) int exit) {
        String out = stdout.text();
        ParserContract.typedOutcome(() -> readResult(exit, out, stderr.text()));
        ParserContract.typedOutcome(() -> readResult(exit, HyperVScript.RESULT_MARKER + out, stderr.text()));
        ParserContract.typedOutcome(() -> HyperVClient.stderrText(stderr.text()));
    }

    /** The Notes field is the user's: any text, and any frame (base64 of anything, mutated JSON inside). */
    @Property(tries = 400)
    void anyNotesAreParsed(@ForAll("notes") String notes) {
        ParserContract.typedOutcome(() -> {
            NotesFrame frame = NotesFrame.parse(notes);
            frame.template();
            return frame.withSdk(NotesFrame.MARKER, "m").render();
        });
    }

    @Example
    void everySeedIsRead() {
        RESULTS.forEach((name, body) -> {
            int read = ParserContract.typedOutcome(() -> readResult(name.startsWith("failure") ? 1 : 0, stdout(body), "")).value();
            assertThat(read).as(name).isEqualTo(name.startsWith("failure") || name.endsWith("absent") ? 0 : read).isLessThan(9);
            if (!name.startsWith("failure") && !name.endsWith("absent")) {
                assertThat(read).as(name + " is read by some binding").isPositive();
            }
        });
    }

    // ---- counterexamples the properties found, kept as they shrank ---------------------------------

    @Example
    void aVmWithoutNameIsUnexpectedData() {
        assertThat(typedError(line("{\"ok\":true,\"data\":{\"id\":\"5d3a8c1e\",\"state\":\"Running\"}}"), HyperVWire.Vm.class))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("no 'name'");
        assertThat(typedError(line("{\"ok\":true,\"data\":[{\"name\":\"web1\"}]}"), HyperVWire.Vm[].class))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("no 'id'");
    }

    @Example
    void aCheckpointWithoutNameIsUnexpectedData() {
        assertThat(typedError(line("{\"ok\":true,\"data\":{\"current\":\"\",\"checkpoints\":[{\"id\":\"c1\"}]}}"),
                HyperVWire.Checkpoints.class)).isInstanceOf(ProtocolException.class).hasMessageContaining("no 'name'");
    }

    @Example
    void nullItemsOfAListAreLeftOut() {
        HyperVWire.Vm vm = HyperVClient.result(CTX, HyperVScript.GET_VM, 0, line("{\"ok\":true,\"data\":{\"id\":\"i\",\"name\":\"n\","
                + "\"nics\":[null],\"vhds\":[null]}}"), "", HyperVWire.Vm.class, null);
        assertThat(HyperVMapper.vm(vm, "HV01", FAMILIES).nics()).isEmpty();
        HyperVWire.Inventory inv = HyperVClient.result(CTX, HyperVScript.INVENTORY, 0, line("{\"ok\":true,\"data\":{\"switches\":[null],"
                + "\"datastores\":[null],\"templates\":[null]}}"), "", HyperVWire.Inventory.class, null);
        assertThat(HyperVMapper.inventory(inv).networks()).isEmpty();
    }

    @Example
    void aFailureLineOfTheWrongShapeIsAProtocolError() {
        assertThat(typedError(line("{\"ok\":false,\"msg\":[],\"type\":\"System.Exception\",\"id\":\"HvsdkNotFound\"}"),
                JsonNode.class)).isInstanceOf(ProtocolException.class);
    }

    @Example
    void aFrameOfJsonNullStaysPartOfTheUserNotes() {
        String notes = "mine\r\n[hvsdk-meta:" + Base64.getEncoder().encodeToString("null".getBytes(StandardCharsets.UTF_8)) + "]";
        NotesFrame frame = ParserContract.typedOutcome(() -> NotesFrame.parse(notes)).value();
        assertThat(frame.userNotes()).isEqualTo(notes);
        assertThat(frame.metadata()).isEmpty();
    }

    private static String line(String json) {
        return stdout(json.getBytes(StandardCharsets.UTF_8));
    }

    private static Throwable typedError(String stdout, Class<?> type) {
        return ParserContract.typedOutcome(() -> HyperVClient.result(CTX, HyperVScript.GET_VM, 0, stdout, "", type, null)).error();
    }

    @Provide
    Arbitrary<Body> mutatedResults() {
        return HostileBodies.mutated(HostileBodies.Syntax.JSON, RESULTS);
    }

    @Provide
    Arbitrary<Body> revaluedResults() {
        return HostileBodies.revalued(HostileBodies.Syntax.JSON, RESULTS);
    }

    @Provide
    Arbitrary<Body> recombinedResults() {
        return HostileBodies.recombinedJson(RESULTS).map(b -> new Body(b.origin(), ("{\"ok\":true,\"data\":" + b.text() + "}")
                .getBytes(StandardCharsets.UTF_8), false));
    }

    @Provide
    Arbitrary<Body> noise() {
        return HostileBodies.noise();
    }

    @Provide
    Arbitrary<Body> mutatedStderr() {
        return HostileBodies.mutated(HostileBodies.Syntax.XML, STDERR);
    }

    @Provide
    Arbitrary<String> notes() {
        Map<String, byte[]> frames = new LinkedHashMap<>();
        frames.put("metadata", "{\"owner\":\"ops\",\"hvsdk.marker\":\"m-1\",\"hvsdk.folder\":\"D:\\\\vms\\\\a\"}".getBytes(StandardCharsets.UTF_8));
        return net.jqwik.api.Arbitraries.oneOf(HostileBodies.mutated(HostileBodies.Syntax.JSON, frames), HostileBodies.noise())
                .map(b -> "user notes\r\n[hvsdk-meta:" + Base64.getEncoder().encodeToString(b.bytes()) + "]\r\n[hvsdk-template]");
    }

    // ---- the reading ------------------------------------------------------------------------------

    /** The line as a script prints it, between a warning and trailing noise. */
    private static String stdout(byte[] json) {
        return "WARNING: module loaded\r\n" + HyperVScript.RESULT_MARKER + Base64.getEncoder().encodeToString(json) + "\r\nbye\r\n";
    }

    /**
     * The result line bound to every record a script answers with, each then mapped as the provider
     * maps it. Each binding may fail typed (a list is no VM); none may fail otherwise.
     *
     * @return how many bindings gave a value
     */
    static int readResult(int exit, String stdout, String stderr) {
        int read = 0;
        read += bound(() -> HyperVClient.result(CTX, HyperVScript.GET_VM, exit, stdout, stderr, JsonNode.class, "field"));
        read += bound(() -> vm(HyperVClient.result(CTX, HyperVScript.GET_VM, exit, stdout, stderr, HyperVWire.Vm.class, null)));
        read += bound(() -> {
            HyperVWire.Vm[] vms = HyperVClient.result(CTX, HyperVScript.LIST_VMS, exit, stdout, stderr, HyperVWire.Vm[].class, null);
            List<Object> out = new ArrayList<>();
            for (HyperVWire.Vm w : vms == null ? new HyperVWire.Vm[0] : vms) {
                out.add(vm(w));
            }
            return vms == null ? null : out;
        });
        read += bound(() -> {
            HyperVWire.Inventory inv = HyperVClient.result(CTX, HyperVScript.INVENTORY, exit, stdout, stderr,
                    HyperVWire.Inventory.class, null);
            return inv == null ? null : HyperVMapper.inventory(inv);
        });
        read += bound(() -> {
            HyperVWire.Checkpoints list = HyperVClient.result(CTX, HyperVScript.CHECKPOINT_LIST, exit, stdout, stderr,
                    HyperVWire.Checkpoints.class, null);
            if (list == null) {
                return null;
            }
            Map<String, HyperVWire.Checkpoint> byId = new HashMap<>();
            list.checkpoints().forEach(c -> byId.put(c.id(), c));
            return list.checkpoints().stream().map(c -> HyperVMapper.snapshot(c, byId)).toList();
        });
        read += bound(() -> {
            HyperVWire.Checkpoint one = HyperVClient.result(CTX, HyperVScript.CHECKPOINT_CREATE, exit, stdout, stderr,
                    HyperVWire.Checkpoint.class, null);
            return one == null ? null : HyperVMapper.snapshot(one, Map.of());
        });
        read += bound(() -> HyperVClient.result(CTX, HyperVScript.TEST_CONNECTION, exit, stdout, stderr, HyperVWire.Host.class, null));
        read += bound(() -> HyperVClient.result(CTX, HyperVScript.COPY_FILE, exit, stdout, stderr, HyperVWire.Copied.class, null));
        read += bound(() -> HyperVClient.result(CTX, HyperVScript.DELETE, exit, stdout, stderr, HyperVWire.Deleted.class, null));
        return read;
    }

    /** @return 1 when the reading gave a value, 0 when none or a typed error; anything else is thrown on */
    private static int bound(java.util.function.Supplier<Object> reading) {
        try {
            return reading.get() == null ? 0 : 1;
        } catch (io.dvmm.sdk.HypervisorException e) {
            return 0;
        }
    }

    private static Object vm(HyperVWire.Vm vm) {
        if (vm == null) {
            return null;
        }
        HyperVMapper.isTemplate(vm);
        NotesFrame.parse(vm.notes()).sdk();
        return HyperVMapper.vm(vm, "HV01", FAMILIES);
    }

    private static Map<String, byte[]> seeds(String... names) {
        Map<String, byte[]> m = new LinkedHashMap<>();
        for (String n : names) {
            m.put(n, resource(n + ".json"));
        }
        return m;
    }

    private static byte[] resource(String name) {
        try (InputStream in = HyperVParsingProperties.class.getResourceAsStream("results/" + name)) {
            if (in == null) {
                throw new IllegalStateException("no test resource results/" + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
