package io.dvmm.sdk.vsphere.internal;

import com.vmware.vim25.AboutInfo;
import com.vmware.vim25.ArrayOfVirtualDevice;
import com.vmware.vim25.ManagedObjectReference;
import com.vmware.vim25.ObjectContent;
import com.vmware.vim25.VirtualMachineConfigSpec;
import io.dvmm.sdk.Capability;
import io.dvmm.sdk.ConnectionInfo;
import io.dvmm.sdk.Credentials;
import io.dvmm.sdk.HypervisorConfig;
import io.dvmm.sdk.InvalidSpecException;
import io.dvmm.sdk.Inventory;
import io.dvmm.sdk.NotFoundException;
import io.dvmm.sdk.OperationOptions;
import io.dvmm.sdk.PowerState;
import io.dvmm.sdk.ProtocolException;
import io.dvmm.sdk.ProviderProperty;
import io.dvmm.sdk.ProviderOptions;
import io.dvmm.sdk.Progress.Stage;
import io.dvmm.sdk.Snapshot;
import io.dvmm.sdk.SnapshotSpec;
import io.dvmm.sdk.UnavailableException;
import io.dvmm.sdk.VmId;
import io.dvmm.sdk.VmInfo;
import io.dvmm.sdk.VmQuery;
import io.dvmm.sdk.VmReconfigureSpec;
import io.dvmm.sdk.spi.AbstractHypervisor;
import io.dvmm.sdk.spi.support.Deadline;
import io.dvmm.sdk.spi.support.Futures;
import io.dvmm.sdk.spi.support.ProviderProperties;
import io.dvmm.sdk.spi.support.ProvisioningSteps;
import io.dvmm.sdk.spi.support.TlsSupport;
import io.dvmm.sdk.vsphere.VsphereOptions;
import io.dvmm.sdk.vsphere.VsphereProvider;
import io.dvmm.sdk.vsphere.internal.VimSession.Scope;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * A connection to a vCenter or a standalone ESXi host: the API on top of the rooms below it.
 * {@link VimClient} is the wire, {@link VimSession} the login and the one retry path,
 * {@link VimPort} the vim25 methods, {@link VimUpdates} the connection's one
 * {@code WaitForUpdatesEx} dispatcher and {@link VimTasks} the task waits; {@code createVm} runs
 * {@link VsphereProvisioning} through the SDK's create skeleton, power operations
 * {@link VspherePower} through its state table. Lists use one paged container-view retrieval.
 */
public final class VsphereHypervisor extends AbstractHypervisor {

    /** What a vCenter connection can do (what {@link VsphereProvider#capabilities()} reports before connecting). */
    public static final Set<Capability> VCENTER_CAPABILITIES = Set.copyOf(EnumSet.of(Capability.INVENTORY, Capability.LIST_VMS,
            Capability.CLONE_FULL, Capability.CLONE_LINKED, Capability.GUEST_CUSTOMIZATION, Capability.CUSTOM_HOSTNAME,
            Capability.CLOUD_INIT, Capability.USER_DATA, Capability.DISKS, Capability.POWER, Capability.SUSPEND,
            Capability.RECONFIGURE, Capability.SNAPSHOTS, Capability.GUEST_IP, Capability.METADATA, Capability.DELETE,
            Capability.CANCEL_TASK));
    /**
     * A standalone ESXi host has no CloneVM_Task, so nothing that createVm needs (disks, metadata
     * and guest customization are set by createVm); its power tasks can still be cancelled.
     */
    static final Set<Capability> ESXI_CAPABILITIES = Set.copyOf(EnumSet.of(Capability.INVENTORY, Capability.LIST_VMS,
            Capability.POWER, Capability.SUSPEND, Capability.RECONFIGURE, Capability.SNAPSHOTS, Capability.GUEST_IP,
            Capability.DELETE, Capability.CANCEL_TASK));

    private static final int LIST_PAGE_SIZE = 1000;
    private static final Duration LOGOUT_BUDGET = Duration.ofSeconds(5);

    private final VimClient client;
    private final VimSession session;
    private final VimPort port;
    private final VimUpdates updates;
    private final VimTasks tasks;
    private final VspherePower power;
    private final VsphereSnapshots snapshots;
    private final ScheduledFuture<?> keepalive;
    private final AtomicReference<CompletableFuture<Set<Capability>>> capabilities = new AtomicReference<>();
    private final AtomicReference<VimCatalog> catalog = new AtomicReference<>();
    private final Map<ManagedObjectReference, Map<String, Object>> templateDetails = new ConcurrentHashMap<>();
    /** Host names seen by the last listing, so getVm can name a VM's host without a round trip. */
    private final Map<ManagedObjectReference, String> hostNames = new ConcurrentHashMap<>();

