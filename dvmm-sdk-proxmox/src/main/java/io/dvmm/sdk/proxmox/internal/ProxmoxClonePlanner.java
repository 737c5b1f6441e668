package io.dvmm.sdk.proxmox.internal;

import io.dvmm.sdk.CloneMode;
import io.dvmm.sdk.DiskInfo;
import io.dvmm.sdk.DiskSpec;
import io.dvmm.sdk.ErrorContext;
import io.dvmm.sdk.GuestCustomization;
import io.dvmm.sdk.InvalidSpecException;
import io.dvmm.sdk.IpConfig;
import io.dvmm.sdk.NicSpec;
import io.dvmm.sdk.Placement;
import io.dvmm.sdk.ResourceExhaustedException;
import io.dvmm.sdk.VmProvisionSpec;
import io.dvmm.sdk.proxmox.ProxmoxOptions;
import io.dvmm.sdk.proxmox.ProxmoxProvider;
import io.dvmm.sdk.spi.support.AsyncLimiter;
import io.dvmm.sdk.spi.support.ProviderProperties;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * What a {@code createVm} asks of Proxmox, checked locally before any request: names in PVE's own
 * formats (so no value can become another path segment), NIC and disk limits, the one config
 * call's parameters, MACs in Proxmox's OUI, and the VMID range. Connection-wide: it also holds the
 * per-storage clone limits.
 */
final class ProxmoxClonePlanner {
    private static final Pattern DNS_NAME = Pattern.compile(
            "(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?\\.)*[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?");
    /** {@code pve-node}. */
    private static final Pattern NODE = Pattern.compile("[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?");
    /** {@code pve-storage-id}. */
    private static final Pattern STORAGE = Pattern.compile("[a-zA-Z][a-zA-Z0-9\\-_.]*[a-zA-Z0-9]");
    /** {@code pve-poolid}. */
    private static final Pattern POOL = Pattern.compile("[A-Za-z0-9_\\-]+");
    /** {@code pve-bridge-id} (Linux interface names). */
    private static final Pattern BRIDGE = Pattern.compile("[a-zA-Z][a-zA-Z0-9_.-]{0,14}");
    private static final int MAX_NICS = 32;
    private static final ProxmoxOptions DEFAULTS = ProxmoxOptions.builder().build();

    private final int vmidMin;
    private final int vmidMax;
    private final int clonesPerStorage;
    private final Map<String, AsyncLimiter> cloneLimits = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();

    ProxmoxClonePlanner(ProviderProperties props) {
        this.vmidMin = (int) props.number(ProxmoxProvider.VMID_MIN);
        this.vmidMax = (int) props.number(ProxmoxProvider.VMID_MAX);
        this.clonesPerStorage = (int) props.number(ProxmoxProvider.CLONES_PER_STORAGE);
        if (vmidMax <= vmidMin) {
            throw new InvalidSpecException("properties." + ProxmoxProvider.VMID_MAX, "must be larger than "
                    + ProxmoxProvider.VMID_MIN + " (" + vmidMin + ")", ctx());
        }
    }

    private static ErrorContext ctx() {
        return ErrorContext.of(ProxmoxProvider.TYPE, "createVm");
    }

    /** One NIC as planned: its config key, bridge, MAC and static address (or {@code null} for DHCP). */
    record NicPlan(String key, String bridge, String mac, String staticIp) {
    }

