package io.dvmm.sdk.inmemory;

import io.dvmm.sdk.ConflictException;
import io.dvmm.sdk.DiskSpec;
import io.dvmm.sdk.ErrorContext;
import io.dvmm.sdk.InvalidSpecException;
import io.dvmm.sdk.Inventory;
import io.dvmm.sdk.NicSpec;
import io.dvmm.sdk.Placement;
import io.dvmm.sdk.VmInfo;
import io.dvmm.sdk.VmProvisionSpec;
import io.dvmm.sdk.spi.support.Backoff;
import io.dvmm.sdk.spi.support.CreateAttempt;
import io.dvmm.sdk.spi.support.OperationRun;
import io.dvmm.sdk.spi.support.ProvisioningSteps;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/**
 * The in-memory cloud's {@code createVm} steps: the clone is a record that stays locked for one
 * task's time (the "server" finishes it whether or not the caller still waits), configure, guest
 * customization and power-on are tasks of their own.
 */
final class InMemoryProvisioning implements ProvisioningSteps<InMemoryProvisioning.Plan, InMemoryCloud.VmRecord> {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?");
    private static final Backoff UNLOCK_POLL = new Backoff(Duration.ofMillis(10), Duration.ofMillis(200), 1.5);

    /** The spec and what it resolved to. */
    record Plan(VmProvisionSpec spec, Inventory.Template template, String host, String datastore) {
    }

    private final InMemoryHypervisor hv;

    InMemoryProvisioning(InMemoryHypervisor hv) {
        this.hv = hv;
    }

    private static ErrorContext ctx() {
        return ErrorContext.of(InMemoryProvider.TYPE, "createVm");
    }

    @Override
    public Plan plan(VmProvisionSpec spec) {
        if (!NAME.matcher(spec.name()).matches()) {
            throw new InvalidSpecException("name", "the in-memory endpoint accepts DNS-style names only: letters, digits, "
                    + "'.', '_' and '-', starting and ending with a letter or digit; was '" + spec.name() + "'", ctx());
        }
        return new Plan(spec, null, null, null);
    }

    @Override
    public CompletableFuture<Plan> resolve(Plan plan, OperationRun run) {
        return hv.request("resolve", () -> {
            VmProvisionSpec spec = plan.spec();
            Inventory inv = hv.cloud.inventory();
            Inventory.Template template = spec.templateName()
                    .map(n -> inv.template(n).orElseThrow(() -> new InvalidSpecException("template",
                            "no template named '" + n + "' on this endpoint", ctx())))
                    .orElseGet(() -> inv.templates().stream().filter(t -> t.id().equals(spec.templateId().orElseThrow()))
                            .findFirst().orElseThrow(() -> new InvalidSpecException("templateId",
                                    "no template with id '" + spec.templateId().orElseThrow() + "' on this endpoint", ctx())));
            for (int i = 0; i < spec.nics().size(); i++) {
                String net = spec.nics().get(i).network();
                if (inv.networks().stream().noneMatch(n -> n.name().equals(net))) {
                    throw new InvalidSpecException("nics[" + i + "].network", "no network named '" + net + "'", ctx());
                }
            }
            Placement pl = spec.placement();
            pl.datacenterName().ifPresent(d -> one(inv.datacenters(), d, "placement.datacenter"));
            pl.clusterName().ifPresent(c -> one(inv.clusters(), c, "placement.cluster"));
            pl.clusterId().ifPresent(c -> byId(inv.clusters(), c, "placement.clusterId"));
            String host = pl.hostName().map(h -> one(inv.hosts(), h, "placement.host").name())
                    .or(() -> pl.hostId().map(h -> byId(inv.hosts(), h, "placement.hostId").name())).orElse(template.host());
            String datastore = pl.datastoreName().map(d -> one(inv.datastores(), d, "placement.datastore").name())
                    .or(() -> pl.datastoreId().map(d -> byId(inv.datastores(), d, "placement.datastoreId").name()))
                    .orElse(inv.datastores().get(0).name());
            pl.resourcePoolId().ifPresent(p -> byId(inv.resourcePools(), p, "placement.resourcePoolId"));
            for (int i = 0; i < spec.disks().size(); i++) {
                Optional<String> ds = spec.disks().get(i).datastoreName();
                if (ds.isPresent()) {
                    checkDatastore(inv, ds.get(), "disks[" + i + "].datastore");
                }
            }
            pl.resourcePoolName().ifPresent(p -> one(inv.resourcePools(), p, "placement.resourcePool"));
            if (!spec.disks().isEmpty() && spec.disks().get(0).sizeGiB() < template.diskGiB()) {
                throw new InvalidSpecException("disks[0].sizeGiB", "cannot shrink the template's " + template.diskGiB()
                        + " GiB boot disk", ctx());
            }
            if (hv.cloud.nameTaken(spec.name())) {
                throw new ConflictException("a VM named '" + spec.name() + "' already exists", ctx());
            }
            return new Plan(spec, template, host, datastore);
        });
    }

    /** The one entry of that name, or an error naming the field and the candidates. */
    private static <E extends Inventory.Entry> E one(List<E> entries, String name, String field) {
        List<E> matches = entries.stream().filter(e -> e.name().equals(name)).toList();
        if (matches.size() == 1) {
            return matches.get(0);
        }
        throw new InvalidSpecException(field, (matches.isEmpty() ? "no entry named '" + name + "'; known: "
                + entries.stream().map(Inventory.Entry::name).toList()
                : "'" + name + "' is ambiguous; candidates: " + matches.stream().map(e -> e.id() + " (" + e.path() + ")").toList()),
                ctx());
    }

