package io.dvmm.sdk.powervm.internal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dvmm.sdk.Capability;
import io.dvmm.sdk.ConnectionInfo;
import io.dvmm.sdk.ErrorContext;
import io.dvmm.sdk.HypervisorConfig;
import io.dvmm.sdk.Inventory;
import io.dvmm.sdk.NotFoundException;
import io.dvmm.sdk.OperationOptions;
import io.dvmm.sdk.Progress.Stage;
import io.dvmm.sdk.ProtocolException;
import io.dvmm.sdk.ProviderOptions;
import io.dvmm.sdk.ProviderProperty;
import io.dvmm.sdk.Snapshot;
import io.dvmm.sdk.SnapshotSpec;
import io.dvmm.sdk.UnsupportedCapabilityException;
import io.dvmm.sdk.VmId;
import io.dvmm.sdk.VmInfo;
import io.dvmm.sdk.VmQuery;
import io.dvmm.sdk.VmReconfigureSpec;
import io.dvmm.sdk.powervm.PowerVmOptions;
import io.dvmm.sdk.powervm.PowerVmProvider;
import io.dvmm.sdk.spi.AbstractHypervisor;
import io.dvmm.sdk.spi.support.Backoff;
import io.dvmm.sdk.spi.support.Deadline;
import io.dvmm.sdk.spi.support.Futures;
import io.dvmm.sdk.spi.support.PowerSteps;
import io.dvmm.sdk.spi.support.ProviderProperties;
import io.dvmm.sdk.spi.support.ProvisioningSteps;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/**
 * A connection to one managed system through an HMC: the API on top of {@link HmcClient} (the
 * wire), {@link PowerVmProvisioning} (the create steps), {@link PowerVmPower} (the power steps),
 * {@link VirtualStorage} (disks and mappings), {@link HmcJobs}, {@link LparTeardown},
 * {@link ConfigDrive}, {@link PowerVmInventory}, {@link HmcTopology}; the sizing rules in {@link LparShape} and
 * {@link StoragePlacement}, updates in {@link LparReconfiguration}. VM ids are LPAR UUIDs.
 * Snapshots are not a PowerVM feature: the capability is absent, so those calls are refused
 * before any request.
 */
public final class PowerVmHypervisor extends AbstractHypervisor {
    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /**
     * An LPAR's {@code quick} properties.
     *
     * @param name the partition name
     * @param state the partition state
     * @param rmcState the RMC connection's state
     * @param ip the RMC IP address
     * @param referenceCode the last reference code (such as {@code 0608} after a failed boot)
     */
    record Quick(String name, String state, String rmcState, String ip, String referenceCode) {
        boolean running() {
            return "running".equalsIgnoreCase(state);
        }

        boolean rmcActive() {
            return "active".equalsIgnoreCase(rmcState);
        }
    }

    final HmcClient client;
    final HmcTopology topology;
    final HmcJobs jobs;
    final VirtualStorage storage;
    final PowerVmPower power;
    final LparTeardown teardown;
    final ConfigDrive configDrive;
    final PowerVmInventory inventory;
    private final ProviderProperties props;
    private final Backoff rmcBackoff;
    private final Backoff stateBackoff;
    private final Pattern templates;

    /**
     * @param config the configuration
     * @param declared the properties the provider declares
     */
    public PowerVmHypervisor(HypervisorConfig config, List<ProviderProperty> declared) {
        super(PowerVmProvider.TYPE, config);
        this.props = ProviderProperties.of(config, declared);
        this.client = new HmcClient(config, executor, calls, Duration.ofMillis(props.number(PowerVmProvider.VIOS_BUSY_STEP)));
        this.topology = new HmcTopology(client, config.endpoint());
        long jobFirst = props.number(PowerVmProvider.JOB_POLL_INITIAL);
        long jobMax = Math.max(jobFirst, props.number(PowerVmProvider.JOB_POLL_MAX));
        this.jobs = new HmcJobs(client, new Backoff(Duration.ofMillis(jobFirst), Duration.ofMillis(jobMax), 1.5));
        long rmcFirst = props.number(PowerVmProvider.RMC_POLL_INITIAL);
        this.rmcBackoff = new Backoff(Duration.ofMillis(rmcFirst),
                Duration.ofMillis(Math.max(rmcFirst, props.number(PowerVmProvider.RMC_POLL_MAX))), 1.5);
        this.stateBackoff = new Backoff(Duration.ofMillis(jobFirst), Duration.ofMillis(jobMax), 1.5);
        this.storage = new VirtualStorage(client, jobs, (int) props.number(PowerVmProvider.ETAG_RETRIES));
        this.power = new PowerVmPower(this);
        this.teardown = new LparTeardown(this);
        this.configDrive = new ConfigDrive(this);
        this.inventory = new PowerVmInventory(this);
        this.templates = glob(props.string(PowerVmProvider.TEMPLATE_PATTERN));
    }

