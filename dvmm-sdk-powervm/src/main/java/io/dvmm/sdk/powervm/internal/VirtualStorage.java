package io.dvmm.sdk.powervm.internal;

import io.dvmm.sdk.ErrorContext;
import io.dvmm.sdk.NotFoundException;
import io.dvmm.sdk.ProtocolException;
import io.dvmm.sdk.spi.support.Deadline;
import io.dvmm.sdk.spi.support.Futures;
import io.dvmm.sdk.spi.support.OperationRun;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.w3c.dom.Element;

/**
 * The VIOS side of an LPAR's storage: logical units of shared storage pools (created by POSTing
 * the pool with a new {@code LogicalUnit}, cloned with the cluster's {@code LULinkedClone} job),
 * logical volumes of volume groups, virtual optical media, and the VSCSI mappings that give them
 * to the LPAR through each VIOS. Every change patches the document the HMC served and posts it
 * back with {@code If-Match}; a 412 (someone changed it) reads it again and reapplies the change,
 * which is written to find itself already done, so a resent update never doubles. Updates of one
 * object through this connection run one at a time and start from the newest copy this
 * connection holds, so that concurrent creates do not refuse each other with 412s.
 */
final class VirtualStorage {
    static final String SCSI = "ViosSCSIMapping";
    static final String SCSI_AND_FC = "ViosSCSIMapping,ViosFCMapping";
    /** VIOS children that follow {@code VirtualSCSIMappings} in the schema (fake_vios.xml). */
    private static final List<String> AFTER_SCSI_MAPPINGS = List.of("FreeIOAdaptersForLinkAggregation",
            "FreeEthenetBackingDevicesForSEA");
    /** Shared storage pool children that follow {@code LogicalUnits} (ssp.xml). */
    private static final List<String> AFTER_LOGICAL_UNITS = List.of("MultiDataTierConfigured", "MultiFailureGroupConfigured",
            "PhysicalVolumes", "Capacity", "FreeSpace", "OverCommitSpace", "TotalLogicalUnitSize", "AlertThreshold",
            "StoragePoolName", "UniqueDeviceID");

    /** The kinds of storage a VSCSI mapping gives an LPAR, with the element naming each. */
    enum Kind {
        LOGICAL_UNIT("LogicalUnit", "UnitName"),
        VIRTUAL_DISK("VirtualDisk", "DiskName"),
        PHYSICAL_VOLUME("PhysicalVolume", "VolumeName"),
        OPTICAL("VirtualOpticalMedia", "MediaName");

        final String element;
        final String nameElement;

        Kind(String element, String nameElement) {
            this.element = element;
            this.nameElement = nameElement;
        }
    }

    /**
     * A device a mapping names.
     *
     * @param kind what it is
     * @param name its name ({@code UnitName}, {@code DiskName}, ...)
     * @param udid its unique device ID, where known
     * @param capacityGb its size, where known
     */
    record Device(Kind kind, String name, String udid, BigDecimal capacityGb) {
        static Device of(HmcObjects.Storage s) {
            if (s == null) {
                return null;
            }
            if (s.logicalUnit() != null) {
                return new Device(Kind.LOGICAL_UNIT, s.logicalUnit().name(), s.logicalUnit().udid(), s.logicalUnit().capacityGb());
            }
            if (s.virtualDisk() != null) {
                return new Device(Kind.VIRTUAL_DISK, s.virtualDisk().name(), s.virtualDisk().udid(), s.virtualDisk().capacityGb());
            }
            if (s.physicalVolume() != null) {
                Long mb = s.physicalVolume().capacityMb();
                return new Device(Kind.PHYSICAL_VOLUME, s.physicalVolume().name(), s.physicalVolume().udid(),
                        mb == null ? null : BigDecimal.valueOf(mb).divide(BigDecimal.valueOf(1024), 2, java.math.RoundingMode.UP));
            }
            if (s.opticalMedia() != null) {
                return new Device(Kind.OPTICAL, s.opticalMedia().name(), s.opticalMedia().udid(), null);
            }
            return null;
        }

        boolean isDisk() {
            return kind != Kind.OPTICAL;
        }
    }

