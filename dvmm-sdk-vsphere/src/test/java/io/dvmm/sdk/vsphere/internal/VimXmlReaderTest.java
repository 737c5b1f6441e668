package io.dvmm.sdk.vsphere.internal;

import com.vmware.vim25.ManagedObjectReference;
import com.vmware.vim25.ObjectContent;
import com.vmware.vim25.VirtualMachinePowerState;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.xml.stream.XMLStreamException;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The response parser: tolerant of newer servers, hostile to DTDs. */
class VimXmlReaderTest {

    private static final String ENVELOPE = "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" "
            + "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\"><soapenv:Body>";
    private static final String END = "</soapenv:Body></soapenv:Envelope>";

    private static VimXmlReader.Response read(String xml, String type) throws XMLStreamException {
        return VimXmlReader.readResponse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)), type);
    }

    @Test
    void unknownElementsAndEnumValuesFromNewerServersAreSkipped() throws Exception {
        String xml = ENVELOPE + "<RetrievePropertiesResponse xmlns=\"urn:vim25\"><returnval>"
                + "<obj xsi:type=\"ManagedObjectReference\" type=\"VirtualMachine\">vm-7</obj>"
                + "<someFieldFromVsphere9><nested>x</nested></someFieldFromVsphere9>"
                + "<propSet><name>runtime.powerState</name><val xsi:type=\"VirtualMachinePowerState\">poweredOn</val></propSet>"
                + "<propSet><name>guest.toolsStatus2</name><val xsi:type=\"BrandNewType\"><a>1</a></val></propSet>"
                + "<propSet><name>config.hotPlug</name><val xsi:type=\"VirtualMachinePowerState\">hibernating</val></propSet>"
                + "</returnval></RetrievePropertiesResponse>" + END;
        ObjectContent[] out = (ObjectContent[]) read(xml, "ObjectContent[]").value();
        assertThat(out).hasSize(1);
        ManagedObjectReference ref = out[0].getObj();
        assertThat(ref.getType()).as("the unqualified type, not xsi:type").isEqualTo("VirtualMachine");
        assertThat(ref.getVal()).isEqualTo("vm-7");
        assertThat(out[0].getPropSet()).hasSize(3);
        assertThat(out[0].getPropSet()[0].getVal()).isEqualTo(VirtualMachinePowerState.poweredOn);
        assertThat(out[0].getPropSet()[1].getVal()).as("unknown type").isNull();
        assertThat(out[0].getPropSet()[2].getVal()).as("unknown enum value").isNull();
    }

    @Test
    void faultsCarryTheirTypeAndMessage() throws Exception {
        String xml = ENVELOPE + "<soapenv:Fault><faultcode>ServerFaultCode</faultcode><faultstring>Login failure</faultstring>"
                + "<detail><InvalidLoginFault xmlns=\"urn:vim25\" xsi:type=\"InvalidLogin\"><newField/></InvalidLoginFault></detail>"
                + "</soapenv:Fault>" + END;
        VimXmlReader.SoapFault f = read(xml, "UserSession").fault();
        assertThat(f.typeName()).isEqualTo("InvalidLogin");
        assertThat(f.message()).isEqualTo("Login failure");
        assertThat(f.detail()).isInstanceOf(com.vmware.vim25.InvalidLogin.class);
    }

    @Test
    void aDoctypeIsRefusedAndNoEntityIsResolved(@TempDir Path dir) throws Exception {
        Path secret = dir.resolve("secret.txt");
        Files.writeString(secret, "TOP-SECRET-CONTENT");
        String xml = "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"" + secret.toUri() + "\">]>"
                + ENVELOPE + "<CurrentTimeResponse xmlns=\"urn:vim25\"><returnval>&x;</returnval></CurrentTimeResponse>" + END;
        assertThatThrownBy(() -> read(xml, "String"))
                .isInstanceOf(XMLStreamException.class)
                .hasMessageContaining("DOCTYPE")
                .hasMessageNotContaining("TOP-SECRET");
    }

    @Test
    void aHostileServerResponseWithADoctypeFailsTheCallAsAProtocolError(@TempDir Path dir) throws Exception {
        Path secret = dir.resolve("secret.txt");
        Files.writeString(secret, "TOP-SECRET-CONTENT");
        String hostile = "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"" + secret.toUri() + "\">]>"
                + ENVELOPE + "<RetrieveServiceContentResponse xmlns=\"urn:vim25\"><returnval><about><name>&x;</name></about>"
                + "</returnval></RetrieveServiceContentResponse>" + END;
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/sdk", exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] body = hostile.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/xml");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        try {
            URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/sdk");
            io.dvmm.sdk.HypervisorConfig config = io.dvmm.sdk.HypervisorConfig.builder("vsphere://127.0.0.1/sdk")
                    .readTimeout(Duration.ofSeconds(5)).build();
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
            VimClient client = new VimClient(uri, io.dvmm.sdk.spi.support.TlsSupport.create(io.dvmm.sdk.TlsOptions.systemTrust(),
                    "vsphere", uri), config, pool);
            try {
                assertThatThrownBy(() -> client.send(new VimClient.Call("RetrieveServiceContent", VimSession.SERVICE_INSTANCE,
                        java.util.List.of(), "ServiceContent", true, false), Duration.ofSeconds(5), "test").join())
                        .cause().isInstanceOf(io.dvmm.sdk.ProtocolException.class)
                        .hasMessageContaining("DOCTYPE")
                        .hasMessageNotContaining("TOP-SECRET");
            } finally {
                client.close();
                pool.shutdownNow();
            }
        } finally {
            server.stop(0);
        }
    }
}
