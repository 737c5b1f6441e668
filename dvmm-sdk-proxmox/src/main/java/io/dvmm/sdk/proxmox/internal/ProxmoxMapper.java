package io.dvmm.sdk.proxmox.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.dvmm.sdk.DiskInfo;
import io.dvmm.sdk.ErrorContext;
import io.dvmm.sdk.NicInfo;
import io.dvmm.sdk.PowerState;
import io.dvmm.sdk.ProtocolException;
import io.dvmm.sdk.Snapshot;
import io.dvmm.sdk.VmId;
import io.dvmm.sdk.VmInfo;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Between PVE wire values and SDK values. Lenient the way PVE needs: numbers may come as
 * strings, booleans as 0/1 (number or string), keys may be missing, unknown keys are ignored.
 */
final class ProxmoxMapper {

    // PVE numbers NICs and their ipconfig from 0 to 31; a longer index is no NIC of PVE (and no int).
    private static final Pattern NET_KEY = Pattern.compile("net(\\d{1,4})");
    private static final Pattern DISK_KEY = Pattern.compile("(scsi|virtio|sata|ide)(\\d+)");
    private static final Pattern MAC = Pattern.compile("(?i)[0-9a-f]{2}(:[0-9a-f]{2}){5}");
    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)([KMGT]?)");
    private static final String META_SEPARATOR = "+";
    private static final Pattern IPCONFIG_KEY = Pattern.compile("ipconfig(\\d{1,4})");
    /** A static address of {@code ipconfigN}: {@code ip=10.0.0.5/24} or {@code ip6=2001:db8::5/64}. */
    private static final Pattern STATIC_ADDRESS = Pattern.compile("(?:^|,)ip6?=([0-9A-Fa-f.:]+)/\\d+");
    private static final long MIB = 1024L * 1024L;

    private ProxmoxMapper() {
    }

    // ---- lenient scalars -------------------------------------------------------------------------

    static long asLong(JsonNode n, long dflt) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return dflt;
        }
        if (n.isNumber()) {
            return n.canConvertToLong() ? n.longValue() : dflt; // a number past long would wrap
        }
        if (n.isBoolean()) {
            return n.booleanValue() ? 1 : 0;
        }
        String s = n.asText().trim();
        try {
            return s.contains(".") ? (long) Double.parseDouble(s) : Long.parseLong(s);
        } catch (NumberFormatException e) {
            return dflt;
        }
    }

    static int asInt(JsonNode n, int dflt) {
        return (int) asLong(n, dflt);
    }

    static boolean asBool(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return false;
        }
        if (n.isBoolean()) {
            return n.booleanValue();
        }
        if (n.isNumber()) {
            return n.intValue() != 0;
        }
        String s = n.asText().trim().toLowerCase(Locale.ROOT);
        return s.equals("1") || s.equals("true") || s.equals("yes") || s.equals("on");
    }

    static String asText(JsonNode n, String dflt) {
        return n == null || n.isNull() || n.isMissingNode() ? dflt : n.asText();
    }

    /**
     * The node named in a UPID ({@code UPID:node:pid:pstart:starttime:type:id:user:}); a task id
     * the server answered that is no UPID is a {@link ProtocolException}.
     */
    static String upidNode(String upid, ErrorContext ctx) {
        String[] parts = upid == null ? new String[0] : upid.split(":");
        if (parts.length < 3 || !"UPID".equals(parts[0]) || parts[1].isEmpty()) {
            throw new ProtocolException("the server answered a task id that is no UPID: " + upid, ctx);
        }
        return parts[1];
    }

    static boolean isUpid(JsonNode data) {
        return data != null && data.isTextual() && data.asText().startsWith("UPID:");
    }

    // ---- guests ----------------------------------------------------------------------------------

    static PowerState powerState(String status, String qmpstatus, String lock) {
        if ("running".equals(status)) {
            return "paused".equals(qmpstatus) || "suspended".equals(qmpstatus) ? PowerState.SUSPENDED : PowerState.POWERED_ON;
        }
        if ("paused".equals(status) || "suspended".equals(lock)) {
            return PowerState.SUSPENDED;
        }
        if ("stopped".equals(status)) {
            return PowerState.POWERED_OFF;
        }
        return PowerState.UNKNOWN;
    }

    /** One entry of {@code /cluster/resources?type=vm}. */
    static VmInfo fromResource(JsonNode r) {
        int vmid = asInt(r.get("vmid"), -1);
        String status = asText(r.get("status"), "unknown");
        return VmInfo.builder()
                .id(VmId.of(Integer.toString(vmid)))
                .name(asText(r.get("name"), "VM " + vmid))
                .powerState(powerState(status, null, asText(r.get("lock"), null)))
                .rawState(status)
                .cpuCount(asInt(r.get("maxcpu"), 0))
                .memoryMiB(asLong(r.get("maxmem"), 0) / MIB)
                .host(asText(r.get("node"), ""))
                .metadata(metadataFromTags(asText(r.get("tags"), "")))
                .build();
    }

    static boolean isTemplate(JsonNode r) {
        return asBool(r.get("template"));
    }

    /** From {@code status/current}, {@code config} and, when there is one, the guest agent's interfaces. */
    static VmInfo fromDetails(int vmid, String node, JsonNode status, JsonNode config, JsonNode agent) {
        String raw = asText(status.get("status"), "unknown");
        int cores = asInt(config.get("cores"), 1);
        int sockets = asInt(config.get("sockets"), 1);
        long memory = memoryMiB(asText(config.get("memory"), null), asLong(status.get("maxmem"), 0) / MIB);
        List<NicInfo> nics = new ArrayList<>();
        List<DiskInfo> disks = new ArrayList<>();
        Map<Integer, List<String>> staticIps = new TreeMap<>();
        for (Map.Entry<String, JsonNode> e : config.properties()) {
            Matcher ip = IPCONFIG_KEY.matcher(e.getKey());
            if (ip.matches()) {
                Matcher addr = STATIC_ADDRESS.matcher(e.getValue().asText());
                List<String> found = new ArrayList<>();
                while (addr.find()) {
                    found.add(addr.group(1));
                }
                found.sort(java.util.Comparator.comparing((String x) -> x.contains(":")));
                staticIps.put(Integer.parseInt(ip.group(1)), found);
            }
        }
        for (Map.Entry<String, JsonNode> e : config.properties()) {
            Matcher net = NET_KEY.matcher(e.getKey());
            if (net.matches()) {
                Map<String, String> p = parseNet(e.getValue().asText());
                String mac = p.getOrDefault("macaddr", "");
                List<String> ips = new ArrayList<>(agentIps(agent, mac));
                List<String> fixed = staticIps.getOrDefault(Integer.parseInt(net.group(1)), List.of());
                if (ips.isEmpty() && "running".equals(raw)) {
                    ips.addAll(fixed);
                }
                nics.add(new NicInfo(e.getKey(), p.getOrDefault("bridge", ""), mac.toLowerCase(Locale.ROOT), ips));
            } else if (DISK_KEY.matcher(e.getKey()).matches()) {
                DiskInfo d = parseDisk(e.getKey(), e.getValue().asText());
                if (d != null) {
                    disks.add(d);
                }
            }
        }
        nics.sort(java.util.Comparator.comparingInt(n -> Integer.parseInt(n.name().substring(3))));
        return VmInfo.builder()
                .id(VmId.of(Integer.toString(vmid)))
                .name(asText(config.get("name"), asText(status.get("name"), "VM " + vmid)))
                .powerState(powerState(raw, asText(status.get("qmpstatus"), null), asText(status.get("lock"), null)))
                .rawState(raw)
                .cpuCount(cores * sockets)
                .memoryMiB(memory)
                .host(node)
                .nics(nics)
                .disks(disks)
                .metadata(metadataFromTags(asText(config.get("tags"), "")))
                .build();
    }

    /** {@code memory} is a property string since PVE 8.1 ({@code [current=]<MiB>}). */
    static long memoryMiB(String memory, long dflt) {
        if (memory == null || memory.isBlank()) {
            return dflt;
        }
        for (String part : memory.split(",")) {
            String v = part.startsWith("current=") ? part.substring(8) : part;
            if (!v.contains("=")) {
                try {
                    return Long.parseLong(v.trim());
                } catch (NumberFormatException e) {
                    return dflt;
                }
            }
        }
        return dflt;
    }

    /** {@code virtio=BC:24:11:..,bridge=vmbr0,firewall=1} into model, macaddr, bridge, .... */
    static Map<String, String> parseNet(String value) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String part : value.split(",")) {
            int eq = part.indexOf('=');
            String k = eq < 0 ? part : part.substring(0, eq);
            String v = eq < 0 ? "" : part.substring(eq + 1);
            if (MAC.matcher(v).matches() && !k.equals("macaddr")) {
                out.put("model", k);
                out.put("macaddr", v);
            } else if (eq < 0) {
                out.put("model", k);
            } else {
                out.put(k, v);
            }
        }
        return out;
    }

    /** A disk line such as {@code local-lvm:vm-101-disk-0,size=32G}; null for CD-ROMs and cloud-init drives. */
    static DiskInfo parseDisk(String key, String value) {
        if (value.contains("media=cdrom") || value.contains("cloudinit") || value.equals("none")) {
            return null;
        }
        String[] parts = value.split(",");
        String volume = parts.length == 0 ? "" : parts[0]; // "," alone splits into nothing
        String storage = volume.contains(":") ? volume.substring(0, volume.indexOf(':')) : "";
        long gib = 0;
        for (String part : parts) {
            if (part.startsWith("size=")) {
                gib = sizeGiB(part.substring(5));
            }
        }
        return new DiskInfo(key, gib, storage);
    }

    static long sizeGiB(String size) {
        Matcher m = SIZE.matcher(size.trim());
        if (!m.matches()) {
            return 0;
        }
        double v = Double.parseDouble(m.group(1));
        double gib = switch (m.group(2)) {
            case "T" -> v * 1024;
            case "G" -> v;
            case "M" -> v / 1024;
            case "K" -> v / (1024 * 1024);
            default -> v / (1024.0 * 1024 * 1024);
        };
        return (long) Math.ceil(gib);
    }

    /**
     * IPs from {@code agent/network-get-interfaces}: the interface with the NIC's MAC, skipping
     * loopback and link-local addresses; with no MAC, every interface but {@code lo} and docker bridges.
     */
    static List<String> agentIps(JsonNode agent, String mac) {
        List<String> out = new ArrayList<>();
        if (agent == null) {
            return out;
        }
        JsonNode result = agent.has("result") ? agent.get("result") : agent;
        for (JsonNode nic : result) {
            String name = asText(nic.get("name"), "");
            String hw = asText(nic.get("hardware-address"), "");
            boolean match = mac == null || mac.isEmpty()
                    ? !(name.equals("lo") || name.startsWith("docker") || name.startsWith("br-") || name.startsWith("veth"))
                    : hw.equalsIgnoreCase(mac);
            if (!match) {
                continue;
            }
            for (JsonNode ip : nic.path("ip-addresses")) {
                String a = asText(ip.get("ip-address"), "");
                if (io.dvmm.sdk.spi.support.Addresses.isUsable(a) && !out.contains(a)) {
                    out.add(a);
                }
            }
        }
        out.sort(java.util.Comparator.comparing((String a) -> a.contains(":")));
        return out;
    }

    static Snapshot fromSnapshot(JsonNode s) {
        long time = asLong(s.get("snaptime"), 0);
        return new Snapshot(asText(s.get("name"), ""), asText(s.get("description"), "").strip(),
                time > 0 && time <= Instant.MAX.getEpochSecond() ? Instant.ofEpochSecond(time) : null, asBool(s.get("vmstate")), asText(s.get("parent"), null));
    }

    // ---- metadata as tags --------------------------------------------------------------------------

    /**
     * Metadata lives in PVE tags, so that one {@code /cluster/resources} call returns it, written
     * so that the web UI and {@code qm} show it readably: {@code key+value}. A tag allows only
     * {@code [a-zA-Z0-9_+.-]} (and no {@code +}, {@code .} or {@code -} first), so letters,
     * digits, {@code .} and {@code -} stay as they are and every other byte, {@code _} and
     * {@code +} included, is written {@code _hh}. A key with an empty value is a plain native tag
     * ({@code prod}); native tags set by people or other tools are read as keys with an empty value.
     */
    static String tagsFromMetadata(Map<String, String> metadata) {
        List<String> tags = new ArrayList<>();
        metadata.forEach((k, v) -> tags.add(v.isEmpty() ? encodeTagPart(k, true)
                : encodeTagPart(k, true) + META_SEPARATOR + encodeTagPart(v, false)));
        return String.join(";", tags);
    }

    static Map<String, String> metadataFromTags(String tags) {
        Map<String, String> out = new LinkedHashMap<>();
        if (tags == null || tags.isBlank()) {
            return out;
        }
        for (String tag : tags.split("[;, ]+")) {
            if (tag.isEmpty()) {
                continue;
            }
            int sep = tag.indexOf(META_SEPARATOR);
            String k = decodeTagPart(sep > 0 ? tag.substring(0, sep) : tag);
            String v = sep > 0 ? decodeTagPart(tag.substring(sep + 1)) : "";
            out.put(k == null ? tag : k, v == null ? tag.substring(sep + 1) : v);
        }
        return out;
    }

    private static String encodeTagPart(String s, boolean first) {
        StringBuilder b = new StringBuilder();
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            int c = bytes[i] & 0xff;
            boolean letterOrDigit = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            boolean plain = letterOrDigit || ((c == '.' || c == '-') && !(first && i == 0));
            if (plain) {
                b.append((char) c);
            } else {
                b.append('_').append(HexFormat.of().toHexDigits((byte) c));
            }
        }
        return b.toString();
    }

    /** @return the decoded part, or {@code null} when it is not in the SDK's encoding */
    private static String decodeTagPart(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '_') {
                if (i + 2 >= s.length()) {
                    return null;
                }
                try {
                    out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                } catch (NumberFormatException e) {
                    return null;
                }
                i += 2;
            } else {
                out.write(c);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    // ---- cloud-init ------------------------------------------------------------------------------

    /**
     * {@code sshkeys} must be percent-encoded inside the value (space as {@code %20}, newline as
     * {@code %0A}); the form encoding then encodes it again. PVE validates {@code format: urlencoded}.
     */
    static String encodeSshKeys(List<String> keys) {
        String joined = String.join("\n", keys.stream().map(String::strip).toList());
        StringBuilder b = new StringBuilder();
        for (byte raw : joined.getBytes(StandardCharsets.UTF_8)) {
            int c = raw & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.'
                    || c == '~') {
                b.append((char) c);
            } else {
                b.append('%').append(HexFormat.of().withUpperCase().toHexDigits((byte) c));
            }
        }
        return b.toString();
    }
}
