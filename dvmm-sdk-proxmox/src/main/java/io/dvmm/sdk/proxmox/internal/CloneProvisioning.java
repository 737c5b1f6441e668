package io.dvmm.sdk.proxmox.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.dvmm.sdk.BusyException;
import io.dvmm.sdk.CloneMode;
import io.dvmm.sdk.ConflictException;
import io.dvmm.sdk.DiskInfo;
import io.dvmm.sdk.DiskSpec;
import io.dvmm.sdk.ErrorContext;
import io.dvmm.sdk.HypervisorConfig;
import io.dvmm.sdk.HypervisorException;
import io.dvmm.sdk.InvalidSpecException;
import io.dvmm.sdk.IpConfig;
import io.dvmm.sdk.NicInfo;
import io.dvmm.sdk.NicSpec;
import io.dvmm.sdk.NotFoundException;
import io.dvmm.sdk.OperationFailedException;
import io.dvmm.sdk.OperationOptions;
import io.dvmm.sdk.PermissionDeniedException;
import io.dvmm.sdk.PowerState;
import io.dvmm.sdk.UnavailableException;
import io.dvmm.sdk.VmId;
import io.dvmm.sdk.VmInfo;
import io.dvmm.sdk.VmProvisionSpec;
import io.dvmm.sdk.proxmox.ProxmoxOptions;
import io.dvmm.sdk.spi.AsyncLimiter;
import io.dvmm.sdk.spi.Backoff;
import io.dvmm.sdk.spi.Deadline;
import io.dvmm.sdk.spi.Futures;
import io.dvmm.sdk.spi.ProgressReporter;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code createVm}: validate locally, resolve the template (one {@code /cluster/resources}),
 * clone with a client-chosen VMID (retrying on "already exists" after checking that our own
 * attempt did not land), one config call for CPU, memory, NICs, cloud-init and tags, resize,
 * start, guest IP by MAC. A failure after the clone deletes the half-made VM.
 */
final class CloneProvisioning {
    private static final Logger LOG = LoggerFactory.getLogger(CloneProvisioning.class);
    private static final String OP = "createVm";
    private static final Pattern DNS_NAME = Pattern.compile(
            "(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?\\.)*[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?");
    private static final int MAX_CLONE_ATTEMPTS = 5;
    private static final int MAX_NICS = 32;
    private static final ProxmoxOptions DEFAULTS = ProxmoxOptions.builder().build();

