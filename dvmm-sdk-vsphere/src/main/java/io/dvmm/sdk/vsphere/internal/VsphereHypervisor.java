package io.dvmm.sdk.vsphere.internal;

import com.vmware.vim25.AboutInfo;
import com.vmware.vim25.CustomizationAdapterMapping;
import com.vmware.vim25.CustomizationDhcpIpGenerator;
import com.vmware.vim25.CustomizationFixedIp;
import com.vmware.vim25.CustomizationFixedName;
import com.vmware.vim25.CustomizationGlobalIPSettings;
import com.vmware.vim25.CustomizationIPSettings;
import com.vmware.vim25.CustomizationLinuxPrep;
import com.vmware.vim25.CustomizationSpec;
import com.vmware.vim25.ManagedObjectReference;
import com.vmware.vim25.ObjectContent;
import com.vmware.vim25.ObjectSpec;
import com.vmware.vim25.OptionValue;
import com.vmware.vim25.PropertyFilterSpec;
import com.vmware.vim25.RetrieveOptions;
import com.vmware.vim25.RetrieveResult;
import com.vmware.vim25.ServiceContent;
import com.vmware.vim25.VirtualDevice;
import com.vmware.vim25.VirtualDeviceConfigSpec;
import com.vmware.vim25.VirtualDeviceConfigSpecFileOperation;
import com.vmware.vim25.VirtualDeviceConfigSpecOperation;
import com.vmware.vim25.VirtualDisk;
import com.vmware.vim25.VirtualDiskFlatVer2BackingInfo;
import com.vmware.vim25.VirtualSCSIController;
import com.vmware.vim25.VirtualEthernetCard;
import com.vmware.vim25.VirtualEthernetCardNetworkBackingInfo;
import com.vmware.vim25.VirtualMachineCloneSpec;
import com.vmware.vim25.VirtualMachineConfigSpec;
import com.vmware.vim25.VirtualMachinePowerState;
import com.vmware.vim25.VirtualMachineRelocateSpec;
import com.vmware.vim25.VirtualMachineSnapshotInfo;
import com.vmware.vim25.VirtualMachineSnapshotTree;
import com.vmware.vim25.VirtualVmxnet3;
import com.vmware.vim25.ArrayOfVirtualDevice;
import io.dvmm.sdk.Capability;
import io.dvmm.sdk.CloneMode;
import io.dvmm.sdk.ConflictException;
import io.dvmm.sdk.ConnectionInfo;
import io.dvmm.sdk.Credentials;
import io.dvmm.sdk.ErrorContext;
import io.dvmm.sdk.GuestCustomization;
import io.dvmm.sdk.HypervisorConfig;
import io.dvmm.sdk.HypervisorException;
import io.dvmm.sdk.InvalidSpecException;
import io.dvmm.sdk.Inventory;
import io.dvmm.sdk.NicSpec;
import io.dvmm.sdk.NotFoundException;
import io.dvmm.sdk.OperationOptions;
import io.dvmm.sdk.OperationTimeoutException;
import io.dvmm.sdk.Placement;
import io.dvmm.sdk.PowerState;
import io.dvmm.sdk.Snapshot;
import io.dvmm.sdk.SnapshotSpec;
import io.dvmm.sdk.StopSpec;
import io.dvmm.sdk.UnsupportedCapabilityException;
import io.dvmm.sdk.VmId;
import io.dvmm.sdk.VmInfo;
import io.dvmm.sdk.VmProvisionSpec;
import io.dvmm.sdk.VmQuery;
import io.dvmm.sdk.VmReconfigureSpec;
import io.dvmm.sdk.spi.AbstractHypervisor;
import io.dvmm.sdk.spi.Deadline;
import io.dvmm.sdk.spi.Futures;
import io.dvmm.sdk.spi.ProgressReporter;
import io.dvmm.sdk.spi.TlsSupport;
import io.dvmm.sdk.vsphere.VsphereOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.rmi.RemoteException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * A connection to a vCenter or a standalone ESXi host. Blocking vim25 calls run on the
 * connection's bounded executor; waits use {@code WaitForUpdatesEx} on a collector owned by the
 * waiting operation ({@link VimWatcher}); lists use one paged container-view retrieval.
 */
final class VsphereHypervisor extends AbstractHypervisor {

    private static final Logger LOG = LoggerFactory.getLogger(VsphereHypervisor.class);

    static final Set<Capability> VCENTER_CAPABILITIES = Set.copyOf(EnumSet.of(Capability.INVENTORY, Capability.LIST_VMS,
            Capability.CLONE_FULL, Capability.CLONE_LINKED, Capability.GUEST_CUSTOMIZATION, Capability.CLOUD_INIT,
            Capability.DISKS, Capability.POWER, Capability.SUSPEND, Capability.RECONFIGURE, Capability.SNAPSHOTS,
            Capability.GUEST_IP, Capability.METADATA, Capability.DELETE, Capability.CANCEL_TASK));
    /**
     * A standalone ESXi host has no CloneVM_Task, so nothing that createVm needs (disks and
     * metadata are set by createVm); its power tasks can still be cancelled.
     */
    static final Set<Capability> ESXI_CAPABILITIES = Set.copyOf(EnumSet.of(Capability.INVENTORY, Capability.LIST_VMS,
            Capability.POWER, Capability.SUSPEND, Capability.RECONFIGURE, Capability.SNAPSHOTS, Capability.GUEST_IP,
            Capability.DELETE, Capability.CANCEL_TASK));

    /** Characters a VM name may not hold on vSphere beyond the portable rules: datastore path delimiters. */
    private static final String FORBIDDEN_NAME_CHARS = "[]";
    private static final int LIST_PAGE_SIZE = 1000;
    private static final long KIB_PER_GIB = 1024L * 1024L;
    /** SCSI unit 7 is the controller's own. */
    private static final int SCSI_CONTROLLER_UNIT = 7;
    private static final int SCSI_UNITS = 16;

    private final VimConnection conn;
    private final AtomicReference<CompletableFuture<Set<Capability>>> capabilities = new AtomicReference<>();
    private final AtomicReference<VimCatalog> catalog = new AtomicReference<>();
    private final Map<ManagedObjectReference, Map<String, Object>> templateDetails = new ConcurrentHashMap<>();
    private final ScheduledFuture<?> keepalive;
    private final Map<String, java.util.concurrent.locks.ReentrantLock> deleting = new ConcurrentHashMap<>();
    /** Host names seen by the last listing, so getVm can name a VM's host without a round trip. */
    private final Map<ManagedObjectReference, String> hostNames = new ConcurrentHashMap<>();

