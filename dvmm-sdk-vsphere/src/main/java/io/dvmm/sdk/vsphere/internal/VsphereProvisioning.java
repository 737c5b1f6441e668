package io.dvmm.sdk.vsphere.internal;

import com.vmware.vim25.ArrayOfVirtualDevice;
import com.vmware.vim25.CustomizationSpec;
import com.vmware.vim25.ManagedObjectReference;
import com.vmware.vim25.VirtualDevice;
import com.vmware.vim25.VirtualMachineCloneSpec;
import com.vmware.vim25.VirtualMachineConfigSpec;
import com.vmware.vim25.VirtualMachinePowerState;
import io.dvmm.sdk.CloneMode;
import io.dvmm.sdk.ConflictException;
import io.dvmm.sdk.ErrorContext;
import io.dvmm.sdk.InvalidSpecException;
import io.dvmm.sdk.NotFoundException;
import io.dvmm.sdk.Placement;
import io.dvmm.sdk.VmInfo;
import io.dvmm.sdk.VmProvisionSpec;
import io.dvmm.sdk.spi.support.CreateAttempt;
import io.dvmm.sdk.spi.support.Futures;
import io.dvmm.sdk.spi.support.OperationRun;
import io.dvmm.sdk.spi.support.ProvisioningSteps;
import io.dvmm.sdk.vsphere.internal.CloneSpecs.Placed;
import io.dvmm.sdk.vsphere.internal.VimSession.Scope;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The vSphere steps of {@code createVm}, run by the SDK's create skeleton: resolve (placement
 * catalog, template, name check: {@code FindChild}), one {@code CloneVM_Task} that already carries
 * configuration, customization and power-on, then fix-ups for what the server did not apply
 * ({@code ReconfigVM_Task}, {@code CustomizeVM_Task}, {@code PowerOnVM_Task}), the guest IP wait
 * and the read back. The clone carries the create's marker in its extraConfig, so that a clone
 * whose answer was lost is found ({@code FindChild} in the target folder, then the marker). One
 * instance per {@code createVm}: it remembers the clone task and what it read of the VM.
 */
final class VsphereProvisioning implements ProvisioningSteps<VsphereProvisioning.Plan, ManagedObjectReference> {

    private static final Logger LOG = LoggerFactory.getLogger(VsphereProvisioning.class);

    /** What a VM is read with during a create: what VmInfo needs, plus what the fix-ups look at. */
    private static final String[] CREATE_PROPS = concat(VmMapper.VM_PROPS, "config.tools.pendingCustomization", "config.annotation");
    /** Characters a VM name may not hold on vSphere beyond the portable rules: datastore path delimiters. */
    private static final String FORBIDDEN_NAME_CHARS = "[]";

    /**
     * The spec and, once resolved, where and from what the clone is made.
     *
     * @param site     the catalog seen from the chosen datacenter; {@code null} until resolved
     * @param template the template's entry; {@code null} until resolved
     */
    record Plan(VmProvisionSpec spec, CloneSpecs specs, VimCatalog.Within site, VimCatalog.Entry template,
                Map<String, Object> templateDetails, Placed placed) {
        VirtualDevice[] templateDevices() {
            return templateDetails.get("config.hardware.device") instanceof ArrayOfVirtualDevice a ? a.getVirtualDevice() : null;
        }
    }

    /** What the catalog alone decides: the datacenter, the template and the placement targets. */
    record Selection(VimCatalog.Within site, VimCatalog.Entry template, Placed placed) {
    }

    private final VsphereHypervisor hv;
    private volatile ManagedObjectReference cloneTask;
    /** The wait for the clone task, once started; its outcome answers {@link #find} without another request. */
    private volatile CompletableFuture<Object> cloneOutcome;
    private volatile Map<String, Object> seen = Map.of();
    private volatile Map<String, Object> ready;

    VsphereProvisioning(VsphereHypervisor hv) {
        this.hv = hv;
    }

    private static ErrorContext ctx() {
        return VimErrors.ctx("createVm");
    }

    @Override
    public Plan plan(VmProvisionSpec spec) {
        for (char c : FORBIDDEN_NAME_CHARS.toCharArray()) {
            if (spec.name().indexOf(c) >= 0) {
                throw new InvalidSpecException("name", "must not contain '[' or ']' on vSphere (datastore path delimiters)", ctx());
            }
        }
        return new Plan(spec, new CloneSpecs(spec), null, null, null, null);
    }