    private final ProxmoxHypervisor hv;
    private final int vmidMin;
    private final int vmidMax;
    private final int clonesPerStorage;
    private final Map<String, AsyncLimiter> cloneLimits = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final Backoff agentBackoff = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(2), 1.5);

    /** What the spec asks for, checked locally before any request. */
    private record Plan(VmProvisionSpec spec, ProxmoxOptions options, boolean full, Map<String, String> config,
                        List<NicPlan> nics, Long bootDiskGiB, List<DiskInfo> extraDisks) {
    }

    private record NicPlan(String key, String bridge, String mac, String staticIp) {
    }

    /** The template and the cluster's VMIDs, from one listing. */
    private record Source(int vmid, String node, JsonNode resource, Set<Integer> usedIds) {
    }

    /** The clone made so far: its VMID and node. */
    private record Made(int vmid, String node) {
    }

    CloneProvisioning(ProxmoxHypervisor hv, HypervisorConfig config) {
        this.hv = hv;
        this.vmidMin = Integer.parseInt(config.property("proxmox.vmidMin").orElse("100000"));
        this.vmidMax = Integer.parseInt(config.property("proxmox.vmidMax").orElse("999999"));
        this.clonesPerStorage = Integer.parseInt(config.property("proxmox.maxParallelClonesPerStorage").orElse("4"));
        if (vmidMin < 100 || vmidMax <= vmidMin) {
            throw new InvalidSpecException("proxmox.vmidMin", "needs 100 <= vmidMin < vmidMax", ctx());
        }
    }

    private static ErrorContext ctx() {
        return ErrorContext.of(ProxmoxProvider.TYPE, OP);
    }

    /**
     * One run of createVm: cancellation flag, the wait in progress (cancelled with the run) and
     * the VM made so far (deleted if the run fails).
     */
    private static final class Run {
        final OperationRun cancellation = new OperationRun(OP);
        final AtomicReference<Made> made = new AtomicReference<>();

        /** A wait (task poll, agent poll) that cancelling the run cancels. Requests are never cancelled mid-flight. */
        <T> CompletableFuture<T> waitFor(CompletableFuture<T> f) {
            return cancellation.waitFor(f);
        }

        void checkCancelled() {
            cancellation.check();
        }
    }

    CompletableFuture<VmInfo> create(VmProvisionSpec spec, OperationOptions options) {
        Plan plan = plan(spec);
        Deadline deadline = hv.deadlineOf(options);
        ProgressReporter progress = new ProgressReporter(OP, options.listener());
        Run run = new Run();
        CompletableFuture<VmInfo> result = new CompletableFuture<>();

        progress.report("resolve", 0, "looking up template " + spec.templateName().or(spec::templateId).orElse(""));
        CompletableFuture<VmInfo> flow = hv.vmResources(OP).thenCompose(list -> {
            run.checkCancelled();
            Source src = resolve(plan, list);
            String node = spec.placement().hostName().orElse(src.node());
            return checkBridges(plan, node).thenApply(x -> src);
        }).thenCompose(src -> {
            run.checkCancelled();
            String node = spec.placement().hostName().orElse(src.node());
            progress.report("clone", 5, "cloning " + src.vmid());
            String storageKey = spec.placement().datastoreName().orElse("template-" + src.node());
            AsyncLimiter limit = cloneLimits.computeIfAbsent(storageKey, k -> new AsyncLimiter(clonesPerStorage));
            return limit.submit(() -> cloneWithRetry(plan, src, node, deadline, run, 1)).thenApply(vmid -> src);
        }).thenCompose(src -> {
            run.checkCancelled();
            Made m = run.made.get();
            progress.report("configure", 60, "configuring VM " + m.vmid());
            return configure(plan, m, deadline, run)
                    .thenCompose(x -> resize(plan, m, deadline, progress, run))
                    .thenCompose(x -> start(plan, m, deadline, progress, run))
                    .thenCompose(x -> guestIps(plan, m, deadline, progress, run))
                    .thenApply(ips -> describe(plan, src, m, ips));
        });
        flow.whenComplete((vm, error) -> {
            if (error == null) {
                progress.report("done", 100, "VM " + vm.id() + " ready");
                result.complete(vm);
                return;
            }
            Throwable cause = Futures.unwrap(error);
            Made m = run.made.get();
            if (m == null) {
                result.completeExceptionally(cause);
                return;
            }
            LOG.info("createVm of '{}' failed after cloning VM {}; deleting it: {}", spec.name(), m.vmid(), cause.toString());
            cleanUp(m).whenComplete((ok, cleanupError) -> {
                if (cleanupError != null) {
                    Throwable ce = Futures.unwrap(cleanupError);
                    LOG.warn("VM {} on node {} is left behind: cleanup after a failed createVm failed: {}",
                            m.vmid(), m.node(), ce.getMessage());
                    cause.addSuppressed(new OperationFailedException("cleanup failed; VM " + m.vmid() + " on node "
                            + m.node() + " is left behind", ctx(), null, List.of(), false, ce));
                }
                result.completeExceptionally(cause);
            });
        });
        return run.cancellation.boundTo(result);
    }

    /** Deletes a half-made VM: waits until PVE releases its lock (a clone may still run), then destroys it. */
    private CompletableFuture<Boolean> cleanUp(Made m) {
        Deadline d = Deadline.after(Duration.ofMinutes(5));
        return waitUnlocked(m.vmid(), m.node(), d)
                .thenCompose(x -> hv.destroy(OP, m.node(), m.vmid(), d, new ProgressReporter(OP, null)))
                .exceptionallyCompose(e -> Futures.unwrap(e) instanceof NotFoundException
                        ? CompletableFuture.completedFuture(false) : CompletableFuture.failedFuture(Futures.unwrap(e)));
    }

    // ---- local validation ----------------------------------------------------------------------------

    private Plan plan(VmProvisionSpec spec) {
        hv.checkOptions(spec);
        ProxmoxOptions o = spec.providerOptions(ProxmoxOptions.class).orElse(DEFAULTS);
        ErrorContext c = ctx();
        if (!DNS_NAME.matcher(spec.name()).matches()) {
            throw new InvalidSpecException("name", "Proxmox VM names must be DNS names (letters, digits, '-' and '.')", c);
        }
        boolean full = spec.cloneMode() == CloneMode.FULL;
        if (!full && spec.placement().datastoreName().isPresent()) {
            throw new InvalidSpecException("placement.datastore",
                    "a linked clone stays on the template's storage; use CloneMode.FULL to choose a datastore", c);
        }
        if (spec.nics().size() > MAX_NICS) {
            throw new InvalidSpecException("nics", "Proxmox allows at most " + MAX_NICS + " NICs (net0-net31)", c);
        }
        var guest = spec.guest();
        if (guest.userData().isPresent()) {
            throw new InvalidSpecException("guest.userData",
                    "Proxmox takes custom cloud-init user data only as a snippet volume (cicustom); not supported by this provider", c);
        }
        if (guest.hostname().isPresent() && !guest.hostname().get().equalsIgnoreCase(spec.name().split("\\.")[0])) {
            throw new InvalidSpecException("guest.hostname", "on Proxmox cloud-init takes the hostname from the VM name; "
                    + "leave it unset or equal to the name", c);
        }
        Map<String, String> config = new LinkedHashMap<>();
        spec.cpuCount().ifPresent(n -> config.put("cores", Integer.toString(n)));
        spec.memoryMiB().ifPresent(m -> config.put("memory", Long.toString(m)));
        List<NicPlan> nics = new ArrayList<>();
        for (int i = 0; i < spec.nics().size(); i++) {
            NicSpec n = spec.nics().get(i);
            String mac = n.mac().orElseGet(this::newMac).toUpperCase(Locale.ROOT);
            config.put("net" + i, o.nicModel() + "=" + mac + ",bridge=" + n.network());
            config.put("ipconfig" + i, ipconfig(n.ip()));
            nics.add(new NicPlan("net" + i, n.network(), mac, n.ip().address().orElse(null)));
        }
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
            String storage = d.datastoreName().or(() -> spec.placement().datastoreName()).orElseThrow(() ->
                    new InvalidSpecException(field,
                            "required on Proxmox for additional disks (or set placement.datastore)", c));
            String key = bus + i;
            config.put(key, storage + ":" + d.sizeGiB());
            extra.add(new DiskInfo(key, d.sizeGiB(), storage));
        }
        config.put("agent", "1");
        config.put("background_delay", "5");
        return new Plan(spec, o, full, config, nics, boot, extra);
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

    // ---- resolve ---------------------------------------------------------------------------------------

    private Source resolve(Plan plan, JsonNode list) {
        VmProvisionSpec spec = plan.spec();
        JsonNode template = null;
        Set<Integer> used = new HashSet<>();
        for (JsonNode r : list) {
            int vmid = ProxmoxMapper.asInt(r.get("vmid"), -1);
            used.add(vmid);
            String name = ProxmoxMapper.asText(r.get("name"), "");
            boolean isTemplate = ProxmoxMapper.isTemplate(r);
            if (spec.templateId().isPresent()) {
                if (spec.templateId().get().equals(Integer.toString(vmid))) {
                    template = r;
                }
            } else if (isTemplate && name.equals(spec.templateName().orElse(null))
                    && (template == null || vmid < ProxmoxMapper.asInt(template.get("vmid"), Integer.MAX_VALUE))) {
                template = r;
            }
            if (!isTemplate && name.equals(spec.name())) {
                throw new ConflictException("a VM named '" + spec.name() + "' already exists (VMID " + vmid + ")", ctx());
            }
        }
        if (template == null) {
            throw new InvalidSpecException(spec.templateId().isPresent() ? "templateId" : "template",
                    "no template '" + spec.templateName().or(spec::templateId).orElse("") + "' on this cluster", ctx());
        }
        return new Source(ProxmoxMapper.asInt(template.get("vmid"), -1), ProxmoxMapper.asText(template.get("node"), ""),
                template, used);
    }

    private CompletableFuture<Void> checkBridges(Plan plan, String node) {
        if (plan.nics().isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        return hv.bridges(OP, node).thenAccept(bridges -> {
            for (int i = 0; i < plan.nics().size(); i++) {
                String b = plan.nics().get(i).bridge();
                if (!bridges.contains(b)) {
                    throw new InvalidSpecException("nics[" + i + "].network", "no bridge '" + b + "' on node " + node
                            + " (bridges: " + new java.util.TreeSet<>(bridges) + ")", ctx());
                }
            }
        });
    }

    // ---- clone -----------------------------------------------------------------------------------------

    private int pickVmid(Plan plan, Set<Integer> used) {
        if (plan.options().vmid().isPresent()) {
            return plan.options().vmid().getAsInt();
        }
        for (int i = 0; i < 1000; i++) {
            int candidate = vmidMin + random.nextInt(vmidMax - vmidMin + 1);
            if (!used.contains(candidate)) {
                return candidate;
            }
        }
        throw new io.dvmm.sdk.ResourceExhaustedException("no free VMID in " + vmidMin + "-" + vmidMax, ctx());
    }

    private CompletableFuture<Integer> cloneWithRetry(Plan plan, Source src, String node, Deadline deadline, Run run,
                                                      int attempt) {
        run.checkCancelled();
        int vmid = pickVmid(plan, src.usedIds());
        String marker = "dvmm-" + UUID.randomUUID();
        Map<String, String> form = new LinkedHashMap<>();
        form.put("newid", Integer.toString(vmid));
        form.put("name", plan.spec().name());
        form.put("full", plan.full() ? "1" : "0");
        if (!node.equals(src.node())) {
            form.put("target", node);
        }
        plan.spec().placement().datastoreName().ifPresent(s -> form.put("storage", s));
        plan.spec().placement().resourcePoolName().ifPresent(p -> form.put("pool", p));
        // The marker lets a retry recognise our own earlier attempt after an unanswered POST.
        form.put("description", "Created by DVMM SDK (" + marker + ")");
        List<String> path = List.of("nodes", src.node(), "qemu", Integer.toString(src.vmid()), "clone");
        CompletableFuture<Integer> attemptFuture = hv.client.post(OP, path, form)
                .thenCompose(upid -> {
                    // From here the VM exists (locked): a failure of the run deletes it.
                    run.made.set(new Made(vmid, node));
                    hv.remember(vmid, node);
                    return run.waitFor(hv.tasks.await(OP, upid.asText(), deadline));
                })
                .thenApply(x -> vmid);
        return attemptFuture.exceptionallyCompose(e -> {
            Throwable cause = Futures.unwrap(e);
            if (cause instanceof CancellationException || attempt >= MAX_CLONE_ATTEMPTS || deadline.expired()) {
                return CompletableFuture.failedFuture(cause);
            }
            if (ProxmoxErrors.vmidTaken(cause)) {
                // Someone else owns this VMID: the VM there is not ours to delete.
                run.made.set(null);
            }
            if (ProxmoxErrors.vmidTaken(cause) && plan.options().vmid().isEmpty()) {
                LOG.debug("VMID {} was taken ({}); retrying with another", vmid, cause.getMessage());
                src.usedIds().add(vmid);
                return cloneWithRetry(plan, src, node, deadline, run, attempt + 1);
            }
            if (cause instanceof BusyException) {
                long wait = Duration.ofMillis(250L << Math.min(attempt, 5)).toNanos();
                return hv.poller().delay(deadline.clampNanos(wait))
                        .thenCompose(x -> cloneWithRetry(plan, src, node, deadline, run, attempt + 1));
            }
            if (cause instanceof UnavailableException && !io.dvmm.sdk.spi.CallPolicy.neverSent(cause)) {
                // The POST may have reached PVE: check whether our own clone exists before trying again.
                return ownCloneLanded(vmid, node, marker).thenCompose(landed -> {
                    if (landed) {
                        run.made.set(new Made(vmid, node));
                        return waitUnlocked(vmid, node, deadline).thenApply(x -> vmid);
                    }
                    src.usedIds().add(vmid);
                    return cloneWithRetry(plan, src, node, deadline, run, attempt + 1);
                });
            }
            return CompletableFuture.failedFuture(cause);
        });
    }

    private CompletableFuture<Boolean> ownCloneLanded(int vmid, String node, String marker) {
        return hv.client.get(OP, hv.vmPath(node, vmid, "config"), Map.of())
                .handle((config, e) -> config != null && ProxmoxMapper.asText(config.get("description"), "").contains(marker));
    }

    private CompletableFuture<JsonNode> waitUnlocked(int vmid, String node, Deadline deadline) {
        return hv.poller().until(ctx(), "VM " + vmid + " to be unlocked", agentBackoff, deadline,
                () -> hv.status(OP, node, vmid).thenApply(s -> s.has("lock") && !"destroyed".equals(s.get("lock").asText())
                        ? Optional.<JsonNode>empty() : Optional.of(s)));
    }

    // ---- configure, resize, start, IP ------------------------------------------------------------------

    private CompletableFuture<JsonNode> configure(Plan plan, Made m, Deadline deadline, Run run) {
        return hv.client.post(OP, hv.vmPath(m.node(), m.vmid(), "config"), plan.config())
                .thenCompose(r -> ProxmoxMapper.isUpid(r) ? run.waitFor(hv.tasks.await(OP, r.asText(), deadline))
                        : CompletableFuture.completedFuture(r));
    }

    private CompletableFuture<JsonNode> resize(Plan plan, Made m, Deadline deadline, ProgressReporter progress, Run run) {
        run.checkCancelled();
        if (plan.bootDiskGiB() == null) {
            return CompletableFuture.completedFuture(null);
        }
        progress.report("resize", 70, "resizing " + plan.options().bootDisk() + " to " + plan.bootDiskGiB() + " GiB");
        Map<String, String> form = Map.of("disk", plan.options().bootDisk(), "size", plan.bootDiskGiB() + "G");
        return hv.client.put(OP, hv.vmPath(m.node(), m.vmid(), "resize"), form)
                .thenCompose(r -> ProxmoxMapper.isUpid(r) ? run.waitFor(hv.tasks.await(OP, r.asText(), deadline))
                        : CompletableFuture.completedFuture(r))
                .exceptionallyCompose(e -> {
                    Throwable cause = Futures.unwrap(e);
                    if (cause instanceof HypervisorException he && he.getMessage().contains("shrinking")) {
                        return CompletableFuture.failedFuture(new InvalidSpecException("disks[0].sizeGiB",
                                "is smaller than the template's disk; disks cannot shrink", ctx().withServer(
                                        he.serverCode().orElse(null), he.serverMessage().orElse(null))));
                    }
                    return CompletableFuture.failedFuture(cause);
                });
    }

    private CompletableFuture<JsonNode> start(Plan plan, Made m, Deadline deadline, ProgressReporter progress, Run run) {
        run.checkCancelled();
        if (!plan.spec().powerOn()) {
            return CompletableFuture.completedFuture(null);
        }
        progress.report("start", 75, "starting VM " + m.vmid());
        return hv.client.post(OP, hv.vmPath(m.node(), m.vmid(), "status", "start"), Map.of())
                .thenCompose(r -> ProxmoxMapper.isUpid(r) ? run.waitFor(hv.tasks.await(OP, r.asText(), deadline))
                        : CompletableFuture.completedFuture(r));
    }

    /** Static addresses are known; DHCP ones come from the guest agent, matched by the NIC's MAC. */
    private CompletableFuture<Map<String, List<String>>> guestIps(Plan plan, Made m, Deadline deadline, ProgressReporter progress,
                                                                  Run run) {
        run.checkCancelled();
        Map<String, List<String>> known = new LinkedHashMap<>();
        if (!plan.spec().powerOn()) {
            return CompletableFuture.completedFuture(known);
        }
        boolean needAgent = false;
        for (NicPlan n : plan.nics()) {
            if (n.staticIp() != null) {
                known.put(n.key(), List.of(n.staticIp()));
            } else {
                needAgent = true;
            }
        }
        if (!plan.spec().waitForIp() || !needAgent) {
            return CompletableFuture.completedFuture(known);
        }
        progress.report("ip", 90, "waiting for the guest agent to report an IP");
        return run.waitFor(hv.poller().until(ctx(), "a guest IP on VM " + m.vmid(), agentBackoff, deadline,
                () -> hv.client.get(OP, hv.vmPath(m.node(), m.vmid(), "agent", "network-get-interfaces"), Map.of())
                        .handle((data, e) -> {
                            if (e != null) {
                                Throwable cause = Futures.unwrap(e);
                                if (agentNotReady(cause)) {
                                    return Optional.<Map<String, List<String>>>empty();
                                }
                                throw cause instanceof HypervisorException he ? he
                                        : new OperationFailedException("guest agent query failed", ctx(), null, List.of(), false, cause);
                            }
                            Map<String, List<String>> out = new LinkedHashMap<>(known);
                            boolean any = false;
                            for (NicPlan n : plan.nics()) {
                                if (n.staticIp() == null) {
                                    List<String> ips = ProxmoxMapper.agentIps(data, n.mac());
                                    out.put(n.key(), ips);
                                    any |= !ips.isEmpty();
                                }
                            }
                            return any ? Optional.of(out) : Optional.empty();
                        })));
    }

    /** Agent errors worth waiting out; "No QEMU guest agent configured" and 403 are final. */
    private static boolean agentNotReady(Throwable e) {
        if (e instanceof PermissionDeniedException || !(e instanceof HypervisorException he)) {
            return false;
        }
        String msg = he.getMessage();
        if (msg.contains("No QEMU guest agent configured")) {
            return false;
        }
        return msg.contains("not running") || msg.contains("got timeout") || msg.contains("is locked") || he.retryable();
    }

    private VmInfo describe(Plan plan, Source src, Made m, Map<String, List<String>> ips) {
        VmProvisionSpec spec = plan.spec();
        JsonNode t = src.resource();
        List<NicInfo> nics = new ArrayList<>();
        for (NicPlan n : plan.nics()) {
            nics.add(new NicInfo(n.key(), n.bridge(), n.mac().toLowerCase(Locale.ROOT), ips.getOrDefault(n.key(), List.of())));
        }
        List<DiskInfo> disks = new ArrayList<>();
        long templateGiB = (long) Math.ceil(ProxmoxMapper.asLong(t.get("maxdisk"), 0) / (1024.0 * 1024 * 1024));
        disks.add(new DiskInfo(plan.options().bootDisk(), plan.bootDiskGiB() != null ? plan.bootDiskGiB() : templateGiB,
                spec.placement().datastoreName().orElse("")));
        disks.addAll(plan.extraDisks());
        return VmInfo.builder()
                .id(VmId.of(Integer.toString(m.vmid())))
                .name(spec.name())
                .powerState(spec.powerOn() ? PowerState.POWERED_ON : PowerState.POWERED_OFF)
                .rawState(spec.powerOn() ? "running" : "stopped")
                .cpuCount(spec.cpuCount().orElse(ProxmoxMapper.asInt(t.get("maxcpu"), 1)))
                .memoryMiB(spec.memoryMiB().orElse(ProxmoxMapper.asLong(t.get("maxmem"), 0) / (1024 * 1024)))
                .host(m.node())
                .nics(nics)
                .disks(disks)
                .metadata(spec.metadata())
                .build();
    }
}
