package io.dvmm.sdk.powervm.internal;

import io.dvmm.sdk.ErrorContext;
import io.dvmm.sdk.Inventory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * The inventory of the connection's managed system, read at once in parallel: the system itself
 * (a host: its installed processor units and memory), its virtual networks, shared processor
 * pools (resource pools), datastores (the shared storage pools of the HMC's SSP clusters and the
 * volume groups of each VIOS, named {@code <vios>/<group>}) and templates (the reference LPARs
 * that {@code powervm.templateNamePattern} names, with the size of their boot disk).
 */
final class PowerVmInventory {
    private final PowerVmHypervisor hv;

    PowerVmInventory(PowerVmHypervisor hv) {
        this.hv = hv;
    }

    CompletableFuture<Inventory> read(String op) {
        ErrorContext ctx = hv.context(op);
        return hv.topology.readSystem(op, null).thenCompose(ms -> {
            String system = ms.id();
            var lpars = hv.client.list(op, HmcPath.uom("ManagedSystem", system, "LogicalPartition"), null)
                    .thenApply(a -> HmcXml.entries(a.body(), HmcObjects.LogicalPartition.class, a.etag(), a.what(), ctx));
            var vioses = hv.storage.vioses(op, system, VirtualStorage.SCSI, null);
            var networks = hv.topology.networks(op, null, true);
            var processorPools = hv.client.get(op, HmcPath.uom("ManagedSystem", system, "SharedProcessorPool"), null)
                    .thenApply(a -> HmcXml.entries(a.body(), HmcObjects.SharedProcessorPool.class, a.etag(), a.what(), ctx));
            var pools = hv.topology.clusters(op, null, true).thenCompose(clusters -> {
                List<CompletableFuture<VirtualStorage.Pool>> reads = new ArrayList<>();
                clusters.stream().filter(c -> c.poolUuid() != null).forEach(c -> reads.add(hv.storage.pool(op, c.poolUuid(), null)));
                return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new))
                        .thenApply(x -> reads.stream().map(CompletableFuture::join).toList());
            });
            var groups = vioses.thenCompose(list -> {
                List<CompletableFuture<List<VirtualStorage.Group>>> reads = new ArrayList<>();
                list.forEach(v -> reads.add(hv.storage.volumeGroups(op, v.uuid(), null)));
                return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new))
                        .thenApply(x -> reads.stream().flatMap(f -> f.join().stream()).toList());
            });
            return CompletableFuture.allOf(lpars, vioses, networks, processorPools, pools, groups).thenApply(x -> {
                HmcObjects.ManagedSystem m = ms.content();
                Inventory.Builder b = Inventory.builder();
                b.hosts(List.of(PowerVmMapper.host(system, m)));
                List<Inventory.Datastore> stores = new ArrayList<>();
                for (VirtualStorage.Pool p : pools.join()) {
                    hv.topology.poolName(p.uuid(), p.view().name());
                    stores.add(PowerVmMapper.datastore(p.uuid(), p.view()));
                }
                for (VirtualStorage.Group g : groups.join()) {
                    stores.add(PowerVmMapper.datastore(g.uuid(), hv.viosName(g.viosUuid()), g.view()));
                }
                b.datastores(stores);
                b.networks(networks.join().stream().map(PowerVmMapper::network).toList());
                b.resourcePools(processorPools.join().stream().map(p -> PowerVmMapper.resourcePool(p.id(), p.content())).toList());
                List<Inventory.Template> templates = new ArrayList<>();
                for (HmcXml.Entry<HmcObjects.LogicalPartition> e : lpars.join()) {
                    if (!hv.isTemplate(e.content().name())) {
                        continue;
                    }
                    String uuid = e.id().toUpperCase(Locale.ROOT);
                    long disk = PowerVmMapper.disks(uuid, vioses.join(), hv.topology.poolNameForDisks()).stream()
                            .mapToLong(io.dvmm.sdk.DiskInfo::sizeGiB).findFirst().orElse(0);
                    templates.add(PowerVmMapper.template(uuid, e.content(), m.name(), disk));
                }
                b.templates(templates);
                return b.build();
            });
        });
    }
}
