package io.dvmm.sdk.powervm.internal;

import io.dvmm.sdk.PowerState;
import io.dvmm.sdk.spi.support.Futures;
import io.dvmm.sdk.spi.support.OperationRun;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Deleting an LPAR the way the HMC needs it: power it off (VSP immediate; {@code HSCL1558}, already
 * off, is fine), remove its VSCSI and virtual fibre channel mappings from every VIOS, delete the
 * logical units, logical volumes and optical media the SDK made for it (named after its UUID, see
 * {@link PowerVmProvisioning.Made#token()}; storage it did not make stays), then delete the LPAR
 * (204; its client network adapters and profile go with it). Each step finds its work already
 * done when a step of an earlier, interrupted delete did it.
 */
final class LparTeardown {
    private final PowerVmHypervisor hv;

    LparTeardown(PowerVmHypervisor hv) {
        this.hv = hv;
    }

    /**
     * @param uuid the LPAR
     * @param run the operation's (or cleanup's) run
     * @return {@code true} when this call deleted it, {@code false} when it did not exist
     */
    CompletableFuture<Boolean> delete(String uuid, OperationRun run) {
        String op = run.operation();
        return hv.readLpar(op, uuid, run.deadline()).handle((e, err) -> {
            if (err != null && VirtualStorage.gone(err)) {
                return null;
            }
            if (err != null) {
                throw Futures.unwrap(err) instanceof RuntimeException r ? r : new IllegalStateException(err);
            }
            return e;
        }).thenCompose(e -> e == null ? CompletableFuture.completedFuture(false) : delete(uuid, e.content(), run));
    }

    /**
     * @param uuid the LPAR
     * @param lpar the LPAR as just read
     * @param run the operation's (or cleanup's) run
     * @return {@code true}
     */
    CompletableFuture<Boolean> delete(String uuid, HmcObjects.LogicalPartition lpar, OperationRun run) {
        String op = run.operation();
        String name = lpar.name();
        return stop(uuid, lpar, run)
                    .thenCompose(x -> unmap(uuid, name, run))
                    .thenCompose(made -> deleteStorage(made, run))
                    .thenCompose(x -> {
                        run.check();
                        run.progress(90, "deleting LPAR " + name);
                        return hv.client.delete(op, HmcPath.uom("LogicalPartition", uuid), run.deadline())
                                .exceptionallyCompose(err -> VirtualStorage.gone(err) ? CompletableFuture.completedFuture(null)
                                        : Futures.failed(Futures.unwrap(err)));
                    }).thenApply(x -> true);
    }

    private CompletableFuture<Void> stop(String uuid, HmcObjects.LogicalPartition lpar, OperationRun run) {
        if (PowerVmMapper.powerState(lpar.state()) == PowerState.POWERED_OFF) {
            return CompletableFuture.completedFuture(null);
        }
        run.progress(5, "powering off LPAR " + lpar.name() + " (" + lpar.state() + ")");
        return hv.power.powerOff(new PowerVmPower.Lpar(uuid, lpar), run);
    }

    /** What the SDK made for an LPAR, found in its mappings. */
    private record Made(Set<String> units, List<VirtualStorage.Vios> unitVioses, List<VirtualStorage.Vios> vioses,
                        List<Set<String>> disks, List<Set<String>> media) {
    }

    private CompletableFuture<Made> unmap(String uuid, String name, OperationRun run) {
        String op = run.operation();
        String token = PowerVmProvisioning.Made.token(uuid);
        return hv.topology.system(op, run.deadline()).thenCompose(s -> hv.storage.vioses(op, s.uuid(),
                VirtualStorage.SCSI_AND_FC, run.deadline())).thenCompose(vioses -> {
            run.check();
            Made made = new Made(new LinkedHashSet<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
            List<CompletableFuture<?>> unmaps = new ArrayList<>();
            for (VirtualStorage.Vios v : vioses) {
                boolean maps = v.view().mappings().stream().anyMatch(m -> uuid.equalsIgnoreCase(m.clientUuid()))
                        || v.view().fibreChannelMappings().stream().anyMatch(m -> m.client() != null
                        && uuid.equalsIgnoreCase(m.client().uuid()));
                if (!maps) {
                    continue;
                }
                Set<String> disks = new LinkedHashSet<>();
                Set<String> media = new LinkedHashSet<>();
                for (HmcObjects.ScsiMapping m : v.view().mappings()) {
                    VirtualStorage.Device d = uuid.equalsIgnoreCase(m.clientUuid()) ? VirtualStorage.Device.of(m.storage()) : null;
                    if (d == null || d.name() == null || !d.name().startsWith(token)) {
                        continue;
                    }
                    switch (d.kind()) {
                        case LOGICAL_UNIT -> {
                            made.units().add(d.name());
                            made.unitVioses().add(v);
                        }
                        case VIRTUAL_DISK -> disks.add(d.name());
                        case OPTICAL -> media.add(d.name());
                        default -> {
                            // a physical volume is never the SDK's
                        }
                    }
                }
                made.vioses().add(v);
                made.disks().add(disks);
                made.media().add(media);
                unmaps.add(hv.storage.unmap(v, uuid, d -> true, run));
            }
            run.progress(30, "removing the mappings of LPAR " + name + " from " + unmaps.size() + " VIOS(es)");
            return CompletableFuture.allOf(unmaps.toArray(CompletableFuture[]::new)).thenApply(x -> made);
        });
    }

    private CompletableFuture<Void> deleteStorage(Made made, OperationRun run) {
        run.check();
        List<CompletableFuture<?>> all = new ArrayList<>();
        for (int i = 0; i < made.vioses().size(); i++) {
            all.add(hv.storage.deleteDisksAndMedia(made.vioses().get(i).uuid(), made.disks().get(i), made.media().get(i), run));
        }
        CompletableFuture<Void> units = made.units().isEmpty() ? CompletableFuture.completedFuture(null)
                : hv.topology.clusters(run.operation(), run.deadline(), false).thenCompose(clusters -> {
                    List<CompletableFuture<?>> pools = new ArrayList<>();
                    for (HmcTopology.ClusterRef c : clusters) {
                        boolean serves = c.poolUuid() != null && made.unitVioses().stream().anyMatch(v -> c.nodes().contains(v.uuid()));
                        if (serves) {
                            pools.add(hv.storage.deleteUnits(c.poolUuid(), made.units(), run));
                        }
                    }
                    return CompletableFuture.allOf(pools.toArray(CompletableFuture[]::new));
                });
        all.add(units);
        run.progress(60, "deleting the disks and media made for the LPAR");
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
    }
}