    VsphereHypervisor(HypervisorConfig config) {
        super(VimErrors.PROVIDER, config);
        Credentials creds = config.credentials();
        if (creds.kind() != Credentials.Kind.PASSWORD || creds.principal().isEmpty() || creds.secret().isEmpty()) {
            throw new InvalidSpecException("credentials", "vSphere needs Credentials.password(user, password)",
                    ErrorContext.of(VimErrors.PROVIDER, "connect"));
        }
        URI sdk = sdkEndpoint(config.endpoint());
        TlsSupport.Material tls = TlsSupport.create(config.tls(), VimErrors.PROVIDER, sdk);
        VimSoapClient client = new VimSoapClient(sdk, tls.sslContext(), tls.verifyHostname(), config.connectTimeout(),
                config.readTimeout(), null);
        this.conn = new VimConnection(client, creds.principal().get(), creds.secret().get());
        long keepaliveSeconds = config.property("vsphere.keepaliveSeconds").map(Long::parseLong).orElse(300L);
        this.keepalive = scheduler.scheduleAtFixedRate(() -> executor.execute(conn::keepAlive),
                keepaliveSeconds, keepaliveSeconds, TimeUnit.SECONDS);
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

    /** The transport of this connection, for tests that count round trips. */
    VimSoapClient transport() {
        return conn.client();
    }

    // ---- plumbing

    @FunctionalInterface
    private interface Blocking<T> {
        T run() throws RemoteException;
    }

    /** Runs a blocking body on the executor through the connection's one retry path. */
    private <T> CompletableFuture<T> blocking(String operation, boolean idempotent, Blocking<T> body) {
        return calls.call(operation, idempotent, () -> CompletableFuture.supplyAsync(() -> {
            try {
                return body.run();
            } catch (RemoteException | RuntimeException e) {
                throw VimErrors.map(e, operation);
            }
        }, executor));
    }

    private VimCatalog catalog(boolean reload) throws RemoteException {
        VimCatalog c = catalog.get();
        if (c == null || reload) {
            c = VimCatalog.load(conn);
            catalog.set(c);
        }
        return c;
    }

    private String hostName(ManagedObjectReference host) {
        String known = hostNames.get(host);
        if (known != null) {
            return known;
        }
        VimCatalog c = catalog.get();
        return c == null ? host.getVal() : c.nameOf(host);
    }

    private Map<String, Object> retrieve(ManagedObjectReference obj, String... paths) throws RemoteException {
        PropertyFilterSpec spec = VimConnection.objectSpec(obj, paths);
        RetrieveResult r = conn.call((s, c) -> s.retrievePropertiesEx(c.getPropertyCollector(), new PropertyFilterSpec[]{spec},
                new RetrieveOptions()));
        if (r == null || r.getObjects() == null || r.getObjects().length == 0) {
            throw new NotFoundException(obj.getType() + " " + obj.getVal() + " does not exist",
                    new ErrorContext(VimErrors.PROVIDER, "", "ManagedObjectNotFound", null));
        }
        return VimCatalog.properties(r.getObjects()[0]);
    }

    private Map<String, Object> vmProps(VmId id, String operation) throws RemoteException {
        try {
            Map<String, Object> props = retrieve(VmMapper.vmRef(id), VmMapper.VM_PROPS);
            if (VmMapper.isTemplate(props)) {
                throw new NotFoundException("VM " + id + " is a template, not a VM", ErrorContext.of(VimErrors.PROVIDER, operation));
            }
            return props;
        } catch (VimCallException e) {
            HypervisorException mapped = VimErrors.map(e, operation);
            if (mapped instanceof NotFoundException) {
                throw new NotFoundException("VM " + id + " does not exist", mapped.context(), e);
            }
            throw e;
        } catch (NotFoundException e) {
            throw new NotFoundException("VM " + id + " does not exist", new ErrorContext(VimErrors.PROVIDER, operation,
                    e.serverCode().orElse(null), null), e);
        }
    }

    private VmInfo vmInfo(VmId id, String operation) throws RemoteException {
        return VmMapper.toVmInfo(VmMapper.vmRef(id), vmProps(id, operation), this::hostName);
    }

    // ---- connection

    @Override
    public CompletableFuture<ConnectionInfo> testConnection() {
        return guarded(null, "testConnection", () -> blocking("testConnection", true, () -> {
            ServiceContent content = conn.session();
            long start = System.nanoTime();
            conn.call((s, c) -> s.currentTime(VimConnection.moRef("ServiceInstance", "ServiceInstance")));
            Duration latency = Duration.ofNanos(System.nanoTime() - start);
            AboutInfo about = content.getAbout();
            return new ConnectionInfo(VimErrors.PROVIDER, about.getFullName() != null ? about.getFullName() : about.getName(),
                    about.getVersion(), about.getApiVersion(), latency);
        }));
    }

    @Override
    public CompletableFuture<Set<Capability>> capabilities() {
        CompletableFuture<Set<Capability>> current = capabilities.get();
        if (current != null && !current.isCompletedExceptionally()) {
            return current.thenApply(c -> c);
        }
        if (isClosed()) {
            return Futures.failed(new io.dvmm.sdk.UnavailableException("connection is closed", ctx("capabilities")));
        }
        CompletableFuture<Set<Capability>> next = blocking("capabilities", true, () -> {
            ServiceContent content = conn.session();
            return "VirtualCenter".equals(content.getAbout().getApiType()) ? VCENTER_CAPABILITIES : ESXI_CAPABILITIES;
        });
        capabilities.set(next);
        return next.thenApply(c -> c);
    }

    @Override
    public CompletableFuture<Inventory> inventory() {
        return guarded(Capability.INVENTORY, "inventory", () -> blocking("inventory", true, () -> {
            VimCatalog c = catalog(true);
            Map<ManagedObjectReference, Long> disks = new HashMap<>();
            for (VimCatalog.Entry t : c.all("VirtualMachine")) {
                disks.put(t.ref(), VimCatalog.diskGiB(devices(templateDetails(t.ref()))));
            }
            return c.toInventory(disks);
        }));
    }

    private Map<String, Object> templateDetails(ManagedObjectReference template) throws RemoteException {
        Map<String, Object> d = templateDetails.get(template);
        if (d == null) {
            d = retrieve(template, "config.hardware.device", "snapshot.currentSnapshot", "runtime.host", "resourcePool");
            templateDetails.put(template, d);
        }
        return d;
    }

    private static VirtualDevice[] devices(Map<String, Object> details) {
        return details.get("config.hardware.device") instanceof ArrayOfVirtualDevice a ? a.getVirtualDevice() : null;
    }

    // ---- VMs

    @Override
    public CompletableFuture<List<VmInfo>> listVms(VmQuery query) {
        return guarded(Capability.LIST_VMS, "listVms", () -> blocking("listVms", true, () -> {
            Map<ManagedObjectReference, String> hosts = new HashMap<>();
            List<ObjectContent> vms = new ArrayList<>();
            for (ObjectContent oc : conn.retrieveByType(LIST_PAGE_SIZE, List.of(
                    VimConnection.props("VirtualMachine", VmMapper.LIST_PROPS),
                    VimConnection.props("HostSystem", "name")))) {
                if ("HostSystem".equals(oc.getObj().getType())) {
                    Object n = VimCatalog.properties(oc).get("name");
                    hosts.put(oc.getObj(), n == null ? oc.getObj().getVal() : n.toString());
                    hostNames.put(oc.getObj(), hosts.get(oc.getObj()));
                } else {
                    vms.add(oc);
                }
            }
            List<VmInfo> out = new ArrayList<>();
            for (ObjectContent oc : vms) {
                Map<String, Object> props = VimCatalog.properties(oc);
                if (VmMapper.isTemplate(props)) {
                    continue;
                }
                VmInfo vm = VmMapper.toVmInfo(oc.getObj(), props, h -> hosts.getOrDefault(h, h.getVal()));
                if (query.matches(vm)) {
                    out.add(vm);
                }
            }
            out.sort(Comparator.comparing(VmInfo::name).thenComparing(v -> v.id().value()));
            return out;
        }));
    }

    @Override
    public CompletableFuture<VmInfo> getVm(VmId id) {
        return guarded(Capability.LIST_VMS, "getVm", () -> blocking("getVm", true, () -> vmInfo(id, "getVm")));
    }

    // ---- createVm

    @Override
    public CompletableFuture<VmInfo> createVm(VmProvisionSpec spec, OperationOptions options) {
        try {
            validateLocally(spec);
        } catch (HypervisorException e) {
            return Futures.failed(e);
        }
        // The caller holds a future derived from the capability check; cancelling it must reach the run.
        AtomicBoolean cancelled = new AtomicBoolean();
        AtomicReference<CompletableFuture<VmInfo>> run = new AtomicReference<>();
        CompletableFuture<VmInfo> outer = guarded(null, "createVm", () -> capabilities().thenCompose(caps -> {
            Capability missing = firstMissing(spec, caps);
            if (missing != null) {
                return Futures.failed(new UnsupportedCapabilityException(missing,
                        "this vsphere endpoint does not support " + missing
                                + (caps.contains(Capability.CLONE_FULL) ? "" : " (a standalone ESXi host cannot clone; connect to vCenter)"),
                        ctx("createVm")));
            }
            CompletableFuture<VmInfo> inner = startCreate(spec, options, cancelled);
            run.set(inner);
            if (cancelled.get()) {
                inner.cancel(false);
            }
            return inner;
        }));
        return Futures.onCancel(outer, () -> {
            cancelled.set(true);
            CompletableFuture<VmInfo> inner = run.get();
            if (inner != null) {
                inner.cancel(false);
            }
        });
    }

    private void validateLocally(VmProvisionSpec spec) {
        for (char c : FORBIDDEN_NAME_CHARS.toCharArray()) {
            if (spec.name().indexOf(c) >= 0) {
                throw new InvalidSpecException("name", "must not contain '[' or ']' on vSphere (datastore path delimiters)",
                        ctx("createVm"));
            }
        }
        checkProviderOptions(spec, VsphereOptions.class);
    }

    /** The capability a spec needs that the connection lacks, most specific first (so the error names it). */
    private static Capability firstMissing(VmProvisionSpec spec, Set<Capability> caps) {
        GuestCustomization g = spec.guest();
        List<Capability> needed = new ArrayList<>();
        if (!spec.metadata().isEmpty()) {
            needed.add(Capability.METADATA);
        }
        if (!spec.disks().isEmpty()) {
            needed.add(Capability.DISKS);
        }
        if (g.userData().isPresent() || !g.sshKeys().isEmpty() || g.username().isPresent()) {
            needed.add(Capability.CLOUD_INIT);
        }
        if (g.hostname().isPresent() || g.domain().isPresent() || !g.dnsServers().isEmpty() || !g.searchDomains().isEmpty()
                || spec.nics().stream().anyMatch(n -> !n.ip().isDhcp())) {
            needed.add(Capability.GUEST_CUSTOMIZATION);
        }
        if (spec.waitForIp()) {
            needed.add(Capability.GUEST_IP);
        }
        needed.add(spec.cloneMode() == CloneMode.LINKED ? Capability.CLONE_LINKED : Capability.CLONE_FULL);
        return needed.stream().filter(c -> !caps.contains(c)).findFirst().orElse(null);
    }

    private CompletableFuture<VmInfo> startCreate(VmProvisionSpec spec, OperationOptions options, AtomicBoolean cancelled) {
        Deadline deadline = deadline(options);
        ProgressReporter progress = new ProgressReporter("createVm", options.listener());
        CompletableFuture<VmInfo> result = new CompletableFuture<>();
        AtomicBoolean abort = new AtomicBoolean();
        CreateRun run = new CreateRun(spec, deadline, progress, () -> abort.get() || cancelled.get());
        result.whenComplete((v, e) -> {
            if (e != null) {
                abort.set(true);
                // Stop the clone on the server now rather than after the running long poll returns.
                runQuietly(run::cancelClone);
            }
        });
        ScheduledFuture<?> timer = scheduler.schedule(() -> result.completeExceptionally(new OperationTimeoutException(
                "createVm did not finish within " + deadline.budget(), ctx("createVm"))),
                deadline.remaining().toNanos(), TimeUnit.NANOSECONDS);
        progress.report("validate", 0, "resolving template and placement");
        executor.execute(() -> {
            try {
                VmInfo vm = run.execute();
                if (result.isDone()) {
                    run.rollback("the caller cancelled or the deadline passed");
                } else {
                    progress.report("done", 100, "created " + vm.name());
                    if (!result.complete(vm)) {
                        run.rollback("the caller cancelled or the deadline passed");
                    }
                }
            } catch (CancellationException e) {
                run.rollback("cancelled");
                result.cancel(false);
            } catch (Throwable e) {
                run.rollback(e.getMessage());
                result.completeExceptionally(VimErrors.map(e, "createVm"));
            } finally {
                timer.cancel(false);
            }
        });
        return result;
    }

    /** One createVm: resolve, clone, then read back and apply what the server did not. Runs on one executor thread. */
    private final class CreateRun {
        private final VmProvisionSpec spec;
        private final Deadline deadline;
        private final ProgressReporter progress;
        private final BooleanSupplier aborted;
        private volatile ManagedObjectReference cloneTask;
        private volatile ManagedObjectReference vm;
        /** Set once CancelTask was sent for the clone (or no longer may be): it is sent at most once. */
        private final AtomicBoolean cloneCancelDone = new AtomicBoolean();

        CreateRun(VmProvisionSpec spec, Deadline deadline, ProgressReporter progress, BooleanSupplier aborted) {
            this.spec = spec;
            this.deadline = deadline;
            this.progress = progress;
            this.aborted = aborted;
        }

        private void checkAborted() {
            if (aborted.getAsBoolean()) {
                throw new CancellationException("createVm aborted");
            }
        }

        VmInfo execute() throws RemoteException {
            checkAborted();
            ServiceContent content = conn.session();
            VimCatalog cat = catalog(false);
            String templateRef = spec.templateId().orElse(null);
            VimCatalog.Entry template = findTemplate(cat, templateRef);
            if (template == null) {
                cat = catalog(true);
                template = findTemplate(cat, templateRef);
            }
            if (template == null) {
                throw new InvalidSpecException("template", "no template named '" + spec.templateName().orElse(templateRef)
                        + "' exists on this endpoint", ctx("createVm"));
            }
            Map<String, Object> details = templateDetails(template.ref());
            checkDisks(cat, devices(details));
            Placed placed = place(cat, template, details);
            VsphereOptions vo = spec.providerOptions(VsphereOptions.class).orElse(null);

            checkAborted();
            ManagedObjectReference existing = conn.call((s, c) -> s.findChild(c.getSearchIndex(), placed.folder, spec.name()));
            if (existing != null) {
                throw new ConflictException("a VM named '" + spec.name() + "' already exists in its folder",
                        new ErrorContext(VimErrors.PROVIDER, "createVm", "DuplicateName", null));
            }

            VirtualMachineCloneSpec clone = new VirtualMachineCloneSpec();
            VirtualMachineRelocateSpec location = new VirtualMachineRelocateSpec();
            location.setPool(placed.pool);
            location.setDatastore(placed.datastore);
            location.setHost(placed.host);
            if (spec.cloneMode() == CloneMode.LINKED) {
                Object snap = details.get("snapshot.currentSnapshot");
                if (!(snap instanceof ManagedObjectReference snapshot)) {
                    throw new InvalidSpecException("cloneMode", "a linked clone needs a snapshot on template '"
                            + template.name() + "'", ctx("createVm"));
                }
                location.setDiskMoveType("createNewChildDiskBacking");
                clone.setSnapshot(snapshot);
            }
            clone.setLocation(location);
            VirtualMachineConfigSpec config = configSpec(cat, details, vo);
            clone.setConfig(config);
            CustomizationSpec customization = customization();
            clone.setCustomization(customization);
            clone.setPowerOn(spec.powerOn());
            clone.setTemplate(false);

            checkAborted();
            VimCatalog.Entry source = template;
            progress.report("clone", 5, "cloning " + source.name());
            cloneTask = conn.call((s, c) -> s.cloneVM_Task(source.ref(), placed.folder, spec.name(), clone));
            try (VimWatcher w = new VimWatcher(conn, "createVm")) {
                Object res = w.awaitTask(cloneTask, deadline, aborted,
                        p -> progress.reportSlice("clone", 5, 60, p, "cloning " + source.name()));
                vm = (ManagedObjectReference) res;
                cloneCancelDone.set(true);
                cloneTask = null;
                progress.report("configure", 60, "reading back " + vm.getVal());
                List<String> paths = new ArrayList<>(List.of(VmMapper.VM_PROPS));
                paths.add("config.tools.pendingCustomization");
                paths.add("config.annotation");
                w.watch(vm, paths.toArray(String[]::new));
                Map<String, Object> now = w.await(vm, p -> p.containsKey("name"), deadline, aborted, "VM " + vm.getVal());

                VirtualMachineConfigSpec fix = missingConfig(now, config, cat);
                if (fix != null) {
                    progress.report("configure", 65, "applying configuration the clone did not");
                    ManagedObjectReference made = vm;
                    ManagedObjectReference t = conn.call((s, c) -> s.reconfigVM_Task(made, fix));
                    w.awaitTask(t, deadline, aborted, p -> { });
                }
                boolean off = now.get("runtime.powerState") != VirtualMachinePowerState.poweredOn;
                Object pending = now.get("config.tools.pendingCustomization");
                if (customization != null && off && (pending == null || pending.toString().isEmpty())) {
                    progress.report("customize", 70, "applying guest customization");
                    ManagedObjectReference made = vm;
                    ManagedObjectReference t = conn.call((s, c) -> s.customizeVM_Task(made, customization));
                    w.awaitTask(t, deadline, aborted, p -> { });
                }
                if (spec.powerOn() && off) {
                    progress.report("power-on", 80, "powering on");
                    ManagedObjectReference made = vm;
                    ManagedObjectReference t = conn.call((s, c) -> s.powerOnVM_Task(made, null));
                    w.awaitTask(t, deadline, aborted, p -> { });
                }
                Predicate<Map<String, Object>> ready = p -> p.containsKey("name")
                        && (!spec.powerOn() || p.get("runtime.powerState") == VirtualMachinePowerState.poweredOn);
                if (spec.waitForIp()) {
                    progress.report("wait-ip", 90, "waiting for a guest IP address");
                    ready = ready.and(VsphereHypervisor::hasUsableIp);
                }
                w.await(vm, ready, deadline, aborted, "VM " + spec.name() + " to be ready");
                // One read of the final state: property updates may trail the tasks just awaited.
                return VmMapper.toVmInfo(vm, retrieve(vm, VmMapper.VM_PROPS), VsphereHypervisor.this::hostName);
            }
        }

        private VimCatalog.Entry findTemplate(VimCatalog cat, String templateId) {
            if (templateId != null) {
                return cat.all("VirtualMachine").stream().filter(e -> e.ref().getVal().equals(templateId)).findFirst().orElse(null);
            }
            return cat.named("VirtualMachine", spec.templateName().orElseThrow()).orElse(null);
        }

        private Placed place(VimCatalog cat, VimCatalog.Entry template, Map<String, Object> details) {
            Placement pl = spec.placement();
            ManagedObjectReference host = null;
            ManagedObjectReference pool = null;
            if (pl.hostName().isPresent()) {
                VimCatalog.Entry h = cat.named("HostSystem", pl.hostName().get()).orElseThrow(() ->
                        new InvalidSpecException("placement.host", "no host named '" + pl.hostName().get() + "'", ctx("createVm")));
                host = h.ref();
                pool = cat.get(h.ref("parent")).map(cr -> cr.ref("resourcePool")).orElse(null);
            }
            if (pl.clusterName().isPresent()) {
                VimCatalog.Entry cl = cat.all("ComputeResource").stream().filter(cat::isCluster)
                        .filter(e -> e.name().equals(pl.clusterName().get())).findFirst().orElseThrow(() ->
                                new InvalidSpecException("placement.cluster", "no cluster named '" + pl.clusterName().get() + "'", ctx("createVm")));
                pool = cl.ref("resourcePool");
            }
            if (pl.resourcePoolName().isPresent()) {
                pool = cat.named("ResourcePool", pl.resourcePoolName().get()).orElseThrow(() ->
                        new InvalidSpecException("placement.resourcePool", "no resource pool named '"
                                + pl.resourcePoolName().get() + "'", ctx("createVm"))).ref();
            }
            if (pool == null && details.get("resourcePool") instanceof ManagedObjectReference own) {
                pool = own;
            }
            if (pool == null && template.ref("runtime.host") != null) {
                pool = cat.get(template.ref("runtime.host")).flatMap(h -> cat.get(h.ref("parent")))
                        .map(cr -> cr.ref("resourcePool")).orElse(null);
            }
            if (pool == null) {
                pool = cat.all("ComputeResource").stream().map(e -> e.ref("resourcePool")).filter(java.util.Objects::nonNull)
                        .findFirst().orElseThrow(() -> new InvalidSpecException("placement", "no resource pool to place the VM in",
                                ctx("createVm")));
            }
            ManagedObjectReference datastore = null;
            if (pl.datastoreName().isPresent()) {
                datastore = cat.named("Datastore", pl.datastoreName().get()).orElseThrow(() ->
                        new InvalidSpecException("placement.datastore", "no datastore named '" + pl.datastoreName().get() + "'",
                                ctx("createVm"))).ref();
            }
            String folderName = spec.providerOptions(VsphereOptions.class).flatMap(VsphereOptions::folder)
                    .or(pl::folderName).orElse(null);
            ManagedObjectReference folder;
            if (folderName != null) {
                folder = cat.all("Folder").stream().filter(f -> f.name().equals(folderName)).findFirst().orElseThrow(() ->
                        new InvalidSpecException("placement.folder", "no folder named '" + folderName + "'", ctx("createVm"))).ref();
            } else {
                VimCatalog.Entry dc = pl.datacenterName().flatMap(n -> cat.named("Datacenter", n))
                        .orElse(cat.all("Datacenter").isEmpty() ? null : cat.all("Datacenter").get(0));
                if (dc == null || dc.ref("vmFolder") == null) {
                    throw new InvalidSpecException("placement.datacenter", "no datacenter VM folder found", ctx("createVm"));
                }
                folder = dc.ref("vmFolder");
            }
            return new Placed(folder, pool, host, datastore);
        }

        private VirtualMachineConfigSpec configSpec(VimCatalog cat, Map<String, Object> details, VsphereOptions vo) {
            VirtualMachineConfigSpec c = new VirtualMachineConfigSpec();
            spec.cpuCount().ifPresent(c::setNumCPUs);
            spec.memoryMiB().ifPresent(m -> c.setMemoryMB(m));
            if (vo != null && vo.annotation().isPresent()) {
                c.setAnnotation(vo.annotation().get());
            }
            List<OptionValue> extra = cloudInit();
            spec.metadata().forEach((k, v) -> extra.add(VmMapper.metadataOption(k, v)));
            if (!extra.isEmpty()) {
                c.setExtraConfig(extra.toArray(OptionValue[]::new));
            }
            List<VirtualDeviceConfigSpec> changes = nicChanges(cat, devices(details));
            if (!changes.isEmpty()) {
                c.setDeviceChange(changes.toArray(VirtualDeviceConfigSpec[]::new));
            }
            return c;
        }

        private List<OptionValue> cloudInit() {
            GuestCustomization g = spec.guest();
            List<OptionValue> out = new ArrayList<>();
            if (g.userData().isEmpty() && g.sshKeys().isEmpty() && g.username().isEmpty()) {
                return out;
            }
            String userData = g.userData().orElseGet(() -> {
                StringBuilder sb = new StringBuilder("#cloud-config\n");
                g.username().ifPresent(u -> sb.append("users:\n  - name: ").append(u).append("\n    ssh_authorized_keys:\n"));
                if (g.username().isEmpty()) {
                    sb.append("ssh_authorized_keys:\n");
                }
                for (String key : g.sshKeys()) {
                    sb.append(g.username().isPresent() ? "      - " : "  - ").append(key).append('\n');
                }
                return sb.toString();
            });
            String hostname = g.hostname().orElse(spec.name());
            String metadata = "instance-id: " + spec.name() + "\nlocal-hostname: " + hostname + "\n";
            out.add(option("guestinfo.userdata", Base64.getEncoder().encodeToString(userData.getBytes(StandardCharsets.UTF_8))));
            out.add(option("guestinfo.userdata.encoding", "base64"));
            out.add(option("guestinfo.metadata", Base64.getEncoder().encodeToString(metadata.getBytes(StandardCharsets.UTF_8))));
            out.add(option("guestinfo.metadata.encoding", "base64"));
            return out;
        }

        private List<VirtualDeviceConfigSpec> nicChanges(VimCatalog cat, VirtualDevice[] devices) {
            List<VirtualEthernetCard> cards = new ArrayList<>();
            if (devices != null) {
                for (VirtualDevice d : devices) {
                    if (d instanceof VirtualEthernetCard card) {
                        cards.add(card);
                    }
                }
            }
            List<VirtualDeviceConfigSpec> out = new ArrayList<>();
            for (int i = 0; i < spec.nics().size(); i++) {
                NicSpec nic = spec.nics().get(i);
                String field = "nics[" + i + "].network";
                VimCatalog.Entry net = cat.named("Network", nic.network()).orElseThrow(() ->
                        new InvalidSpecException(field, "no network named '" + nic.network() + "'", ctx("createVm")));
                if (!"Network".equals(net.ref().getType())) {
                    throw new InvalidSpecException(field, "'" + nic.network() + "' is a " + net.ref().getType()
                            + "; only standard port groups are supported", ctx("createVm"));
                }
                VirtualEthernetCardNetworkBackingInfo backing = new VirtualEthernetCardNetworkBackingInfo();
                backing.setDeviceName(net.name());
                backing.setNetwork(net.ref());
                VirtualEthernetCard card;
                VirtualDeviceConfigSpec change = new VirtualDeviceConfigSpec();
                if (i < cards.size()) {
                    card = cards.get(i);
                    change.setOperation(VirtualDeviceConfigSpecOperation.edit);
                } else {
                    card = new VirtualVmxnet3();
                    card.setKey(-100 - i);
                    change.setOperation(VirtualDeviceConfigSpecOperation.add);
                }
                card.setBacking(backing);
                if (nic.mac().isPresent()) {
                    card.setAddressType("manual");
                    card.setMacAddress(nic.mac().get());
                }
                change.setDevice(card);
                out.add(change);
            }
            return out;
        }

        private CustomizationSpec customization() {
            GuestCustomization g = spec.guest();
            boolean staticIp = spec.nics().stream().anyMatch(n -> !n.ip().isDhcp());
            if (g.hostname().isEmpty() && g.domain().isEmpty() && g.dnsServers().isEmpty() && g.searchDomains().isEmpty() && !staticIp) {
                return null;
            }
            CustomizationLinuxPrep linux = new CustomizationLinuxPrep();
            CustomizationFixedName name = new CustomizationFixedName();
            name.setName(g.hostname().orElse(spec.name().replaceAll("[^A-Za-z0-9-]", "-")));
            linux.setHostName(name);
            linux.setDomain(g.domain().orElse("localdomain"));
            linux.setHwClockUTC(Boolean.TRUE);
            CustomizationGlobalIPSettings global = new CustomizationGlobalIPSettings();
            if (!g.dnsServers().isEmpty()) {
                global.setDnsServerList(g.dnsServers().toArray(String[]::new));
            }
            if (!g.searchDomains().isEmpty()) {
                global.setDnsSuffixList(g.searchDomains().toArray(String[]::new));
            }
            List<CustomizationAdapterMapping> maps = new ArrayList<>();
            for (NicSpec nic : spec.nics()) {
                CustomizationIPSettings ip = new CustomizationIPSettings();
                if (nic.ip().isDhcp()) {
                    ip.setIp(new CustomizationDhcpIpGenerator());
                } else {
                    CustomizationFixedIp fixed = new CustomizationFixedIp();
                    fixed.setIpAddress(nic.ip().address().orElseThrow());
                    ip.setIp(fixed);
                    ip.setSubnetMask(subnetMask(nic.ip().prefixLength()));
                    nic.ip().gateway().ifPresent(gw -> ip.setGateway(new String[]{gw}));
                }
                if (!g.dnsServers().isEmpty()) {
                    ip.setDnsServerList(g.dnsServers().toArray(String[]::new));
                }
                g.domain().ifPresent(ip::setDnsDomain);
                CustomizationAdapterMapping m = new CustomizationAdapterMapping();
                m.setAdapter(ip);
                maps.add(m);
            }
            CustomizationSpec cs = new CustomizationSpec();
            cs.setIdentity(linux);
            cs.setGlobalIPSettings(global);
            cs.setNicSettingMap(maps.toArray(CustomizationAdapterMapping[]::new));
            return cs;
        }

        /**
         * Checks the disks before any change: disk 0 may only grow the template's boot disk (and not
         * on a linked clone), added disks need a SCSI controller with free units and a known datastore.
         */
        private void checkDisks(VimCatalog cat, VirtualDevice[] templateDevices) {
            List<io.dvmm.sdk.DiskSpec> disks = spec.disks();
            if (disks.isEmpty()) {
                return;
            }
            VirtualDisk boot = firstDisk(templateDevices);
            if (boot == null) {
                throw new InvalidSpecException("disks[0]", "the template has no disk to resize", ctx("createVm"));
            }
            long have = VmMapper.capacityKiB(boot);
            long want = disks.get(0).sizeGiB() * KIB_PER_GIB;
            if (want < have) {
                throw new InvalidSpecException("disks[0].sizeGiB", "can only grow the template's boot disk of "
                        + (have + KIB_PER_GIB - 1) / KIB_PER_GIB + " GiB, was " + disks.get(0).sizeGiB(), ctx("createVm"));
            }
            if (want > have && spec.cloneMode() == CloneMode.LINKED) {
                throw new InvalidSpecException("disks[0].sizeGiB", "a linked clone keeps the template's disk size ("
                        + (have + KIB_PER_GIB - 1) / KIB_PER_GIB + " GiB)", ctx("createVm"));
            }
            for (int i = 1; i < disks.size(); i++) {
                String field = "disks[" + i + "].datastore";
                disks.get(i).datastoreName().ifPresent(ds -> cat.named("Datastore", ds).orElseThrow(() ->
                        new InvalidSpecException(field, "no datastore named '" + ds + "'", ctx("createVm"))));
            }
            if (disks.size() > 1) {
                VirtualSCSIController scsi = scsiController(templateDevices);
                if (scsi == null) {
                    throw new InvalidSpecException("disks[1]", "the template has no SCSI controller to add disks to", ctx("createVm"));
                }
                if (freeUnits(scsi, templateDevices).size() < disks.size() - 1) {
                    throw new InvalidSpecException("disks", "the template's SCSI controller has room for "
                            + freeUnits(scsi, templateDevices).size() + " more disks, " + (disks.size() - 1) + " asked", ctx("createVm"));
                }
            }
        }

        /** The device changes for the disks: grow the clone's boot disk, add the others (thin) on its SCSI controller. */
        private List<VirtualDeviceConfigSpec> diskChanges(VirtualDevice[] vmDevices) {
            List<io.dvmm.sdk.DiskSpec> disks = spec.disks();
            List<VirtualDeviceConfigSpec> out = new ArrayList<>();
            if (disks.isEmpty()) {
                return out;
            }
            VirtualDisk boot = firstDisk(vmDevices);
            long want = disks.get(0).sizeGiB() * KIB_PER_GIB;
            if (boot != null && want > VmMapper.capacityKiB(boot)) {
                VirtualDisk grown = new VirtualDisk();
                grown.setKey(boot.getKey());
                grown.setDeviceInfo(boot.getDeviceInfo());
                grown.setBacking(boot.getBacking());
                grown.setConnectable(boot.getConnectable());
                grown.setControllerKey(boot.getControllerKey());
                grown.setUnitNumber(boot.getUnitNumber());
                grown.setCapacityInKB(want);
                grown.setCapacityInBytes(want * 1024);
                VirtualDeviceConfigSpec edit = new VirtualDeviceConfigSpec();
                edit.setOperation(VirtualDeviceConfigSpecOperation.edit);
                edit.setDevice(grown);
                out.add(edit);
            }
            if (disks.size() > 1) {
                VirtualSCSIController scsi = scsiController(vmDevices);
                if (scsi == null) {
                    throw new InvalidSpecException("disks[1]", "the clone has no SCSI controller to add disks to", ctx("createVm"));
                }
                List<Integer> units = freeUnits(scsi, vmDevices);
                for (int i = 1; i < disks.size(); i++) {
                    if (units.isEmpty()) {
                        throw new InvalidSpecException("disks", "no free unit left on the clone's SCSI controller", ctx("createVm"));
                    }
                    io.dvmm.sdk.DiskSpec d = disks.get(i);
                    VirtualDiskFlatVer2BackingInfo backing = new VirtualDiskFlatVer2BackingInfo();
                    // "[ds]" puts the file in the VM's folder on that datastore; "" next to the VM.
                    backing.setFileName(d.datastoreName().map(ds -> "[" + ds + "]").orElse(""));
                    backing.setDiskMode("persistent");
                    backing.setThinProvisioned(Boolean.TRUE);
                    VirtualDisk disk = new VirtualDisk();
                    disk.setKey(-200 - i);
                    disk.setControllerKey(scsi.getKey());
                    disk.setUnitNumber(units.remove(0));
                    disk.setCapacityInKB(d.sizeGiB() * KIB_PER_GIB);
                    disk.setCapacityInBytes(d.sizeGiB() * KIB_PER_GIB * 1024);
                    disk.setBacking(backing);
                    VirtualDeviceConfigSpec add = new VirtualDeviceConfigSpec();
                    add.setOperation(VirtualDeviceConfigSpecOperation.add);
                    add.setFileOperation(VirtualDeviceConfigSpecFileOperation.create);
                    add.setDevice(disk);
                    out.add(add);
                }
            }
            return out;
        }

        /** Sends CancelTask for a clone still running, once; a no-op after it finished or was cancelled. */
        void cancelClone() {
            ManagedObjectReference t = cloneTask;
            if (t != null && vm == null && cloneCancelDone.compareAndSet(false, true)) {
                cancelTask(t, "createVm");
            }
        }

        /** What the server did not apply of the clone's config (vcsim 0.24 ignores CPU, memory and notes), plus the disks. */
        private VirtualMachineConfigSpec missingConfig(Map<String, Object> now, VirtualMachineConfigSpec wanted, VimCatalog cat) {
            VirtualMachineConfigSpec fix = new VirtualMachineConfigSpec();
            boolean any = false;
            Map<String, String> meta = VmMapper.metadata(now.get("config.extraConfig"));
            List<OptionValue> missingMeta = new ArrayList<>();
            spec.metadata().forEach((k, v) -> {
                if (!v.equals(meta.get(k))) {
                    missingMeta.add(VmMapper.metadataOption(k, v));
                }
            });
            if (!missingMeta.isEmpty()) {
                fix.setExtraConfig(missingMeta.toArray(OptionValue[]::new));
                any = true;
            }
            List<VirtualDeviceConfigSpec> disks = diskChanges(
                    now.get("config.hardware.device") instanceof ArrayOfVirtualDevice a ? a.getVirtualDevice() : null);
            if (!disks.isEmpty()) {
                fix.setDeviceChange(disks.toArray(VirtualDeviceConfigSpec[]::new));
                any = true;
            }
            if (wanted.getNumCPUs() != null && !(now.get("config.hardware.numCPU") instanceof Number n && n.intValue() == wanted.getNumCPUs())) {
                fix.setNumCPUs(wanted.getNumCPUs());
                any = true;
            }
            if (wanted.getMemoryMB() != null && !(now.get("config.hardware.memoryMB") instanceof Number n && n.longValue() == wanted.getMemoryMB())) {
                fix.setMemoryMB(wanted.getMemoryMB());
                any = true;
            }
            if (wanted.getAnnotation() != null && !wanted.getAnnotation().equals(now.get("config.annotation"))) {
                fix.setAnnotation(wanted.getAnnotation());
                any = true;
            }
            return any ? fix : null;
        }

        /** Removes what this run made: waits out a clone still running, powers the VM off, destroys it. */
        void rollback(String why) {
            if (vm == null && cloneTask == null) {
                cloneCancelDone.set(true);
                return;
            }
            Deadline cleanup = Deadline.after(config.operationTimeout());
            try (VimWatcher w = new VimWatcher(conn, "createVm-rollback")) {
                if (vm == null) {
                    cancelClone(); // a clone still running: stop it, then see whether it made a VM anyway
                    try {
                        vm = (ManagedObjectReference) w.awaitTask(cloneTask, cleanup, () -> false, p -> { });
                    } catch (HypervisorException e) {
                        return; // the clone failed: nothing was made
                    }
                }
                LOG.info("createVm of '{}' failed ({}); deleting {}", spec.name(), why, vm.getVal());
                destroy(vm, w, cleanup, () -> false);
            } catch (RemoteException | RuntimeException e) {
                if (VimErrors.map(e, "createVm") instanceof NotFoundException) {
                    return; // already gone
                }
                LOG.warn("createVm of '{}': rolling back {} failed; it is left behind: {}", spec.name(),
                        vm == null ? "the clone" : vm.getVal(), e.getMessage());
            }
        }
    }

    private record Placed(ManagedObjectReference folder, ManagedObjectReference pool, ManagedObjectReference host,
                          ManagedObjectReference datastore) {
    }

    /** Asks the server to cancel a task, best effort: a finished or non-cancellable task refuses, which is fine. */
    private void cancelTask(ManagedObjectReference task, String operation) {
        try {
            conn.call((s, c) -> {
                s.cancelTask(task);
                return null;
            });
            LOG.debug("{}: cancelled task {}", operation, task.getVal());
        } catch (RemoteException | RuntimeException e) {
            LOG.debug("{}: CancelTask of {} refused: {}", operation, task.getVal(), e.getMessage());
        }
    }

    /** Runs a cleanup step on the executor, or not at all when the connection is closing. */
    private void runQuietly(Runnable step) {
        try {
            executor.execute(step);
        } catch (RuntimeException e) {
            LOG.debug("not run: {}", e.getMessage());
        }
    }

    private static VirtualDisk firstDisk(VirtualDevice[] devices) {
        if (devices != null) {
            for (VirtualDevice d : devices) {
                if (d instanceof VirtualDisk disk) {
                    return disk;
                }
            }
        }
        return null;
    }

    /** The SCSI controller holding the boot disk, else the first one. */
    private static VirtualSCSIController scsiController(VirtualDevice[] devices) {
        if (devices == null) {
            return null;
        }
        VirtualDisk boot = firstDisk(devices);
        VirtualSCSIController first = null;
        for (VirtualDevice d : devices) {
            if (d instanceof VirtualSCSIController c) {
                if (boot != null && boot.getControllerKey() != null && boot.getControllerKey() == c.getKey()) {
                    return c;
                }
                if (first == null) {
                    first = c;
                }
            }
        }
        return first;
    }

    private static List<Integer> freeUnits(VirtualSCSIController scsi, VirtualDevice[] devices) {
        java.util.Set<Integer> used = new java.util.HashSet<>();
        used.add(scsi.getScsiCtlrUnitNumber() == null ? SCSI_CONTROLLER_UNIT : scsi.getScsiCtlrUnitNumber());
        for (VirtualDevice d : devices) {
            if (d.getControllerKey() != null && d.getControllerKey() == scsi.getKey() && d.getUnitNumber() != null) {
                used.add(d.getUnitNumber());
            }
        }
        List<Integer> free = new ArrayList<>();
        for (int u = 0; u < SCSI_UNITS; u++) {
            if (!used.contains(u)) {
                free.add(u);
            }
        }
        return free;
    }

    private static OptionValue option(String key, String value) {
        OptionValue o = new OptionValue();
        o.setKey(key);
        o.setValue(value);
        return o;
    }

    private static String subnetMask(int prefix) {
        long mask = prefix == 0 ? 0 : 0xffffffffL << (32 - prefix) & 0xffffffffL;
        return ((mask >> 24) & 255) + "." + ((mask >> 16) & 255) + "." + ((mask >> 8) & 255) + "." + (mask & 255);
    }

    static boolean hasUsableIp(Map<String, Object> props) {
        if (props.get("guest.ipAddress") instanceof String ip && isUsableIp(ip)) {
            return true;
        }
        if (props.get("guest.net") instanceof com.vmware.vim25.ArrayOfGuestNicInfo arr && arr.getGuestNicInfo() != null) {
            for (com.vmware.vim25.GuestNicInfo nic : arr.getGuestNicInfo()) {
                if (nic.getIpAddress() != null) {
                    for (String ip : nic.getIpAddress()) {
                        if (isUsableIp(ip)) {
                            return true;
                        }
                    }
                }
            }
        }
        return false;
    }

    /**
     * Powers off (if needed) and destroys a VM, waiting for both tasks. Deletes of one VM through
     * this connection (a user's deleteVm and a createVm rollback) run one at a time.
     */
    private void destroy(ManagedObjectReference vm, VimWatcher w, Deadline deadline, BooleanSupplier aborted) throws RemoteException {
        java.util.concurrent.locks.ReentrantLock lock = deleting.computeIfAbsent(vm.getVal(), k -> new java.util.concurrent.locks.ReentrantLock());
        lock.lock();
        try {
            destroyLocked(vm, w, deadline, aborted);
        } finally {
            lock.unlock();
            deleting.remove(vm.getVal(), lock);
        }
    }

    private void destroyLocked(ManagedObjectReference vm, VimWatcher w, Deadline deadline, BooleanSupplier aborted) throws RemoteException {
        Map<String, Object> props = retrieve(vm, "runtime.powerState");
        if (props.get("runtime.powerState") != VirtualMachinePowerState.poweredOff) {
            ManagedObjectReference off = conn.call((s, c) -> s.powerOffVM_Task(vm));
            w.awaitTask(off, deadline, aborted, p -> { });
        }
        ManagedObjectReference t = conn.call((s, c) -> s.destroy_Task(vm));
        w.awaitTask(t, deadline, aborted, p -> { });
    }

    // ---- power, reconfigure, delete

    /** Runs a VM operation on the executor with a deadline; the body gets the VM's current values. */
    private CompletableFuture<VmInfo> vmOperation(Capability cap, String operation, VmId id, OperationOptions options,
                                                  VmTask body) {
        AtomicBoolean cancelled = new AtomicBoolean();
        AtomicReference<VimWatcher> watcher = new AtomicReference<>();
        Set<String> cancelSent = ConcurrentHashMap.newKeySet();
        java.util.function.Consumer<ManagedObjectReference> cancelOnce = t -> {
            if (cancelSent.add(t.getVal())) {
                cancelTask(t, operation);
            }
        };
        CompletableFuture<VmInfo> f = guarded(cap, operation, () -> blocking(operation, false, () -> {
            Deadline deadline = deadline(options);
            ProgressReporter progress = new ProgressReporter(operation, options.listener());
            ManagedObjectReference ref = VmMapper.vmRef(id);
            Map<String, Object> now = vmProps(id, operation);
            try (VimWatcher w = new VimWatcher(conn, operation)) {
                w.cancelWhen(cancelled::get, cancelOnce);
                watcher.set(w);
                if (cancelled.get()) {
                    throw new CancellationException(operation + " cancelled");
                }
                // A cancel from here on (even while the task request is on the wire) cancels the task.
                progress.report("start", 0, operation + " " + id);
                boolean changed = body.run(ref, now, w, deadline);
                progress.report("done", 100, operation + " " + id);
                return changed ? vmInfo(id, operation) : VmMapper.toVmInfo(ref, now, this::hostName);
            } finally {
                watcher.set(null);
            }
        }));
        // Cancelling the caller's future cancels the task running on the server, where it still runs.
        return Futures.onCancel(f, () -> {
            cancelled.set(true);
            VimWatcher w = watcher.get();
            ManagedObjectReference task = w == null ? null : w.runningTask();
            if (task != null) {
                runQuietly(() -> cancelOnce.accept(task));
            }
        });
    }

    @FunctionalInterface
    private interface VmTask {
        /** @return whether anything changed (so the VM must be read again) */
        boolean run(ManagedObjectReference vm, Map<String, Object> now, VimWatcher w, Deadline deadline) throws RemoteException;
    }

    private Object state(Map<String, Object> props) {
        return props.get("runtime.powerState");
    }

    @Override
    public CompletableFuture<VmInfo> startVm(VmId id, OperationOptions options) {
        return vmOperation(Capability.POWER, "startVm", id, options, (vm, now, w, d) -> {
            if (state(now) == VirtualMachinePowerState.poweredOn) {
                return false;
            }
            w.awaitTask(conn.call((s, c) -> s.powerOnVM_Task(vm, null)), d, () -> false, p -> { });
            return true;
        });
    }

    @Override
    public CompletableFuture<VmInfo> stopVm(VmId id, StopSpec how, OperationOptions options) {
        return vmOperation(Capability.POWER, "stopVm", id, options, (vm, now, w, d) -> {
            if (state(now) == VirtualMachinePowerState.poweredOff) {
                return false;
            }
            if (how.graceful() && state(now) == VirtualMachinePowerState.poweredOn) {
                try {
                    conn.call((s, c) -> {
                        s.shutdownGuest(vm);
                        return null;
                    });
                    w.watch(vm, "runtime.powerState");
                    Duration grace = how.gracefulTimeout().compareTo(d.remaining()) < 0 ? how.gracefulTimeout() : d.remaining();
                    w.await(vm, p -> p.get("runtime.powerState") == VirtualMachinePowerState.poweredOff,
                            Deadline.after(grace), () -> false, "guest shutdown of " + id);
                    return true;
                } catch (OperationTimeoutException | VimCallException e) {
                    if (!how.forceAfterTimeout()) {
                        throw e;
                    }
                    LOG.debug("stopVm {}: guest shutdown did not finish ({}); powering off", id, e.getMessage());
                }
            }
            w.awaitTask(conn.call((s, c) -> s.powerOffVM_Task(vm)), d, () -> false, p -> { });
            return true;
        });
    }

    @Override
    public CompletableFuture<VmInfo> restartVm(VmId id, OperationOptions options) {
        return vmOperation(Capability.POWER, "restartVm", id, options, (vm, now, w, d) -> {
            if (state(now) != VirtualMachinePowerState.poweredOn) {
                throw new io.dvmm.sdk.BusyException("VM " + id + " is not running; start it instead", ctx("restartVm"));
            }
            w.awaitTask(conn.call((s, c) -> s.resetVM_Task(vm)), d, () -> false, p -> { });
            return true;
        });
    }

    @Override
    public CompletableFuture<VmInfo> suspendVm(VmId id, OperationOptions options) {
        return vmOperation(Capability.SUSPEND, "suspendVm", id, options, (vm, now, w, d) -> {
            if (state(now) == VirtualMachinePowerState.suspended) {
                return false;
            }
            w.awaitTask(conn.call((s, c) -> s.suspendVM_Task(vm)), d, () -> false, p -> { });
            return true;
        });
    }

    @Override
    public CompletableFuture<VmInfo> resumeVm(VmId id, OperationOptions options) {
        return vmOperation(Capability.SUSPEND, "resumeVm", id, options, (vm, now, w, d) -> {
            if (state(now) == VirtualMachinePowerState.poweredOn) {
                return false;
            }
            w.awaitTask(conn.call((s, c) -> s.powerOnVM_Task(vm, null)), d, () -> false, p -> { });
            return true;
        });
    }

    @Override
    public CompletableFuture<VmInfo> reconfigureVm(VmId id, VmReconfigureSpec change, OperationOptions options) {
        return vmOperation(Capability.RECONFIGURE, "reconfigureVm", id, options, (vm, now, w, d) -> {
            VirtualMachineConfigSpec cs = new VirtualMachineConfigSpec();
            change.cpuCount().ifPresent(cs::setNumCPUs);
            change.memoryMiB().ifPresent(m -> cs.setMemoryMB(m));
            w.awaitTask(conn.call((s, c) -> s.reconfigVM_Task(vm, cs)), d, () -> false, p -> { });
            return true;
        });
    }

    @Override
    public CompletableFuture<Boolean> deleteVm(VmId id, OperationOptions options) {
        // Not retried as idempotent: a retry after a delete that went through would answer false.
        return guarded(Capability.DELETE, "deleteVm", () -> blocking("deleteVm", false, () -> {
            ManagedObjectReference vm = VmMapper.vmRef(id);
            try {
                vmProps(id, "deleteVm");
            } catch (NotFoundException e) {
                LOG.debug("deleteVm {}: not found ({})", id, e.getMessage());
                return false;
            }
            try (VimWatcher w = new VimWatcher(conn, "deleteVm")) {
                destroy(vm, w, deadline(options), () -> false);
                return true;
            } catch (VimCallException | NotFoundException e) {
                if (VimErrors.map(e, "deleteVm") instanceof NotFoundException) {
                    LOG.debug("deleteVm {}: deleted concurrently ({})", id, e.getMessage());
                    return false; // deleted concurrently
                }
                throw e;
            }
        }));
    }

    // ---- snapshots

    private List<VirtualMachineSnapshotTree> snapshotNodes(VmId id, String operation, List<Snapshot> out) throws RemoteException {
        Map<String, Object> props;
        try {
            props = retrieve(VmMapper.vmRef(id), "snapshot", "config.template");
        } catch (VimCallException e) {
            HypervisorException mapped = VimErrors.map(e, operation);
            if (mapped instanceof NotFoundException) {
                throw new NotFoundException("VM " + id + " does not exist", mapped.context(), e);
            }
            throw e;
        }
        List<VirtualMachineSnapshotTree> nodes = new ArrayList<>();
        if (props.get("snapshot") instanceof VirtualMachineSnapshotInfo info) {
            VmMapper.flatten(info.getRootSnapshotList(), null, out, nodes);
        }
        return nodes;
    }

    private VirtualMachineSnapshotTree snapshotNamed(VmId id, String name, String operation) throws RemoteException {
        return snapshotNodes(id, operation, new ArrayList<>()).stream().filter(t -> name.equals(t.getName())).findFirst()
                .orElseThrow(() -> new NotFoundException("VM " + id + " has no snapshot named '" + name + "'", ctx(operation)));
    }

    @Override
    public CompletableFuture<Snapshot> createSnapshot(VmId id, SnapshotSpec snapshot, OperationOptions options) {
        return guarded(Capability.SNAPSHOTS, "createSnapshot", () -> blocking("createSnapshot", false, () -> {
            List<Snapshot> existing = new ArrayList<>();
            snapshotNodes(id, "createSnapshot", existing);
            if (existing.stream().anyMatch(s -> s.name().equals(snapshot.name()))) {
                throw new ConflictException("VM " + id + " already has a snapshot named '" + snapshot.name() + "'",
                        new ErrorContext(VimErrors.PROVIDER, "createSnapshot", "DuplicateName", null));
            }
            ManagedObjectReference vm = VmMapper.vmRef(id);
            try (VimWatcher w = new VimWatcher(conn, "createSnapshot")) {
                w.awaitTask(conn.call((s, c) -> s.createSnapshot_Task(vm, snapshot.name(), snapshot.description(),
                        snapshot.includeMemory(), false)), deadline(options), () -> false, p -> { });
            }
            List<Snapshot> after = new ArrayList<>();
            snapshotNodes(id, "createSnapshot", after);
            return after.stream().filter(s -> s.name().equals(snapshot.name())).reduce((a, b) -> b)
                    .orElseThrow(() -> new NotFoundException("snapshot '" + snapshot.name() + "' vanished", ctx("createSnapshot")));
        }));
    }

    @Override
    public CompletableFuture<List<Snapshot>> listSnapshots(VmId id) {
        return guarded(Capability.SNAPSHOTS, "listSnapshots", () -> blocking("listSnapshots", true, () -> {
            List<Snapshot> out = new ArrayList<>();
            snapshotNodes(id, "listSnapshots", out);
            out.sort(Comparator.comparing((Snapshot s) -> s.created().orElse(java.time.Instant.EPOCH)));
            return out;
        }));
    }

    @Override
    public CompletableFuture<VmInfo> revertToSnapshot(VmId id, String snapshotName, OperationOptions options) {
        return guarded(Capability.SNAPSHOTS, "revertToSnapshot", () -> blocking("revertToSnapshot", false, () -> {
            VirtualMachineSnapshotTree node = snapshotNamed(id, snapshotName, "revertToSnapshot");
            ManagedObjectReference vm = VmMapper.vmRef(id);
            Deadline deadline = deadline(options);
            try (VimWatcher w = new VimWatcher(conn, "revertToSnapshot")) {
                w.awaitTask(conn.call((s, c) -> s.revertToSnapshot_Task(node.getSnapshot(), null, null)), deadline, () -> false, p -> { });
                // Read the VM and the snapshot's configuration in one call; apply what the revert did not restore.
                Map<ManagedObjectReference, Map<String, Object>> both = retrieveMany(List.of(
                        VimConnection.objectSpec(vm, "config.hardware.numCPU", "config.hardware.memoryMB"),
                        VimConnection.objectSpec(node.getSnapshot(), "config.hardware.numCPU", "config.hardware.memoryMB")));
                Map<String, Object> nowProps = both.getOrDefault(vm, Map.of());
                Map<String, Object> snapProps = both.getOrDefault(node.getSnapshot(), Map.of());
                VirtualMachineConfigSpec fix = new VirtualMachineConfigSpec();
                boolean any = false;
                if (snapProps.get("config.hardware.numCPU") instanceof Number n && !n.equals(nowProps.get("config.hardware.numCPU"))) {
                    fix.setNumCPUs(n.intValue());
                    any = true;
                }
                if (snapProps.get("config.hardware.memoryMB") instanceof Number n && !n.equals(nowProps.get("config.hardware.memoryMB"))) {
                    fix.setMemoryMB(n.longValue());
                    any = true;
                }
                if (any) {
                    w.awaitTask(conn.call((s, c) -> s.reconfigVM_Task(vm, fix)), deadline, () -> false, p -> { });
                }
            }
            return vmInfo(id, "revertToSnapshot");
        }));
    }

    private Map<ManagedObjectReference, Map<String, Object>> retrieveMany(List<PropertyFilterSpec> specs) throws RemoteException {
        List<ObjectSpec> objects = new ArrayList<>();
        List<com.vmware.vim25.PropertySpec> props = new ArrayList<>();
        for (PropertyFilterSpec s : specs) {
            objects.addAll(List.of(s.getObjectSet()));
            props.addAll(List.of(s.getPropSet()));
        }
        PropertyFilterSpec spec = new PropertyFilterSpec();
        spec.setObjectSet(objects.toArray(ObjectSpec[]::new));
        spec.setPropSet(props.toArray(com.vmware.vim25.PropertySpec[]::new));
        Map<ManagedObjectReference, Map<String, Object>> out = new HashMap<>();
        conn.retrieve(spec, 100, oc -> out.put(oc.getObj(), VimCatalog.properties(oc)));
        return out;
    }

    @Override
    public CompletableFuture<Void> deleteSnapshot(VmId id, String snapshotName, OperationOptions options) {
        return guarded(Capability.SNAPSHOTS, "deleteSnapshot", () -> blocking("deleteSnapshot", false, () -> {
            VirtualMachineSnapshotTree node = snapshotNamed(id, snapshotName, "deleteSnapshot");
            try (VimWatcher w = new VimWatcher(conn, "deleteSnapshot")) {
                w.awaitTask(conn.call((s, c) -> s.removeSnapshot_Task(node.getSnapshot(), false, Boolean.TRUE)),
                        deadline(options), () -> false, p -> { });
            }
            return null;
        }));
    }

    // ---- waits: WaitForUpdatesEx instead of the generic polling

    @Override
    public CompletableFuture<VmInfo> waitForGuestIp(VmId id, Duration timeout) {
        return guarded(Capability.GUEST_IP, "waitForGuestIp", () -> waitFor(id, "waitForGuestIp", timeout,
                VsphereHypervisor::hasUsableIp, "a guest IP on VM " + id));
    }

    @Override
    public CompletableFuture<VmInfo> waitForState(VmId id, PowerState state, Duration timeout) {
        return guarded(Capability.LIST_VMS, "waitForState", () -> waitFor(id, "waitForState", timeout,
                p -> VmMapper.powerState(p.get("runtime.powerState")) == state, "VM " + id + " to be " + state));
    }

    private CompletableFuture<VmInfo> waitFor(VmId id, String operation, Duration timeout, Predicate<Map<String, Object>> done,
                                              String what) {
        Deadline deadline = Deadline.after(timeout);
        AtomicBoolean abort = new AtomicBoolean();
        CompletableFuture<VmInfo> f = blocking(operation, true, () -> {
            ManagedObjectReference vm = VmMapper.vmRef(id);
            try (VimWatcher w = new VimWatcher(conn, operation)) {
                try {
                    w.watch(vm, VmMapper.VM_PROPS);
                } catch (VimCallException e) {
                    if (VimErrors.map(e, operation) instanceof NotFoundException) {
                        throw new NotFoundException("VM " + id + " does not exist", ctx(operation), e);
                    }
                    throw e;
                }
                Map<String, Object> props = w.await(vm, done, deadline, abort::get, what);
                if (w.isGone(vm)) {
                    throw new NotFoundException("VM " + id + " was deleted while waiting", ctx(operation));
                }
                return VmMapper.toVmInfo(vm, props, this::hostName);
            }
        });
        f.whenComplete((v, e) -> abort.set(true));
        return f;
    }

    // ---- close

    @Override
    protected void closeTransport() {
        keepalive.cancel(false);
        conn.logout();
    }
}