    @Override
    public CompletableFuture<Plan> resolve(Plan plan, OperationRun run) {
        Scope scope = VimTasks.scope(run);
        VmProvisionSpec spec = plan.spec();
        boolean cached = hv.hasCatalog();
        return hv.catalog(scope, false).thenCompose(cat -> {
            try {
                return CompletableFuture.completedFuture(select(cat, spec));
            } catch (InvalidSpecException e) {
                if (!cached) {
                    throw e;
                }
                // The cached catalog may predate what the spec names: decide again on a fresh one.
                return hv.catalog(scope, true).thenApply(fresh -> select(fresh, spec));
            }
        }).thenCompose(sel -> hv.templateDetails(scope, sel.template().ref()).thenCompose(details -> {
            Plan resolved = new Plan(spec, plan.specs(), sel.site(), sel.template(), details, sel.placed());
            plan.specs().checkDisks(sel.site(), resolved.templateDevices());
            plan.specs().nicChanges(sel.site(), resolved.templateDevices()); // validates every NIC's network
            if (spec.cloneMode() == CloneMode.LINKED && !(details.get("snapshot.currentSnapshot") instanceof ManagedObjectReference)) {
                throw new InvalidSpecException("cloneMode", "a linked clone needs a snapshot on template '" + sel.template().name() + "'", ctx());
            }
            run.check();
            return hv.port().findChild(scope, resolved.placed().folder(), spec.name()).thenApply(existing -> {
                if (existing != null) {
                    throw new ConflictException("a VM named '" + spec.name() + "' already exists in "
                            + sel.site().catalog().path(sel.site().catalog().get(resolved.placed().folder()).orElse(sel.site().datacenter())),
                            ctx().withServer("DuplicateName", null));
                }
                return resolved;
            });
        }));
    }

    /**
     * Decides the datacenter (the placement's, else the absolute folder path's, else the
     * template's), then every target within it: by id, or by name within the datacenter. An
     * unknown or ambiguous name fails naming the field and the candidates.
     */
    static Selection select(VimCatalog cat, VmProvisionSpec spec) {
        Placement pl = spec.placement();
        VimCatalog.Entry dc = pl.datacenterName().map(n -> cat.one("Datacenter", n, null, "placement.datacenter", "datacenter"))
                .orElse(null);
        VimCatalog.Entry folder = null;
        if (pl.folderPath().isPresent() && pl.folderPath().get().startsWith("/")) {
            folder = cat.vmFolder(pl.folderPath().get(), dc, "placement.folder");
            dc = dc != null ? dc : cat.datacenterOf(folder);
        }
        VimCatalog.Entry template = spec.templateId().isPresent()
                ? cat.byId("VirtualMachine", spec.templateId().get(), null, "templateId", "template")
                : cat.one("VirtualMachine", spec.templateName().orElseThrow(), dc, "template", "template");
        dc = dc != null ? dc : cat.datacenterOf(template);
        if (dc == null || dc.ref("vmFolder") == null) {
            throw new InvalidSpecException("placement.datacenter", "the template's datacenter is not visible to this account", ctx());
        }
        VimCatalog.Entry host = null;
        if (pl.hostId().isPresent()) {
            host = cat.byId("HostSystem", pl.hostId().get(), dc, "placement.hostId", "host");
        } else if (pl.hostName().isPresent()) {
            host = cat.one("HostSystem", pl.hostName().get(), dc, "placement.host", "host");
        }
        VimCatalog.Entry cluster = null;
        if (pl.clusterId().isPresent()) {
            cluster = cat.byId("ClusterComputeResource", pl.clusterId().get(), dc, "placement.clusterId", "cluster");
        } else if (pl.clusterName().isPresent()) {
            cluster = cat.one("ClusterComputeResource", pl.clusterName().get(), dc, "placement.cluster", "cluster");
        }
        VimCatalog.Entry compute = host != null ? cat.get(host.ref("parent")).orElse(null) : cluster;
        if (host != null && cluster != null && !cluster.ref().equals(host.ref("parent"))) {
            throw new InvalidSpecException("placement.host", "host " + cat.path(host) + " is not in cluster " + cat.path(cluster), ctx());
        }
        ManagedObjectReference pool = null;
        if (pl.resourcePoolId().isPresent() || pl.resourcePoolName().isPresent()) {
            // Pools (and vApps) named within the compute resource when one is given: every cluster has its "Resources".
            VimCatalog.Entry owner = compute;
            List<VimCatalog.Entry> among = cat.all("ResourcePool").stream()
                    .filter(p -> owner == null || owner.ref().equals(p.ref("owner"))).toList();
            VimCatalog.Entry p = pl.resourcePoolId().isPresent()
                    ? cat.byId("ResourcePool", pl.resourcePoolId().get(), dc, "placement.resourcePoolId", "resource pool")
                    : cat.one(among, pl.resourcePoolName().get(), dc, "placement.resourcePool", "resource pool");
            if (owner != null && !owner.ref().equals(p.ref("owner"))) {
                throw new InvalidSpecException("placement.resourcePoolId", "resource pool " + cat.path(p) + " is not in "
                        + cat.path(owner), ctx());
            }
            pool = p.ref();
        } else if (compute != null) {
            pool = compute.ref("resourcePool");
        }
        VimCatalog.Entry inDc = dc;
        if (pool == null && template.ref("runtime.host") != null) {
            pool = cat.get(template.ref("runtime.host")).flatMap(h -> cat.get(h.ref("parent")))
                    .filter(cr -> inDc.equals(cat.datacenterOf(cr))).map(cr -> cr.ref("resourcePool")).orElse(null);
        }
        if (pool == null) {
            pool = cat.all("ComputeResource").stream().filter(cr -> inDc.equals(cat.datacenterOf(cr)))
                    .map(e -> e.ref("resourcePool")).filter(Objects::nonNull).findFirst().orElseThrow(() ->
                            new InvalidSpecException("placement", "no resource pool to place the VM in" + " in datacenter '"
                                    + inDc.name() + "'", ctx()));
        }
        ManagedObjectReference datastore = null;
        if (pl.datastoreId().isPresent()) {
            datastore = cat.byId("Datastore", pl.datastoreId().get(), dc, "placement.datastoreId", "datastore").ref();
        } else if (pl.datastoreName().isPresent()) {
            datastore = datastore(cat, pl.datastoreName().get(), dc).ref();
        }
        if (pl.folderPath().isPresent()) {
            folder = cat.vmFolder(pl.folderPath().get(), dc, "placement.folder");
        }
        ManagedObjectReference folderRef = folder != null ? folder.ref() : dc.ref("vmFolder");
        return new Selection(new VimCatalog.Within(cat, dc), template,
                new Placed(folderRef, pool, host == null ? null : host.ref(), datastore));
    }

