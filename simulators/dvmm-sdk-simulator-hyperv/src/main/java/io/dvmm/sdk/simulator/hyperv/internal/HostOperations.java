package io.dvmm.sdk.simulator.hyperv.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/** {@code test-connection}, {@code inventory} and {@code copy-file}: the host, its switches, storage, templates and files. */
final class HostOperations extends ScriptSupport {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    HostOperations(HyperVHost host) {
        super(host);
    }

    ScriptRun testConnection(Args a) {
        return ScriptRun.now(() -> {
            HostInfo h = host.info;
            ObjectNode o = F.objectNode();
            o.put("host", h.name());
            o.put("fqdn", h.fqdn());
            o.put("os", h.osCaption());
            o.put("osVersion", h.osVersion());
            o.put("osBuild", h.osBuild());
            o.put("hypervVersion", h.hypervVersion());
            o.put("vmVersionDefault", h.vmVersionDefault());
            o.put("cpus", h.cpus());
            o.put("memBytes", h.memBytes());
            return ScriptReply.ok(o);
        });
    }

    ScriptRun inventory(Args a) {
        String templates = a.optString("templates");
        List<String> roots = a.strings("roots");
        return ScriptRun.now(() -> host.locked(() -> {
            ObjectNode o = F.objectNode();
            o.put("host", host.info.name());
            o.put("vmPath", host.info.vmPath());
            o.put("vhdPath", host.info.vhdPath());
            ArrayNode sw = o.putArray("switches");
            for (HyperVHost.VSwitch s : host.switches) {
                sw.addObject().put("id", s.id()).put("name", s.name()).put("type", s.type());
            }
            ArrayNode ds = o.putArray("datastores");
            Set<String> seen = new HashSet<>();
            List<String> paths = new ArrayList<>(List.of(host.info.vhdPath(), host.info.vmPath()));
            paths.addAll(roots);
            for (String p : paths) {
                if (p == null || p.isEmpty() || !seen.add(p)) {
                    continue;
                }
                HostFiles.Volume v = host.files.isFolder(safeFull(p)) ? host.files.volume(safeFull(p)) : null;
                ObjectNode d = ds.addObject();
                d.put("path", p);
                d.put("volume", v == null ? null : v.uniqueId);
                d.put("fs", v == null ? null : v.fileSystem);
                if (v == null) {
                    d.putNull("capacityBytes");
                    d.putNull("freeBytes");
                } else {
                    d.put("capacityBytes", v.capacity);
                    d.put("freeBytes", v.free());
                }
            }
            ArrayNode t = o.putArray("templates");
            if (templates != null) {
                String folder = WinPath.full(templates);
                if (!host.files.isFolder(folder)) {
                    throw new ScriptError("System.Management.Automation.ItemNotFoundException",
                            "PathNotFound,Microsoft.PowerShell.Commands.GetChildItemCommand",
                            "Cannot find path '" + folder + "' because it does not exist.");
                }
                for (HostFiles.Entry e : host.files.children(folder)) {
                    if (!e.folder && e.vhd != null && e.path.toLowerCase(Locale.ROOT).endsWith(".vhdx")) {
                        ObjectNode j = t.addObject();
                        j.put("kind", "vhdx");
                        j.put("name", WinPath.baseName(e.path));
                        j.put("path", e.path);
                        j.put("sizeBytes", e.vhd.sizeBytes);
                        j.put("type", e.vhd.type);
                        j.put("parent", e.vhd.parent);
                    }
                }
            }
            for (Vm v : host.vms) {
                if (v.notes.contains("[hvsdk-template]")) {
                    ObjectNode j = t.addObject();
                    j.put("kind", "vm");
                    j.put("name", v.name);
                    j.put("id", v.id);
                    j.put("path", v.drives.isEmpty() ? null : v.drives.get(0).path());
                }
            }
            return ScriptReply.ok(o);
        }));
    }

    private static String safeFull(String p) {
        try {
            return WinPath.full(p);
        } catch (ScriptError e) {
            return "?:\\";
        }
    }

    ScriptRun copyFile(Args a) {
        String path = a.string("path");
        String root = a.string("root");
        String chunk = a.optString("chunk");
        boolean gzip = a.flag("gzip");
        long offset = a.optInt64("offset") == null ? 0 : a.optInt64("offset");
        boolean last = a.flag("last");
        if (chunk == null) {
            throw ScriptError.invalidArgument("the argument 'chunk' is required (base64)");
        }
        return host.locked(() -> {
            String f = under(path, root);
            byte[] data = decode(chunk, gzip);
            host.files.createFolders(WinPath.parent(f));
            HostFiles.Entry e = host.files.get(f);
            byte[] current = e == null || e.content == null ? new byte[(int) (e == null ? 0 : e.length)] : e.content;
            boolean write = true;
            if (offset == 0) {
                current = new byte[0];
            } else if (current.length == offset + data.length) {
                write = false;
            } else if (current.length != offset) {
                throw ScriptError.conflict("file has " + current.length + " bytes, chunk starts at " + offset);
            }
            if (write) {
                byte[] next = Arrays.copyOf(current, (int) Math.max(current.length, offset + data.length));
                System.arraycopy(data, 0, next, (int) offset, data.length);
                current = next;
            }
            HostFiles.Entry written = host.files.putFile(f, current.length, current, null, "Open");
            ObjectNode o = F.objectNode();
            o.put("path", written.path);
            o.put("length", current.length);
            o.put("written", write);
            if (last) {
                o.put("sha256", sha256(current));
            } else {
                o.putNull("sha256");
            }
            return ScriptRun.now(() -> ScriptReply.ok(o));
        });
    }

    private static byte[] decode(String chunk, boolean gzip) {
        byte[] d;
        try {
            d = Base64.getDecoder().decode(chunk);
        } catch (IllegalArgumentException e) {
            throw ScriptError.dotNet("FromBase64String", 1, "FormatException", "The input is not a valid Base-64 string.");
        }
        if (!gzip) {
            return d;
        }
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(d))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw ScriptError.dotNet("CopyTo", 1, "InvalidDataException",
                    "The magic number in GZip header is not correct. Make sure you are passing in a GZip stream.");
        }
    }

    /** {@code Get-FileHash}: upper-case hex. */
    static String sha256(byte[] data) {
        try {
            return HexFormat.of().withUpperCase().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
