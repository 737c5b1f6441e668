package io.dvmm.sdk.simulator.powervm.internal;

import io.dvmm.sdk.simulator.SimResponse;
import java.util.Map;
import org.w3c.dom.Element;

/** {@code /rest/api/web/File}: create ({@code PUT}), read, delete, and the content upload. */
final class FileRoutes {

    private static final String FILE = "/rest/api/web/File";

    private final Hmc hmc;
    private final Reads reads;
    private final BodyReader bodies;

    FileRoutes(Hmc hmc, Reads reads, BodyReader bodies) {
        this.hmc = hmc;
        this.reads = reads;
        this.bodies = bodies;
    }

    void register(Router r) {
        r.get(FILE, (q, p) -> reads.feed(q, "File", hmc.model.all("File")));
        r.put(FILE, this::create);
        r.put(FILE + "/contents/{file}", this::upload);
        r.get(FILE + "/{file}", (q, p) -> reads.entry(q, reads.find("File", p.get("file"))));
        r.delete(FILE + "/{file}", (q, p) -> {
            hmc.files.delete(reads.find("File", p.get("file")));
            return reads.responses().status(204);
        });
    }

    private SimResponse create(HmcRequest req, Map<String, String> p) {
        Element body = bodies.read(req, Ns.WEB, "File");
        UomObject file = hmc.files.create(body);
        return reads.responses().atom(200, hmc.atom.entry(file, FILE + "/" + file.uuid(), Groups.ALL))
                .withHeader("ETag", file.etag());
    }

    private SimResponse upload(HmcRequest req, Map<String, String> p) {
        UomObject file = reads.find("File", p.get("file"));
        String type = req.header("Content-Type");
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/octet-stream")) {
            hmc.violations.add("media type: PUT " + req.path() + " sent Content-Type '" + type
                    + "' where the HMC expects 'application/octet-stream'");
            throw new HmcError(415, "Unsupported Media Type", "File content must be sent as application/octet-stream.");
        }
        hmc.files.upload(file, req.body());
        return reads.responses().status(204);
    }
}