    /**
     * A document as the HMC served it, kept as bytes so that each change patches its own copy.
     *
     * @param uuid the object
     * @param self its SELF link
     * @param group the {@code group} it was read (and is posted) with, or null
     * @param etag its ETag
     * @param object the bare object
     * @param receivedNanos when it arrived ({@link System#nanoTime()}), to tell the newer of two copies
     */
    record Served(String uuid, String self, String group, String etag, byte[] object, long receivedNanos) {
        <T> T view(Class<T> type, ErrorContext ctx) {
            return HmcXml.object(object, type, "the copy of " + type.getSimpleName() + " " + uuid, ctx);
        }
    }

    /** A VIOS as read, with its mappings. */
    record Vios(String uuid, HmcObjects.VirtualIOServer view, Served served) {
        String name() {
            return view.name();
        }
    }

    /** A shared storage pool as read. */
    record Pool(String uuid, HmcObjects.SharedStoragePool view, Served served) {
    }

    /** A volume group of a VIOS as read. */
    record Group(String viosUuid, String uuid, HmcObjects.VolumeGroup view, Served served) {
    }

    private final HmcClient client;
    private final HmcJobs jobs;
    private final int etagRetries;
    private final Map<String, Served> newest = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<?>> tails = new ConcurrentHashMap<>();
    private final Map<String, String> viosNames = new ConcurrentHashMap<>();

    VirtualStorage(HmcClient client, HmcJobs jobs, int etagRetries) {
        this.client = client;
        this.jobs = jobs;
        this.etagRetries = etagRetries;
    }

    // ---- reads ------------------------------------------------------------------------------------------

    static <T> List<Map.Entry<HmcXml.Entry<T>, Served>> both(HmcClient.Answer a, Class<T> type, String group,
                                                                   ErrorContext ctx) {
        long now = System.nanoTime();
        List<HmcXml.Entry<T>> typed = HmcXml.entries(a.body(), type, a.etag(), a.what(), ctx);
        List<DocumentPatch> docs = DocumentPatch.entries(a.body(), a.etag(), a.what(), ctx);
        List<Map.Entry<HmcXml.Entry<T>, Served>> out = new ArrayList<>();
        for (HmcXml.Entry<T> t : typed) {
            DocumentPatch d = docs.stream().filter(x -> t.id() != null && t.id().equalsIgnoreCase(x.id())).findFirst()
                    .orElseThrow(() -> new ProtocolException(a.what() + ": entry " + t.id() + " is unreadable", ctx, true, null));
            out.add(Map.entry(t, new Served(t.id(), d.self(), group, d.etag(), d.body(), now)));
        }
        return out;
    }

    /**
     * @param operation the SDK operation
     * @param systemUuid the managed system
     * @param group the groups to read, such as {@link #SCSI}
     * @param deadline the deadline
     * @return the VIOSes of the system, with what the groups hold, in one request
     */
    CompletableFuture<List<Vios>> vioses(String operation, String systemUuid, String group, Deadline deadline) {
        ErrorContext ctx = ErrorContext.of(io.dvmm.sdk.powervm.PowerVmProvider.TYPE, operation);
        return client.list(operation, HmcPath.uom("ManagedSystem", systemUuid, "VirtualIOServer").group(group), deadline)
                .thenApply(a -> both(a, HmcObjects.VirtualIOServer.class, group, ctx).stream().map(e -> {
                    Vios v = new Vios(e.getKey().id().toUpperCase(Locale.ROOT), e.getKey().content(), e.getValue());
                    if (v.name() != null) {
                        viosNames.put(v.uuid(), v.name());
                    }
                    return v;
                }).toList());
    }

    /**
     * @param operation the SDK operation
     * @param poolUuid the pool
     * @param deadline the deadline
     * @return the pool with its logical units
     */
    CompletableFuture<Pool> pool(String operation, String poolUuid, Deadline deadline) {
        ErrorContext ctx = ErrorContext.of(io.dvmm.sdk.powervm.PowerVmProvider.TYPE, operation);
        return client.get(operation, HmcPath.uom("SharedStoragePool", poolUuid), deadline).thenApply(a -> {
            var e = both(a, HmcObjects.SharedStoragePool.class, null, ctx).get(0);
            return new Pool(e.getKey().id(), e.getKey().content(), e.getValue());
        });
    }

