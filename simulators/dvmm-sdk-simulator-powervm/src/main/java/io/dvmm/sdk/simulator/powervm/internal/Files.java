package io.dvmm.sdk.simulator.powervm.internal;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.w3c.dom.Element;

/**
 * The HMC File API: a {@code File} entry is created first (name, type, expected size, target
 * VIOS and device), then its content is uploaded to {@code /rest/api/web/File/contents/{uuid}}.
 * A {@code BROKERED_MEDIA_ISO} lands in the target VIOS's media repository as virtual optical
 * media named after the file; a {@code BROKERED_DISK_IMAGE} fills the target disk or LU.
 */
public final class Files {

    static final Set<String> TYPES = Set.of("BROKERED_MEDIA_ISO", "BROKERED_DISK_IMAGE");

    /** What an upload delivered. */
    public record Upload(String fileUuid, String name, String type, String viosUuid, String targetUdid, long bytes,
                         String sha256) {
    }

    private final Hmc hmc;
    private final Map<String, Upload> uploads = new LinkedHashMap<>();

    Files(Hmc hmc) {
        this.hmc = hmc;
    }

    public UomObject create(Element body) {
        String name = Xml.text(body, "Filename");
        String type = Xml.text(body, "FileEnumType");
        String vios = Xml.text(body, "TargetVirtualIOServerUUID");
        if (name == null || name.isEmpty()) {
            throw HmcError.badRequest("A File needs Filename.");
        }
        if (type == null || !TYPES.contains(type)) {
            throw HmcError.badRequest("The FileEnumType " + type + " is not valid; use one of " + TYPES + ".");
        }
        if (vios == null || hmc.model.get("VirtualIOServer", vios).isEmpty()) {
            throw HmcError.badRequest("The target Virtual I/O Server " + vios + " does not exist.");
        }
        long expected = Partition.longOf(Xml.text(body, "ExpectedFileSizeInBytes"));
        if (expected <= 0) {
            throw HmcError.badRequest("A File needs a positive ExpectedFileSizeInBytes.");
        }
        if (type.equals("BROKERED_DISK_IMAGE") && Xml.text(body, "TargetDeviceUniqueDeviceID") == null) {
            throw HmcError.badRequest("A disk image needs TargetDeviceUniqueDeviceID.");
        }
        String uuid = UUID.randomUUID().toString();
        Element content = hmc.factory.fromBody(body, uuid);
        ContentEditor ed = hmc.editor;
        ed.set(content, "DateModified", Long.toString(System.currentTimeMillis()));
        if (Xml.child(content, "InternetMediaType").isEmpty()) {
            ed.set(content, "InternetMediaType", "application/octet-stream");
        }
        ed.set(content, "FileUUID", uuid);
        ed.link(content, "AssetLink", HmcModel.WEB + "File/contents/" + uuid);
        ed.set(content, "CurrentFileSizeInBytes", "0");
        UomObject file = new UomObject("File", uuid, content, null);
        hmc.model.add(file);
        return file;
    }

    /** Stores the content of a File; its size and SHA-256 (when the File names one) must match. */
    public void upload(UomObject file, byte[] bytes) {
        if (!"0".equals(file.text("CurrentFileSizeInBytes"))) {
            throw HmcError.conflict("The content of file " + file.uuid() + " was already uploaded.");
        }
        long expected = Partition.longOf(file.text("ExpectedFileSizeInBytes"));
        if (bytes.length != expected) {
            throw HmcError.badRequest("The upload has " + bytes.length + " bytes; the file expects " + expected + ".");
        }
        String sha = sha256(bytes);
        String wanted = file.text("SHA256");
        if (wanted != null && !wanted.isEmpty() && !wanted.equalsIgnoreCase(sha)) {
            throw HmcError.badRequest("The SHA-256 of the upload (" + sha + ") does not match the file's (" + wanted + ").");
        }
        String type = file.text("FileEnumType");
        String viosUuid = file.text("TargetVirtualIOServerUUID");
        UomObject vios = hmc.model.get("VirtualIOServer", viosUuid).orElseThrow(() -> HmcError.badRequest(
                "The target Virtual I/O Server " + viosUuid + " no longer exists."));
        if (type.equals("BROKERED_MEDIA_ISO")) {
            hmc.volumeGroups.addUploadedMedium(vios, file.text("Filename"), bytes.length);
        }
        hmc.editor.set(file.content(), "CurrentFileSizeInBytes", Long.toString(bytes.length));
        hmc.editor.set(file.content(), "DateModified", Long.toString(System.currentTimeMillis()));
        file.touch();
        uploads.put(file.uuid(), new Upload(file.uuid(), file.text("Filename"), type, vios.uuid(),
                file.text("TargetDeviceUniqueDeviceID"), bytes.length, sha));
    }

    public void delete(UomObject file) {
        hmc.model.remove(file.uuid());
    }

    public Map<String, Upload> uploads() {
        return uploads;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
