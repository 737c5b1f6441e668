package io.dvmm.sdk.powervm.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvmm.sdk.AuthenticationException;
import io.dvmm.sdk.BusyException;
import io.dvmm.sdk.Credentials;
import io.dvmm.sdk.ErrorContext;
import io.dvmm.sdk.HypervisorConfig;
import io.dvmm.sdk.HypervisorException;
import io.dvmm.sdk.ProtocolException;
import io.dvmm.sdk.RetryPolicy;
import io.dvmm.sdk.TlsOptions;
import io.dvmm.sdk.simulator.LoopbackServer;
import io.dvmm.sdk.simulator.SimRequest;
import io.dvmm.sdk.simulator.SimResponse;
import io.dvmm.sdk.simulator.SimulatorCertificate;
import io.dvmm.sdk.spi.support.CallPolicy;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The wire against a scripted HMC on loopback HTTPS: what the client does with answers the
 * simulator does not give (a DTD, an entity, an oversized body, {@code Failed to unmarshal input
 * payload}, {@code Retry-After}, an API session that expires and a logon that is refused).
 */
class HmcClientTest {
    private static final String ERROR_TEMPLATE = "<entry xmlns=\"http://www.w3.org/2005/Atom\"><id>e</id><content "
            + "type=\"application/vnd.ibm.powervm.web+xml; type=HttpErrorResponse\"><HttpErrorResponse:HttpErrorResponse "
            + "xmlns:HttpErrorResponse=\"" + HmcXml.WEB_NS + "\" xmlns=\"" + HmcXml.WEB_NS + "\" schemaVersion=\"V1_0\">"
            + "<Metadata><Atom/></Metadata><HTTPStatus>%d</HTTPStatus><RequestURI>/x</RequestURI><ReasonCode>%s</ReasonCode>"
            + "<Message>%s</Message></HttpErrorResponse:HttpErrorResponse></content></entry>";

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private LoopbackServer server;
    private HmcClient client;
    private int logons;
    /** From this logon on, logons are refused with 401. */
    private int refuseLogonFrom = Integer.MAX_VALUE;

    @AfterEach
    void stop() {
        if (client != null) {
            client.close(Duration.ofSeconds(1));
        }
        if (server != null) {
            server.close();
        }
        scheduler.shutdownNow();
    }

    private void start(Function<SimRequest, SimResponse> answers) {
        server = LoopbackServer.https(SimulatorCertificate.shared(), r -> {
            seen.add(r.method() + " " + r.path());
            if (r.path().equals("/rest/api/web/Logon") && r.method().equals("PUT")) {
                logons++;
                if (logons >= refuseLogonFrom) {
                    return error(401, "Unauthorized", "The user ID or password is not valid.");
                }
                return SimResponse.ok(HmcXml.WEB_TYPE + "LogonResponse", ("<LogonResponse xmlns=\"" + HmcXml.WEB_NS
                        + "\" schemaVersion=\"V1_1_0\"><Metadata><Atom/></Metadata><X-API-Session kb=\"ROR\">token-" + logons
                        + "</X-API-Session></LogonResponse>").getBytes(StandardCharsets.UTF_8));
            }
            if (r.path().equals("/rest/api/web/Logon")) {
                return SimResponse.of(204, "No Content");
            }
            return answers.apply(r);
        });
        HypervisorConfig config = HypervisorConfig.builder("powervm://" + server.host() + ":" + server.port())
                .credentials(Credentials.password("hscroot", "s3cret-passw0rd"))
                .tls(TlsOptions.pinSha256(SimulatorCertificate.shared().sha256()))
                .retry(RetryPolicy.defaults())
                .maxResponseBytes(64 * 1024).maxListingBytes(64 * 1024).build();
        client = new HmcClient(config, Runnable::run, new CallPolicy("powervm", config, scheduler), Duration.ofMillis(30));
    }

    private static SimResponse error(int status, String code, String message) {
        return SimResponse.of(status, "Error").withBody(HmcXml.ATOM, String.format(ERROR_TEMPLATE, status, code, message));
    }

