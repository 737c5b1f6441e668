package io.dvmm.sdk.simulator.hyperv;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every request is checked against reference §7; a breach is a violation, answered with the fault Windows sends. */
class WsManRulesTest {

    static HyperVSimulator sim;
    static ScriptCatalog catalog;
    WsManTestClient c;

    @BeforeAll
    static void start() {
        catalog = ScriptCatalog.provider();
        sim = HyperVSimulator.builder().scripts(catalog).build().start();
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @BeforeEach
    void client() {
        c = new WsManTestClient(sim);
        sim.violations().clear();
    }

    private WsManTestClient.Exchange createWith(String envelope) {
        return c.post(envelope);
    }

    private String createBody() {
        return "<rsp:Shell><rsp:InputStreams>stdin</rsp:InputStreams><rsp:OutputStreams>stdout stderr</rsp:OutputStreams></rsp:Shell>";
    }

    private String create() {
        return c.envelope(WsManTestClient.TRANSFER + "/Create", null, null, createBody());
    }

    private void assertFault(WsManTestClient.Exchange e, String code, String violation) {
        assertThat(e.status()).isEqualTo(500);
        assertThat(e.wsmanFaultCode()).isEqualTo(code);
        assertThat(sim.violations().list()).anyMatch(v -> v.contains(violation));
    }

    @Test
    void relatesToEchoesTheMessageIdAndTheShellIdIsInTheResourceCreated() {
        String id = "urn:uuid:" + UUID.randomUUID();
        WsManTestClient.Exchange e = c.post(c.envelope(WsManTestClient.TRANSFER + "/Create", null, null, createBody(), id));
        assertThat(e.status()).isEqualTo(200);
        assertThat(e.text("http://schemas.xmlsoap.org/ws/2004/08/addressing", "RelatesTo")).isEqualTo(id);
        assertThat(e.text("http://schemas.xmlsoap.org/ws/2004/08/addressing", "Action"))
                .isEqualTo("http://schemas.xmlsoap.org/ws/2004/09/transfer/CreateResponse");
        assertThat(e.body()).contains("<x:ResourceCreated><a:Address>").contains("<w:Selector Name=\"ShellId\">");
        assertThat(e.headers().get("content-type")).containsExactly("application/soap+xml;charset=UTF-8");
        sim.violations().assertNone();
    }

    @Test
    void aMissingOrMalformedMessageIdIsRefused() {
        assertFault(createWith(create().replaceFirst("<a:MessageID>[^<]*</a:MessageID>", "")), "2150858769", "no a:MessageID");
        assertFault(createWith(create().replaceFirst("<a:MessageID>[^<]*</a:MessageID>", "<a:MessageID>42</a:MessageID>")),
                "2150858767", "a:MessageID is not");
    }

    @Test
    void anUnknownActionAndAnotherResourceUriAreRefused() {
        assertFault(createWith(create().replace("/transfer/Create<", "/transfer/Get<")), "2150858753", "a:Action not of the cmd shell");
        assertFault(createWith(create().replace("windows/shell/cmd<", "windows/shell/powershell<")), "2150858770", "w:ResourceURI");
    }

    @Test
    void aMissingToOrReplyToIsRefused() {
        assertFault(createWith(create().replaceFirst("<a:To>[^<]*</a:To>", "")), "2150858769", "no a:To");
        assertFault(createWith(create().replaceFirst("<a:ReplyTo>.*</a:ReplyTo>", "")), "2150858769", "no a:ReplyTo");
    }

    @Test
    void missingOptionalHeadersAreViolationsButAnswered() {
        WsManTestClient.Exchange e = createWith(create().replaceFirst("<w:OperationTimeout>[^<]*</w:OperationTimeout>", "")
                .replaceFirst("<w:Locale[^>]*/>", "").replaceFirst("<w:MaxEnvelopeSize[^>]*>[^<]*</w:MaxEnvelopeSize>", ""));
        assertThat(e.status()).isEqualTo(200);
        assertThat(sim.violations().list()).anyMatch(v -> v.contains("no w:OperationTimeout"))
                .anyMatch(v -> v.contains("no w:Locale")).anyMatch(v -> v.contains("no w:MaxEnvelopeSize"));
    }

    @Test
    void aBadOperationTimeoutOrMaxEnvelopeSizeIsRefused() {
        assertFault(createWith(create().replace("<w:OperationTimeout>PT20S", "<w:OperationTimeout>soon")), "2150858881",
                "w:OperationTimeout soon");
        assertFault(createWith(create().replace(">153600<", ">1024<")), "2150858823", "w:MaxEnvelopeSize 1024");
    }

    @Test
    void aCommandWithoutShellIdAndAnUnknownShellAreRefused() {
        String cmd = c.envelope(WsManTestClient.SHELL + "/Command", null, null,
                "<rsp:CommandLine><rsp:Command>powershell</rsp:Command></rsp:CommandLine>");
        assertFault(c.post(cmd), "2150858842", "no w:SelectorSet");
        WsManTestClient.Exchange e = c.commandExchange("7C6B1B6D-0000-4000-8000-000000000000", "powershell");
        assertThat(e.status()).isEqualTo(500);
        assertThat(e.wsmanFaultCode()).isEqualTo("2150858843");
        assertThat(e.body()).contains("w:InvalidSelectors");
    }

    @Test
    void bodiesAreCheckedPerAction() {
        assertFault(c.post(c.envelope(WsManTestClient.TRANSFER + "/Create", null, null, "")), "2150858791", "no rsp:Shell body");
        String shell = c.createShell(Map.of());
        assertFault(c.post(c.envelope(WsManTestClient.SHELL + "/Receive", shell, null,
                "<rsp:Receive><rsp:DesiredStream>stdout</rsp:DesiredStream></rsp:Receive>")), "2150858791", "without CommandId");
        assertFault(c.post(c.envelope(WsManTestClient.SHELL + "/Signal", shell, null,
                "<rsp:Signal CommandId=\"X\"><rsp:Code>stop</rsp:Code></rsp:Signal>")), "2150858791", "rsp:Code stop");
        assertFault(c.post(c.envelope(WsManTestClient.TRANSFER + "/Create", null,
                "<w:Option Name=\"WINRS_CODEPAGE\">utf8</w:Option>", createBody())), "2150858809", "WINRS_CODEPAGE");
        c.delete(shell);
    }

    @Test
    void soap11AndDoctypesAreRefusedAndEntitiesNeverExpanded() {
        WsManTestClient.Exchange v11 = c.post("<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body/></s:Envelope>");
        assertThat(v11.status()).isEqualTo(500);
        assertThat(v11.body()).contains("s:VersionMismatch");
        WsManTestClient.Exchange dtd = c.post("<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
                + create().replace("stdin", "&e;"));
        assertThat(dtd.status()).isEqualTo(500);
        assertThat(dtd.body()).contains("2150858819").doesNotContain("root:");
    }

    @Test
    void contentTypeActionMustMatchTheHeader() {
        WsManTestClient.Exchange e = c.post(create(), "application/soap+xml;action=\"http://schemas.xmlsoap.org/ws/2004/09/transfer/Delete\";charset=UTF-8",
                "Basic " + java.util.Base64.getEncoder().encodeToString((sim.username() + ":" + sim.password()).getBytes()));
        assertThat(e.status()).isEqualTo(200);
        assertThat(sim.violations().list()).anyMatch(v -> v.contains("the Content-Type action"));
    }

    @Test
    void aCommandLineOverCmdsLimitIsTheFilenameTooLongFault() {
        String shell = c.createShell(Map.of());
        WsManTestClient.Exchange e = c.commandExchange(shell, "powershell " + "x".repeat(8200));
        assertThat(e.status()).isEqualTo(500);
        assertThat(e.wsmanFaultCode()).isEqualTo("2147942606");
        assertThat(e.body()).contains("The filename or extension is too long.");
        c.delete(shell);
    }
}