    private static <E extends Inventory.Entry> E byId(List<E> entries, String id, String field) {
        return entries.stream().filter(e -> e.id().equals(id)).findFirst().orElseThrow(() ->
                new InvalidSpecException(field, "no entry with id '" + id + "'; known: "
                        + entries.stream().map(Inventory.Entry::id).toList(), ctx()));
    }

    private static void checkDatastore(Inventory inv, String name, String field) {
        if (inv.datastores().stream().noneMatch(d -> d.name().equals(name))) {
            throw new InvalidSpecException(field, "no datastore named '" + name + "'", ctx());
        }
    }

    @Override
    public CompletableFuture<InMemoryCloud.VmRecord> create(Plan plan, CreateAttempt<InMemoryCloud.VmRecord> attempt,
                                                            OperationRun run) {
        return hv.request("createVm", () -> {
            InMemoryCloud.VmRecord vm = hv.cloud.reserve(plan.spec().name(), plan.template(), plan.host(), attempt.marker())
                    .orElseThrow(() -> new ConflictException("a VM named '" + plan.spec().name() + "' already exists", ctx()));
            // The cloud finishes the clone on its own, as a hypervisor's task would.
            hv.later(hv.taskDuration, () -> {
                synchronized (vm) {
                    vm.locked = false;
                    vm.rawState = "stopped";
                }
            });
            return vm;
        }).thenCompose(vm -> {
            attempt.made(vm);
            return awaitUnlocked(vm, run);
        });
    }

    private CompletableFuture<InMemoryCloud.VmRecord> awaitUnlocked(InMemoryCloud.VmRecord vm, OperationRun run) {
        return run.poll("the clone " + vm.id + " to finish", UNLOCK_POLL, () -> {
            run.progress(vm.locked ? 50 : 100, "cloning " + vm.template);
            return CompletableFuture.completedFuture(vm.locked ? Optional.<InMemoryCloud.VmRecord>empty() : Optional.of(vm));
        });
    }

    @Override
    public CompletableFuture<Optional<InMemoryCloud.VmRecord>> find(Plan plan, CreateAttempt<InMemoryCloud.VmRecord> attempt,
                                                                    OperationRun run) {
        return hv.request("findVm", () -> Optional.ofNullable(hv.cloud.vmWithMarker(attempt.marker())))
                .thenCompose(vm -> vm.isEmpty() ? CompletableFuture.completedFuture(vm)
                        : awaitUnlocked(vm.get(), run).thenApply(Optional::of));
    }

    @Override
    public Duration landingTime() {
        return hv.taskDuration.multipliedBy(2).plusMillis(500);
    }

    @Override
    public CompletableFuture<Void> configure(Plan plan, InMemoryCloud.VmRecord vm, OperationRun run) {
        return hv.request("configureVm", () -> vm).thenCompose(x -> hv.task(run)).thenRun(() -> apply(plan, vm));
    }

    private void apply(Plan plan, InMemoryCloud.VmRecord vm) {
        VmProvisionSpec spec = plan.spec();
        synchronized (vm) {
            spec.cpuCount().ifPresent(c -> vm.cpu = c);
            spec.memoryMiB().ifPresent(m -> vm.memoryMiB = m);
            vm.datastore = plan.datastore();
            if (!spec.disks().isEmpty()) {
                vm.diskGiB = spec.disks().get(0).sizeGiB();
                for (DiskSpec d : spec.disks().subList(1, spec.disks().size())) {
                    vm.extraDisks.add(d.sizeGiB());
                }
            }
            List<NicSpec> nics = spec.nics().isEmpty()
                    ? List.of(NicSpec.dhcp(hv.cloud.inventory().networks().get(0).name())) : spec.nics();
            for (NicSpec n : nics) {
                String mac = n.mac().orElseGet(() -> String.format(Locale.ROOT, "bc:24:11:%02x:%02x:%02x",
                        (vm.id.hashCode() >> 16) & 0xff, (vm.id.hashCode() >> 8) & 0xff, (vm.nics.size() * 16 + vm.id.hashCode()) & 0xff));
                vm.nics.add(new String[] {n.network(), mac.toLowerCase(Locale.ROOT), n.ip().address().orElse(null)});
            }
            vm.metadata.putAll(spec.metadata());
            vm.ipDelay = hv.ipDelay;
        }
    }

    @Override
    public CompletableFuture<Void> customize(Plan plan, InMemoryCloud.VmRecord vm, OperationRun run) {
        return hv.request("customizeVm", () -> vm).thenCompose(x -> hv.task(run));
    }

    @Override
    public CompletableFuture<Void> powerOn(Plan plan, InMemoryCloud.VmRecord vm, OperationRun run) {
        return hv.request("startVm", () -> vm).thenCompose(x -> hv.task(run)).thenRun(() -> hv.powerOn(vm));
    }

    @Override
    public CompletableFuture<VmInfo> readBack(Plan plan, InMemoryCloud.VmRecord vm, OperationRun run) {
        return hv.request("getVm", () -> hv.info(vm));
    }

    @Override
    public CompletableFuture<Void> remove(InMemoryCloud.VmRecord vm, OperationRun run) {
        return awaitUnlocked(vm, run).thenCompose(x -> hv.request("deleteVm", () -> {
            hv.powerOff(vm);
            hv.cloud.remove(vm.id);
            return null;
        }));
    }

    @Override
    public String describe(InMemoryCloud.VmRecord vm) {
        return "VM " + vm.id + " ('" + vm.name + "')";
    }
}
