package io.dvmm.sdk.spi.support;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A cloud-init NoCloud seed: the {@code meta-data}, {@code user-data} and {@code network-config} documents, and the
 * {@code cidata} ISO image that carries them to a guest as a CD/DVD (cloud-init's NoCloud data source finds a
 * filesystem labelled {@code cidata}). Used by providers whose hypervisor has no cloud-init support of its own
 * (Hyper-V, PowerVM): the provider copies {@link #toIso()} to the host and attaches it.
 *
 * <p>The documents are written as JSON, which is YAML: cloud-init reads them with its YAML loader, and JSON's
 * quoting rules are simple enough to emit exactly here (the API module has no YAML library, and its dependencies
 * are kept to slf4j and resilience4j). {@code user-data} starts with the {@code #cloud-config} line unless the
 * caller supplies a document of their own.
 *
 * <p>The image is ISO 9660 with a Joliet supplementary volume descriptor, written by {@link #iso(String, Map)}:
 * ISO 9660 level 1 names are 8.3 upper case ({@code USER_DAT.;1}), so the Joliet tree keeps the real names
 * ({@code user-data}, {@code meta-data}, {@code network-config}); Linux, Windows and libarchive read the Joliet
 * names. One root directory, no subdirectories, no Rock Ridge.
 */
public final class CloudInitSeed {
    /** The volume label cloud-init's NoCloud data source looks for. */
    public static final String VOLUME_ID = "cidata";

    private static final int SECTOR = 2048;
    private static final int FIRST_FREE_SECTOR = 19;

    private final String metaData;
    private final String userData;
    private final String networkConfig;

    private CloudInitSeed(String metaData, String userData, String networkConfig) {
        this.metaData = metaData;
        this.userData = userData;
        this.networkConfig = networkConfig;
    }

    /** @return a builder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the {@code meta-data} document */
    public String metaData() {
        return metaData;
    }

    /** @return the {@code user-data} document */
    public String userData() {
        return userData;
    }

    /** @return the {@code network-config} document (version 2), if any NIC or DNS setting asks for one */
    public Optional<String> networkConfig() {
        return Optional.ofNullable(networkConfig);
    }

    /** @return the documents by file name, in the order they go on the image */
    public Map<String, byte[]> files() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("meta-data", metaData.getBytes(StandardCharsets.UTF_8));
        files.put("user-data", userData.getBytes(StandardCharsets.UTF_8));
        if (networkConfig != null) {
            files.put("network-config", networkConfig.getBytes(StandardCharsets.UTF_8));
        }
        return files;
    }

    /** @return the {@code cidata} ISO image holding {@link #files()} */
    public byte[] toIso() {
        return iso(VOLUME_ID, files());
    }

    @Override
    public String toString() {
        return "CloudInitSeed[files=" + files().keySet() + "]";
    }

    // ---- the documents ------------------------------------------------------------------------------

    /**
     * One guest NIC of the {@code network-config}, matched by its MAC address.
     *
     * @param mac the NIC's MAC address, six hex pairs with colons
     * @param addresses its static addresses in CIDR form ({@code 192.0.2.4/24}); empty for DHCP
     * @param gateway the default gateway's IP literal, or {@code null}
     */
    public record Ethernet(String mac, List<String> addresses, String gateway) {
        /**
         * Validates and copies the values.
         *
         * @param mac see the record component
         * @param addresses see the record component
         * @param gateway see the record component
         */
        public Ethernet {
            Objects.requireNonNull(mac, "mac");
            if (!mac.matches("(?i)[0-9a-f]{2}(:[0-9a-f]{2}){5}")) {
                throw new IllegalArgumentException("mac must be six hex pairs separated by colons: " + mac);
            }
            mac = mac.toLowerCase(Locale.ROOT);
            addresses = addresses == null ? List.of() : List.copyOf(addresses);
        }

        /** @return whether the NIC takes its address by DHCP */
        public boolean dhcp() {
            return addresses.isEmpty();
        }
    }

    /** Builds a {@link CloudInitSeed}. Not thread-safe. */
    public static final class Builder {
        private String instanceId;
        private String hostname;
        private String domain;
        private String user;
        private final List<String> sshKeys = new ArrayList<>();
        private String rawUserData;
        private final List<Ethernet> ethernets = new ArrayList<>();
        private final List<String> dnsServers = new ArrayList<>();
        private final List<String> searchDomains = new ArrayList<>();

        private Builder() {
        }

        /**
         * @param value the instance id cloud-init keys its first-boot work on; unique per VM
         * @return this builder
         */
        public Builder instanceId(String value) {
            this.instanceId = value;
            return this;
        }

        /**
         * @param value the guest host name ({@code local-hostname})
         * @return this builder
         */
        public Builder hostname(String value) {
            this.hostname = value;
            return this;
        }

        /**
         * @param value the guest DNS domain, making the FQDN {@code hostname.domain}
         * @return this builder
         */
        public Builder domain(String value) {
            this.domain = value;
            return this;
        }

        /**
         * @param name a login user to create (with passwordless sudo), holding the SSH keys
         * @return this builder
         */
        public Builder user(String name) {
            this.user = name;
            return this;
        }

        /**
         * @param keys SSH public keys: the user's when a user is named, else the image's default user's
         * @return this builder
         */
        public Builder sshKeys(List<String> keys) {
            sshKeys.addAll(keys);
            return this;
        }

        /**
         * @param document the caller's own user data, sent as it is instead of the generated {@code #cloud-config}
         * @return this builder
         */
        public Builder userData(String document) {
            this.rawUserData = document;
            return this;
        }

        /**
         * @param nic a NIC of the {@code network-config}; the first NIC added is the guest's first
         * @return this builder
         */
        public Builder ethernet(Ethernet nic) {
            ethernets.add(Objects.requireNonNull(nic, "nic"));
            return this;
        }

        /**
         * @param servers DNS servers for every NIC of the {@code network-config}
         * @param search DNS search domains for every NIC
         * @return this builder
         */
        public Builder dns(List<String> servers, List<String> search) {
            dnsServers.addAll(servers);
            searchDomains.addAll(search);
            return this;
        }

        /**
         * @return the seed
         * @throws IllegalArgumentException when the instance id is missing, or user data of the caller's own is
         *                                  combined with a user (the user belongs in that document)
         */
        public CloudInitSeed build() {
            if (instanceId == null || instanceId.isBlank()) {
                throw new IllegalArgumentException("instanceId is required");
            }
            if (rawUserData != null && user != null) {
                throw new IllegalArgumentException("a user cannot be added to user data of the caller's own");
            }
            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("instance-id", instanceId);
            if (hostname != null) {
                meta.put("local-hostname", hostname);
            }
            if (user == null && !sshKeys.isEmpty()) {
                meta.put("public-keys", List.copyOf(sshKeys));
            }
            String userDoc = rawUserData != null ? rawUserData : "#cloud-config\n" + Json.write(cloudConfig()) + "\n";
            return new CloudInitSeed(Json.write(meta) + "\n", userDoc, networkDocument());
        }

        private Map<String, Object> cloudConfig() {
            Map<String, Object> cc = new LinkedHashMap<>();
            if (hostname != null) {
                cc.put("hostname", hostname);
                if (domain != null) {
                    cc.put("fqdn", hostname + "." + domain);
                }
                cc.put("preserve_hostname", false);
            }
            if (user != null) {
                Map<String, Object> u = new LinkedHashMap<>();
                u.put("name", user);
                u.put("shell", "/bin/bash");
                u.put("sudo", "ALL=(ALL) NOPASSWD:ALL");
                u.put("lock_passwd", true);
                if (!sshKeys.isEmpty()) {
                    u.put("ssh_authorized_keys", List.copyOf(sshKeys));
                }
                cc.put("users", List.of("default", u));
            }
            return cc;
        }

        private String networkDocument() {
            boolean staticSomewhere = ethernets.stream().anyMatch(e -> !e.dhcp());
            if (ethernets.isEmpty() || !staticSomewhere && dnsServers.isEmpty() && searchDomains.isEmpty()) {
                return null;
            }
            Map<String, Object> eths = new LinkedHashMap<>();
            for (int i = 0; i < ethernets.size(); i++) {
                Ethernet e = ethernets.get(i);
                Map<String, Object> nic = new LinkedHashMap<>();
                nic.put("match", Map.of("macaddress", e.mac()));
                nic.put("set-name", "eth" + i);
                if (e.dhcp()) {
                    nic.put("dhcp4", true);
                } else {
                    nic.put("dhcp4", false);
                    nic.put("addresses", e.addresses());
                    if (e.gateway() != null) {
                        nic.put("routes", List.of(Map.of("to", e.gateway().contains(":") ? "::/0" : "0.0.0.0/0",
                                "via", e.gateway())));
                    }
                }
                if (!dnsServers.isEmpty() || !searchDomains.isEmpty()) {
                    Map<String, Object> ns = new LinkedHashMap<>();
                    if (!dnsServers.isEmpty()) {
                        ns.put("addresses", List.copyOf(dnsServers));
                    }
                    if (!searchDomains.isEmpty()) {
                        ns.put("search", List.copyOf(searchDomains));
                    }
                    nic.put("nameservers", ns);
                }
                eths.put("eth" + i, nic);
            }
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("version", 2);
            doc.put("ethernets", eths);
            return Json.write(doc) + "\n";
        }
    }

    /** The few JSON shapes the documents need: maps, lists, strings, numbers and booleans. */
    static final class Json {
        private Json() {
        }

        static String write(Object value) {
            StringBuilder b = new StringBuilder();
            write(b, value);
            return b.toString();
        }

        private static void write(StringBuilder b, Object v) {
            if (v instanceof Map<?, ?> m) {
                b.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    if (!first) {
                        b.append(',');
                    }
                    first = false;
                    string(b, String.valueOf(e.getKey()));
                    b.append(':');
                    write(b, e.getValue());
                }
                b.append('}');
            } else if (v instanceof List<?> l) {
                b.append('[');
                for (int i = 0; i < l.size(); i++) {
                    if (i > 0) {
                        b.append(',');
                    }
                    write(b, l.get(i));
                }
                b.append(']');
            } else if (v instanceof Boolean || v instanceof Integer || v instanceof Long) {
                b.append(v);
            } else {
                string(b, String.valueOf(v));
            }
        }

        /** A JSON string; every character outside printable ASCII is a {@code \\u} escape, which YAML reads too. */
        private static void string(StringBuilder b, String s) {
            b.append('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                switch (c) {
                    case '"' -> b.append("\\\"");
                    case '\\' -> b.append("\\\\");
                    case '\n' -> b.append("\\n");
                    case '\r' -> b.append("\\r");
                    case '\t' -> b.append("\\t");
                    default -> {
                        if (c < 0x20 || c > 0x7e) {
                            b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                        } else {
                            b.append(c);
                        }
                    }
                }
            }
            b.append('"');
        }
    }

    // ---- the ISO 9660 image ------------------------------------------------------------------------------

    /**
     * Writes an ISO 9660 image with a Joliet tree: one root directory holding {@code files}.
     *
     * <p>Layout, in 2048-byte sectors: 0-15 system area (zeros); 16 primary volume descriptor; 17 Joliet
     * supplementary volume descriptor (UCS-2, escape {@code %/E}); 18 terminator; then the L and M path tables of
     * each tree, the primary and the Joliet root directory, and each file's data from a sector boundary. Both trees
     * point at the same file data.
     *
     * @param volumeId the volume label, at most 16 characters (such as {@code cidata})
     * @param files file name to content; names are at most 64 characters of printable ASCII without {@code /},
     *              {@code \}, {@code ;}, {@code *}, {@code ?}, {@code :} or {@code "}
     * @return the image
     * @throws IllegalArgumentException for a name or label that breaks these rules
     */
    public static byte[] iso(String volumeId, Map<String, byte[]> files) {
        if (volumeId == null || volumeId.isEmpty() || volumeId.length() > 16 || !volumeId.matches("[A-Za-z0-9_]+")) {
            throw new IllegalArgumentException("volume id must be 1 to 16 letters, digits or '_': " + volumeId);
        }
        List<Entry> entries = new ArrayList<>();
        Set<String> shortNames = new HashSet<>();
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            String name = f.getKey();
            if (name == null || name.isEmpty() || name.length() > 64 || !name.matches("[\\x20-\\x7e]+")
                    || name.matches(".*[/\\\\;*?:\"].*") || name.equals(".") || name.equals("..")) {
                throw new IllegalArgumentException("unsupported file name on the image: " + name);
            }
            entries.add(new Entry(name, shortName(name, shortNames), f.getValue()));
        }
        int sector = FIRST_FREE_SECTOR;
        int lPrimary = sector++;
        int mPrimary = sector++;
        int lJoliet = sector++;
        int mJoliet = sector++;
        List<Entry> primaryOrder = new ArrayList<>(entries);
        primaryOrder.sort(Comparator.comparing(e -> e.shortId, CloudInitSeed::compareBytes));
        List<Entry> jolietOrder = new ArrayList<>(entries);
        jolietOrder.sort(Comparator.comparing(e -> e.jolietId, CloudInitSeed::compareBytes));
        int primaryRootSectors = directorySectors(primaryOrder, false);
        int jolietRootSectors = directorySectors(jolietOrder, true);
        int primaryRoot = sector;
        sector += primaryRootSectors;
        int jolietRoot = sector;
        sector += jolietRootSectors;
        for (Entry e : entries) {
            e.extent = sector;
            sector += (e.data.length + SECTOR - 1) / SECTOR;
        }
        int total = sector;

        ByteBuffer img = ByteBuffer.allocate(total * SECTOR).order(ByteOrder.LITTLE_ENDIAN);
        byte[] primaryRootRecord = record(primaryRoot, primaryRootSectors * SECTOR, true, new byte[] {0});
        byte[] jolietRootRecord = record(jolietRoot, jolietRootSectors * SECTOR, true, new byte[] {0});
        volumeDescriptor(img, 16, 1, volumeId, total, lPrimary, mPrimary, primaryRootRecord, false);
        volumeDescriptor(img, 17, 2, volumeId, total, lJoliet, mJoliet, jolietRootRecord, true);
        img.position(18 * SECTOR);
        img.put((byte) 255).put("CD001".getBytes(StandardCharsets.US_ASCII)).put((byte) 1);
        pathTable(img, lPrimary, primaryRoot, ByteOrder.LITTLE_ENDIAN);
        pathTable(img, mPrimary, primaryRoot, ByteOrder.BIG_ENDIAN);
        pathTable(img, lJoliet, jolietRoot, ByteOrder.LITTLE_ENDIAN);
        pathTable(img, mJoliet, jolietRoot, ByteOrder.BIG_ENDIAN);
        directory(img, primaryRoot, primaryRootSectors, primaryOrder, false);
        directory(img, jolietRoot, jolietRootSectors, jolietOrder, true);
        for (Entry e : entries) {
            img.position(e.extent * SECTOR);
            img.put(e.data);
        }
        return img.array();
    }

    /** A file on the image: its names in both trees, its data and its first sector. */
    private static final class Entry {
        final byte[] shortId;
        final byte[] jolietId;
        final byte[] data;
        int extent;

        Entry(String name, String shortName, byte[] data) {
            this.shortId = (shortName + ";1").getBytes(StandardCharsets.US_ASCII);
            this.jolietId = name.getBytes(StandardCharsets.UTF_16BE);
            this.data = data.clone();
        }
    }

    /** An ISO 9660 level 1 name (8.3, d-characters) for {@code name}, unique among those already given. */
    private static String shortName(String name, Set<String> taken) {
        String upper = name.toUpperCase(Locale.ROOT);
        int dot = upper.lastIndexOf('.');
        String base = (dot > 0 ? upper.substring(0, dot) : upper).replaceAll("[^A-Z0-9_]", "_");
        String ext = (dot > 0 ? upper.substring(dot + 1) : "").replaceAll("[^A-Z0-9_]", "_");
        base = base.length() > 8 ? base.substring(0, 8) : base;
        ext = ext.length() > 3 ? ext.substring(0, 3) : ext;
        String candidate = base + "." + ext;
        for (int n = 1; !taken.add(candidate); n++) {
            String suffix = Integer.toString(n);
            candidate = base.substring(0, Math.min(base.length(), 8 - suffix.length() - 1)) + "_" + suffix + "." + ext;
        }
        return candidate;
    }

    private static int compareBytes(byte[] a, byte[] b) {
        return Arrays.compareUnsigned(a, b);
    }

    private static int recordLength(int idLength) {
        return 33 + idLength + (idLength % 2 == 0 ? 1 : 0);
    }

    /** Sectors a directory takes: records never cross a sector boundary. */
    private static int directorySectors(List<Entry> entries, boolean joliet) {
        int sectors = 1;
        int used = 2 * recordLength(1);
        for (Entry e : entries) {
            int len = recordLength((joliet ? e.jolietId : e.shortId).length);
            if (used + len > SECTOR) {
                sectors++;
                used = 0;
            }
            used += len;
        }
        return sectors;
    }

    private static void directory(ByteBuffer img, int first, int sectors, List<Entry> entries, boolean joliet) {
        int size = sectors * SECTOR;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(record(first, size, true, new byte[] {0}));
        out.writeBytes(record(first, size, true, new byte[] {1}));
        int used = out.size();
        for (Entry e : entries) {
            byte[] r = record(e.extent, e.data.length, false, joliet ? e.jolietId : e.shortId);
            if (used + r.length > SECTOR) {
                out.writeBytes(new byte[SECTOR - used]);
                used = 0;
            }
            out.writeBytes(r);
            used += r.length;
        }
        img.position(first * SECTOR);
        img.put(out.toByteArray());
    }

    /** A directory record (ECMA-119 9.1), recorded 2000-01-01 00:00 UTC so that the same files make the same image. */
    private static byte[] record(int extent, int length, boolean directory, byte[] id) {
        ByteBuffer r = ByteBuffer.allocate(recordLength(id.length)).order(ByteOrder.LITTLE_ENDIAN);
        r.put((byte) r.capacity()).put((byte) 0);
        both32(r, extent);
        both32(r, length);
        r.put(new byte[] {100, 1, 1, 0, 0, 0, 0});
        r.put((byte) (directory ? 2 : 0)).put((byte) 0).put((byte) 0);
        both16(r, 1);
        r.put((byte) id.length).put(id);
        return r.array();
    }

    private static void volumeDescriptor(ByteBuffer img, int at, int type, String volumeId, int totalSectors, int lTable,
                                         int mTable, byte[] rootRecord, boolean joliet) {
        int base = at * SECTOR;
        img.position(base);
        img.put((byte) type).put("CD001".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
        img.put(text("", 32, joliet));
        img.put(text(volumeId, 32, joliet));
        img.position(base + 80);
        both32(img, totalSectors);
        if (joliet) {
            img.put("%/E".getBytes(StandardCharsets.US_ASCII));
        }
        img.position(base + 120);
        both16(img, 1);
        both16(img, 1);
        both16(img, SECTOR);
        both32(img, 10);
        img.putInt(lTable);
        img.putInt(0);
        img.order(ByteOrder.BIG_ENDIAN).putInt(mTable).putInt(0).order(ByteOrder.LITTLE_ENDIAN);
        img.put(rootRecord);
        img.put(text("", 128, joliet));
        img.put(text("", 128, joliet));
        img.put(text("", 128, joliet));
        img.put(text("DVMM SDK CLOUDINITSEED", 128, joliet));
        img.put(text("", 37, joliet));
        img.put(text("", 37, joliet));
        img.put(text("", 37, joliet));
        for (int i = 0; i < 4; i++) {
            img.put(unsetDate());
        }
        img.put((byte) 1);
    }

    /** A text field: ASCII padded with spaces, or UCS-2 big-endian padded with U+0020 (an odd last byte stays 0). */
    private static byte[] text(String s, int length, boolean ucs2) {
        byte[] out = new byte[length];
        if (ucs2) {
            for (int i = 0; i + 1 < length; i += 2) {
                char c = i / 2 < s.length() ? s.charAt(i / 2) : ' ';
                out[i] = (byte) (c >> 8);
                out[i + 1] = (byte) c;
            }
        } else {
            Arrays.fill(out, (byte) ' ');
            byte[] ascii = s.getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(ascii, 0, out, 0, Math.min(ascii.length, length));
        }
        return out;
    }

    /** A "dec-datetime" that says "not specified": sixteen '0' digits and a zero offset. */
    private static byte[] unsetDate() {
        byte[] d = new byte[17];
        Arrays.fill(d, 0, 16, (byte) '0');
        return d;
    }

    private static void pathTable(ByteBuffer img, int at, int rootExtent, ByteOrder order) {
        img.position(at * SECTOR);
        img.put((byte) 1).put((byte) 0);
        img.order(order).putInt(rootExtent).putShort((short) 1).order(ByteOrder.LITTLE_ENDIAN);
        img.put((byte) 0).put((byte) 0);
    }

    private static void both32(ByteBuffer b, int v) {
        b.order(ByteOrder.LITTLE_ENDIAN).putInt(v).order(ByteOrder.BIG_ENDIAN).putInt(v).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static void both16(ByteBuffer b, int v) {
        b.order(ByteOrder.LITTLE_ENDIAN).putShort((short) v).order(ByteOrder.BIG_ENDIAN).putShort((short) v)
                .order(ByteOrder.LITTLE_ENDIAN);
    }
}
