package io.dvmm.sdk.hyperv.internal;

import io.dvmm.sdk.CloneMode;
import io.dvmm.sdk.ConflictException;
import io.dvmm.sdk.DiskSpec;
import io.dvmm.sdk.ErrorContext;
import io.dvmm.sdk.GuestCustomization;
import io.dvmm.sdk.InvalidSpecException;
import io.dvmm.sdk.IpConfig;
import io.dvmm.sdk.NicSpec;
import io.dvmm.sdk.Placement;
import io.dvmm.sdk.ProtocolException;
import io.dvmm.sdk.VmId;
import io.dvmm.sdk.VmInfo;
import io.dvmm.sdk.VmProvisionSpec;
import io.dvmm.sdk.hyperv.HyperVOptions;
import io.dvmm.sdk.hyperv.HyperVProvider;
import io.dvmm.sdk.hyperv.internal.scripts.HyperVScript;
import io.dvmm.sdk.spi.support.Addresses;
import io.dvmm.sdk.spi.support.CloudInitSeed;
import io.dvmm.sdk.spi.support.CreateAttempt;
import io.dvmm.sdk.spi.support.Futures;
import io.dvmm.sdk.spi.support.OperationRun;
import io.dvmm.sdk.spi.support.ProvisioningSteps;
import io.dvmm.sdk.spi.support.RequiredCapabilities;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;

/**
 * Hyper-V's {@code createVm} steps, one script each: the host's switches, paths and templates from the cached
 * {@code inventory} (read again when a name is missing); {@code create-linked} (a differencing disk on the template's
 * VHDX) or {@code create-full} (a standalone copy), which also sets CPU, memory, the OS disk's size and the Notes
 * that carry the metadata and this create's marker; then one {@code reconfigure} for NICs, VLANs, MACs, secure boot
 * and the cloud-init seed's DVD (the seed copied first with {@code copy-file}), {@code add-disk} per extra disk,
 * {@code start}, and {@code guest-ips} until the guest reports an address.
 *
 * <p>Each VM gets a folder of its own under the SDK's root, named after the VM ({@code web-01-1a2b3c4d}: the name
 * made path-safe, then a hash of the exact name). The create script refuses a folder that exists, which is how a
 * second create of one name is refused ({@link ConflictException}) even across connections, and why a create sent
 * again after its first answer was lost can never make a second VM. Hyper-V itself allows duplicate names; VMs made
 * outside the SDK are not checked.
 */
final class HyperVProvisioning implements ProvisioningSteps<HyperVProvisioning.Plan, HyperVProvisioning.Made> {
    private static final String OP = "createVm";
    private static final Pattern RESERVED = Pattern.compile("(?i)(con|prn|aux|nul|com[1-9]|lpt[1-9])(\\..*)?");
    private static final int MAX_CHUNK = 16 * 1024;
    /** Virtual processors of a generation 1 VM, at most (Windows Server 2016 to 2025). */
    static final int MAX_GEN1_CPUS = 64;
    private static final SecureRandom RANDOM = new SecureRandom();
    static final String SEED_FILE = "cidata.iso";
    /** The adapter {@code New-VM} makes; the spec's first NIC is that one. */
    static final String FIRST_ADAPTER = "Network Adapter";

    /** One NIC of the spec: its switch, VLAN and MAC (given, or chosen so that the seed can name the NIC). */
    record NicPlan(int index, String network, String mac, Integer vlan, IpConfig ip) {
        String adapterName() {
            return index == 0 ? FIRST_ADAPTER : FIRST_ADAPTER + " " + (index + 1);
        }
    }

    /** What the spec asks for, checked locally, and once resolved the template, root and folder. */
    static final class Plan {
        final VmProvisionSpec spec;
        final HyperVOptions options;
        final int cpu;
        final long memBytes;
        final Long diskBytes;
        final List<Long> extraDisks;
        final List<NicPlan> nics;
        final boolean seed;
        final String hostname;
        final String folderName;
        String templatePath;
        String root;
        String folder;
        volatile HyperVWire.Vm latest;