    /**
     * @param operation the SDK operation
     * @param viosUuid the VIOS
     * @param deadline the deadline
     * @return its volume groups
     */
    CompletableFuture<List<Group>> volumeGroups(String operation, String viosUuid, Deadline deadline) {
        ErrorContext ctx = ErrorContext.of(io.dvmm.sdk.powervm.PowerVmProvider.TYPE, operation);
        return client.get(operation, HmcPath.uom("VirtualIOServer", viosUuid, "VolumeGroup"), deadline)
                .thenApply(a -> both(a, HmcObjects.VolumeGroup.class, null, ctx).stream()
                        .map(e -> new Group(viosUuid, e.getKey().id(), e.getKey().content(), e.getValue())).toList());
    }

    /**
     * @param uuid a VIOS
     * @return its name as last read, else its UUID
     */
    String viosName(String uuid) {
        return uuid == null ? "?" : viosNames.getOrDefault(uuid.toUpperCase(Locale.ROOT), uuid);
    }

    // ---- the one update path ------------------------------------------------------------------------------

    /**
     * Applies {@code change} to the newest copy of an object and posts it; on 412 reads it again
     * and applies the change again, up to the configured number of times.
     *
     * @param type the object's type, for the media type
     * @param start a copy of the object
     * @param change patches a copy; returns false when there is nothing (left) to do
     * @param run the operation's (or cleanup's) run
     * @return the object as the HMC answered the update (or the copy, when nothing was to do)
     */
    CompletableFuture<Served> update(String type, Served start, Function<DocumentPatch, Boolean> change, OperationRun run) {
        String key = start.uuid().toLowerCase(Locale.ROOT) + "?" + start.group();
        return serial(key, () -> attempt(type, key, newer(start, newest.get(key)), change, run, 1));
    }

    private static Served newer(Served a, Served b) {
        return b == null || a.receivedNanos() - b.receivedNanos() >= 0 ? a : b;
    }

    private CompletableFuture<Served> attempt(String type, String key, Served copy, Function<DocumentPatch, Boolean> change,
                                              OperationRun run, int n) {
        run.check();
        ErrorContext ctx = run.context();
        DocumentPatch doc = DocumentPatch.ofObject(copy.self(), copy.etag(), copy.object(), "the copy of " + type, ctx);
        if (!change.apply(doc)) {
            return CompletableFuture.completedFuture(copy);
        }
        HmcPath path = HmcPath.of(copy.self(), ctx).group(copy.group());
        return client.post(run.operation(), path, HmcXml.UOM_TYPE + type, copy.etag(), doc.body(), run.deadline())
                .thenApply(a -> remember(key, served(a, copy.uuid(), copy.group(), ctx)))
                .exceptionallyCompose(e -> {
                    Throwable cause = Futures.unwrap(e);
                    if (!HmcErrors.staleEtag(cause) || n >= etagRetries) {
                        return Futures.failed(cause);
                    }
                    return client.get(run.operation(), path, run.deadline())
                            .thenApply(a -> remember(key, served(a, copy.uuid(), copy.group(), ctx)))
                            .thenCompose(fresh -> attempt(type, key, fresh, change, run, n + 1));
                });
    }

    private Served remember(String key, Served s) {
        newest.merge(key, s, (old, fresh) -> newer(fresh, old));
        return s;
    }

    private static Served served(HmcClient.Answer a, String uuid, String group, ErrorContext ctx) {
        List<DocumentPatch> docs = DocumentPatch.entries(a.body(), a.etag(), a.what(), ctx);
        if (docs.isEmpty()) {
            throw new ProtocolException(a.what() + ": the answer holds no object", ctx, true, null);
        }
        DocumentPatch d = docs.get(0);
        return new Served(uuid, d.self(), group, a.etag() != null ? a.etag() : d.etag(), d.body(), System.nanoTime());
    }

