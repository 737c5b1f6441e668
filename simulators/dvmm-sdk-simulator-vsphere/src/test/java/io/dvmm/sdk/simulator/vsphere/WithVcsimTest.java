package io.dvmm.sdk.simulator.vsphere;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HexFormat;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;

/** A user's test: one annotation starts vcsim; the fixture arrives as a parameter. */
@WithVcsim(vmsPerPool = 1, hostsPerCluster = 1)
class WithVcsimTest {

    private static final String RETRIEVE_SERVICE_CONTENT = """
            <?xml version="1.0" encoding="UTF-8"?>
            <soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:vim25="urn:vim25">
              <soapenv:Body>
                <vim25:RetrieveServiceContent><vim25:_this type="ServiceInstance">ServiceInstance</vim25:_this></vim25:RetrieveServiceContent>
              </soapenv:Body>
            </soapenv:Envelope>""";

    @Test
    void servesTheVim25ApiOnLoopbackWithThePublishedCertificate(Vcsim vc) throws Exception {
        assertThat(vc.sdkUrl().toString()).startsWith("https://127.0.0.1:").endsWith("/sdk");
        assertThat(vc.vsphereUri()).isEqualTo(URI.create("vsphere://127.0.0.1:" + vc.sdkUrl().getPort() + "/sdk"));
        assertThat(vc.sha256()).hasSize(64).matches("[0-9a-f]+");
        assertThat(vc.templateName()).isEqualTo(Vcsim.TEMPLATE);

        X509Certificate[] seen = new X509Certificate[1];
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
                seen[0] = chain[0]; // recorded, then compared with the published pin below
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        HttpClient http = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> rsp = http.send(HttpRequest.newBuilder(vc.sdkUrl()).header("Content-Type", "text/xml; charset=utf-8")
                .header("SOAPAction", "urn:vim25/8.0").POST(HttpRequest.BodyPublishers.ofString(RETRIEVE_SERVICE_CONTENT)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(rsp.statusCode()).isEqualTo(200);
        assertThat(rsp.body()).contains("VirtualCenter").contains("rootFolder");
        assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(seen[0].getEncoded()))).isEqualTo(vc.sha256());
    }

    @Test
    void theSameSimulatorServesTheWholeClass(Vcsim vc) {
        assertThat(vc.running()).isTrue();
        assertThat(vc.model().launcherArgs()).containsSequence("-host", "1").containsSequence("-vm", "1");
    }

    @Test
    void anEsxModelHasNoTemplate() {
        try (Vcsim esx = Vcsim.esx(1)) {
            assertThat(esx.templateName()).isEmpty();
            assertThat(esx.model().launcherArgs()).contains("-esx");
            assertThat(esx.running()).isTrue();
        }
    }

    @Test
    void theAnnotationMapsOntoTheModel() {
        VcsimModel m = VcsimExtension.model(java.util.Optional.of(WithVcsimTest.class.getAnnotation(WithVcsim.class)));
        assertThat(m.launcherArgs()).containsSequence("-cluster", "1").containsSequence("-template", Vcsim.TEMPLATE)
                .containsSequence("-page-cap", "100").containsSequence("-dhcp", "300ms");
    }
}
