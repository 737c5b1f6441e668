package io.dvmm.sdk.proxmox.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.dvmm.sdk.ConflictException;
import io.dvmm.sdk.DiskInfo;
import io.dvmm.sdk.ErrorContext;
import io.dvmm.sdk.HypervisorException;
import io.dvmm.sdk.InvalidSpecException;
import io.dvmm.sdk.NotFoundException;
import io.dvmm.sdk.OperationFailedException;
import io.dvmm.sdk.PermissionDeniedException;
import io.dvmm.sdk.VmInfo;
import io.dvmm.sdk.VmProvisionSpec;
import io.dvmm.sdk.proxmox.ProxmoxOptions;
import io.dvmm.sdk.proxmox.ProxmoxProvider;
import io.dvmm.sdk.spi.support.Addresses;
import io.dvmm.sdk.spi.support.Backoff;
import io.dvmm.sdk.spi.support.CreateAttempt;
import io.dvmm.sdk.spi.support.Futures;
import io.dvmm.sdk.spi.support.OperationRun;
import io.dvmm.sdk.spi.support.ProvisioningSteps;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Proxmox's {@code createVm} steps: resolve the template and the cluster's VMIDs (one
 * {@code /cluster/resources}), the node's bridges and the template's description; clone with a
 * client-chosen VMID and the run's marker appended to the template's description; one config
 * call for CPU, memory, NICs, cloud-init and tags; resize; start; guest IP by MAC. The VMID stays
 * the same when the skeleton sends the clone again, so a clone that landed late and its retry
 * can never both exist.
 */
