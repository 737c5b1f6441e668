package io.dvmm.sdk.powervm.internal;

import io.dvmm.sdk.CloneMode;
import io.dvmm.sdk.DiskSpec;
import io.dvmm.sdk.ErrorContext;
import io.dvmm.sdk.InvalidSpecException;
import io.dvmm.sdk.NotFoundException;
import io.dvmm.sdk.VmProvisionSpec;
import io.dvmm.sdk.powervm.PowerVmProvider;
import io.dvmm.sdk.spi.support.Futures;
import io.dvmm.sdk.spi.support.OperationRun;
import io.dvmm.sdk.spi.support.RequiredCapabilities;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Where a new LPAR's disks come from and go, decided in {@code createVm}'s resolve step: the
 * template's boot disk as the VIOSes map it (a logical unit is preferred, and every VIOS that maps
 * it serves the clone), the shared storage pool that holds it (its cluster from what the
 * connection keeps, the pool read now: its ETag guards the update that adds the new units), or,
 * for the empty disk of a full clone, the datastore the placement names (a pool by name, else a
 * volume group as {@code <vios>/<group>} or by its name), and the VIOS with a media repository for
 * the config drive. Further disks go where the boot disk goes.
 */
final class StoragePlacement {
    private final PowerVmHypervisor hv;

    StoragePlacement(PowerVmHypervisor hv) {
        this.hv = hv;
    }

    private static ErrorContext ctx() {
        return ErrorContext.of(PowerVmProvider.TYPE, PowerVmProvisioning.OP);
    }

    /** Where the boot disk comes from and goes to, and the VIOSes that serve it. */
    CompletableFuture<PowerVmProvisioning.Plan> place(PowerVmProvisioning.Plan plan, OperationRun run) {
        VmProvisionSpec spec = plan.spec;
        List<VirtualStorage.Vios> templateVioses = new ArrayList<>();
        VirtualStorage.Device source = null;
        for (VirtualStorage.Vios v : plan.vioses) {
            for (HmcObjects.ScsiMapping m : v.view().mappings()) {
                VirtualStorage.Device d = VirtualStorage.Device.of(m.storage());
                if (!plan.templateUuid.equalsIgnoreCase(m.clientUuid()) || d == null || !d.isDisk()) {
                    continue;
                }
                if (source == null || source.kind() != VirtualStorage.Kind.LOGICAL_UNIT && d.kind() == VirtualStorage.Kind.LOGICAL_UNIT) {
                    source = d;
                    templateVioses.clear();
                }
                if (same(source, d) && !templateVioses.contains(v)) {
                    templateVioses.add(v);
                }
            }
        }
        plan.source = source;
        Optional<Long> firstDisk = spec.disks().isEmpty() ? Optional.empty() : Optional.of(spec.disks().get(0).sizeGiB());
        for (int i = 1; i < spec.disks().size(); i++) {
            DiskSpec d = spec.disks().get(i);
            plan.extraGb.add(BigDecimal.valueOf(d.sizeGiB()));
        }
        String datastore = spec.placement().datastoreName().orElse(null);
        if (spec.cloneMode() == CloneMode.LINKED) {
            if (source == null || source.kind() != VirtualStorage.Kind.LOGICAL_UNIT) {
                throw new InvalidSpecException("cloneMode", "the boot disk of the template is " + (source == null ? "missing"
                        : "a " + describe(source.kind())) + "; a linked clone needs a logical unit of a shared storage pool "
                        + "(for a new, empty disk use CloneMode.FULL with PowerVmOptions.emptyBootDisk(true))", ctx());
            }
            VirtualStorage.Device src = source;
            plan.serving = List.copyOf(templateVioses);
            return poolHolding(src, templateVioses, run).thenApply(store -> {
                if (datastore != null && !datastore.equals(store.name())) {
                    throw new InvalidSpecException("placement.datastore", "a linked clone stays in the shared storage pool of "
                            + "the template's disk, " + store.name() + " (was '" + datastore + "')", ctx());
                }
                plan.store = store;
                BigDecimal src0 = src.capacityGb() == null ? BigDecimal.ONE : src.capacityGb();
                plan.bootGb = firstDisk.map(g -> BigDecimal.valueOf(g).max(src0)).orElse(src0);
                checkExtras(plan);
                return plan;
            });
        }
        // An empty boot disk for a network install, where the placement says or next to the template's disk.
        VirtualStorage.Device src = source;
        Optional<BigDecimal> size = firstDisk.map(BigDecimal::valueOf).or(() -> Optional.ofNullable(src == null ? null
                : src.capacityGb()));
        if (size.isEmpty()) {
            throw new InvalidSpecException("disks[0].sizeGiB", "is needed: the template has no boot disk to size the empty one by",
                    ctx());
        }
        plan.bootGb = size.get();
        CompletableFuture<PowerVmProvisioning.Store> store;
        if (datastore != null) {
            store = namedStore(plan, datastore, run);
        } else if (src != null && src.kind() == VirtualStorage.Kind.LOGICAL_UNIT) {
            store = poolHolding(src, templateVioses, run);
        } else if (src != null && src.kind() == VirtualStorage.Kind.VIRTUAL_DISK) {
            VirtualStorage.Vios owner = templateVioses.get(0);
            store = hv.storage.volumeGroups(PowerVmProvisioning.OP, owner.uuid(), run.deadline()).thenApply(groups -> groups.stream()
                    .filter(g -> g.view().disks().stream().anyMatch(d -> src.name().equals(d.name()))).findFirst()
                    .map(g -> new PowerVmProvisioning.Store(null, null, g, owner.uuid())).orElseThrow(() -> new NotFoundException("no volume group "
                            + "of VIOS " + owner.name() + " holds the template's disk " + src.name(), ctx())));
        } else {
            throw new InvalidSpecException("placement.datastore", "is needed: name the volume group or shared storage pool "
                    + "for the empty boot disk (the template's disk is " + (src == null ? "missing" : "a " + describe(src.kind()))
                    + ")", ctx());
        }
        return store.thenApply(s -> {
            plan.store = s;
            plan.serving = s.isPool() ? plan.vioses.stream().filter(v -> s.cluster().nodes().contains(v.uuid())).toList()
                    : plan.vioses.stream().filter(v -> v.uuid().equalsIgnoreCase(s.groupVios())).toList();
            if (plan.serving.isEmpty()) {
                throw new InvalidSpecException("placement.datastore", "no VIOS of managed system " + plan.system.name()
                        + " serves " + s.name(), ctx());
            }
            checkExtras(plan);
            return plan;
        });
    }