    /** A datastore by name; a datastore cluster's name is refused naming its datastores (Storage DRS placement is not offered). */
    private static VimCatalog.Entry datastore(VimCatalog cat, String name, VimCatalog.Entry dc) {
        List<VimCatalog.Entry> pods = cat.all("StoragePod").stream().filter(p -> p.name().equals(name))
                .filter(p -> dc.equals(cat.datacenterOf(p))).toList();
        if (!pods.isEmpty() && cat.all("Datastore").stream().noneMatch(d -> d.name().equals(name) && dc.equals(cat.datacenterOf(d)))) {
            String members = cat.all("Datastore").stream().filter(d -> pods.get(0).ref().equals(d.ref("parent")))
                    .map(VimCatalog.Entry::name).collect(java.util.stream.Collectors.joining(", "));
            throw new InvalidSpecException("placement.datastore", "'" + name + "' is a datastore cluster; name one of its datastores ("
                    + members + ")", ctx());
        }
        return cat.one("Datastore", name, dc, "placement.datastore", "datastore");
    }

    @Override
    public CompletableFuture<ManagedObjectReference> create(Plan plan, CreateAttempt<ManagedObjectReference> attempt, OperationRun run) {
        ManagedObjectReference snapshot = plan.templateDetails().get("snapshot.currentSnapshot") instanceof ManagedObjectReference s ? s : null;
        VirtualMachineCloneSpec clone = plan.specs().cloneSpec(plan.placed(), snapshot, plan.site(), plan.templateDevices(),
                attempt.marker());
        run.check();
        return hv.port().cloneVmTask(VimTasks.scope(run), plan.template().ref(), plan.placed().folder(), plan.spec().name(), clone)
                .thenCompose(task -> {
                    cloneTask = task;
                    CompletableFuture<Object> outcome = hv.tasks().await(task, run);
                    cloneOutcome = outcome;
                    return outcome;
                })
                .thenApply(result -> {
                    if (!(result instanceof ManagedObjectReference vm)) {
                        throw hv.protocol("createVm", "CloneVM_Task finished without naming the new VM");
                    }
                    attempt.made(vm);
                    return vm;
                });
    }