    private static Throwable failure(CompletableFuture<?> f) throws InterruptedException {
        try {
            f.get(20, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("expected a failure");
    }

    @Test
    void aBodyTheHmcCannotBindIsAProtocolErrorLoggedWithTheElementOrderSent() throws Exception {
        start(r -> error(400, "Bad Request", HmcErrors.UNMARSHAL + " (unexpected element SharingMode)"));
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.err;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        Throwable e;
        try {
            byte[] body = RequestBodies.jobRequest("PowerOn", "LogicalPartition", Map.of("bootmode", "norm"));
            e = failure(client.put("createVm", HmcPath.uom("LogicalPartition", "x", "do", "PowerOn"),
                    HmcXml.WEB_TYPE + "JobRequest", body, HmcClient.Resend.REFUSED_ONLY, null));
        } finally {
            System.setErr(original);
        }
        assertThat(e).isInstanceOf(ProtocolException.class);
        assertThat(((HypervisorException) e).retryable()).isFalse();
        assertThat(e.getMessage()).contains("PUT /rest/api/uom/LogicalPartition/x/do/PowerOn").contains("a defect of the SDK");
        assertThat(captured.toString(StandardCharsets.UTF_8)).contains("JobRequest[Metadata[Atom], RequestedOperation["
                + "Metadata[Atom], OperationName, GroupName], JobParameters[Metadata[Atom], JobParameter[Metadata[Atom], "
                + "ParameterName, ParameterValue]]]").doesNotContain("norm");
        assertThat(seen).containsOnlyOnce("PUT /rest/api/uom/LogicalPartition/x/do/PowerOn");
    }

    @Test
    void dtdsAndExternalEntitiesAreRefused() throws Exception {
        Path secret = Files.createTempFile("hmc-xxe", ".txt");
        Files.writeString(secret, "TOP-SECRET-CONTENT");
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE feed [<!ENTITY x SYSTEM \"" + secret.toUri() + "\">]>"
                + "<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry><id>&x;</id><content type=\"x\"><LogicalPartition xmlns=\""
                + HmcXml.UOM_NS + "\"><PartitionName>&x;</PartitionName></LogicalPartition></content></entry></feed>";
        start(r -> SimResponse.ok(HmcXml.ATOM, xxe.getBytes(StandardCharsets.UTF_8)));
        // The client refuses the answer as it arrives (and does not ask again); every parser refuses it too.
        Throwable refused = failure(client.get("listVms", HmcPath.uom("LogicalPartition"), null));
        assertThat(refused).isInstanceOf(ProtocolException.class).hasMessageContaining("DTD").hasMessageNotContaining("TOP-SECRET");
        assertThat(((ProtocolException) refused).retryable()).isFalse();
        assertThat(seen).containsOnlyOnce("GET /rest/api/uom/LogicalPartition");
        byte[] body = xxe.getBytes(StandardCharsets.UTF_8);
        ErrorContext ctx = ErrorContext.of("powervm", "listVms");
        for (Runnable parse : List.<Runnable>of(
                () -> HmcXml.entries(body, HmcObjects.LogicalPartition.class, null, "GET x", ctx),
                () -> HmcXml.object(body, HmcObjects.LogicalPartition.class, "GET x", ctx),
                () -> DocumentPatch.entries(body, null, "GET x", ctx))) {
            try {
                parse.run();
                throw new AssertionError("a DTD was read");
            } catch (ProtocolException e) {
                assertThat(e.getMessage()).contains("DTD").doesNotContain("TOP-SECRET");
                assertThat(e.retryable()).isFalse();
            }
        }
        Files.delete(secret);
    }

    @Test
    void unknownElementsAndNewerSchemaVersionsAreRead() {
        String newer = "<entry xmlns=\"http://www.w3.org/2005/Atom\"><id>A1</id><content type=\"x\"><LogicalPartition:LogicalPartition"
                + " xmlns:LogicalPartition=\"" + HmcXml.UOM_NS + "\" xmlns=\"" + HmcXml.UOM_NS + "\" schemaVersion=\"V1_12_0\">"
                + "<Metadata><Atom><AtomID>A1</AtomID><AtomCreated>1</AtomCreated></Atom></Metadata>"
                + "<FutureFeature kb=\"CUD\"><Nested a=\"b\">x</Nested></FutureFeature><PartitionName kb=\"CUR\" kxe=\"false\">"
                + "vm-9</PartitionName><PartitionState ksv=\"V1_12_0\">running</PartitionState><PersistentMemoryVolumes/>"
                + "</LogicalPartition:LogicalPartition></content></entry>";
        HmcXml.Entry<HmcObjects.LogicalPartition> e = HmcXml.entry(newer.getBytes(StandardCharsets.UTF_8),
                HmcObjects.LogicalPartition.class, "7", "GET x", ErrorContext.EMPTY);
        assertThat(e.schemaVersion()).isEqualTo("V1_12_0");
        assertThat(e.etag()).isEqualTo("7");
        assertThat(e.content().name()).isEqualTo("vm-9");
        assertThat(PowerVmMapper.powerState(e.content().state())).isEqualTo(io.dvmm.sdk.PowerState.POWERED_ON);
    }

    @Test
    void anAnswerLargerThanTheBoundIsRefusedUnread() throws Exception {
        byte[] big = new byte[200 * 1024];
        java.util.Arrays.fill(big, (byte) 'a');
        start(r -> SimResponse.ok(HmcXml.ATOM, big));
        Throwable e = failure(client.get("listVms", HmcPath.uom("LogicalPartition"), null));
        assertThat(e).isInstanceOf(ProtocolException.class).hasMessageContaining("larger than 65536 bytes");
    }

    @Test
    void busyAnswersCarryTheirRetryAfterAndAreSentAgain() throws Exception {
        int[] calls = {0};
        start(r -> ++calls[0] == 1 ? SimResponse.of(503, "Service Unavailable").withHeader("Retry-After", "1")
                : SimResponse.of(204, "No Content"));
        long t0 = System.nanoTime();
        HmcClient.Answer a = client.get("listVms", HmcPath.uom("LogicalPartition"), null).get(20, TimeUnit.SECONDS);
        assertThat(a.status()).isEqualTo(204);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
        assertThat(calls[0]).isEqualTo(2);
        HypervisorException busy = HmcErrors.fromResponse(503, null, "Service Unavailable", Duration.ofSeconds(3), "GET x",
                ErrorContext.EMPTY);
        assertThat(busy).isInstanceOf(BusyException.class);
        assertThat(busy.context().retryAfter()).contains(Duration.ofSeconds(3));
    }

    @Test
    void anExpiredSessionIsRenewedOnceAndARefusedLogonIsNotRepeated() throws Exception {
        int[] calls = {0};
        refuseLogonFrom = 3;
        start(r -> {
            calls[0]++;
            return calls[0] == 2 ? error(401, "Unauthorized", "The API session is not valid or has expired")
                    : SimResponse.of(204, "No Content");
        });
        client.get("listVms", HmcPath.uom("LogicalPartition"), null).get(20, TimeUnit.SECONDS);
        client.get("listVms", HmcPath.uom("LogicalPartition"), null).get(20, TimeUnit.SECONDS);
        assertThat(logons).as("one logon, then one more after the 401").isEqualTo(2);
        assertThat(calls[0]).isEqualTo(3);
        // Now every request is refused and so is the next logon: one attempt, then a typed failure.
        calls[0] = 1;
        Throwable e = failure(client.get("listVms", HmcPath.uom("LogicalPartition"), null));
        assertThat(e).isInstanceOf(AuthenticationException.class).hasMessageContaining("not repeated");
        assertThat(logons).isEqualTo(3);
        assertThat(e.getMessage()).doesNotContain("s3cret-passw0rd");
    }
    /**
     * A garbled answer (a proxy or a broken connection in between) fails inside the attempt: a read
     * is read again, where before the garbage came back as the answer and failed the step that bound it.
     */
    @Test
    void aGarbledAnswerToAReadIsReadAgain() throws Exception {
        int[] calls = {0};
        String entry = "<entry xmlns=\"http://www.w3.org/2005/Atom\"><id>A1</id><content type=\"x\"><LogicalPartition xmlns=\""
                + HmcXml.UOM_NS + "\"><PartitionName>vm-1</PartitionName></LogicalPartition></content></entry>";
        start(r -> ++calls[0] == 1 ? SimResponse.ok(HmcXml.ATOM, "<<garbage \u0000 not what was asked>>".getBytes(StandardCharsets.UTF_8))
                : SimResponse.ok(HmcXml.ATOM, entry.getBytes(StandardCharsets.UTF_8)));
        HmcClient.Answer a = client.get("getVm", HmcPath.uom("LogicalPartition", "A1"), null).get(20, TimeUnit.SECONDS);
        assertThat(calls[0]).isEqualTo(2);
        assertThat(HmcXml.entry(a.body(), HmcObjects.LogicalPartition.class, null, a.what(), ErrorContext.EMPTY).content().name())
                .isEqualTo("vm-1");
    }

    @Test
    void aGarbledAnswerToACreateIsAFailureAndTheCreateIsNotSentAgain() throws Exception {
        start(r -> SimResponse.ok(HmcXml.ATOM, "<<garbage>>".getBytes(StandardCharsets.UTF_8)));
        Throwable e = failure(client.put("createVm", HmcPath.uom("ManagedSystem", "m", "LogicalPartition"),
                HmcXml.UOM_TYPE + "LogicalPartition", "<LogicalPartition/>".getBytes(StandardCharsets.UTF_8),
                HmcClient.Resend.REFUSED_ONLY, null));
        assertThat(e).isInstanceOf(ProtocolException.class).hasMessageContaining("not well-formed XML");
        assertThat(seen).containsOnlyOnce("PUT /rest/api/uom/ManagedSystem/m/LogicalPartition");
    }

    @Test
    void aGarbledJsonAnswerIsReadAgain() throws Exception {
        int[] calls = {0};
        start(r -> ++calls[0] == 1 ? SimResponse.ok("application/json", "{\"PartitionState\": <<garbage".getBytes(StandardCharsets.UTF_8))
                : SimResponse.ok("application/json", "{\"PartitionState\":\"running\"}".getBytes(StandardCharsets.UTF_8)));
        HmcClient.Answer a = client.quick("waitForGuestIp", HmcPath.uom("LogicalPartition", "A1", "quick", "All"), null)
                .get(20, TimeUnit.SECONDS);
        assertThat(calls[0]).isEqualTo(2);
        assertThat(new String(a.body(), StandardCharsets.UTF_8)).contains("running");
    }
}