    private void checkExtras(PowerVmProvisioning.Plan plan) {
        for (int i = 1; i < plan.spec.disks().size(); i++) {
            Optional<String> ds = plan.spec.disks().get(i).datastoreName();
            if (ds.isPresent() && !ds.get().equals(plan.store.name()) && !ds.get().equals(storeFullName(plan.store))) {
                throw new InvalidSpecException("disks[" + i + "].datastore", "further disks go where the boot disk goes, "
                        + plan.store.name() + " (was '" + ds.get() + "')", ctx());
            }
        }
    }

    private String storeFullName(PowerVmProvisioning.Store s) {
        if (s.isPool()) {
            return s.name();
        }
        return hv.viosName(s.groupVios()) + "/" + s.name();
    }

    private static String describe(VirtualStorage.Kind k) {
        return switch (k) {
            case LOGICAL_UNIT -> "logical unit";
            case VIRTUAL_DISK -> "logical volume";
            case PHYSICAL_VOLUME -> "physical volume (SAN LUN)";
            case OPTICAL -> "virtual optical medium";
        };
    }

    private static boolean same(VirtualStorage.Device a, VirtualStorage.Device b) {
        if (a.kind() != b.kind()) {
            return false;
        }
        return a.udid() != null && a.udid().equals(b.udid()) || a.name() != null && a.name().equals(b.name());
    }

    /** The pool (read now) and cluster holding a logical unit the given VIOSes map. */
    private CompletableFuture<PowerVmProvisioning.Store> poolHolding(VirtualStorage.Device lu, List<VirtualStorage.Vios> vioses, OperationRun run) {
        return hv.topology.clusters(PowerVmProvisioning.OP, run.deadline(), false).thenCompose(clusters -> {
            List<HmcTopology.ClusterRef> candidates = clusters.stream().filter(c -> c.poolUuid() != null
                    && vioses.stream().anyMatch(v -> c.nodes().contains(v.uuid()))).toList();
            if (candidates.isEmpty()) {
                candidates = clusters.stream().filter(c -> c.poolUuid() != null).toList();
            }
            return firstPoolWith(lu, candidates, 0, run);
        });
    }