        Plan(VmProvisionSpec spec, HyperVOptions options, int cpu, long memBytes, Long diskBytes, List<Long> extraDisks,
             List<NicPlan> nics, boolean seed, String hostname, String folderName) {
            this.spec = spec;
            this.options = options;
            this.cpu = cpu;
            this.memBytes = memBytes;
            this.diskBytes = diskBytes;
            this.extraDisks = extraDisks;
            this.nics = nics;
            this.seed = seed;
            this.hostname = hostname;
            this.folderName = folderName;
        }
    }

    /** The VM made: its VMId, name and folder. */
    record Made(String id, String name, String folder) {
    }

    private final HyperVHypervisor hv;
    private final Duration landingTime;

    HyperVProvisioning(HyperVHypervisor hv) {
        this(hv, Duration.ofMillis(hv.props.number(HyperVProvider.LANDING_MILLIS)));
    }

    /** For {@link #plan} alone (tests), which needs no connection. */
    HyperVProvisioning(HyperVHypervisor hv, Duration landingTime) {
        this.hv = hv;
        this.landingTime = landingTime;
    }

    private static ErrorContext ctx() {
        return ErrorContext.of(HyperVProvider.TYPE, OP);
    }

    private static InvalidSpecException invalid(String field, String rule) {
        return new InvalidSpecException(field, rule, ctx());
    }

    // ---- plan: local rules ---------------------------------------------------------------------------