    @Override
    public CompletableFuture<Optional<ManagedObjectReference>> find(Plan plan, CreateAttempt<ManagedObjectReference> attempt,
                                                                    OperationRun run) {
        ManagedObjectReference task = cloneTask;
        if (task == null) {
            return byMarker(plan, attempt, run);
        }
        // The clone task is known: its outcome says whether it made the VM (waited for again if the first wait was cut short).
        CompletableFuture<Object> known = cloneOutcome;
        CompletableFuture<Object> outcome = settled(known) ? known : hv.tasks().await(task, run.operation(), run.deadline());
        return outcome.handle((result, e) -> {
            if (e == null && result instanceof ManagedObjectReference vm) {
                return CompletableFuture.completedFuture(Optional.of(vm));
            }
            if (e != null && !unknownOutcome(Futures.unwrap(e))) {
                return CompletableFuture.completedFuture(Optional.<ManagedObjectReference>empty()); // the task failed: nothing made
            }
            // The task's outcome could not be read (the wait itself failed): look for the VM instead of assuming none.
            return byMarker(plan, attempt, run);
        }).thenCompose(f -> f);
    }

    /** {@code FindChild} in the target folder, then the marker in the VM's extraConfig: a VM of the name without it is not ours. */
    private CompletableFuture<Optional<ManagedObjectReference>> byMarker(Plan plan, CreateAttempt<ManagedObjectReference> attempt,
                                                                        OperationRun run) {
        Scope scope = VimTasks.scope(run);
        return hv.port().findChild(scope, plan.placed().folder(), plan.spec().name()).thenCompose(vm -> {
            if (vm == null) {
                return CompletableFuture.completedFuture(Optional.<ManagedObjectReference>empty());
            }
            return hv.retrieve(scope, vm, "config.extraConfig").handle((props, e) -> {
                if (e != null) {
                    Throwable cause = Futures.unwrap(e);
                    if (cause instanceof NotFoundException) {
                        return Optional.<ManagedObjectReference>empty();
                    }
                    throw new java.util.concurrent.CompletionException(cause);
                }
                return CloneSpecs.hasMarker(props.get("config.extraConfig"), attempt.marker()) ? Optional.of(vm)
                        : Optional.<ManagedObjectReference>empty();
            });
        });
    }

    /** Whether an error of a task wait says nothing about the task (the wait was cut short, its answers lost or garbled). */
    private static boolean unknownOutcome(Throwable e) {
        return e instanceof io.dvmm.sdk.OperationTimeoutException || e instanceof io.dvmm.sdk.UnavailableException
                || e instanceof io.dvmm.sdk.ProtocolException || e instanceof java.util.concurrent.CancellationException
                || e instanceof NotFoundException;
    }

    /** Whether a task wait ended with the task's own outcome (not cut short by a cancel, a deadline or the connection). */
    private static boolean settled(CompletableFuture<Object> wait) {
        if (wait == null || !wait.isDone() || wait.isCancelled()) {
            return false;
        }
        Throwable e = wait.handle((v, x) -> x == null ? null : Futures.unwrap(x)).join();
        return e == null || !unknownOutcome(e);
    }

    @Override
    public CompletableFuture<Void> configure(Plan plan, ManagedObjectReference vm, OperationRun run) {
        Scope scope = VimTasks.scope(run);
        // Convergent: every attempt reads the VM and applies only what is still missing.
        return converge(run, 1, () -> hv.retrieve(scope, vm, CREATE_PROPS).thenCompose(now -> {
            seen = now;
            VirtualMachineConfigSpec fix = plan.specs().missingConfig(now);
            if (fix == null) {
                return CompletableFuture.completedFuture(null);
            }
            run.progress(10, "applying configuration the clone did not");
            return hv.tasks().run(run, s -> hv.port().reconfigVmTask(s, vm, fix)).thenApply(x -> null);
        }));
    }

