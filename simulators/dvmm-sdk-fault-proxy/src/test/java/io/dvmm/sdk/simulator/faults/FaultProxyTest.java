package io.dvmm.sdk.simulator.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dvmm.sdk.simulator.LoopbackServer;
import io.dvmm.sdk.simulator.SimResponse;
import io.dvmm.sdk.simulator.SimulatorCertificate;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each fault kind, seen by a client and counted at the target: forwarded or not, answered or not. */
class FaultProxyTest {
    private static final AtomicInteger HITS = new AtomicInteger();
    private static final LoopbackServer TARGET = LoopbackServer.https(SimulatorCertificate.shared(), r -> {
        HITS.incrementAndGet();
        return SimResponse.of(201, "Created Here").withBody("application/json", "{\"data\":\"UPID:node:1\"}");
    });
    private static final FaultProxy PROXY = FaultProxy.https(TARGET.url()).clientTimeout(Duration.ofMillis(700));
    private static final HttpClient CLIENT = client();

    private static HttpClient client() {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] c, String a) {
                }

                @Override
                public void checkServerTrusted(X509Certificate[] c, String a) {
                }

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, new SecureRandom());
            return HttpClient.newBuilder().sslContext(ctx).version(HttpClient.Version.HTTP_1_1).build();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    static void stop() {
        PROXY.close();
        TARGET.close();
    }

    @BeforeEach
    void reset() {
        PROXY.clearRules();
        HITS.set(0);
    }

    private static HttpResponse<String> post() throws IOException, InterruptedException {
        return CLIENT.send(HttpRequest.newBuilder(PROXY.url().resolve("/api2/json/nodes/n1/qemu/100/clone"))
                .timeout(Duration.ofMillis(700)).POST(HttpRequest.BodyPublishers.ofString("newid=123")).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static void only(FaultKind kind) {
        PROXY.rule(FaultProxy.Rule.on("POST", ".*/clone").times(1).kinds(kind));
    }

    @Test
    void withoutARuleEverythingIsForwardedWithItsStatusLine() throws Exception {
        HttpResponse<String> r = post();
        assertThat(r.statusCode()).isEqualTo(201);
        assertThat(r.body()).contains("UPID");
        assertThat(HITS).hasValue(1);
        assertThat(PROXY.certificateSha256()).hasSize(64);
    }

    @Test
    void faultsBeforeForwardingNeverReachTheTarget() throws Exception {
        int before = PROXY.injected().size();
        only(FaultKind.RESET_BEFORE);
        assertThatThrownBy(FaultProxyTest::post).isInstanceOf(IOException.class);
        only(FaultKind.UNAVAILABLE_RETRY_AFTER);
        HttpResponse<String> busy = post();
        assertThat(busy.statusCode()).isEqualTo(503);
        assertThat(busy.headers().firstValue("Retry-After")).hasValue("1");
        only(FaultKind.STATUS_596);
        assertThat(post().statusCode()).isEqualTo(596);
        only(FaultKind.NEVER_ANSWER);
        assertThatThrownBy(FaultProxyTest::post).isInstanceOf(IOException.class);
        assertThat(HITS).hasValue(0);
        assertThat(PROXY.injected()).hasSize(before + 4);
    }

    @Test
    void faultsAfterForwardingReachTheTargetAndLoseTheAnswer() throws Exception {
        only(FaultKind.RESET_AFTER);
        assertThatThrownBy(FaultProxyTest::post).isInstanceOf(IOException.class);
        assertThat(HITS).hasValue(1);
        only(FaultKind.LATE_ANSWER);
        assertThatThrownBy(FaultProxyTest::post).isInstanceOf(java.net.http.HttpTimeoutException.class);
        assertThat(HITS).hasValue(2);
        only(FaultKind.MALFORMED_BODY);
        assertThat(post().body()).contains("garbage");
        assertThat(HITS).hasValue(3);
        only(FaultKind.TRUNCATED_BODY);
        assertThatThrownBy(FaultProxyTest::post).isInstanceOf(IOException.class);
        assertThat(HITS).hasValue(4);
    }

    @Test
    void aLateRequestTakesEffectAfterTheClientGaveUp() throws Exception {
        only(FaultKind.LATE_REQUEST);
        assertThatThrownBy(FaultProxyTest::post).isInstanceOf(java.net.http.HttpTimeoutException.class);
        assertThat(HITS).hasValue(0);
        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos(); // generous: a loaded machine is slow to open the replay's TLS client
        while (HITS.get() == 0 && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        assertThat(HITS).as("forwarded after the client's timeout").hasValue(1);
    }

    @Test
    void probabilitiesAreSeededAndCountsAreKept() throws Exception {
        long before = PROXY.count(k -> k == FaultKind.STATUS_596);
        PROXY.rule(FaultProxy.Rule.on("*", ".*").probability(0.5).kinds(FaultKind.STATUS_596));
        int faults = 0;
        for (int i = 0; i < 40; i++) {
            if (post().statusCode() == 596) {
                faults++;
            }
        }
        assertThat(faults).isBetween(8, 32);
        assertThat(PROXY.count(k -> k == FaultKind.STATUS_596) - before).isEqualTo(faults);
        assertThat(HITS).hasValue(40 - faults);
    }
}
