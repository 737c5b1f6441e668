package io.dvmm.sdk.powervm.internal;

import io.dvmm.sdk.ErrorContext;
import io.dvmm.sdk.Inventory;
import java.math.BigDecimal;
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
    private static final long GIB = 1L << 30;

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
                long memory = m.memory() == null || m.memory().installedMemory() == null ? 0 : m.memory().installedMemory();
                BigDecimal units = m.processors() == null || m.processors().installedUnits() == null ? BigDecimal.ZERO
                        : m.processors().installedUnits();
                b.hosts(List.of(Inventory.Host.builder(system, m.name())
                        .online(m.state() == null || m.state().equalsIgnoreCase("operating") || m.state().equalsIgnoreCase("started"))
                        .cpuCount(units.intValue()).memoryMiB(memory).build()));
                List<Inventory.Datastore> stores = new ArrayList<>();
                for (VirtualStorage.Pool p : pools.join()) {
                    hv.topology.poolName(p.uuid(), p.view().name());
                    stores.add(Inventory.Datastore.builder(p.uuid(), p.view().name()).type("ssp").shared(true)
                            .capacityBytes(bytes(p.view().capacityGb())).freeBytes(bytes(p.view().freeGb())).build());
                }
                for (VirtualStorage.Group g : groups.join()) {
                    stores.add(Inventory.Datastore.builder(g.uuid(), hv.viosName(g.viosUuid()) + "/" + g.view().name())
                            .type("volume group").shared(false).capacityBytes(bytes(g.view().capacityGb()))
                            .freeBytes(bytes(g.view().freeGb())).build());
                }
                b.datastores(stores);
                b.networks(networks.join().stream().map(n -> Inventory.Network.builder(n.name(), n.name())
                        .type("vlan " + n.vlan()).build()).toList());
                b.resourcePools(processorPools.join().stream().map(p -> Inventory.ResourcePool.builder(
                        p.content().poolId() == null ? p.id() : Integer.toString(p.content().poolId()),
                        p.content().name() == null ? "pool " + p.content().poolId() : p.content().name())
                        .type("shared processor pool").build()).toList());
                List<Inventory.Template> templates = new ArrayList<>();
                for (HmcXml.Entry<HmcObjects.LogicalPartition> e : lpars.join()) {
                    HmcObjects.LogicalPartition l = e.content();
                    if (!hv.isTemplate(l.name())) {
                        continue;
                    }
                    String uuid = e.id().toUpperCase(Locale.ROOT);
                    long disk = PowerVmMapper.disks(uuid, vioses.join(), hv.topology.poolNameForDisks()).stream()
                            .mapToLong(io.dvmm.sdk.DiskInfo::sizeGiB).findFirst().orElse(0);
                    templates.add(Inventory.Template.builder(uuid, l.name()).host(m.name())
                            .cpuCount(l.processors() == null ? 0 : l.processors().cpus())
                            .memoryMiB(l.memory() == null || l.memory().desired() == null ? 0 : l.memory().desired())
                            .diskGiB(disk).build());
                }
                b.templates(templates);
                return b.build();
            });
        });
    }

    private static long bytes(BigDecimal gb) {
        return gb == null ? 0 : gb.multiply(BigDecimal.valueOf(GIB)).longValue();
    }
}