    @Override
    public CompletableFuture<Void> customize(Plan plan, ManagedObjectReference vm, OperationRun run) {
        CustomizationSpec customization = plan.specs().customization();
        if (customization == null) {
            return CompletableFuture.completedFuture(null);
        }
        Scope scope = VimTasks.scope(run);
        int[] attempt = {0};
        return converge(run, 1, () -> (attempt[0]++ == 0 ? CompletableFuture.completedFuture(seen)
                : hv.retrieve(scope, vm, CREATE_PROPS).thenApply(now -> seen = now)).thenCompose(now -> {
            Object pending = now.get("config.tools.pendingCustomization");
            boolean applied = pending != null && !pending.toString().isEmpty();
            if (applied || poweredOn()) {
                return CompletableFuture.completedFuture(null);
            }
            return hv.tasks().run(run, s -> hv.port().customizeVmTask(s, vm, customization)).thenApply(x -> null);
        }));
    }

    private boolean poweredOn() {
        return seen.get("runtime.powerState") == VirtualMachinePowerState.poweredOn;
    }

    @Override
    public CompletableFuture<Void> powerOn(Plan plan, ManagedObjectReference vm, OperationRun run) {
        Scope scope = VimTasks.scope(run);
        int[] attempt = {0};
        // The first attempt trusts what configure read; a retry after a lost answer reads the power state again.
        return converge(run, 1, () -> (attempt[0]++ == 0 ? CompletableFuture.completedFuture(seen)
                : hv.retrieve(scope, vm, CREATE_PROPS).thenApply(now -> seen = now)).thenCompose(now -> poweredOn()
                ? CompletableFuture.completedFuture(null)
                : hv.tasks().run(run, s -> hv.port().powerOnVmTask(s, vm)).thenApply(x -> null)));
    }

    /** Attempts of a convergent step, at most. */
    private static final int STEP_ATTEMPTS = 3;

    /**
     * Runs a convergent step (one that reads the VM and does only what is still missing) again
     * when an attempt's outcome is unknown (the answer to its task request was lost, late or
     * garbled) or the VM was busy (a task the lost request started is still running), while the
     * deadline allows.
     */
    private CompletableFuture<Void> converge(OperationRun run, int attempt, java.util.function.Supplier<CompletableFuture<Void>> step) {
        return Futures.guard(step).handle((v, e) -> {
            if (e == null) {
                return CompletableFuture.<Void>completedFuture(null);
            }
            Throwable cause = Futures.unwrap(e);
            boolean again = attempt < STEP_ATTEMPTS && !run.isCancelled() && !run.deadline().expired()
                    && (unknownOutcome(cause) && !(cause instanceof NotFoundException) || cause instanceof io.dvmm.sdk.BusyException);
            if (!again) {
                return Futures.<Void>failed(cause);
            }
            LOG.debug("{}: a step's outcome is unknown ({}); reading the VM and trying again", run.operation(), cause.getMessage());
            return run.sleep(Duration.ofMillis(250L * attempt)).thenCompose(x -> converge(run, attempt + 1, step));
        }).thenCompose(f -> f);
    }

    @Override
    public CompletableFuture<Void> waitForIp(Plan plan, ManagedObjectReference vm, OperationRun run) {
        return run.waitFor(hv.updates().await(VimTasks.scope(run), vm, VmMapper.VM_PROPS,
                p -> p.get("runtime.powerState") == VirtualMachinePowerState.poweredOn && VmMapper.hasUsableIp(p),
                "a guest IP address on " + describe(vm))).thenAccept(p -> ready = p);
    }

    @Override
    public CompletableFuture<VmInfo> readBack(Plan plan, ManagedObjectReference vm, OperationRun run) {
        Map<String, Object> p = ready;
        if (p != null) {
            // The IP wait just saw the VM as it is now (its filter was created after every task above).
            ready = null;
            return CompletableFuture.completedFuture(VmMapper.toVmInfo(vm, p, hv::hostName));
        }
        return hv.retrieve(VimTasks.scope(run), vm, VmMapper.VM_PROPS).thenApply(props -> VmMapper.toVmInfo(vm, props, hv::hostName));
    }

    @Override
    public CompletableFuture<Void> remove(ManagedObjectReference vm, OperationRun run) {
        return hv.power().destroy(vm, run);
    }

    @Override
    public String describe(ManagedObjectReference vm) {
        return "VM " + vm.getVal();
    }

    private static String[] concat(String[] a, String... b) {
        List<String> out = new ArrayList<>(List.of(a));
        out.addAll(List.of(b));
        return out.toArray(String[]::new);
    }
}
