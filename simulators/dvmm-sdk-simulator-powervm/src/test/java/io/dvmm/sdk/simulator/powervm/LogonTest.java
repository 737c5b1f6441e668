package io.dvmm.sdk.simulator.powervm;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/** Logon, the API session header, expiry and logoff, over HTTPS. */
class LogonTest {

    private static PowerVmSimulator hmc;

    @BeforeAll
    static void start() {
        hmc = PowerVmSimulator.builder().start();
    }

    @AfterAll
    static void stop() {
        hmc.close();
    }

    @BeforeEach
    void clean() {
        hmc.violations().clear();
        hmc.sessionIdleTimeout(Duration.ofHours(2));
    }

    @Test
    void logonAnswersALogonResponseWithTheSessionToken() {
        HmcClient c = new HmcClient(hmc);
        HmcClient.Answer a = c.send("PUT", "/rest/api/web/Logon", HmcClient.logonBody(hmc.username(), hmc.password()),
                HmcClient.WEB + "LogonRequest", Map.of("Accept", HmcClient.WEB + "LogonResponse"));

        assertThat(a.status()).isEqualTo(200);
        assertThat(a.header("Content-Type")).isEqualTo(HmcClient.WEB + "LogonResponse");
        Element root = a.xml();
        assertThat(HmcClient.name(root)).isEqualTo("LogonResponse");
        assertThat(root.getNamespaceURI()).isEqualTo(HmcClient.WEB_NS);
        assertThat(HmcClient.child(root, "Metadata/Atom")).isPresent();
        String token = HmcClient.text(root, "X-API-Session");
        assertThat(token).hasSizeGreaterThan(100).matches("[A-Za-z0-9_-]+");
        assertThat(hmc.issuedSessionTokens()).contains(token);

        c.session(token);
        assertThat(c.get("/rest/api/uom/ManagedSystem").status()).isEqualTo(200);
        assertThat(hmc.violations().list()).isEmpty();
    }

    @Test
    void wrongPasswordIs401WithAnHttpErrorResponse() {
        HmcClient c = new HmcClient(hmc);
        HmcClient.Answer a = c.put("/rest/api/web/Logon", HmcClient.WEB + "LogonRequest",
                HmcClient.logonBody(hmc.username(), "wrong"));

        assertThat(a.status()).isEqualTo(401);
        Element error = a.content();
        assertThat(HmcClient.name(error)).isEqualTo("HttpErrorResponse");
        assertThat(HmcClient.text(error, "HTTPStatus")).isEqualTo("401");
        assertThat(HmcClient.text(error, "RequestURI")).isEqualTo("/rest/api/web/Logon");
    }

    @Test
    void thePasswordNeverReachesTheRequestLog() {
        new HmcClient(hmc).logon();

        assertThat(hmc.requestLog().snapshot()).isNotEmpty().allSatisfy(e ->
                assertThat(e.bodyText()).doesNotContain(hmc.password()));
    }

    @Test
    void aRequestWithoutSessionHeaderIs401AndAViolation() {
        HmcClient c = new HmcClient(hmc);

        assertThat(c.get("/rest/api/uom/ManagedSystem").status()).isEqualTo(401);
        assertThat(hmc.violations().list()).singleElement().asString().contains("without an X-API-Session");
    }

    @Test
    void expiredSessionsAre401WithoutViolation() {
        HmcClient c = new HmcClient(hmc).logon();
        hmc.expireSessions();

        HmcClient.Answer a = c.get("/rest/api/uom/ManagedSystem");
        assertThat(a.status()).isEqualTo(401);
        assertThat(HmcClient.text(a.content(), "Message")).contains("expired");
        assertThat(hmc.violations().list()).isEmpty();
        c.logon();
        assertThat(c.get("/rest/api/uom/ManagedSystem").status()).isEqualTo(200);
    }

    @Test
    void idleSessionsExpire() {
        HmcClient c = new HmcClient(hmc).logon();
        hmc.sessionIdleTimeout(Duration.ofMillis(50));
        HmcClient.sleep(120);

        assertThat(c.get("/rest/api/uom/ManagedSystem").status()).isEqualTo(401);
    }

    @Test
    void logoffEndsTheSession() {
        HmcClient c = new HmcClient(hmc).logon();

        assertThat(c.delete("/rest/api/web/Logon").status()).isEqualTo(204);
        assertThat(c.get("/rest/api/uom/ManagedSystem").status()).isEqualTo(401);
        assertThat(hmc.requestCount(HmcOperations.LOGOFF)).isGreaterThanOrEqualTo(1);
    }

    @Test
    void aLogonRequestWithElementsSwappedIsRefused() {
        HmcClient c = new HmcClient(hmc);
        String swapped = "<LogonRequest xmlns=\"" + HmcClient.WEB_NS + "\" schemaVersion=\"V1_0\"><Password>"
                + hmc.password() + "</Password><UserID>" + hmc.username() + "</UserID></LogonRequest>";

        HmcClient.Answer a = c.put("/rest/api/web/Logon", HmcClient.WEB + "LogonRequest", swapped);

        assertThat(a.status()).isEqualTo(400);
        assertThat(HmcClient.text(a.content(), "Message")).startsWith("Failed to unmarshal input payload");
        assertThat(hmc.violations().list()).anySatisfy(v -> assertThat(v).contains("element order"));
    }
}