    @Override
    public Plan plan(VmProvisionSpec spec) {
        String name = spec.name();
        if (name.endsWith(".")) {
            throw invalid("name", "Hyper-V keeps a VM's files in a folder of its name, and Windows drops a trailing '.'");
        }
        if (RESERVED.matcher(name).matches()) {
            throw invalid("name", "'" + name + "' is a reserved Windows device name");
        }
        HyperVOptions options = spec.providerOptions(HyperVOptions.class).orElse(HyperVOptions.defaults());
        Placement p = spec.placement();
        p.datacenterName().ifPresent(x -> {
            throw invalid("placement.datacenter", "a Hyper-V host has no datacenters");
        });
        p.clusterName().or(p::clusterId).ifPresent(x -> {
            throw invalid("placement.cluster", "this provider drives one Hyper-V host, not a failover cluster");
        });
        p.resourcePoolName().or(p::resourcePoolId).ifPresent(x -> {
            throw invalid("placement.resourcePool", "Hyper-V has no resource pools");
        });
        p.folderPath().ifPresent(x -> {
            throw invalid("placement.folder", "Hyper-V has no VM folders");
        });
        for (String key : spec.metadata().keySet()) {
            if (key.startsWith(NotesFrame.RESERVED_PREFIX)) {
                throw invalid("metadata", "keys starting with '" + NotesFrame.RESERVED_PREFIX + "' are the SDK's own");
            }
        }
        int cpu = spec.cpuCount().orElse(HyperVOptions.DEFAULT_CPUS);
        if (options.generation() == 1 && cpu > MAX_GEN1_CPUS) {
            throw invalid("cpuCount", "a generation 1 Hyper-V VM has at most " + MAX_GEN1_CPUS + " virtual processors, was " + cpu
                    + " (generation 2 allows 240, 2048 on Windows Server 2025, and never more than the host's logical processors)");
        }
        long memMiB = spec.memoryMiB().orElse(HyperVOptions.DEFAULT_MEMORY_MIB);
        if (memMiB % 2 != 0) {
            throw invalid("memoryMiB", "Hyper-V memory is a multiple of 2 MiB, was " + memMiB);
        }
        if (options.dynamicMemory() && (memMiB < options.dynamicMemoryMinMiB().getAsLong() || memMiB > options.dynamicMemoryMaxMiB().getAsLong())) {
            throw invalid("providerOptions.hyperv.dynamicMemory", "the startup memory (memoryMiB " + memMiB + ") must lie between "
                    + "the minimum and the maximum");
        }
        Long diskBytes = null;
        List<Long> extra = new ArrayList<>();
        for (int i = 0; i < spec.disks().size(); i++) {
            DiskSpec d = spec.disks().get(i);
            if (d.datastoreName().isPresent()) {
                throw invalid("disks[" + i + "].datastore", "a Hyper-V VM's disks are kept in its own folder; name the "
                        + "VM's datastore with placement.datastore");
            }
            long bytes = d.sizeGiB() * HyperVMapper.GIB;
            if (i == 0) {
                diskBytes = bytes;
            } else {
                extra.add(bytes);
            }
        }
        GuestCustomization g = spec.guest();
        if (g.userData().isPresent() && g.username().isPresent()) {
            throw invalid("guest.userData", "cannot be combined with guest.username on Hyper-V: put the user in the user data");
        }
        boolean seed = RequiredCapabilities.of(spec).stream().anyMatch(c -> switch (c) {
            case GUEST_CUSTOMIZATION, CLOUD_INIT, USER_DATA, CUSTOM_HOSTNAME -> true;
            default -> false;
        });
        boolean network = spec.nics().stream().anyMatch(n -> !n.ip().isDhcp()) || !g.dnsServers().isEmpty() || !g.searchDomains().isEmpty();
        if (network && spec.nics().isEmpty()) {
            throw invalid("guest.dnsServers", "needs the spec's NICs on Hyper-V: the seed's network configuration names each NIC by its MAC");
        }
        List<NicPlan> nics = new ArrayList<>();
        for (int i = 0; i < spec.nics().size(); i++) {
            NicSpec n = spec.nics().get(i);
            String mac = n.mac().map(HyperVMapper::wireMac).orElse(network ? randomMac() : null);
            Integer vlan = options.vlan(i).isPresent() ? options.vlan(i).getAsInt() : null;
            nics.add(new NicPlan(i, n.network(), mac, vlan, n.ip()));
        }
        for (Integer index : options.vlans().keySet()) {
            if (index >= spec.nics().size()) {
                throw invalid("providerOptions.hyperv.vlans[" + index + "]", "names no NIC of the spec");
            }
        }
        String hostname = g.hostname().orElse(null);
        if (hostname == null && seed) {
            String label = name.split("\\.", 2)[0];
            hostname = label.matches("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?") ? label : null;
        }
        return new Plan(spec, options, cpu, memMiB * HyperVMapper.MIB, diskBytes,
                List.copyOf(extra), List.copyOf(nics), seed, hostname, folderName(name));
    }

    /** A locally administered unicast MAC, for a NIC the seed must name. */
    private static String randomMac() {
        byte[] b = new byte[6];
        RANDOM.nextBytes(b);
        b[0] = 0x02;
        return HexFormat.of().withUpperCase().formatHex(b);
    }