    /**
     * Connects lazily: checks the credentials and properties, builds the transport; the first call logs in.
     *
     * @param config the connection's configuration
     * @param declared the properties {@link VsphereProvider} declares, to read and check {@code config}'s against
     * @throws InvalidSpecException if the credentials are not a user and password
     */
    public VsphereHypervisor(HypervisorConfig config, List<ProviderProperty> declared) {
        super(VimErrors.PROVIDER, config);
        Credentials creds = config.credentials();
        // The password itself is read at each login, not here: a rotating one is asked for when it is needed.
        if (creds.kind() != Credentials.Kind.PASSWORD || creds.principal().isEmpty()) {
            throw new InvalidSpecException("credentials", "vSphere needs Credentials.password(user, password)", VimErrors.ctx("connect"));
        }
        long keepaliveSeconds = ProviderProperties.of(config, declared).number(VsphereProvider.KEEPALIVE_SECONDS);
        URI sdk = sdkEndpoint(config.endpoint());
        TlsSupport.Material tls = TlsSupport.create(config.tls(), VimErrors.PROVIDER, sdk);
        this.client = new VimClient(sdk, tls, config, executor);
        this.session = new VimSession(client, calls, creds);
        this.port = new VimPort(session);
        this.updates = new VimUpdates(port, scheduler, config.readTimeout());
        this.tasks = new VimTasks(port, updates, config.readTimeout());
        this.power = new VspherePower(this);
        this.snapshots = new VsphereSnapshots(this);
        this.keepalive = scheduler.scheduleAtFixedRate(session::keepAlive, keepaliveSeconds, keepaliveSeconds, TimeUnit.SECONDS);
    }

