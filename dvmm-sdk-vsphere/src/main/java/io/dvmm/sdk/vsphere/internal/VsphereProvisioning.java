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
import io.dvmm.sdk.vsphere.VsphereOptions;
import io.dvmm.sdk.vsphere.internal.CloneSpecs.Placed;
import io.dvmm.sdk.vsphere.internal.VimSession.Scope;

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

    /** What a VM is read with during a create: what VmInfo needs, plus what the fix-ups look at. */
    private static final String[] CREATE_PROPS = concat(VmMapper.VM_PROPS, "config.tools.pendingCustomization", "config.annotation");
    /** Characters a VM name may not hold on vSphere beyond the portable rules: datastore path delimiters. */
    private static final String FORBIDDEN_NAME_CHARS = "[]";

    /**
     * The spec and, once resolved, where and from what the clone is made.
     *
     * @param template the template's entry; {@code null} until resolved
     */
    record Plan(VmProvisionSpec spec, CloneSpecs specs, VimCatalog catalog, VimCatalog.Entry template,
                Map<String, Object> templateDetails, Placed placed) {
        VirtualDevice[] templateDevices() {
            return templateDetails.get("config.hardware.device") instanceof ArrayOfVirtualDevice a ? a.getVirtualDevice() : null;
        }
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
        return hv.catalog(scope, false).thenCompose(cat -> {
            VimCatalog.Entry t = findTemplate(cat, spec);
            return t != null ? CompletableFuture.completedFuture(cat) : hv.catalog(scope, true);
        }).thenCompose(cat -> {
            VimCatalog.Entry template = findTemplate(cat, spec);
            if (template == null) {
                throw new InvalidSpecException(spec.templateId().isPresent() ? "templateId" : "template", "no template named '"
                        + spec.templateName().or(spec::templateId).orElse("") + "' exists on this endpoint", ctx());
            }
            return hv.templateDetails(scope, template.ref()).thenCompose(details -> {
                Plan resolved = new Plan(spec, plan.specs(), cat, template, details, place(cat, template, details, spec));
                plan.specs().checkDisks(cat, resolved.templateDevices());
                plan.specs().nicChanges(cat, resolved.templateDevices()); // validates every NIC's network
                if (spec.cloneMode() == CloneMode.LINKED && !(details.get("snapshot.currentSnapshot") instanceof ManagedObjectReference)) {
                    throw new InvalidSpecException("cloneMode", "a linked clone needs a snapshot on template '" + template.name() + "'", ctx());
                }
                run.check();
                return hv.port().findChild(scope, resolved.placed().folder(), spec.name()).thenApply(existing -> {
                    if (existing != null) {
                        throw new ConflictException("a VM named '" + spec.name() + "' already exists in its folder",
                                ctx().withServer("DuplicateName", null));
                    }
                    return resolved;
                });
            });
        });
    }

    private static VimCatalog.Entry findTemplate(VimCatalog cat, VmProvisionSpec spec) {
        if (spec.templateId().isPresent()) {
            return cat.all("VirtualMachine").stream().filter(e -> e.ref().getVal().equals(spec.templateId().get())).findFirst().orElse(null);
        }
        return cat.named("VirtualMachine", spec.templateName().orElseThrow()).orElse(null);
    }

    private static Placed place(VimCatalog cat, VimCatalog.Entry template, Map<String, Object> details, VmProvisionSpec spec) {
        Placement pl = spec.placement();
        ManagedObjectReference host = null;
        ManagedObjectReference pool = null;
        if (pl.hostName().isPresent()) {
            VimCatalog.Entry h = cat.named("HostSystem", pl.hostName().get()).orElseThrow(() ->
                    new InvalidSpecException("placement.host", "no host named '" + pl.hostName().get() + "'", ctx()));
            host = h.ref();
            pool = cat.get(h.ref("parent")).map(cr -> cr.ref("resourcePool")).orElse(null);
        }
        if (pl.clusterName().isPresent()) {
            VimCatalog.Entry cl = cat.all("ComputeResource").stream().filter(cat::isCluster)
                    .filter(e -> e.name().equals(pl.clusterName().get())).findFirst().orElseThrow(() ->
                            new InvalidSpecException("placement.cluster", "no cluster named '" + pl.clusterName().get() + "'", ctx()));
            pool = cl.ref("resourcePool");
        }
        if (pl.resourcePoolName().isPresent()) {
            pool = cat.named("ResourcePool", pl.resourcePoolName().get()).orElseThrow(() ->
                    new InvalidSpecException("placement.resourcePool", "no resource pool named '"
                            + pl.resourcePoolName().get() + "'", ctx())).ref();
        }
        if (pool == null && details.get("resourcePool") instanceof ManagedObjectReference own) {
            pool = own;
        }
        if (pool == null && template.ref("runtime.host") != null) {
            pool = cat.get(template.ref("runtime.host")).flatMap(h -> cat.get(h.ref("parent")))
                    .map(cr -> cr.ref("resourcePool")).orElse(null);
        }
        if (pool == null) {
            pool = cat.all("ComputeResource").stream().map(e -> e.ref("resourcePool")).filter(Objects::nonNull)
                    .findFirst().orElseThrow(() -> new InvalidSpecException("placement", "no resource pool to place the VM in", ctx()));
        }
        ManagedObjectReference datastore = null;
        if (pl.datastoreName().isPresent()) {
            datastore = cat.named("Datastore", pl.datastoreName().get()).orElseThrow(() ->
                    new InvalidSpecException("placement.datastore", "no datastore named '" + pl.datastoreName().get() + "'", ctx())).ref();
        }
        String folderName = spec.providerOptions(VsphereOptions.class).flatMap(VsphereOptions::folder).or(pl::folderPath).orElse(null);
        ManagedObjectReference folder;
        if (folderName != null) {
            folder = cat.all("Folder").stream().filter(f -> f.name().equals(folderName)).findFirst().orElseThrow(() ->
                    new InvalidSpecException("placement.folder", "no folder named '" + folderName + "'", ctx())).ref();
        } else {
            VimCatalog.Entry dc = pl.datacenterName().flatMap(n -> cat.named("Datacenter", n))
                    .orElse(cat.all("Datacenter").isEmpty() ? null : cat.all("Datacenter").get(0));
            if (dc == null || dc.ref("vmFolder") == null) {
                throw new InvalidSpecException("placement.datacenter", "no datacenter VM folder found", ctx());
            }
            folder = dc.ref("vmFolder");
        }
        return new Placed(folder, pool, host, datastore);
    }

    @Override
    public CompletableFuture<ManagedObjectReference> create(Plan plan, CreateAttempt<ManagedObjectReference> attempt, OperationRun run) {
        ManagedObjectReference snapshot = plan.templateDetails().get("snapshot.currentSnapshot") instanceof ManagedObjectReference s ? s : null;
        VirtualMachineCloneSpec clone = plan.specs().cloneSpec(plan.placed(), snapshot, plan.catalog(), plan.templateDevices(),
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
        if (task != null) {
            // The clone task is known: its outcome says whether it made the VM (waited for again if the first wait was cut short).
            CompletableFuture<Object> known = cloneOutcome;
            CompletableFuture<Object> outcome = settled(known) ? known : hv.tasks().await(task, run.operation(), run.deadline());
            return outcome.handle((result, e) ->
                    Optional.ofNullable(e == null && result instanceof ManagedObjectReference vm ? vm : null));
        }
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
                // A VM of the name without this create's marker is someone else's (or not finished): not ours.
                return CloneSpecs.hasMarker(props.get("config.extraConfig"), attempt.marker()) ? Optional.of(vm)
                        : Optional.<ManagedObjectReference>empty();
            });
        });
    }

    /** Whether a task wait ended with the task's own outcome (not cut short by a cancel, a deadline or the connection). */
    private static boolean settled(CompletableFuture<Object> wait) {
        if (wait == null || !wait.isDone() || wait.isCancelled()) {
            return false;
        }
        Throwable e = wait.handle((v, x) -> x == null ? null : Futures.unwrap(x)).join();
        return e == null || !(e instanceof io.dvmm.sdk.OperationTimeoutException || e instanceof io.dvmm.sdk.UnavailableException
                || e instanceof java.util.concurrent.CancellationException || e instanceof NotFoundException);
    }

    @Override
    public CompletableFuture<Void> configure(Plan plan, ManagedObjectReference vm, OperationRun run) {
        Scope scope = VimTasks.scope(run);
        return hv.retrieve(scope, vm, CREATE_PROPS).thenCompose(now -> {
            seen = now;
            VirtualMachineConfigSpec fix = plan.specs().missingConfig(now);
            if (fix == null) {
                return CompletableFuture.completedFuture(null);
            }
            run.progress(10, "applying configuration the clone did not");
            return hv.tasks().run(run, s -> hv.port().reconfigVmTask(s, vm, fix)).thenApply(x -> null);
        });
    }

    @Override
    public CompletableFuture<Void> customize(Plan plan, ManagedObjectReference vm, OperationRun run) {
        CustomizationSpec customization = plan.specs().customization();
        Object pending = seen.get("config.tools.pendingCustomization");
        boolean applied = pending != null && !pending.toString().isEmpty();
        if (customization == null || applied || poweredOn()) {
            return CompletableFuture.completedFuture(null);
        }
        return hv.tasks().run(run, s -> hv.port().customizeVmTask(s, vm, customization)).thenApply(x -> null);
    }

    private boolean poweredOn() {
        return seen.get("runtime.powerState") == VirtualMachinePowerState.poweredOn;
    }

    @Override
    public CompletableFuture<Void> powerOn(Plan plan, ManagedObjectReference vm, OperationRun run) {
        if (poweredOn()) {
            return CompletableFuture.completedFuture(null);
        }
        return hv.tasks().run(run, s -> hv.port().powerOnVmTask(s, vm)).thenApply(x -> null);
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