    /** The VM's folder name: the name made path-safe (at most 48 characters), then 8 hex digits of its SHA-256. */
    static String folderName(String name) {
        String safe = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_.-]+", "-").replaceAll("^[.]+", "");
        if (safe.length() > 48) {
            safe = safe.substring(0, 48);
        }
        if (safe.isEmpty()) {
            safe = "vm";
        }
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            return safe + "-" + HexFormat.of().formatHex(h, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- resolve -------------------------------------------------------------------------------------

    @Override
    public CompletableFuture<Plan> resolve(Plan plan, OperationRun run) {
        // The inventory is read once for the creates that need it at the same time, within the budget of the first of
        // them: when that read fails for a reason that may pass, this create joins (or starts) another read in its own.
        return hv.knownInventory(OP, run.deadline()).exceptionallyCompose(e -> {
            Throwable cause = Futures.unwrap(e);
            if (cause instanceof io.dvmm.sdk.HypervisorException he && he.retryable() && !run.deadline().expired()) {
                run.check();
                return hv.knownInventory(OP, run.deadline());
            }
            return Futures.failed(cause);
        }).thenCompose(inv -> {
            Optional<InvalidSpecException> miss = check(plan, inv, false);
            if (miss.isEmpty()) {
                return CompletableFuture.completedFuture(plan);
            }
            // A template or switch made since the inventory was read: read it again once before refusing the spec.
            run.check();
            return hv.readInventory(OP, run.deadline()).thenApply(fresh -> {
                check(plan, fresh, true);
                return plan;
            });
        });
    }

    /** Resolves the plan against an inventory; a miss is returned (or thrown when {@code last}). */
    private Optional<InvalidSpecException> check(Plan plan, HyperVWire.Inventory inv, boolean last) {
        VmProvisionSpec spec = plan.spec;
        InvalidSpecException miss = null;
        HyperVWire.Template template = null;
        for (HyperVWire.Template t : inv.templates()) {
            boolean match = spec.templateId().isPresent()
                    ? spec.templateId().get().equalsIgnoreCase(String.valueOf(t.id())) || spec.templateId().get().equalsIgnoreCase(String.valueOf(t.path()))
                    : spec.templateName().get().equals(t.name());
            if (match && (template == null || "vhdx".equals(t.kind()) && !"vhdx".equals(template.kind()))) {
                template = t;
            }
        }
        if (template == null || template.path() == null || template.path().isBlank()) {
            miss = invalid(spec.templateId().isPresent() ? "templateId" : "template", "no template '"
                    + spec.templateName().or(spec::templateId).orElse("") + "' on this host (templates: "
                    + new TreeSet<>(inv.templates().stream().map(HyperVWire.Template::name).toList()) + ")");
        }
        Set<String> switches = new TreeSet<>();
        inv.switches().forEach(s -> switches.add(s.name()));
        for (NicPlan n : plan.nics) {
            if (miss == null && !switches.contains(n.network())) {
                miss = invalid("nics[" + n.index() + "].network", "no virtual switch '" + n.network() + "' on this host (switches: "
                        + switches + ")");
            }
        }
        String root = hv.props.string(HyperVProvider.VM_ROOT);
        Optional<String> datastore = spec.placement().datastoreName();
        if (miss == null && datastore.isPresent()) {
            Optional<HyperVWire.Datastore> ds = inv.datastores().stream()
                    .filter(d -> HyperVHypervisor.stripSlash(d.path()).equalsIgnoreCase(HyperVHypervisor.stripSlash(datastore.get()))).findFirst();
            if (ds.isEmpty()) {
                miss = invalid("placement.datastore", "no storage path '" + datastore.get() + "' on this host (datastores: "
                        + inv.datastores().stream().map(HyperVWire.Datastore::path).toList() + ")");
            } else {
                root = HyperVHypervisor.stripSlash(ds.get().path()) + "\\dvmm";
            }
        }
        if (miss == null && spec.placement().hostName().isPresent() && inv.host() != null
                && !spec.placement().hostName().get().equalsIgnoreCase(inv.host())) {
            miss = invalid("placement.host", "this connection drives host " + inv.host());
        }
        if (miss != null) {
            if (last) {
                throw miss;
            }
            return Optional.of(miss);
        }
        plan.templatePath = template.path();
        plan.root = HyperVHypervisor.stripSlash(root == null || root.isBlank() ? HyperVHypervisor.stripSlash(inv.vmPath()) + "\\dvmm" : root);
        plan.folder = plan.root + "\\" + plan.folderName;
        return Optional.empty();
    }

    // ---- create and find -----------------------------------------------------------------------------

    @Override
    public CompletableFuture<Made> create(Plan plan, CreateAttempt<Made> attempt, OperationRun run) {
        VmProvisionSpec spec = plan.spec;
        HyperVOptions o = plan.options;
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("name", spec.name());
        args.put("root", plan.root);
        args.put("folder", plan.folderName);
        args.put("template", plan.templatePath);
        args.put("gen", o.generation());
        args.put("memBytes", plan.memBytes);
        args.put("cpu", plan.cpu);
        if (plan.diskBytes != null) {
            args.put("diskBytes", plan.diskBytes);
        }
        o.configurationVersion().ifPresent(v -> args.put("version", v));
        if (o.dynamicMemory()) {
            args.put("dynamicMemory", true);
            args.put("memMinBytes", o.dynamicMemoryMinMiB().getAsLong() * HyperVMapper.MIB);
            args.put("memMaxBytes", o.dynamicMemoryMaxMiB().getAsLong() * HyperVMapper.MIB);
        }
        args.put("notes", new NotesFrame("", spec.metadata(), Map.of(NotesFrame.MARKER, attempt.marker(),
                NotesFrame.FOLDER, plan.folder)).render());
        HyperVScript script = spec.cloneMode() == CloneMode.LINKED ? HyperVScript.CREATE_LINKED : HyperVScript.CREATE_FULL;
        return hv.client.run(OP, script, args, run.deadline(), HyperVWire.Vm.class, "template")
                .thenApply(vm -> {
                    Made m = new Made(vm.id(), vm.name(), plan.folder);
                    attempt.made(m);
                    plan.latest = vm;
                    return m;
                })
                .exceptionallyCompose(e -> {
                    Throwable cause = Futures.unwrap(e);
                    if (cause instanceof ConflictException c && "HvsdkConflict".equals(c.serverCode().orElse(""))) {
                        return Futures.failed(new ConflictException("a VM named '" + spec.name() + "' already exists: the "
                                + "folder the SDK makes for that name (" + plan.folder + ") exists", c.context(), c));
                    }
                    if (cause instanceof InvalidSpecException i) {
                        return Futures.failed(refusedSetting(i));
                    }
                    return Futures.failed(cause);
                });
    }

    /**
     * The spec field a host's refusal of the create concerns: Hyper-V names the device it could not set ("failed to
     * modify device 'Processor'", 'Memory'), which the script cannot tell apart from a bad template.
     */
    static InvalidSpecException refusedSetting(InvalidSpecException refused) {
        String message = refused.serverMessage().orElse("");
        String field = message.contains("'Processor'") ? "cpuCount" : message.contains("'Memory'") ? "memoryMiB" : null;
        if (field == null || field.equals(refused.field())) {
            return refused;
        }
        return new InvalidSpecException(field, "the host refused it: " + message, refused.context());
    }

    @Override
    public CompletableFuture<Optional<Made>> find(Plan plan, CreateAttempt<Made> attempt, OperationRun run) {
        return hv.byName(OP, plan.spec.name(), run.deadline()).thenApply(list -> list.stream()
                .filter(vm -> attempt.marker().equals(NotesFrame.parse(vm.notes()).marker()))
                .findFirst().map(vm -> {
                    plan.latest = vm;
                    return new Made(vm.id(), vm.name(), plan.folder);
                }));
    }

    @Override
    public Duration landingTime() {
        return landingTime;
    }

    // ---- configure: seed, NICs, secure boot, extra disks ------------------------------------------------

    @Override
    public CompletableFuture<Void> configure(Plan plan, Made m, OperationRun run) {
        CompletableFuture<String> seed = plan.seed ? copySeed(plan, m, run) : CompletableFuture.completedFuture(null);
        CompletableFuture<Void> f = seed.thenCompose(iso -> {
            run.check();
            Map<String, Object> args = reconfiguration(plan, m, iso);
            if (args.size() == 1) {
                return CompletableFuture.completedFuture(null);
            }
            run.progress(40, "connecting NICs" + (iso == null ? "" : " and the cloud-init seed"));
            return hv.client.run(OP, HyperVScript.RECONFIGURE, args, run.deadline(), HyperVWire.Vm.class, "nics")
                    .thenAccept(vm -> plan.latest = vm);
        });
        for (int i = 0; i < plan.extraDisks.size(); i++) {
            int n = i + 1;
            long bytes = plan.extraDisks.get(i);
            f = f.thenCompose(x -> {
                run.check();
                run.progress(60 + n * 30 / (plan.extraDisks.size() + 1), "adding disk " + n);
                Map<String, Object> args = new LinkedHashMap<>();
                args.put("id", m.id());
                args.put("path", m.folder() + "\\disk" + n + ".vhdx");
                args.put("root", m.folder());
                args.put("sizeBytes", bytes);
                return hv.client.run(OP, HyperVScript.ADD_DISK, args, run.deadline(), HyperVWire.Vm.class, "disks[" + n + "]")
                        .thenAccept(vm -> plan.latest = vm);
            });
        }
        return f;
    }

    private static Map<String, Object> reconfiguration(Plan plan, Made m, String iso) {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("id", m.id());
        plan.options.secureBootTemplate().ifPresent(t -> args.put("sbTemplate", t));
        plan.options.secureBoot().filter(b -> !b).ifPresent(b -> args.put("secureBoot", false));
        if (!plan.nics.isEmpty()) {
            List<Map<String, Object>> nics = new ArrayList<>();
            for (NicPlan n : plan.nics) {
                Map<String, Object> nic = new LinkedHashMap<>();
                nic.put("name", n.adapterName());
                nic.put("switch", n.network());
                if (n.mac() != null) {
                    nic.put("mac", n.mac());
                }
                if (n.vlan() != null) {
                    nic.put("vlan", n.vlan());
                }
                nics.add(nic);
            }
            args.put("nics", nics);
        }
        if (iso != null) {
            args.put("dvd", iso);
        }
        return args;
    }

    @Override
    public CompletableFuture<Void> customize(Plan plan, Made m, OperationRun run) {
        run.progress(100, "the cloud-init seed is attached as a DVD; cloud-init applies it at first boot");
        return CompletableFuture.completedFuture(null);
    }

    /** The seed for this VM, its instance id the VMId. */
    static CloudInitSeed seed(Plan plan, String vmId) {
        GuestCustomization g = plan.spec.guest();
        CloudInitSeed.Builder b = CloudInitSeed.builder().instanceId(vmId).hostname(plan.hostname).sshKeys(g.sshKeys());
        g.domain().ifPresent(b::domain);
        g.username().ifPresent(b::user);
        g.userData().ifPresent(b::userData);
        for (NicPlan n : plan.nics) {
            List<String> addresses = n.ip().isDhcp() ? List.of() : List.of(n.ip().address().orElseThrow() + "/" + n.ip().prefixLength());
            if (n.mac() != null) {
                b.ethernet(new CloudInitSeed.Ethernet(HyperVMapper.mac(n.mac()), addresses, n.ip().gateway().orElse(null)));
            }
        }
        b.dns(g.dnsServers(), g.searchDomains());
        return b.build();
    }

    /** Builds the seed image, copies it into the VM's folder (gzip'd chunks), checks its SHA-256; completes with its path. */
    private CompletableFuture<String> copySeed(Plan plan, Made m, OperationRun run) {
        byte[] iso = seed(plan, m.id()).toIso();
        String path = m.folder() + "\\" + SEED_FILE;
        List<byte[]> chunks = chunks(iso);
        run.progress(10, "copying the cloud-init seed (" + iso.length + " bytes in " + chunks.size() + " chunk(s))");
        CompletableFuture<HyperVWire.Copied> f = CompletableFuture.completedFuture(null);
        long offset = 0;
        for (int i = 0; i < chunks.size(); i++) {
            byte[] raw = chunks.get(i);
            long at = offset;
            boolean last = i == chunks.size() - 1;
            f = f.thenCompose(x -> {
                run.check();
                Map<String, Object> args = new LinkedHashMap<>();
                args.put("path", path);
                args.put("root", m.folder());
                args.put("chunk", Base64.getEncoder().encodeToString(gzip(raw)));
                args.put("gzip", true);
                args.put("offset", at);
                if (last) {
                    args.put("last", true);
                }
                return hv.client.run(OP, HyperVScript.COPY_FILE, args, run.deadline(), HyperVWire.Copied.class, "guest");
            });
            offset += raw.length;
        }
        String expected = sha256(iso);
        return f.thenApply(copied -> {
            if (copied == null || copied.sha256() == null || !copied.sha256().equalsIgnoreCase(expected)) {
                throw new ProtocolException("the cloud-init seed on the host has SHA-256 " + (copied == null ? null : copied.sha256())
                        + ", not " + expected, ctx());
            }
            return path;
        });
    }

    /** Pieces of the image whose gzip each fits a chunk of {@code copy-file} ({@value #MAX_CHUNK} bytes). */
    static List<byte[]> chunks(byte[] data) {
        int size = Math.max(1, data.length);
        while (true) {
            List<byte[]> out = new ArrayList<>();
            boolean fits = true;
            for (int at = 0; at < data.length || out.isEmpty(); at += size) {
                byte[] piece = java.util.Arrays.copyOfRange(data, at, Math.min(data.length, at + size));
                if (gzip(piece).length > MAX_CHUNK) {
                    fits = false;
                    break;
                }
                out.add(piece);
            }
            if (fits) {
                return out;
            }
            size = Math.max(1024, size / 2);
        }
    }

    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(data);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    private static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- power on, IP, read back, remove ---------------------------------------------------------------

    @Override
    public CompletableFuture<Void> powerOn(Plan plan, Made m, OperationRun run) {
        return new HyperVPower(hv).start(VmId.of(m.id()), run).thenAccept(vm -> plan.latest = vm);
    }

    /** Polls {@code guest-ips} (the adapters' addresses and the guest's KVP items) until a usable address shows. */
    @Override
    public CompletableFuture<Void> waitForIp(Plan plan, Made m, OperationRun run) {
        return run.poll("a guest IP address on " + describe(m), hv.pollBackoff,
                () -> hv.client.run(OP, HyperVScript.GUEST_IPS, Map.of("id", m.id()), run.deadline(), HyperVWire.Vm.class, null)
                        .thenApply(vm -> {
                            if (vm == null) {
                                throw hv.notFound(VmId.of(m.id()), OP);
                            }
                            plan.latest = vm;
                            return Addresses.usable(hv.info(vm).ipAddresses()).isEmpty() ? Optional.<Boolean>empty() : Optional.of(true);
                        })).thenApply(x -> null);
    }

    /**
     * The VM as the last step's script reported it, when that answer holds the disks' sizes ({@code start} and
     * {@code guest-ips} do, as {@code get-vm}): a create that powers on costs no read after it. Else read now.
     */
    @Override
    public CompletableFuture<VmInfo> readBack(Plan plan, Made m, OperationRun run) {
        HyperVWire.Vm latest = plan.latest;
        if (latest != null && m.id().equals(latest.id()) && !latest.vhds().isEmpty()) {
            return CompletableFuture.completedFuture(hv.info(latest));
        }
        return hv.details(OP, VmId.of(m.id()), run.deadline()).thenApply(hv::info);
    }

    @Override
    public CompletableFuture<Void> remove(Made m, OperationRun run) {
        return hv.remove(OP, VmId.of(m.id()), m.folder(), run.deadline()).thenApply(x -> null);
    }

    @Override
    public String describe(Made m) {
        return "VM '" + m.name() + "' (" + m.id() + ")";
    }
}
