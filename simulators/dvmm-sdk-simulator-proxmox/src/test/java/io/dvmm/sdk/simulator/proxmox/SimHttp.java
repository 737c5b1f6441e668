package io.dvmm.sdk.simulator.proxmox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.util.HexFormat;
import java.util.Map;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** A tiny blocking client for the simulator tests; HttpURLConnection exposes the reason phrase. */
final class SimHttp {

    record Reply(int status, String reason, JsonNode body, String serverCertSha256) {
        JsonNode data() {
            return body.get("data");
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final ProxmoxSimulator sim;
    private final SSLContext tls;

    SimHttp(ProxmoxSimulator sim) {
        this.sim = sim;
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(sim.trustStore());
            tls = SSLContext.getInstance("TLS");
            tls.init(null, tmf.getTrustManagers(), null);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    String tokenHeader() {
        return "PVEAPIToken=" + sim.apiTokenId() + "=" + sim.apiTokenSecret();
    }

    Reply call(String method, String path, String form, Map<String, String> headers) throws IOException {
        URL url = new URL(sim.baseUrl() + "/api2/json" + path);
        HttpURLConnection c = (HttpURLConnection) url.openConnection();
        if (c instanceof HttpsURLConnection https) {
            https.setSSLSocketFactory(tls.getSocketFactory());
        }
        c.setRequestMethod(method);
        headers.forEach(c::setRequestProperty);
        if (form != null) {
            c.setDoOutput(true);
            c.setRequestProperty("Content-Type", "application/x-www-form-urlencoded");
            try (OutputStream out = c.getOutputStream()) {
                out.write(form.getBytes(StandardCharsets.UTF_8));
            }
        }
        int status = c.getResponseCode();
        String reason = c.getResponseMessage();
        String pin = null;
        if (c instanceof HttpsURLConnection https) {
            try {
                Certificate cert = https.getServerCertificates()[0];
                pin = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
        InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
        byte[] bytes = in == null ? new byte[0] : in.readAllBytes();
        JsonNode body = bytes.length == 0 ? JSON.nullNode() : JSON.readTree(bytes);
        return new Reply(status, reason, body, pin);
    }

    Reply get(String path) throws IOException {
        return call("GET", path, null, Map.of("Authorization", tokenHeader()));
    }

    Reply post(String path, String form) throws IOException {
        return call("POST", path, form, Map.of("Authorization", tokenHeader()));
    }

    Reply put(String path, String form) throws IOException {
        return call("PUT", path, form, Map.of("Authorization", tokenHeader()));
    }

    Reply delete(String path) throws IOException {
        return call("DELETE", path, null, Map.of("Authorization", tokenHeader()));
    }

    /** Polls a task until it stops; the simulator's tasks are short. */
    JsonNode waitTask(String upid) throws IOException, InterruptedException {
        String node = upid.split(":")[1];
        for (int i = 0; i < 200; i++) {
            Reply r = get("/nodes/" + node + "/tasks/" + upid + "/status");
            if ("stopped".equals(r.data().path("status").asText())) {
                return r.data();
            }
            Thread.sleep(20);
        }
        throw new AssertionError("task did not stop: " + upid);
    }
}