    private CompletableFuture<PowerVmProvisioning.Store> firstPoolWith(VirtualStorage.Device lu, List<HmcTopology.ClusterRef> clusters, int i,
                                                   OperationRun run) {
        if (i >= clusters.size()) {
            return Futures.failed(new NotFoundException("no shared storage pool holds the template's logical unit " + lu.name(),
                    ctx()));
        }
        HmcTopology.ClusterRef c = clusters.get(i);
        return hv.storage.pool(PowerVmProvisioning.OP, c.poolUuid(), run.deadline()).thenCompose(p -> {
            hv.topology.poolName(p.uuid(), p.view().name());
            boolean holds = p.view().units().stream().anyMatch(u -> lu.udid() != null && lu.udid().equals(u.udid())
                    || lu.udid() == null && lu.name().equals(u.name()));
            return holds ? CompletableFuture.completedFuture(new PowerVmProvisioning.Store(p, c, null, null)) : firstPoolWith(lu, clusters, i + 1, run);
        });
    }

    /** A datastore by name: a shared storage pool, else a volume group ({@code <vios>/<group>} or a group name). */
    private CompletableFuture<PowerVmProvisioning.Store> namedStore(PowerVmProvisioning.Plan plan, String name, OperationRun run) {
        return hv.topology.clusters(PowerVmProvisioning.OP, run.deadline(), false).thenCompose(clusters -> namedPool(name,
                clusters.stream().filter(c -> c.poolUuid() != null).toList(), 0, run)).thenCompose(found -> {
            if (found.isPresent()) {
                return CompletableFuture.completedFuture(found.get());
            }
            int slash = name.indexOf('/');
            String viosName = slash > 0 ? name.substring(0, slash) : null;
            String groupName = slash > 0 ? name.substring(slash + 1) : name;
            List<VirtualStorage.Vios> candidates = plan.vioses.stream().filter(v -> viosName == null || viosName.equals(v.name()))
                    .toList();
            return firstGroup(groupName, candidates, 0, run).thenApply(g -> g.orElseThrow(() -> new InvalidSpecException(
                    "placement.datastore", "no shared storage pool or volume group named '" + name + "'", ctx())));
        });
    }

    private CompletableFuture<Optional<PowerVmProvisioning.Store>> namedPool(String name, List<HmcTopology.ClusterRef> clusters, int i,
                                                         OperationRun run) {
        if (i >= clusters.size()) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        HmcTopology.ClusterRef c = clusters.get(i);
        return hv.storage.pool(PowerVmProvisioning.OP, c.poolUuid(), run.deadline()).thenCompose(p -> {
            hv.topology.poolName(p.uuid(), p.view().name());
            return name.equals(p.view().name()) ? CompletableFuture.completedFuture(Optional.of(new PowerVmProvisioning.Store(p, c, null, null)))
                    : namedPool(name, clusters, i + 1, run);
        });
    }

    private CompletableFuture<Optional<PowerVmProvisioning.Store>> firstGroup(String group, List<VirtualStorage.Vios> vioses, int i,
                                                          OperationRun run) {
        if (i >= vioses.size()) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        VirtualStorage.Vios v = vioses.get(i);
        return hv.storage.volumeGroups(PowerVmProvisioning.OP, v.uuid(), run.deadline()).thenCompose(groups -> groups.stream()
                .filter(g -> group.equals(g.view().name())).findFirst()
                .map(g -> CompletableFuture.completedFuture(Optional.of(new PowerVmProvisioning.Store(null, null, g, v.uuid()))))
                .orElseGet(() -> firstGroup(group, vioses, i + 1, run)));
    }

    VirtualStorage.Vios mediaVios(PowerVmProvisioning.Plan plan) {
        List<VirtualStorage.Vios> order = new ArrayList<>(plan.serving);
        plan.vioses.stream().filter(v -> !order.contains(v)).forEach(order::add);
        return order.stream().filter(v -> v.view().hasMediaRepository()).findFirst().orElseThrow(() ->
                new io.dvmm.sdk.UnsupportedCapabilityException(RequiredCapabilities.of(plan.spec).stream()
                        .filter(c -> c == io.dvmm.sdk.Capability.USER_DATA || c == io.dvmm.sdk.Capability.CUSTOM_HOSTNAME
                                || c == io.dvmm.sdk.Capability.CLOUD_INIT || c == io.dvmm.sdk.Capability.GUEST_CUSTOMIZATION)
                        .findFirst().orElse(io.dvmm.sdk.Capability.GUEST_CUSTOMIZATION),
                        "no VIOS of managed system " + plan.system.name() + " has a virtual media repository for the "
                                + "cloud-init config drive", ctx()));
    }

}