    ProxmoxProvisioning.Plan plan(VmProvisionSpec spec) {
        ProxmoxOptions o = spec.providerOptions(ProxmoxOptions.class).orElse(DEFAULTS);
        ErrorContext c = ctx();
        if (!DNS_NAME.matcher(spec.name()).matches()) {
            throw new InvalidSpecException("name", "Proxmox VM names must be DNS names (letters, digits, '-' and '.')", c);
        }
        Placement pl = spec.placement();
        pl.hostName().ifPresent(h -> check(NODE, h, "placement.host", "a Proxmox node name"));
        pl.hostId().ifPresent(h -> check(NODE, h, "placement.hostId", "a Proxmox node name"));
        pl.datastoreName().ifPresent(d -> check(STORAGE, d, "placement.datastore", "a Proxmox storage id"));
        pl.datastoreId().ifPresent(d -> check(STORAGE, d, "placement.datastoreId", "a Proxmox storage id"));
        pl.resourcePoolName().ifPresent(p -> check(POOL, p, "placement.resourcePool", "a Proxmox pool id"));
        pl.resourcePoolId().ifPresent(p -> check(POOL, p, "placement.resourcePoolId", "a Proxmox pool id"));
        pl.datacenterName().filter(d -> !d.equals(ProxmoxInventory.DATACENTER)).ifPresent(d -> {
            throw new InvalidSpecException("placement.datacenter", "a Proxmox cluster is one datacenter, '"
                    + ProxmoxInventory.DATACENTER + "'; was '" + d + "'", c);
        });
        pl.clusterName().or(pl::clusterId).filter(d -> !d.equals(ProxmoxInventory.DATACENTER)).ifPresent(d -> {
            throw new InvalidSpecException("placement.cluster", "this Proxmox endpoint is one cluster, '"
                    + ProxmoxInventory.DATACENTER + "'; choose a node with placement.host; was '" + d + "'", c);
        });
        if (pl.folderPath().isPresent()) {
            throw new InvalidSpecException("placement.folder", "Proxmox has no VM folders; use placement.resourcePool", c);
        }
        boolean full = spec.cloneMode() == CloneMode.FULL;
        if (!full && (pl.datastoreName().isPresent() || pl.datastoreId().isPresent())) {
            throw new InvalidSpecException("placement.datastore",
                    "a linked clone stays on the template's storage; use CloneMode.FULL to choose a datastore", c);
        }
        if (spec.nics().size() > MAX_NICS) {
            throw new InvalidSpecException("nics", "Proxmox allows at most " + MAX_NICS + " NICs (net0-net31)", c);
        }
        Map<String, String> config = new LinkedHashMap<>();
        spec.cpuCount().ifPresent(n -> config.put("cores", Integer.toString(n)));
        spec.memoryMiB().ifPresent(m -> config.put("memory", Long.toString(m)));
        List<NicPlan> nics = new ArrayList<>();
        for (int i = 0; i < spec.nics().size(); i++) {
            NicSpec n = spec.nics().get(i);
            check(BRIDGE, n.network(), "nics[" + i + "].network", "a Proxmox bridge name");
            String mac = n.mac().orElseGet(this::newMac).toUpperCase(Locale.ROOT);
            config.put("net" + i, o.nicModel() + "=" + mac + ",bridge=" + n.network());
            config.put("ipconfig" + i, ipconfig(n.ip()));
            nics.add(new NicPlan("net" + i, n.network(), mac, n.ip().address().orElse(null)));
        }
        GuestCustomization guest = spec.guest();
        guest.username().ifPresent(u -> config.put("ciuser", u));
        if (!guest.sshKeys().isEmpty()) {
            config.put("sshkeys", ProxmoxMapper.encodeSshKeys(guest.sshKeys()));
        }
        if (!guest.dnsServers().isEmpty()) {
            config.put("nameserver", String.join(" ", guest.dnsServers()));
        }
        List<String> search = new ArrayList<>(guest.searchDomains());
        guest.domain().filter(d -> !search.contains(d)).ifPresent(d -> search.add(0, d));
        if (!search.isEmpty()) {
            config.put("searchdomain", String.join(" ", search));
        }
        if (!spec.metadata().isEmpty()) {
            config.put("tags", ProxmoxMapper.tagsFromMetadata(spec.metadata()));
        }
        o.cloudInitDrive().ifPresent(s -> config.put("ide2", s + ":cloudinit"));
        Long boot = null;
        List<DiskInfo> extra = new ArrayList<>();
        String bus = o.bootDisk().replaceAll("\\d+$", "");
        for (int i = 0; i < spec.disks().size(); i++) {
            DiskSpec d = spec.disks().get(i);
            if (i == 0) {
                boot = d.sizeGiB();
                continue;
            }
            String field = "disks[" + i + "].datastore";
            String storage = d.datastoreName().or(() -> storageOf(spec.placement())).orElseThrow(() ->
                    new InvalidSpecException(field, "required on Proxmox for additional disks (or set placement.datastore)", c));
            check(STORAGE, storage, field, "a Proxmox storage id");
            String key = bus + i;
            config.put(key, storage + ":" + d.sizeGiB());
            extra.add(new DiskInfo(key, d.sizeGiB(), storage));
        }
        config.put("agent", "1");
        config.put("background_delay", "5");
        return new ProxmoxProvisioning.Plan(spec, o, full, config, nics, boot, extra);
    }

    /** @return the target storage: named or by id (the same on Proxmox) */
    static Optional<String> storageOf(Placement pl) {
        return pl.datastoreName().or(pl::datastoreId);
    }

    /** @return the target node: named or by id (the same on Proxmox) */
    static Optional<String> nodeOf(Placement pl) {
        return pl.hostName().or(pl::hostId);
    }

    /** @return the target pool: named or by id (the same on Proxmox) */
    static Optional<String> poolOf(Placement pl) {
        return pl.resourcePoolName().or(pl::resourcePoolId);
    }

    private static void check(Pattern format, String value, String field, String what) {
        if (!format.matcher(value).matches()) {
            throw new InvalidSpecException(field, "'" + value.replaceAll("\\p{Cntrl}", "?") + "' is not " + what, ctx());
        }
    }

    private static String ipconfig(IpConfig ip) {
        if (ip.isDhcp()) {
            return "ip=dhcp";
        }
        String a = ip.address().orElseThrow();
        boolean v6 = IpConfig.isIpv6(a);
        String s = (v6 ? "ip6=" : "ip=") + a + "/" + ip.prefixLength();
        return ip.gateway().map(g -> s + (v6 ? ",gw6=" : ",gw=") + g).orElse(s);
    }

    /** A MAC in Proxmox's own OUI (BC:24:11), as PVE itself would generate, so the NIC can be matched without a read. */
    private String newMac() {
        byte[] b = new byte[3];
        random.nextBytes(b);
        return String.format("BC:24:11:%02X:%02X:%02X", b[0], b[1], b[2]);
    }

    /**
     * @param fixed the VMID the caller asked for, or -1
     * @param used VMIDs known to be taken
     * @return a VMID to create the VM with
     */
    int pickVmid(int fixed, Set<Integer> used) {
        if (fixed > 0) {
            return fixed;
        }
        for (int i = 0; i < 1000; i++) {
            int candidate = vmidMin + random.nextInt(vmidMax - vmidMin + 1);
            if (!used.contains(candidate)) {
                return candidate;
            }
        }
        throw new ResourceExhaustedException("no free VMID in " + vmidMin + "-" + vmidMax, ctx());
    }

    /** @return the clone limit of one target storage, shared by every createVm of this connection */
    AsyncLimiter cloneLimit(String storageKey) {
        return cloneLimits.computeIfAbsent(storageKey, k -> new AsyncLimiter(clonesPerStorage));
    }
}