    /** {@code vsphere://host[:port][/path]} (or https) to {@code https://host:port/sdk}. */
    static URI sdkEndpoint(URI endpoint) {
        String host = endpoint.getHost();
        if (host == null) {
            throw new InvalidSpecException("endpoint", "must name a host, such as vsphere://vcenter.example.com/sdk");
        }
        int port = endpoint.getPort() > 0 ? endpoint.getPort() : 443;
        String path = endpoint.getPath() == null || endpoint.getPath().isEmpty() || "/".equals(endpoint.getPath())
                ? "/sdk" : endpoint.getPath();
        return URI.create("https://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + path);
    }

    // ---- the rooms, for the steps

    @Override
    protected ProvisioningSteps<?, ?> provisioning() {
        return new VsphereProvisioning(this);
    }

    @Override
    protected VspherePower power() {
        return power;
    }

    @Override
    protected Class<? extends ProviderOptions> providerOptionsType() {
        return VsphereOptions.class;
    }

    VimPort port() {
        return port;
    }

    VimTasks tasks() {
        return tasks;
    }

    VimUpdates updates() {
        return updates;
    }

    ProtocolException protocol(String operation, String message) {
        return new ProtocolException(message, ctx(operation));
    }

    /** @return whether a placement catalog is cached (so that a name it misses may be newer than it) */
    boolean hasCatalog() {
        return catalog.get() != null;
    }

    /** The placement catalog, cached per connection; reloaded when asked (a name was not found). */
    CompletableFuture<VimCatalog> catalog(Scope scope, boolean reload) {
        VimCatalog c = catalog.get();
        if (c != null && !reload) {
            return CompletableFuture.completedFuture(c);
        }
        return VimCatalog.load(port, scope).thenApply(loaded -> {
            catalog.set(loaded);
            return loaded;
        });
    }

    CompletableFuture<Map<String, Object>> templateDetails(Scope scope, ManagedObjectReference template) {
        Map<String, Object> d = templateDetails.get(template);
        if (d != null) {
            return CompletableFuture.completedFuture(d);
        }
        return retrieve(scope, template, "config.hardware.device", "snapshot.currentSnapshot", "runtime.host", "resourcePool")
                .thenApply(props -> {
                    templateDetails.put(template, props);
                    return props;
                });
    }

    String hostName(ManagedObjectReference host) {
        String known = hostNames.get(host);
        if (known != null) {
            return known;
        }
        VimCatalog c = catalog.get();
        return c == null ? host.getVal() : c.nameOf(host);
    }

    /** One object's properties in one request; a missing object fails with {@code NotFoundException}. */
    CompletableFuture<Map<String, Object>> retrieve(Scope scope, ManagedObjectReference obj, String... paths) {
        return port.retrievePropertiesEx(scope, VimPort.objectSpec(obj, paths), 100, false).thenApply(r -> {
            if (r == null || r.getObjects() == null || r.getObjects().length == 0) {
                throw new NotFoundException(obj.getType() + " " + obj.getVal() + " does not exist",
                        ctx(scope.operation()).withServer("ManagedObjectNotFound", null));
            }
            return VimCatalog.properties(r.getObjects()[0]);
        });
    }

    /** A VM's properties (everything a VmInfo holds); a template or a missing VM is {@code NotFoundException}. */
    CompletableFuture<Map<String, Object>> vmProps(Scope scope, VmId id) {
        return retrieve(scope, VmMapper.vmRef(id), VmMapper.VM_PROPS).handle((props, e) -> {
            if (e != null) {
                Throwable cause = Futures.unwrap(e);
                throw new CompletionException(cause instanceof NotFoundException nf
                        ? new NotFoundException("VM " + id + " does not exist", nf.context(), nf) : cause);
            }
            if (VmMapper.isTemplate(props)) {
                throw new NotFoundException("VM " + id + " is a template, not a VM", ctx(scope.operation()));
            }
            return props;
        });
    }

    CompletableFuture<VmInfo> vmInfo(Scope scope, VmId id) {
        return vmProps(scope, id).thenApply(p -> VmMapper.toVmInfo(VmMapper.vmRef(id), p, this::hostName));
    }

    // ---- connection

    @Override
    public CompletableFuture<ConnectionInfo> testConnection() {
        return guarded(null, "testConnection", () -> port.content().thenCompose(content -> {
            long start = System.nanoTime();
            return port.currentTime(Scope.of("testConnection")).thenApply(t -> {
                AboutInfo about = content.getAbout();
                return new ConnectionInfo(VimErrors.PROVIDER, about.getFullName() != null ? about.getFullName() : about.getName(),
                        about.getVersion(), about.getApiVersion(), Duration.ofNanos(System.nanoTime() - start));
            });
        }));
    }

    @Override
    public CompletableFuture<Set<Capability>> capabilities() {
        CompletableFuture<Set<Capability>> current = capabilities.get();
        if (current != null && !current.isCompletedExceptionally()) {
            return current.thenApply(c -> c);
        }
        if (isClosed()) {
            return Futures.failed(new UnavailableException("connection is closed", ctx("capabilities")));
        }
        // Per connection: a vCenter clones, a standalone ESXi host does not.
        CompletableFuture<Set<Capability>> next = port.content().thenApply(content ->
                "VirtualCenter".equals(content.getAbout().getApiType()) ? VCENTER_CAPABILITIES : ESXI_CAPABILITIES);
        capabilities.set(next);
        return next.thenApply(c -> c);
    }

    @Override
    public CompletableFuture<Inventory> inventory() {
        Scope scope = Scope.of("inventory");
        return guarded(Capability.INVENTORY, "inventory", () -> catalog(scope, true).thenCompose(c -> {
            List<VimCatalog.Entry> templates = c.all("VirtualMachine");
            List<CompletableFuture<Map<String, Object>>> details = templates.stream().map(t -> templateDetails(scope, t.ref())).toList();
            return CompletableFuture.allOf(details.toArray(CompletableFuture[]::new)).thenApply(x -> {
                Map<ManagedObjectReference, Long> disks = new HashMap<>();
                for (int i = 0; i < templates.size(); i++) {
                    Object devices = details.get(i).join().get("config.hardware.device");
                    disks.put(templates.get(i).ref(), VimCatalog.diskGiB(devices instanceof ArrayOfVirtualDevice a ? a.getVirtualDevice() : null));
                }
                return c.toInventory(disks);
            });
        }));
    }

    // ---- VMs

    @Override
    public CompletableFuture<List<VmInfo>> listVms(VmQuery query) {
        return guarded(Capability.LIST_VMS, "listVms", () -> port.retrieveByType(Scope.of("listVms"), LIST_PAGE_SIZE, List.of(
                VimPort.props("VirtualMachine", VmMapper.LIST_PROPS), VimPort.props("HostSystem", "name"))).thenApply(objects -> {
            Map<ManagedObjectReference, String> hosts = new HashMap<>();
            List<ObjectContent> vms = new ArrayList<>();
            for (ObjectContent oc : objects) {
                if ("HostSystem".equals(oc.getObj().getType())) {
                    Object n = VimCatalog.properties(oc).get("name");
                    hosts.put(oc.getObj(), n == null ? oc.getObj().getVal() : n.toString());
                } else {
                    vms.add(oc);
                }
            }
            hostNames.putAll(hosts);
            List<VmInfo> out = new ArrayList<>();
            for (ObjectContent oc : vms) {
                Map<String, Object> props = VimCatalog.properties(oc);
                if (!VmMapper.isTemplate(props)) {
                    VmInfo vm = VmMapper.toVmInfo(oc.getObj(), props, h -> hosts.getOrDefault(h, h.getVal()));
                    if (query.matches(vm)) {
                        out.add(vm);
                    }
                }
            }
            out.sort(Comparator.comparing(VmInfo::name).thenComparing(v -> v.id().value()));
            return out;
        }));
    }

    /**
     * vSphere's own name lookup: {@code FindChild} in every VM folder and vApp (names are unique
     * per folder, not per vCenter), the folders listed fresh in one view so that none made since
     * the catalog is missed, then each match read. Costs 3 + folders + matches calls, whatever the
     * number of VMs; several matches fail with {@code ConflictException} listing their ids.
     */
    @Override
    public CompletableFuture<Optional<VmInfo>> findVm(String name) {
        if (name == null || name.isEmpty()) {
            return Futures.failed(new InvalidSpecException("name", "must not be empty", ctx("findVm")));
        }
        Scope scope = Scope.of("findVm");
        return guarded(Capability.LIST_VMS, "findVm", () -> port.retrieveByType(scope, LIST_PAGE_SIZE, List.of(
                VimPort.props("Folder", "childType"), VimPort.props("VirtualApp", "name"))).thenCompose(objects -> {
            List<CompletableFuture<ManagedObjectReference>> found = new ArrayList<>();
            for (ObjectContent oc : objects) {
                Object types = VimCatalog.properties(oc).get("childType");
                boolean vmFolder = "Folder".equals(oc.getObj().getType()) && types instanceof com.vmware.vim25.ArrayOfString a
                        && a.getString() != null && List.of(a.getString()).contains("VirtualMachine");
                if (vmFolder || "VirtualApp".equals(oc.getObj().getType())) {
                    found.add(port.findChild(scope, oc.getObj(), name));
                }
            }
            return Futures.allOf(found);
        }).thenCompose(refs -> {
            List<CompletableFuture<Optional<VmInfo>>> reads = refs.stream()
                    .filter(r -> r != null && "VirtualMachine".equals(r.getType())).distinct()
                    .map(r -> retrieve(scope, r, VmMapper.VM_PROPS).handle((p, e) -> {
                        if (e != null) {
                            Throwable cause = Futures.unwrap(e);
                            if (cause instanceof NotFoundException) {
                                return Optional.<VmInfo>empty(); // deleted since it was found
                            }
                            throw new java.util.concurrent.CompletionException(cause);
                        }
                        return VmMapper.isTemplate(p) ? Optional.<VmInfo>empty()
                                : Optional.of(VmMapper.toVmInfo(r, p, this::hostName));
                    })).toList();
            return Futures.allOf(reads).thenApply(all -> single(name,
                    all.stream().flatMap(Optional::stream).sorted(Comparator.comparing((VmInfo v) -> v.id().value())).toList()));
        }));
    }

    @Override
    public CompletableFuture<VmInfo> getVm(VmId id) {
        return guarded(Capability.LIST_VMS, "getVm", () -> vmInfo(Scope.of("getVm"), id));
    }

    @Override
    public CompletableFuture<VmInfo> reconfigureVm(VmId id, VmReconfigureSpec change, OperationOptions options) {
        return operation(Capability.RECONFIGURE, "reconfigureVm", options, run -> vmProps(VimTasks.scope(run), id).thenCompose(now -> {
            run.stage(Stage.RECONFIGURE, 0, 99, "reconfiguring " + id);
            VirtualMachineConfigSpec cs = new VirtualMachineConfigSpec();
            change.cpuCount().ifPresent(cs::setNumCPUs);
            change.memoryMiB().ifPresent(m -> cs.setMemoryMB(m));
            return tasks.run(run, s -> port.reconfigVmTask(s, VmMapper.vmRef(id), cs));
        }).thenCompose(x -> vmInfo(VimTasks.scope(run), id)));
    }

    @Override
    public CompletableFuture<Boolean> deleteVm(VmId id, OperationOptions options) {
        return operation(Capability.DELETE, "deleteVm", options, run -> vmProps(VimTasks.scope(run), id).handle((props, e) -> {
            if (e != null) {
                Throwable cause = Futures.unwrap(e);
                if (cause instanceof NotFoundException) {
                    return CompletableFuture.completedFuture(false);
                }
                return Futures.<Boolean>failed(cause);
            }
            run.stage(Stage.DELETE, 0, 99, "deleting " + id);
            // A delete that lost the race with another one (or a rollback) still leaves the VM gone, as asked.
            return power.destroy(VmMapper.vmRef(id), run).handle((v, de) -> {
                if (de == null) {
                    return true;
                }
                Throwable cause = Futures.unwrap(de);
                if (cause instanceof NotFoundException) {
                    return false;
                }
                throw new CompletionException(cause);
            });
        }).thenCompose(f -> f));
    }

    // ---- snapshots (the steps are VsphereSnapshots')

    @Override
    public CompletableFuture<Snapshot> createSnapshot(VmId id, SnapshotSpec snapshot, OperationOptions options) {
        return operation(Capability.SNAPSHOTS, "createSnapshot", options, run -> snapshots.create(run, id, snapshot));
    }

    @Override
    public CompletableFuture<List<Snapshot>> listSnapshots(VmId id) {
        return guarded(Capability.SNAPSHOTS, "listSnapshots", () -> snapshots.list(Scope.of("listSnapshots"), id));
    }

    @Override
    public CompletableFuture<VmInfo> revertToSnapshot(VmId id, String snapshotName, OperationOptions options) {
        return operation(Capability.SNAPSHOTS, "revertToSnapshot", options, run -> snapshots.revert(run, id, snapshotName));
    }

    @Override
    public CompletableFuture<Void> deleteSnapshot(VmId id, String snapshotName, OperationOptions options) {
        return operation(Capability.SNAPSHOTS, "deleteSnapshot", options, run -> snapshots.delete(run, id, snapshotName));
    }

    // ---- waits: the connection's WaitForUpdatesEx dispatcher instead of the generic polling

    @Override
    public CompletableFuture<VmInfo> waitForGuestIp(VmId id, Duration timeout) {
        return guarded(Capability.GUEST_IP, "waitForGuestIp", () -> waitFor(id, "waitForGuestIp", timeout,
                VmMapper::hasUsableIp, "a guest IP on VM " + id));
    }

    @Override
    public CompletableFuture<VmInfo> waitForState(VmId id, PowerState state, Duration timeout) {
        return guarded(Capability.LIST_VMS, "waitForState", () -> waitFor(id, "waitForState", timeout,
                p -> VmMapper.powerState(p.get("runtime.powerState")) == state, "VM " + id + " to be " + state));
    }

    private CompletableFuture<VmInfo> waitFor(VmId id, String operation, Duration timeout, Predicate<Map<String, Object>> done,
                                              String what) {
        ManagedObjectReference vm = VmMapper.vmRef(id);
        CompletableFuture<Map<String, Object>> wait = updates.await(new Scope(operation, Deadline.after(timeout)), vm,
                VmMapper.VM_PROPS, done, what);
        CompletableFuture<VmInfo> out = wait.handle((props, e) -> {
            if (e != null) {
                Throwable cause = Futures.unwrap(e);
                throw new CompletionException(cause instanceof NotFoundException nf
                        ? new NotFoundException("VM " + id + " does not exist (or was deleted while waiting)", nf.context(), nf) : cause);
            }
            if (VmMapper.isTemplate(props)) {
                throw new NotFoundException("VM " + id + " is a template, not a VM", ctx(operation));
            }
            return VmMapper.toVmInfo(vm, props, this::hostName);
        });
        return Futures.onCancel(out, () -> wait.cancel(true));
    }

    // ---- close

    /** Releases everything at once: keepalive, the dispatcher's waiters, logout, then every HTTP exchange and socket. */
    @Override
    protected void closeTransport() {
        keepalive.cancel(false);
        updates.close();
        client.cancelAll(); // the long poll and every other exchange: the logout must not queue behind them
        session.logout(LOGOUT_BUDGET.compareTo(config.readTimeout()) < 0 ? LOGOUT_BUDGET : config.readTimeout());
        client.close();
    }

    /** @return the client, for tests */
    VimClient client() {
        return client;
    }
}