    private static Pattern glob(String glob) {
        StringBuilder re = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> re.append(".*");
                case '?' -> re.append('.');
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString(), Pattern.CASE_INSENSITIVE);
    }

    @Override
    protected ProvisioningSteps<?, ?> provisioning() {
        return new PowerVmProvisioning(this);
    }

    @Override
    protected PowerSteps<?> power() {
        return power;
    }

    @Override
    protected Class<? extends ProviderOptions> providerOptionsType() {
        return PowerVmOptions.class;
    }

    @Override
    protected void closeTransport() {
        client.close(config.connectTimeout().compareTo(Duration.ofSeconds(5)) < 0 ? config.connectTimeout() : Duration.ofSeconds(5));
    }

    // ---- what the other rooms share ---------------------------------------------------------------------

    ErrorContext context(String operation) {
        return ctx(operation);
    }

    Backoff rmcBackoff() {
        return rmcBackoff;
    }

    Backoff stateBackoff() {
        return stateBackoff;
    }

    Duration landingTime() {
        return Duration.ofMillis(props.number(PowerVmProvider.LANDING_MILLIS));
    }

    /** @return how long removing what a failed create made may take */
    Duration cleanupBudget() {
        return config.operationTimeout();
    }

    boolean isTemplate(String name) {
        return name != null && templates.matcher(name).matches();
    }

    String viosName(String uuid) {
        return storage.viosName(uuid);
    }

    /** An LPAR's entry by UUID; 404 is {@link NotFoundException}. */
    CompletableFuture<HmcXml.Entry<HmcObjects.LogicalPartition>> readLpar(String operation, String uuid, Deadline deadline) {
        ErrorContext ctx = ctx(operation);
        return client.get(operation, HmcPath.uom("LogicalPartition", uuid), deadline)
                .thenApply(a -> HmcXml.entry(a.body(), HmcObjects.LogicalPartition.class, a.etag(), a.what(), ctx));
    }

    /** An LPAR as read, and the document to patch for an update of it. */
    record ServedLpar(HmcXml.Entry<HmcObjects.LogicalPartition> entry, VirtualStorage.Served served) {
    }

    /**
     * The LPAR a VM id names on this connection's managed system; anything else is
     * {@link NotFoundException}, without a request when the id cannot be an LPAR's.
     */
    CompletableFuture<ServedLpar> readVmLparServed(String operation, VmId id, Deadline deadline) {
        if (id == null || !HmcTopology.isUuid(id.value())) {
            return Futures.failed(new NotFoundException("no LPAR with id '" + (id == null ? null : id.value())
                    + "' (ids are LPAR UUIDs)", ctx(operation)));
        }
        ErrorContext ctx = ctx(operation);
        return topology.system(operation, deadline).thenCompose(s -> client.get(operation, HmcPath.uom("LogicalPartition",
                id.value()), deadline).thenApply(a -> {
            var e = VirtualStorage.both(a, HmcObjects.LogicalPartition.class, null, ctx).get(0);
            HmcObjects.Link ms = e.getKey().content().managedSystem();
            if (ms != null && ms.uuid() != null && !ms.uuid().equalsIgnoreCase(s.uuid())) {
                throw new NotFoundException("LPAR " + id + " is not on managed system " + s.name(), ctx);
            }
            return new ServedLpar(e.getKey(), e.getValue());
        }));
    }

    /** {@link #readVmLparServed} without the document. */
    CompletableFuture<HmcXml.Entry<HmcObjects.LogicalPartition>> readVmLpar(String operation, VmId id, Deadline deadline) {
        return readVmLparServed(operation, id, deadline).thenApply(ServedLpar::entry);
    }

    /** The LPARs of a name: one search request, or the feed when the name does not fit the search syntax. */
    CompletableFuture<List<HmcXml.Entry<HmcObjects.LogicalPartition>>> lparsNamed(String operation, HmcTopology.SystemRef system,
                                                                                 String name, Deadline deadline) {
        ErrorContext ctx = ctx(operation);
        HmcPath feed = HmcPath.uom("ManagedSystem", system.uuid(), "LogicalPartition");
        if (HmcTopology.searchable(name)) {
            return client.get(operation, feed.then("search", "(PartitionName=='" + name + "')"), deadline)
                    .thenApply(a -> HmcXml.entries(a.body(), HmcObjects.LogicalPartition.class, a.etag(), a.what(), ctx).stream()
                            .filter(e -> name.equals(e.content().name())).toList());
        }
        return client.list(operation, feed, deadline).thenApply(a -> HmcXml.entries(a.body(), HmcObjects.LogicalPartition.class,
                a.etag(), a.what(), ctx).stream().filter(e -> name.equals(e.content().name())).toList());
    }

    /** An LPAR's client network adapters. */
    CompletableFuture<List<HmcObjects.ClientNetworkAdapter>> adapters(String operation, String lparUuid, Deadline deadline) {
        ErrorContext ctx = ctx(operation);
        return client.get(operation, HmcPath.uom("LogicalPartition", lparUuid, "ClientNetworkAdapter"), deadline)
                .thenApply(a -> HmcXml.entries(a.body(), HmcObjects.ClientNetworkAdapter.class, a.etag(), a.what(), ctx).stream()
                        .map(HmcXml.Entry::content).toList());
    }

    /** An LPAR's {@code quick} properties: state, RMC state and IP, in a small JSON answer. */
    CompletableFuture<Quick> quick(String operation, String lparUuid, Deadline deadline) {
        ErrorContext ctx = ctx(operation);
        return client.quick(operation, HmcPath.uom("LogicalPartition", lparUuid, "quick"), deadline).thenApply(a -> {
            try {
                JsonNode n = JSON.readTree(a.body());
                return new Quick(text(n, "PartitionName"), text(n, "PartitionState"), text(n, "RMCState"),
                        text(n, "ResourceMonitoringIPAddress"), text(n, "ReferenceCode"));
            } catch (IOException e) {
                throw new ProtocolException(a.what() + ": malformed JSON: " + e.getMessage(), ctx, true, e);
            }
        });
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n == null ? null : n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** The VM in full: the LPAR, its adapters and, from every VIOS's mappings, its disks. Three requests at once. */
    CompletableFuture<VmInfo> details(String operation, String uuid, Deadline deadline) {
        CompletableFuture<HmcXml.Entry<HmcObjects.LogicalPartition>> lpar = readVmLpar(operation, VmId.of(uuid), deadline);
        CompletableFuture<List<HmcObjects.ClientNetworkAdapter>> cnas = adapters(operation, uuid, deadline);
        CompletableFuture<List<VirtualStorage.Vios>> vioses = topology.system(operation, deadline)
                .thenCompose(s -> storage.vioses(operation, s.uuid(), VirtualStorage.SCSI, deadline));
        return lpar.thenCompose(e -> cnas.thenCombine(vioses, (c, v) -> PowerVmMapper.vm(e.id().toUpperCase(Locale.ROOT),
                e.content(), topology.knownSystem().name(), PowerVmMapper.nics(c, topology),
                PowerVmMapper.disks(uuid, v, topology.poolNameForDisks()))));
    }

    // ---- connection -----------------------------------------------------------------------------------

    @Override
    public CompletableFuture<ConnectionInfo> testConnection() {
        return guarded(null, "testConnection", () -> {
            long start = System.nanoTime();
            ErrorContext ctx = ctx("testConnection");
            return client.get("testConnection", HmcPath.uom("ManagementConsole"), null).thenCompose(a -> {
                HmcXml.Entry<HmcObjects.ManagementConsole> mc = HmcXml.entry(a.body(), HmcObjects.ManagementConsole.class,
                        a.etag(), a.what(), ctx);
                return topology.system("testConnection", null).thenApply(s -> {
                    HmcObjects.VersionInfo v = mc.content().versionInfo();
                    String schema = mc.schemaVersion() == null ? "unknown" : mc.schemaVersion();
                    String version = v != null && v.version() != null ? String.join(".", List.of(v.version(),
                            Optional.ofNullable(v.release()).orElse("0"), Optional.ofNullable(v.maintenance()).orElse("0")))
                            : mc.content().baseVersion() != null ? mc.content().baseVersion() : "schema " + schema;
                    String product = "PVM".equalsIgnoreCase(a.mcType()) ? "IBM PowerVM NovaLink" : "IBM HMC";
                    return new ConnectionInfo(PowerVmProvider.TYPE, product + " (" + s.name() + ")", version, schema,
                            Duration.ofNanos(System.nanoTime() - start));
                });
            });
        });
    }

    @Override
    public CompletableFuture<Set<Capability>> capabilities() {
        return CompletableFuture.completedFuture(PowerVmProvider.CAPABILITIES);
    }

    // ---- inventory and listing -------------------------------------------------------------------------

    @Override
    public CompletableFuture<Inventory> inventory() {
        return guarded(Capability.INVENTORY, "inventory", () -> inventory.read("inventory"));
    }

    /** One request: the managed system's LPAR feed. Reference LPARs (templates) are not VMs. */
    @Override
    public CompletableFuture<List<VmInfo>> listVms(VmQuery query) {
        return guarded(Capability.LIST_VMS, "listVms", () -> topology.system("listVms", null).thenCompose(s -> client.list("listVms",
                HmcPath.uom("ManagedSystem", s.uuid(), "LogicalPartition"), null).thenApply(a -> {
            List<VmInfo> out = new ArrayList<>();
            for (HmcXml.Entry<HmcObjects.LogicalPartition> e : HmcXml.entries(a.body(), HmcObjects.LogicalPartition.class,
                    a.etag(), a.what(), ctx("listVms"))) {
                if (isTemplate(e.content().name())) {
                    continue;
                }
                VmInfo vm = PowerVmMapper.vm(e.id().toUpperCase(Locale.ROOT), e.content(), s.name(), List.of(), List.of());
                if (query.matches(vm)) {
                    out.add(vm);
                }
            }
            out.sort(Comparator.comparing(VmInfo::name).thenComparing(v -> v.id().value()));
            return out;
        })));
    }

    @Override
    public CompletableFuture<VmInfo> getVm(VmId id) {
        return guarded(Capability.LIST_VMS, "getVm", () -> {
            if (id == null || !HmcTopology.isUuid(id.value())) {
                return readVmLpar("getVm", id, null).thenApply(e -> (VmInfo) null);
            }
            return details("getVm", id.value().toUpperCase(Locale.ROOT), null);
        });
    }

    /** One search request for the name (the feed when the name does not fit the search syntax). */
    @Override
    public CompletableFuture<Optional<VmInfo>> findVm(String name) {
        if (name == null || name.isEmpty()) {
            return super.findVm(name);
        }
        return guarded(Capability.LIST_VMS, "findVm", () -> topology.system("findVm", null).thenCompose(s ->
                lparsNamed("findVm", s, name, null).thenApply(list -> single(name, list.stream()
                        .filter(e -> !isTemplate(e.content().name()))
                        .map(e -> PowerVmMapper.vm(e.id().toUpperCase(Locale.ROOT), e.content(), s.name(), List.of(), List.of()))
                        .toList()))));
    }

    // ---- reconfigure and delete --------------------------------------------------------------------------

    @Override
    public CompletableFuture<VmInfo> reconfigureVm(VmId id, VmReconfigureSpec change, OperationOptions options) {
        return operation(Capability.RECONFIGURE, "reconfigureVm", options, run -> {
            run.stage(Stage.RECONFIGURE, 0, 99, "changing CPU and memory of LPAR " + id);
            return new LparReconfiguration(this).apply(id, change, run);
        });
    }

    @Override
    public CompletableFuture<Boolean> deleteVm(VmId id, OperationOptions options) {
        return operation(Capability.DELETE, "deleteVm", options, run -> {
            if (id == null || !HmcTopology.isUuid(id.value())) {
                return CompletableFuture.completedFuture(false);
            }
            run.stage(Stage.DELETE, 0, 99, "deleting LPAR " + id);
            String uuid = id.value().toUpperCase(Locale.ROOT);
            return readVmLpar("deleteVm", id, run.deadline()).handle((e, err) -> {
                if (err != null && !VirtualStorage.gone(err)) {
                    throw Futures.unwrap(err) instanceof RuntimeException r ? r : new IllegalStateException(err);
                }
                return e;
            }).thenCompose(e -> e == null ? CompletableFuture.completedFuture(false) : teardown.delete(uuid, e.content(), run));
        });
    }

    // ---- snapshots: none on PowerVM ------------------------------------------------------------------------

    private <T> CompletableFuture<T> noSnapshots(String operation) {
        return guarded(Capability.SNAPSHOTS, operation, () -> Futures.failed(new UnsupportedCapabilityException(
                Capability.SNAPSHOTS, "PowerVM has no snapshots", ctx(operation))));
    }

    @Override
    public CompletableFuture<Snapshot> createSnapshot(VmId id, SnapshotSpec snapshot, OperationOptions options) {
        return noSnapshots("createSnapshot");
    }

    @Override
    public CompletableFuture<List<Snapshot>> listSnapshots(VmId id) {
        return noSnapshots("listSnapshots");
    }

    @Override
    public CompletableFuture<VmInfo> revertToSnapshot(VmId id, String snapshotName, OperationOptions options) {
        return noSnapshots("revertToSnapshot");
    }

    @Override
    public CompletableFuture<Void> deleteSnapshot(VmId id, String snapshotName, OperationOptions options) {
        return noSnapshots("deleteSnapshot");
    }
}
