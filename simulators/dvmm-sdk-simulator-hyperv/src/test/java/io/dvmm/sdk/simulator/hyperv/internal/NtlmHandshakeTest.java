package io.dvmm.sdk.simulator.hyperv.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvmm.sdk.simulator.SimRequest;
import io.dvmm.sdk.simulator.SimulatorCertificate;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The NTLM handshake as WinRmAuth sees it: per connection, NTLMv2 verified with the configured password, MIC checked. */
class NtlmHandshakeTest {

    final Account account = new Account("Administrator", "Secret#1", "HV01");
    final WinRmAuth auth = new WinRmAuth(account, true, true, null, Clock.systemUTC());

    static SimRequest request(int connection, String authorization) {
        return SimRequest.of("POST", "/wsman", authorization == null ? Map.of() : Map.of("Authorization", List.of(authorization)),
                new byte[0], connection, 0, false);
    }

    static String token(String scheme, byte[] m) {
        return scheme + " " + Base64.getEncoder().encodeToString(m);
    }

    private byte[] challenge(int connection, NtlmTestClient client) {
        AuthOutcome o = auth.authenticate(request(connection, token("Negotiate", client.negotiate())));
        assertThat(o).isInstanceOf(AuthOutcome.Refused.class);
        String c = ((AuthOutcome.Refused) o).challenge();
        assertThat(c).startsWith("Negotiate ");
        byte[] m = Base64.getDecoder().decode(c.substring(10));
        assertThat(NtlmMessages.type(m)).isEqualTo(2);
        return m;
    }

    @Test
    void aGoodResponseAuthenticatesTheConnectionAndOnlyIt() throws Exception {
        NtlmTestClient client = new NtlmTestClient();
        byte[] ch = challenge(7, client);
        assertThat(new String(ch, 56, 8, StandardCharsets.UTF_16LE)).as("target name").isEqualTo("HV01");
        AuthOutcome o = auth.authenticate(request(7, token("Negotiate",
                client.authenticate(ch, "administrator", "HV01", "Secret#1", false))));
        assertThat(o).isInstanceOf(AuthOutcome.Granted.class);
        assertThat(((AuthOutcome.Granted) o).session()).isNotNull();
        assertThat(auth.authenticate(request(7, null))).as("later requests on the connection").isInstanceOf(AuthOutcome.Granted.class);
        assertThat(auth.authenticate(request(8, null))).as("another connection").isInstanceOf(AuthOutcome.Refused.class);
    }

    @Test
    void theSessionKeysAgreeWithTheClients() throws Exception {
        NtlmTestClient client = new NtlmTestClient();
        byte[] ch = challenge(1, client);
        AuthOutcome.Granted g = (AuthOutcome.Granted) auth.authenticate(request(1, token("NTLM",
                client.authenticate(ch, "Administrator", ".", "Secret#1", false))));
        NtlmTestClient.Sealer sealer = client.sealer();
        byte[][] sealed = sealer.seal("<s:Envelope/>".getBytes(StandardCharsets.UTF_8));
        assertThat(new String(g.session().unseal(sealed[0], sealed[1]), StandardCharsets.UTF_8)).isEqualTo("<s:Envelope/>");
        byte[] framed = EncryptedMessage.wrap("answer".getBytes(StandardCharsets.UTF_8), g.session());
        String text = new String(framed, StandardCharsets.ISO_8859_1);
        assertThat(text).startsWith("--Encrypted Boundary\r\n\tContent-Type: application/HTTP-SPNEGO-session-encrypted\r\n")
                .contains("Length=6\r\n").endsWith("--Encrypted Boundary--\r\n");
    }

    @Test
    void aWrongPasswordATamperedMicAndAnUnknownUserAreRefused() throws Exception {
        NtlmTestClient a = new NtlmTestClient();
        byte[] ch = challenge(2, a);
        assertThat(auth.authenticate(request(2, token("Negotiate", a.authenticate(ch, "Administrator", "HV01", "wrong", false)))))
                .isInstanceOf(AuthOutcome.Refused.class);
        NtlmTestClient b = new NtlmTestClient();
        ch = challenge(3, b);
        AuthOutcome mic = auth.authenticate(request(3, token("Negotiate", b.authenticate(ch, "Administrator", "HV01", "Secret#1", true))));
        assertThat(((AuthOutcome.Refused) mic).why()).contains("MIC");
        NtlmTestClient c = new NtlmTestClient();
        ch = challenge(4, c);
        assertThat(((AuthOutcome.Refused) auth.authenticate(request(4, token("Negotiate",
                c.authenticate(ch, "Guest", "HV01", "Secret#1", false))))).why()).contains("unknown user");
    }

    @Test
    void anAuthenticateWithoutAChallengeOnItsConnectionIsRefused() throws Exception {
        NtlmTestClient a = new NtlmTestClient();
        byte[] ch = challenge(5, a);
        assertThat(auth.authenticate(request(6, token("Negotiate", a.authenticate(ch, "Administrator", "HV01", "Secret#1", false)))))
                .isInstanceOf(AuthOutcome.Refused.class);
    }

    @Test
    void channelBindingsAreTheTlsServerEndPointOfTheCertificate() {
        byte[] cbt = WinRmAuth.channelBindings(SimulatorCertificate.shared().certificate());
        assertThat(cbt).hasSize(16);
        assertThat(cbt).isNotEqualTo(WinRmAuth.channelBindings(SimulatorCertificate.create().certificate()));
    }

    @Test
    void basicChecksThePasswordAndTheAccountNameForms() {
        for (String user : List.of("Administrator", "administrator", "HV01\\Administrator", ".\\Administrator", "Administrator@HV01")) {
            String h = "Basic " + Base64.getEncoder().encodeToString((user + ":Secret#1").getBytes(StandardCharsets.UTF_8));
            assertThat(auth.authenticate(request(9, h))).as(user).isInstanceOf(AuthOutcome.Granted.class);
        }
        String bad = "Basic " + Base64.getEncoder().encodeToString("Administrator:nope".getBytes(StandardCharsets.UTF_8));
        assertThat(auth.authenticate(request(9, bad))).isInstanceOf(AuthOutcome.Refused.class);
        String otherHost = "Basic " + Base64.getEncoder().encodeToString("HV02\\Administrator:Secret#1".getBytes(StandardCharsets.UTF_8));
        assertThat(auth.authenticate(request(9, otherHost))).isInstanceOf(AuthOutcome.Refused.class);
    }
}