final class ProxmoxProvisioning implements ProvisioningSteps<ProxmoxProvisioning.Plan, ProxmoxProvisioning.Made> {
    private static final Logger LOG = LoggerFactory.getLogger(ProxmoxProvisioning.class);
    private static final String OP = "createVm";
    /** VMIDs tried when the chosen one turns out taken by someone else. */
    private static final int MAX_VMID_CHOICES = 5;
    private static final Backoff AGENT_BACKOFF = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(2), 1.5);

    /** What the spec asks for (local) and, once resolved, the template, node and VMID. */
    static final class Plan {
        final VmProvisionSpec spec;
        final ProxmoxOptions options;
        final boolean full;
        final Map<String, String> config;
        final List<ProxmoxClonePlanner.NicPlan> nics;
        final Long bootDiskGiB;
        final List<DiskInfo> extraDisks;
        int templateVmid;
        String templateNode;
        String node;
        String templateDescription = "";
        final Set<Integer> usedIds = new HashSet<>();
        volatile int vmid;

        Plan(VmProvisionSpec spec, ProxmoxOptions options, boolean full, Map<String, String> config,
             List<ProxmoxClonePlanner.NicPlan> nics, Long bootDiskGiB, List<DiskInfo> extraDisks) {
            this.spec = spec;
            this.options = options;
            this.full = full;
            this.config = config;
            this.nics = nics;
            this.bootDiskGiB = bootDiskGiB;
            this.extraDisks = extraDisks;
        }
    }

    /** The VM made: its VMID and node. */
    record Made(int vmid, String node) {
    }

    private final ProxmoxHypervisor hv;
    private final ProxmoxClonePlanner planner;
    private final Duration landingTime;

    ProxmoxProvisioning(ProxmoxHypervisor hv, ProxmoxClonePlanner planner) {
        this.hv = hv;
        this.planner = planner;
        this.landingTime = Duration.ofMillis(hv.props.number(ProxmoxProvider.LANDING_MILLIS));
    }

    private static ErrorContext ctx() {
        return ErrorContext.of(ProxmoxProvider.TYPE, OP);
    }

    @Override
    public Plan plan(VmProvisionSpec spec) {
        return planner.plan(spec);
    }

    // ---- resolve -------------------------------------------------------------------------------------

    @Override
    public CompletableFuture<Plan> resolve(Plan plan, OperationRun run) {
        // A guest the listing shows without a name (pvestatd lagging) may carry the name asked for: complete it first.
        return hv.inventory.vmResources(OP).thenCompose(list -> hv.inventory.completed(OP, list)).thenCompose(list -> {
            run.check();
            JsonNode template = template(plan, list);
            plan.templateVmid = ProxmoxMapper.asInt(template.get("vmid"), -1);
            plan.templateNode = ProxmoxMapper.asText(template.get("node"), "");
            plan.node = ProxmoxClonePlanner.nodeOf(plan.spec.placement()).orElse(plan.templateNode);
            plan.vmid = planner.pickVmid(plan.options.vmid().orElse(-1), plan.usedIds);
            CompletableFuture<Void> bridges = checkBridges(plan);
            CompletableFuture<JsonNode> config = hv.inventory.templateConfig(OP, plan.templateNode, plan.templateVmid, run.deadline());
            return bridges.thenCombine(config, (x, c) -> {
                plan.templateDescription = ProxmoxMapper.asText(c.get("description"), "");
                return plan;
            });
        });
    }

    private JsonNode template(Plan plan, List<JsonNode> list) {
        VmProvisionSpec spec = plan.spec;
        JsonNode template = null;
        for (JsonNode r : list) {
            int vmid = ProxmoxMapper.asInt(r.get("vmid"), -1);
            plan.usedIds.add(vmid);
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
                    "no template '" + spec.templateName().or(spec::templateId).orElse("") + "' is visible on this cluster "
                            + "(a privilege-separated token sees only the guests it is granted)", ctx());
        }
        return template;
    }

    private CompletableFuture<Void> checkBridges(Plan plan) {
        if (plan.nics.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        return hv.inventory.bridges(OP, plan.node).thenAccept(bridges -> {
            for (int i = 0; i < plan.nics.size(); i++) {
                String b = plan.nics.get(i).bridge();
                if (!bridges.contains(b)) {
                    throw new InvalidSpecException("nics[" + i + "].network", "no bridge '" + b + "' on node " + plan.node
                            + " (bridges: " + new TreeSet<>(bridges) + ")", ctx());
                }
            }
        });
    }

    // ---- create and find -----------------------------------------------------------------------------

    /** The description of the clone: the template's own, then the line that marks this create. */
    private static String description(Plan plan, String marker) {
        String own = plan.templateDescription.strip();
        return (own.isEmpty() ? "" : own + "\n\n") + "Created by DVMM SDK (" + marker + ")";
    }

    @Override
    public CompletableFuture<Made> create(Plan plan, CreateAttempt<Made> attempt, OperationRun run) {
        String storageKey = ProxmoxClonePlanner.storageOf(plan.spec.placement()).orElse("template-" + plan.templateNode);
        return planner.cloneLimit(storageKey).submit(() -> clone(plan, attempt, run, 1));
    }

    private CompletableFuture<Made> clone(Plan plan, CreateAttempt<Made> attempt, OperationRun run, int choice) {
        run.check();
        int vmid = plan.vmid;
        Map<String, String> form = new LinkedHashMap<>();
        form.put("newid", Integer.toString(vmid));
        form.put("name", plan.spec.name());
        form.put("full", plan.full ? "1" : "0");
        if (!plan.node.equals(plan.templateNode)) {
            form.put("target", plan.node);
        }
        ProxmoxClonePlanner.storageOf(plan.spec.placement()).ifPresent(s -> form.put("storage", s));
        ProxmoxClonePlanner.poolOf(plan.spec.placement()).ifPresent(p -> form.put("pool", p));
        form.put("description", description(plan, attempt.marker()));
        List<String> path = ProxmoxHypervisor.vmPath(plan.templateNode, plan.templateVmid, "clone");
        return hv.client.post(OP, path, form, run.deadline())
                .thenCompose(upid -> {
                    hv.inventory.remember(vmid, plan.node);
                    return hv.awaitTask(OP, upid, run);
                })
                .thenApply(x -> {
                    Made m = new Made(vmid, plan.node);
                    attempt.made(m);
                    return m;
                })
                .exceptionallyCompose(e -> {
                    Throwable cause = Futures.unwrap(e);
                    if (!ProxmoxErrors.vmidTaken(cause) || run.isCancelled()) {
                        return CompletableFuture.failedFuture(cause);
                    }
                    // The VMID exists: an earlier attempt of ours that landed late, or someone else's VM.
                    return ownedBy(plan, vmid, attempt.marker(), run).thenCompose(ours -> {
                        if (ours) {
                            Made m = new Made(vmid, plan.node);
                            attempt.made(m);
                            return waitUnlocked(m, run).thenApply(x -> m);
                        }
                        if (plan.options.vmid().isPresent() || choice >= MAX_VMID_CHOICES) {
                            return CompletableFuture.failedFuture(new ConflictException("VMID " + vmid
                                    + " is taken by another VM", ctx().withServer(null, cause.getMessage())));
                        }
                        LOG.debug("VMID {} is taken by another VM ({}); choosing another", vmid, cause.getMessage());
                        plan.usedIds.add(vmid);
                        plan.vmid = planner.pickVmid(-1, plan.usedIds);
                        return clone(plan, attempt, run, choice + 1);
                    });
                });
    }

    /** Whether the VM with this VMID carries the marker of this create. */
    private CompletableFuture<Boolean> ownedBy(Plan plan, int vmid, String marker, OperationRun run) {
        return hv.client.get(OP, ProxmoxHypervisor.vmPath(plan.node, vmid, "config"), Map.of(), run.deadline())
                .handle((config, e) -> {
                    if (e != null) {
                        Throwable cause = Futures.unwrap(e);
                        if (cause instanceof NotFoundException || cause instanceof PermissionDeniedException) {
                            return false;
                        }
                        throw cause instanceof HypervisorException he ? he
                                : new OperationFailedException("reading VM " + vmid + " failed", ctx(), null, List.of(), true, cause);
                    }
                    return ProxmoxMapper.asText(config.get("description"), "").contains(marker);
                });
    }

    @Override
    public CompletableFuture<Optional<Made>> find(Plan plan, CreateAttempt<Made> attempt, OperationRun run) {
        int vmid = plan.vmid;
        return ownedBy(plan, vmid, attempt.marker(), run).thenCompose(ours -> {
            if (!ours) {
                return CompletableFuture.completedFuture(Optional.<Made>empty());
            }
            Made m = new Made(vmid, plan.node);
            hv.inventory.remember(vmid, plan.node);
            return waitUnlocked(m, run).thenApply(x -> Optional.of(m));
        });
    }

    @Override
    public Duration landingTime() {
        return landingTime;
    }

    /** Waits until PVE releases the VM's lock (a clone may still run). */
    private CompletableFuture<JsonNode> waitUnlocked(Made m, OperationRun run) {
        return run.poll("VM " + m.vmid() + " to be unlocked", hv.stateBackoff,
                () -> hv.status(OP, m.node(), m.vmid(), run.deadline()).thenApply(s -> s.has("lock")
                        && !"destroyed".equals(s.get("lock").asText()) ? Optional.<JsonNode>empty() : Optional.of(s)));
    }

    // ---- configure, power on, IP, read back ------------------------------------------------------------

    @Override
    public CompletableFuture<Void> configure(Plan plan, Made m, OperationRun run) {
        // Setting the same values twice is harmless, unless the config allocates new disks.
        CompletableFuture<JsonNode> sent = plan.extraDisks.isEmpty()
                ? hv.client.postRepeatable(OP, ProxmoxHypervisor.vmPath(m.node(), m.vmid(), "config"), plan.config, run.deadline())
                : hv.client.post(OP, ProxmoxHypervisor.vmPath(m.node(), m.vmid(), "config"), plan.config, run.deadline());
        return sent.thenCompose(r -> hv.awaitTask(OP, r, run))
                .thenCompose(x -> resize(plan, m, run));
    }

    private CompletableFuture<Void> resize(Plan plan, Made m, OperationRun run) {
        run.check();
        if (plan.bootDiskGiB == null) {
            return CompletableFuture.completedFuture(null);
        }
        run.progress(50, "resizing " + plan.options.bootDisk() + " to " + plan.bootDiskGiB + " GiB");
        Map<String, String> form = Map.of("disk", plan.options.bootDisk(), "size", plan.bootDiskGiB + "G");
        return hv.client.put(OP, ProxmoxHypervisor.vmPath(m.node(), m.vmid(), "resize"), form, run.deadline())
                .thenCompose(r -> hv.awaitTask(OP, r, run))
                .<Void>thenApply(x -> null)
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

    @Override
    public CompletableFuture<Void> powerOn(Plan plan, Made m, OperationRun run) {
        return hv.powerTask(ProxmoxHypervisor.vmPath(m.node(), m.vmid(), "status", "start"), Map.of(), run).thenApply(x -> null);
    }

    /**
     * Waits for the guest agent to report an address on a DHCP NIC (matched by MAC) or, when the
     * spec names no NIC, on any of the template's NICs. Static addresses are known: no wait.
     */
    @Override
    public CompletableFuture<Void> waitForIp(Plan plan, Made m, OperationRun run) {
        boolean dhcp = plan.nics.isEmpty() || plan.nics.stream().anyMatch(n -> n.staticIp() == null);
        if (!dhcp) {
            return CompletableFuture.completedFuture(null);
        }
        return run.poll("a guest IP on VM " + m.vmid(), AGENT_BACKOFF,
                () -> hv.client.get(OP, ProxmoxHypervisor.vmPath(m.node(), m.vmid(), "agent", "network-get-interfaces"), Map.of(),
                                run.deadline())
                        .handle((data, e) -> {
                            if (e != null) {
                                Throwable cause = Futures.unwrap(e);
                                if (agentNotReady(cause)) {
                                    return Optional.<Boolean>empty();
                                }
                                throw cause instanceof HypervisorException he ? he
                                        : new OperationFailedException("guest agent query failed", ctx(), null, List.of(), false, cause);
                            }
                            if (plan.nics.isEmpty()) {
                                return ProxmoxMapper.agentIps(data, null).stream().anyMatch(Addresses::isUsable)
                                        ? Optional.of(Boolean.TRUE) : Optional.<Boolean>empty();
                            }
                            for (ProxmoxClonePlanner.NicPlan n : plan.nics) {
                                if (n.staticIp() == null && !ProxmoxMapper.agentIps(data, n.mac()).isEmpty()) {
                                    return Optional.of(Boolean.TRUE);
                                }
                            }
                            return Optional.<Boolean>empty();
                        })).thenApply(x -> null);
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

    /** Read back; the guest agent is asked only when a NIC takes its address by DHCP (static ones are in the config). */
    @Override
    public CompletableFuture<VmInfo> readBack(Plan plan, Made m, OperationRun run) {
        boolean dhcp = plan.nics.isEmpty() || plan.nics.stream().anyMatch(n -> n.staticIp() == null);
        return hv.details(OP, m.node(), m.vmid(), run.deadline(), dhcp);
    }

    // ---- rollback ----------------------------------------------------------------------------------------

    @Override
    public CompletableFuture<Void> remove(Made m, OperationRun run) {
        return waitUnlocked(m, run).thenCompose(x -> hv.destroy(m.node(), m.vmid(), run)).thenApply(x -> null);
    }

    @Override
    public String describe(Made m) {
        return "VM " + m.vmid() + " on node " + m.node();
    }
}
