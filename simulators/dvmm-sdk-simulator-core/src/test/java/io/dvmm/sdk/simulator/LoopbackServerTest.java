package io.dvmm.sdk.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.Credentials;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.tls.HandshakeCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoopbackServerTest {

    private static OkHttpClient client(SimulatorCertificate trusted) {
        OkHttpClient.Builder b = new OkHttpClient.Builder().retryOnConnectionFailure(false)
                .connectionPool(new ConnectionPool(1, 10, TimeUnit.SECONDS))
                .readTimeout(Duration.ofMillis(700));
        if (trusted != null) {
            HandshakeCertificates hc = new HandshakeCertificates.Builder().addTrustedCertificate(trusted.certificate()).build();
            b.sslSocketFactory(hc.sslSocketFactory(), hc.trustManager());
        }
        return b.build();
    }

    @Test
    void sendsTheReasonPhraseVerbatimOverHttpsWithThePublishedCertificate() throws Exception {
        SimulatorCertificate cert = SimulatorCertificate.create();
        try (LoopbackServer server = LoopbackServer.https(cert,
                r -> SimResponse.of(500, "VM 123 does not exist").withBody("application/json", "{\"data\":null}"));
             Response rsp = client(cert).newCall(new Request.Builder().url(server.url() + "/api2/json/x").build()).execute()) {
            assertThat(server.url().toString()).startsWith("https://127.0.0.1:");
            assertThat(rsp.code()).isEqualTo(500);
            assertThat(rsp.message()).isEqualTo("VM 123 does not exist");
            assertThat(rsp.body().string()).isEqualTo("{\"data\":null}");
            X509Certificate peer = (X509Certificate) rsp.handshake().peerCertificates().get(0);
            assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(peer.getEncoded())))
                    .isEqualTo(cert.sha256()).hasSize(64).matches("[0-9a-f]+");
        }
    }

    @Test
    void handsTheDispatcherMethodTargetHeadersBodyAndConnection() throws Exception {
        List<SimRequest> seen = new CopyOnWriteArrayList<>();
        try (LoopbackServer server = LoopbackServer.http(r -> {
            seen.add(r);
            return SimResponse.of(200, "OK");
        })) {
            OkHttpClient c = client(null);
            RequestBody soap = RequestBody.create("<Envelope/>", MediaType.get("text/xml; charset=utf-8"));
            for (int i = 0; i < 2; i++) {
                try (Response rsp = c.newCall(new Request.Builder().url(server.url() + "/wsman?a=%2F&b=1").post(soap)
                        .header("Authorization", Credentials.basic("admin", "s3cret:x")).build()).execute()) {
                    assertThat(rsp.code()).isEqualTo(200);
                }
            }
        }
        SimRequest first = seen.get(0);
        assertThat(first.method()).isEqualTo("POST");
        assertThat(first.path()).isEqualTo("/wsman");
        assertThat(first.query()).isEqualTo("a=%2F&b=1");
        assertThat(first.bodyText()).isEqualTo("<Envelope/>");
        assertThat(first.header("content-type")).startsWith("text/xml");
        assertThat(first.basicCredentials()).contains(new SimRequest.BasicCredentials("admin", "s3cret:x"));
        assertThat(first.toString()).doesNotContain("s3cret");
        assertThat(first.tls()).isFalse();
        assertThat(seen.get(1).connection()).as("kept alive").isEqualTo(first.connection());
        assertThat(seen.get(1).exchange()).isEqualTo(first.exchange() + 1);
    }

    @Test
    void aThrowingDispatcherIsAnswered500() throws Exception {
        try (LoopbackServer server = LoopbackServer.http(r -> {
            throw new IllegalStateException("boom");
        }); Response rsp = client(null).newCall(new Request.Builder().url(server.url() + "/").build()).execute()) {
            assertThat(rsp.code()).isEqualTo(500);
            assertThat(rsp.message()).contains("internal simulator error").contains("boom");
        }
    }

    @Test
    void theTrustStoreAndPemHoldTheCertificate(@TempDir Path dir) throws Exception {
        SimulatorCertificate cert = SimulatorCertificate.shared();
        assertThat(SimulatorCertificate.shared()).isSameAs(cert);
        Path p12 = cert.writeTrustStore(dir.resolve("sim.p12"), "changeit");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p12)) {
            ks.load(in, "changeit".toCharArray());
        }
        assertThat(ks.getCertificate(ks.aliases().nextElement())).isEqualTo(cert.certificate());
        assertThat(Files.readString(cert.writePem(dir.resolve("sim.pem")), StandardCharsets.US_ASCII))
                .startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(cert.certificate().getSubjectAlternativeNames().stream().map(l -> String.valueOf(l.get(1)))).contains("127.0.0.1", "localhost");
    }

    // ---- every fault kind, as a client sees it

    private static Response call(LoopbackServer server, OkHttpClient c) throws IOException {
        return c.newCall(new Request.Builder().url(server.url() + "/x").build()).execute();
    }

    private static LoopbackServer answering(Fault fault) {
        SimResponse normal = SimResponse.ok("application/json", "{\"data\":[1,2,3,4,5,6,7,8,9]}".getBytes(StandardCharsets.UTF_8));
        return LoopbackServer.http(r -> fault.answer(normal));
    }

    @Test
    void delayComesLateButWhole() throws Exception {
        try (LoopbackServer server = answering(Fault.delay(Duration.ofMillis(300)))) {
            long start = System.nanoTime();
            try (Response rsp = call(server, client(null))) {
                assertThat(rsp.body().string()).isEqualTo("{\"data\":[1,2,3,4,5,6,7,8,9]}");
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        }
    }

    @Test
    void resetClosesTheConnectionBeforeTheAnswer() {
        try (LoopbackServer server = answering(Fault.reset())) {
            assertThatThrownBy(() -> call(server, client(null))).isInstanceOf(IOException.class);
        }
    }

    @Test
    void noAnswerHoldsTheConnectionUntilTheClientGivesUp() {
        try (LoopbackServer server = answering(Fault.noAnswer())) {
            assertThatThrownBy(() -> call(server, client(null))).isInstanceOf(java.net.SocketTimeoutException.class);
        }
    }

    @Test
    void truncatedBodyEndsHalfWay() throws Exception {
        try (LoopbackServer server = answering(Fault.truncatedBody()); Response rsp = call(server, client(null))) {
            assertThat(rsp.code()).isEqualTo(200);
            assertThatThrownBy(() -> rsp.body().string()).isInstanceOf(IOException.class);
        }
    }

    @Test
    void stalledBodySendsHeadersOnly() throws Exception {
        try (LoopbackServer server = answering(Fault.stalledBody()); Response rsp = call(server, client(null))) {
            assertThat(rsp.code()).isEqualTo(200);
            assertThat(rsp.header("Content-Length")).isEqualTo("28");
            assertThatThrownBy(() -> rsp.body().string()).isInstanceOf(java.net.SocketTimeoutException.class);
        }
    }

    @Test
    void malformedBodyIsCompleteButUnparseable() throws Exception {
        try (LoopbackServer server = answering(Fault.malformedBody()); Response rsp = call(server, client(null))) {
            String body = rsp.body().string();
            assertThat(body).startsWith("{\"data\":[1,2,").contains("<<malformed by the fault plan>>");
        }
    }

    @Test
    void statusFaultSetsTheStatusLineAndRetryAfter() throws Exception {
        Fault fault = Fault.status(503, "Service Unavailable").retryAfter(Duration.ofSeconds(7));
        assertThat(fault.requestApplied()).isFalse();
        try (LoopbackServer server = LoopbackServer.http(r -> fault.answer(SimResponse.of(500, "ignored")));
             Response rsp = call(server, client(null))) {
            assertThat(rsp.code()).isEqualTo(503);
            assertThat(rsp.message()).isEqualTo("Service Unavailable");
            assertThat(rsp.header("Retry-After")).isEqualTo("7");
        }
    }

    @Test
    void closeReleasesHeldConnectionsPromptly() {
        LoopbackServer server = answering(Fault.noAnswer());
        OkHttpClient c = new OkHttpClient.Builder().readTimeout(Duration.ofSeconds(30)).retryOnConnectionFailure(false).build();
        Thread closer = new Thread(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            server.close();
        });
        closer.start();
        long start = System.nanoTime();
        assertThatThrownBy(() -> call(server, c)).isInstanceOf(IOException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }
}