    /**
     * Runs tasks of one key one after the other, without holding a thread while one waits. The queue is
     * one atomic swap of the key's tail, and nothing runs inside the map's own update: a task that
     * completes at once (nothing to do) would otherwise remove its tail from within that update,
     * which {@link ConcurrentHashMap} refuses ("Recursive update"), and its caller would never hear.
     */
    private <T> CompletableFuture<T> serial(String key, Supplier<CompletableFuture<T>> task) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        CompletableFuture<?> before = tails.put(key, done);
        CompletableFuture<T> result = new CompletableFuture<>();
        (before == null ? CompletableFuture.completedFuture(null) : before).handle((x, e) -> null)
                .thenCompose(x -> Futures.guard(task)).whenComplete((v, e) -> {
                    tails.remove(key, done);
                    done.complete(null);
                    if (e == null) {
                        result.complete(v);
                    } else {
                        result.completeExceptionally(Futures.unwrap(e));
                    }
                });
        return result;
    }

    // ---- mappings --------------------------------------------------------------------------------------

    private static boolean names(Element mapping, String lparUuid) {
        return DocumentPatch.child(mapping, "AssociatedLogicalPartition")
                .map(e -> new HmcObjects.Link(e.getAttribute("href")).uuid()).filter(lparUuid::equalsIgnoreCase).isPresent();
    }

    private static boolean holds(Element mapping, Device d) {
        return DocumentPatch.child(mapping, "Storage/" + d.kind().element).map(s -> {
            String udid = DocumentPatch.text(s, "UniqueDeviceID");
            return d.name().equals(DocumentPatch.text(s, d.kind().nameElement)) || d.udid() != null && d.udid().equals(udid);
        }).orElse(false);
    }

    /**
     * Maps devices to an LPAR through a VIOS: one {@code VirtualSCSIMapping} each, the HMC choosing
     * the client and server slots ({@code UseNextAvailableSlotID}).
     *
     * @param vios the VIOS as read with {@link #SCSI}
     * @param lparUuid the LPAR
     * @param lparHref its link
     * @param devices what to map
     * @param run the run
     * @return completes when the VIOS holds the mappings
     */
    CompletableFuture<Served> map(Vios vios, String lparUuid, String lparHref, List<Device> devices, OperationRun run) {
        return update("VirtualIOServer", vios.served(), doc -> {
            Element list = DocumentPatch.ensure(doc.content(), "VirtualSCSIMappings", AFTER_SCSI_MAPPINGS);
            boolean changed = false;
            for (Device d : devices) {
                boolean present = DocumentPatch.children(list, "VirtualSCSIMapping").stream()
                        .anyMatch(m -> names(m, lparUuid) && holds(m, d));
                if (!present) {
                    appendMapping(list, lparHref, d);
                    changed = true;
                }
            }
            return changed;
        }, run);
    }

    private static void appendMapping(Element list, String lparHref, Device d) {
        Element m = DocumentPatch.appendComplex(list, "VirtualSCSIMapping");
        DocumentPatch.appendLink(m, "AssociatedLogicalPartition", lparHref);
        for (String side : new String[] {"Client", "Server"}) {
            Element a = DocumentPatch.appendComplex(m, side + "Adapter");
            DocumentPatch.append(a, "AdapterType", side);
            DocumentPatch.append(a, "UseNextAvailableSlotID", "true");
        }
        Element storage = DocumentPatch.append(m, "Storage");
        Element device = DocumentPatch.appendComplex(storage, d.kind().element);
        if (d.kind() == Kind.LOGICAL_UNIT && d.udid() != null) {
            DocumentPatch.append(device, "UniqueDeviceID", d.udid());
        }
        DocumentPatch.append(device, d.kind().nameElement, d.name());
    }

    /**
     * Removes an LPAR's mappings from a VIOS (reading it first), its VSCSI mappings that
     * {@code which} selects and, when the VIOS was read with {@link #SCSI_AND_FC}, its virtual
     * fibre channel mappings.
     *
     * @param vios the VIOS as read
     * @param lparUuid the LPAR
     * @param which which of its VSCSI mappings go, by device ({@code null} device: an adapter without storage)
     * @param run the run
     * @return completes when they are gone
     */
    CompletableFuture<Served> unmap(Vios vios, String lparUuid, Predicate<Device> which, OperationRun run) {
        boolean fc = vios.served().group() != null && vios.served().group().contains("ViosFCMapping");
        return update("VirtualIOServer", vios.served(), doc -> {
            int removed = 0;
            for (Element list : DocumentPatch.children(doc.content(), "VirtualSCSIMappings")) {
                removed += DocumentPatch.removeChildren(list, "VirtualSCSIMapping", m -> names(m, lparUuid)
                        && which.test(device(m)));
            }
            if (fc) {
                for (Element list : DocumentPatch.children(doc.content(), "VirtualFibreChannelMappings")) {
                    removed += DocumentPatch.removeChildren(list, "VirtualFibreChannelMapping", m -> names(m, lparUuid));
                }
            }
            return removed > 0;
        }, run);
    }

    private static Device device(Element mapping) {
        for (Kind k : Kind.values()) {
            var s = DocumentPatch.child(mapping, "Storage/" + k.element);
            if (s.isPresent()) {
                return new Device(k, DocumentPatch.text(s.get(), k.nameElement), DocumentPatch.text(s.get(), "UniqueDeviceID"),
                        null);
            }
        }
        return null;
    }

    // ---- logical units --------------------------------------------------------------------------------

    /**
     * Creates thin logical units in a pool.
     *
     * @param pool the pool as read
     * @param units name to size in GB
     * @param run the run
     * @return the units as the pool now holds them, by name
     */
    CompletableFuture<Map<String, HmcObjects.LogicalUnit>> createUnits(Pool pool, Map<String, BigDecimal> units, OperationRun run) {
        return update("SharedStoragePool", pool.served(), doc -> {
            Element list = DocumentPatch.ensure(doc.content(), "LogicalUnits", AFTER_LOGICAL_UNITS);
            Set<String> present = new java.util.HashSet<>();
            DocumentPatch.children(list, "LogicalUnit").forEach(u -> present.add(DocumentPatch.text(u, "UnitName")));
            boolean changed = false;
            for (Map.Entry<String, BigDecimal> u : units.entrySet()) {
                if (present.contains(u.getKey())) {
                    continue;
                }
                Element lu = DocumentPatch.appendComplex(list, "LogicalUnit");
                DocumentPatch.append(lu, "ThinDevice", "true");
                DocumentPatch.append(lu, "UnitCapacity", u.getValue().stripTrailingZeros().toPlainString());
                DocumentPatch.append(lu, "LogicalUnitType", "VirtualIO_Disk");
                DocumentPatch.append(lu, "UnitName", u.getKey());
                changed = true;
            }
            return changed;
        }, run).thenApply(s -> {
            HmcObjects.SharedStoragePool now = s.view(HmcObjects.SharedStoragePool.class, run.context());
            Map<String, HmcObjects.LogicalUnit> out = new java.util.LinkedHashMap<>();
            for (String name : units.keySet()) {
                HmcObjects.LogicalUnit lu = now.units().stream().filter(u -> name.equals(u.name())).findFirst()
                        .orElseThrow(() -> new ProtocolException("the pool " + now.name() + " does not show the new logical unit "
                                + name, run.context(), true, null));
                out.put(name, lu);
            }
            return out;
        });
    }

    /**
     * Deletes logical units (they must be mapped nowhere); reads the pool first.
     *
     * @param poolUuid the pool
     * @param names the units
     * @param run the run
     * @return completes when they are gone
     */
    CompletableFuture<Void> deleteUnits(String poolUuid, Set<String> names, OperationRun run) {
        return pool(run.operation(), poolUuid, run.deadline()).thenCompose(p -> update("SharedStoragePool", p.served(), doc -> {
            int removed = 0;
            for (Element list : DocumentPatch.children(doc.content(), "LogicalUnits")) {
                removed += DocumentPatch.removeChildren(list, "LogicalUnit", u -> names.contains(DocumentPatch.text(u, "UnitName")));
            }
            return removed > 0;
        }, run)).thenApply(x -> null);
    }

    /**
     * Clones a logical unit into another of the same pool with the cluster's {@code LULinkedClone} job.
     *
     * @param clusterUuid the pool's cluster
     * @param sourceUdid the unit to clone
     * @param destinationUdid the new unit
     * @param run the run
     * @return completes when the job is done
     */
    CompletableFuture<Void> linkedClone(String clusterUuid, String sourceUdid, String destinationUdid, OperationRun run) {
        Map<String, String> params = new java.util.LinkedHashMap<>();
        params.put("SourceUDID", sourceUdid);
        params.put("DestinationUDID", destinationUdid);
        return jobs.run(HmcPath.uom("Cluster", clusterUuid), "LULinkedClone", "Cluster", params, Set.of(),
                HmcClient.Resend.REFUSED_ONLY, run).thenApply(r -> null);
    }

    // ---- logical volumes and media --------------------------------------------------------------------

    /**
     * Creates a logical volume.
     *
     * @param group the volume group as read
     * @param name the volume (at most 15 characters)
     * @param gb its size
     * @param run the run
     * @return the disk as the group now holds it
     */
    CompletableFuture<HmcObjects.VirtualDisk> createDisk(Group group, String name, BigDecimal gb, OperationRun run) {
        return update("VolumeGroup", group.served(), doc -> {
            Element list = DocumentPatch.ensure(doc.content(), "VirtualDisks", List.of());
            if (DocumentPatch.children(list, "VirtualDisk").stream().anyMatch(d -> name.equals(DocumentPatch.text(d, "DiskName")))) {
                return false;
            }
            Element d = DocumentPatch.appendComplex(list, "VirtualDisk");
            DocumentPatch.append(d, "DiskCapacity", gb.stripTrailingZeros().toPlainString());
            DocumentPatch.append(d, "DiskLabel", "None");
            DocumentPatch.append(d, "DiskName", name);
            return true;
        }, run).thenApply(s -> s.view(HmcObjects.VolumeGroup.class, run.context()).disks().stream()
                .filter(d -> name.equals(d.name())).findFirst().orElseThrow(() -> new ProtocolException("the volume group "
                        + group.view().name() + " does not show the new disk " + name, run.context(), true, null)));
    }

    /**
     * Deletes logical volumes and optical media of a VIOS's volume groups (they must be mapped nowhere).
     *
     * @param viosUuid the VIOS
     * @param disks the logical volumes
     * @param media the media
     * @param run the run
     * @return completes when they are gone
     */
    CompletableFuture<Void> deleteDisksAndMedia(String viosUuid, Set<String> disks, Set<String> media, OperationRun run) {
        if (disks.isEmpty() && media.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        return volumeGroups(run.operation(), viosUuid, run.deadline()).thenCompose(groups -> {
            CompletableFuture<?> all = CompletableFuture.completedFuture(null);
            for (Group g : groups) {
                boolean holds = g.view().disks().stream().anyMatch(d -> disks.contains(d.name()))
                        || g.view().repositories().stream().flatMap(r -> r.media().stream()).anyMatch(m -> media.contains(m.name()));
                if (holds) {
                    all = all.thenCompose(x -> update("VolumeGroup", g.served(), doc -> {
                        int removed = 0;
                        for (Element list : DocumentPatch.children(doc.content(), "VirtualDisks")) {
                            removed += DocumentPatch.removeChildren(list, "VirtualDisk",
                                    d -> disks.contains(DocumentPatch.text(d, "DiskName")));
                        }
                        for (Element repos : DocumentPatch.children(doc.content(), "MediaRepositories")) {
                            for (Element repo : DocumentPatch.children(repos, "VirtualMediaRepository")) {
                                for (Element om : DocumentPatch.children(repo, "OpticalMedia")) {
                                    removed += DocumentPatch.removeChildren(om, "VirtualOpticalMedia",
                                            m -> media.contains(DocumentPatch.text(m, "MediaName")));
                                }
                            }
                        }
                        return removed > 0;
                    }, run));
                }
            }
            return all.thenApply(x -> (Void) null);
        });
    }

    /**
     * @param e an error of a removal
     * @return whether it means the thing is already gone
     */
    static boolean gone(Throwable e) {
        return Futures.unwrap(e) instanceof NotFoundException;
    }
}
