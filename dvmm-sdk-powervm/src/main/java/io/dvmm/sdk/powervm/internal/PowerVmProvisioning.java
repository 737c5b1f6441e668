package io.dvmm.sdk.powervm.internal;

import io.dvmm.sdk.CloneMode;
import io.dvmm.sdk.DiskInfo;
import io.dvmm.sdk.ErrorContext;
import io.dvmm.sdk.InvalidSpecException;
import io.dvmm.sdk.NicInfo;
import io.dvmm.sdk.NicSpec;
import io.dvmm.sdk.NotFoundException;
import io.dvmm.sdk.OperationTimeoutException;
import io.dvmm.sdk.ProtocolException;
import io.dvmm.sdk.VmInfo;
import io.dvmm.sdk.VmProvisionSpec;
import io.dvmm.sdk.powervm.PowerVmOptions;
import io.dvmm.sdk.powervm.PowerVmProvider;
import io.dvmm.sdk.spi.support.CreateAttempt;
import io.dvmm.sdk.spi.support.Futures;
import io.dvmm.sdk.spi.support.OperationRun;
import io.dvmm.sdk.spi.support.ProvisioningSteps;
import io.dvmm.sdk.spi.support.RequiredCapabilities;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/**
 * PowerVM's {@code createVm} steps, after the reference's sequence (LPAR, disk, mapping, network
 * adapter, PowerOn job, RMC IP):
 * <ul>
 *   <li><b>resolve</b>: the managed system (its free memory and processor units, read now), the
 *       reference LPAR, the VIOSes with their mappings (where the template's boot disk is and which
 *       VIOSes serve it), the storage pool or volume group, and the networks; the LPAR's shape is
 *       checked against the system before any write;</li>
 *   <li><b>create</b>: {@code PUT …/LogicalPartition} in schema order. An LPAR has no free-text field
 *       to carry the create's marker, so a create is identified by what the HMC keeps unique on a
 *       managed system, the partition name, together with its creation time (the entry's
 *       {@code AtomCreated}, the HMC's clock) and the memory and processors sent: after a lost
 *       answer, an LPAR of that name created after this create began, with those values, is this
 *       create's; anything else is someone else's, and sending the create again meets the HMC's
 *       "already exists";</li>
 *   <li><b>configure</b>: the boot disk (a thin logical unit cloned from the template's with
 *       {@code LULinkedClone}, or an empty one), further disks, a VSCSI mapping through every VIOS
 *       that serves the storage, and one client network adapter per NIC;</li>
 *   <li><b>customize</b>: a cloud-init {@code cidata} ISO ({@code CloudInitSeed}) through the File
 *       API into a VIOS media repository, mapped as virtual optical media;</li>
 *   <li><b>power on</b>: the PowerOn job with the LPAR's profile; <b>wait for IP</b>: the LPAR's
 *       {@code quick} properties until it runs with RMC {@code active} and an RMC IP address.</li>
 * </ul>
 * Everything made is registered with the run's undo, so a failure removes it in reverse order,
 * naming what is left.
 */
final class PowerVmProvisioning implements ProvisioningSteps<PowerVmProvisioning.Plan, PowerVmProvisioning.Made> {
    static final String OP = "createVm";
    /** The partition names the HMC takes: 1 to 31 of these characters. */
    static final Pattern PARTITION_NAME = Pattern.compile("[- !#%+,./0-9:;=@A-Z^_a-z{}]{1,31}");
    private static final Duration CLOCK_SKEW = Duration.ofSeconds(2);

    /**
     * The LPAR made.
     *
     * @param uuid its UUID
     * @param name its partition name
     * @param href its SELF link
     * @param profileUuid its default profile
     */
    record Made(String uuid, String name, String href, String profileUuid) {
        /** @return the prefix of every device the SDK makes for this LPAR: {@code dv} and 12 hex digits of its UUID */
        String token() {
            return token(uuid);
        }

        static String token(String uuid) {
            return "dv" + uuid.replace("-", "").toLowerCase(Locale.ROOT).substring(0, 12);
        }
    }

    /** Where a new disk goes. */
    record Store(VirtualStorage.Pool pool, HmcTopology.ClusterRef cluster, VirtualStorage.Group group, String groupVios) {
        boolean isPool() {
            return pool != null;
        }

        String name() {
            return isPool() ? pool.view().name() : group.view().name();
        }
    }

    /**
     * A NIC to make.
     *
     * @param index its index in the spec
     * @param network the virtual network
     * @param mac a fixed MAC in the HMC's form, or null
     * @param spec the spec's NIC (for the guest's addresses), or null when copied from the template
     */
    record NicPlan(int index, HmcTopology.Network network, String mac, NicSpec spec) {
    }

    /** What the spec asks for and, once resolved, what the endpoint holds for it. */
    static final class Plan {
        final VmProvisionSpec spec;
        final PowerVmOptions options;
        final boolean customize;
        HmcTopology.SystemRef system;
        String templateUuid;
        HmcObjects.LogicalPartition template;
        LparShape shape;
        List<VirtualStorage.Vios> vioses = List.of();
        /** The template's boot disk as the VIOSes map it, or null. */
        VirtualStorage.Device source;
        Store store;
        /** The VIOSes the new disks are mapped through. */
        List<VirtualStorage.Vios> serving = List.of();
        BigDecimal bootGb;
        final List<BigDecimal> extraGb = new ArrayList<>();
        List<NicPlan> nics = List.of();
        VirtualStorage.Vios mediaVios;
        /** The HMC's clock when resolve began, in epoch millis: a create of ours is newer. */
        long notBeforeMillis;
        final List<NicInfo> madeNics = Collections.synchronizedList(new ArrayList<>());
        final List<DiskInfo> madeDisks = Collections.synchronizedList(new ArrayList<>());
        volatile PowerVmHypervisor.Quick lastSeen;

        Plan(VmProvisionSpec spec, PowerVmOptions options, boolean customize) {
            this.spec = spec;
            this.options = options;
            this.customize = customize;
        }
    }

    private final PowerVmHypervisor hv;
    private final StoragePlacement placement;

    PowerVmProvisioning(PowerVmHypervisor hv) {
        this.hv = hv;
        this.placement = new StoragePlacement(hv);
    }

    private static ErrorContext ctx() {
        return ErrorContext.of(PowerVmProvider.TYPE, OP);
    }

    // ---- plan: local rules ----------------------------------------------------------------------------

    @Override
    public Plan plan(VmProvisionSpec spec) {
        if (!PARTITION_NAME.matcher(spec.name()).matches()) {
            throw new InvalidSpecException("name", "PowerVM partition names are 1 to 31 characters of letters, digits, blanks "
                    + "and - ! # % + , . / : ; = @ ^ _ { } (was '" + spec.name() + "', " + spec.name().length()
                    + " characters)", ctx());
        }
        PowerVmOptions options = spec.providerOptions(PowerVmOptions.class).orElseGet(() -> PowerVmOptions.builder().build());
        if (spec.cloneMode() == CloneMode.FULL && !options.emptyBootDisk()) {
            throw new InvalidSpecException("cloneMode", "the HMC has no API that copies a logical volume or a physical "
                    + "volume: use CloneMode.LINKED (the template's boot disk must be a logical unit of a shared storage "
                    + "pool), or ask for a new, empty boot disk for a network install with "
                    + "PowerVmOptions.builder().emptyBootDisk(true)", ctx());
        }
        spec.memoryMiB().ifPresent(m -> {
            long lmb = hv.topology.memoryBlockMb();
            if (m < LparShape.MIN_MEMORY_MB || lmb > 0 && (m % lmb != 0 || m < lmb)) {
                throw new InvalidSpecException("memoryMiB", lmb > 0 ? "must be a multiple of the managed system's logical "
                        + "memory block size, " + lmb + " MiB, and at least " + Math.max(lmb, LparShape.MIN_MEMORY_MB)
                        + " MiB (was " + m + ")" : "must be at least 128 MiB (was " + m + ")", ctx());
            }
        });
        List<io.dvmm.sdk.Capability> needed = RequiredCapabilities.of(spec);
        boolean customize = needed.contains(io.dvmm.sdk.Capability.GUEST_CUSTOMIZATION)
                || needed.contains(io.dvmm.sdk.Capability.CLOUD_INIT) || needed.contains(io.dvmm.sdk.Capability.USER_DATA)
                || needed.contains(io.dvmm.sdk.Capability.CUSTOM_HOSTNAME);
        return new Plan(spec, options, customize);
    }

    // ---- resolve ------------------------------------------------------------------------------------------

    @Override
    public CompletableFuture<Plan> resolve(Plan plan, OperationRun run) {
        HmcTopology.SystemRef known = hv.topology.knownSystem();
        CompletableFuture<HmcXml.Entry<HmcObjects.ManagedSystem>> system = hv.topology.readSystem(OP, run.deadline());
        CompletableFuture<HmcTopology.SystemRef> ref = known != null ? CompletableFuture.completedFuture(known)
                : system.thenApply(e -> hv.topology.knownSystem());
        String group = plan.customize ? VirtualStorage.SCSI + ",ViosStorage" : VirtualStorage.SCSI;
        CompletableFuture<HmcXml.Entry<HmcObjects.LogicalPartition>> template = ref.thenCompose(s -> template(plan, s, run));
        CompletableFuture<List<VirtualStorage.Vios>> vioses = ref.thenCompose(s -> hv.storage.vioses(OP, s.uuid(), group,
                run.deadline()));
        CompletableFuture<List<NicPlan>> nics = template.thenCompose(t -> nics(plan, t.id(), run));
        return CompletableFuture.allOf(system, template, vioses, nics).thenCompose(x -> {
            run.check();
            HmcXml.Entry<HmcObjects.ManagedSystem> ms = system.join();
            HmcXml.Entry<HmcObjects.LogicalPartition> t = template.join();
            plan.system = ref.join();
            plan.templateUuid = t.id().toUpperCase(Locale.ROOT);
            plan.template = t.content();
            plan.vioses = vioses.join();
            plan.nics = nics.join();
            plan.notBeforeMillis = hv.topology.hmcNowMillis() - CLOCK_SKEW.toMillis();
            checkPlacement(plan);
            plan.shape = shape(plan, ms.content());
            return placement.place(plan, run);
        }).thenApply(p -> {
            if (plan.customize) {
                plan.mediaVios = placement.mediaVios(plan);
            }
            return plan;
        });
    }

    private void checkPlacement(Plan plan) {
        plan.spec.placement().hostName().ifPresent(h -> {
            if (!h.equals(plan.system.name()) && !h.equalsIgnoreCase(plan.system.uuid())) {
                throw new InvalidSpecException("placement.host", "this connection serves managed system " + plan.system.name()
                        + "; connect to the other one with its name in the endpoint's path", ctx());
            }
        });
        io.dvmm.sdk.Placement pl = plan.spec.placement();
        pl.hostId().ifPresent(h -> {
            if (!h.equalsIgnoreCase(plan.system.uuid())) {
                throw new InvalidSpecException("placement.hostId", "this connection serves managed system " + plan.system.name()
                        + " (" + plan.system.uuid() + "); connect to the other one with its name in the endpoint's path", ctx());
            }
        });
        String field = pl.resourcePoolName().isPresent() ? "placement.resourcePool"
                : pl.resourcePoolId().isPresent() ? "placement.resourcePoolId"
                : pl.clusterName().isPresent() ? "placement.cluster"
                : pl.clusterId().isPresent() ? "placement.clusterId"
                : pl.folderPath().isPresent() ? "placement.folder"
                : pl.datacenterName().isPresent() ? "placement.datacenter" : null;
        if (field != null) {
            throw new InvalidSpecException(field, "PowerVM places an LPAR by managed system (the endpoint) and datastore only; "
                    + "choose a shared processor pool with PowerVmOptions.sharedProcessorPoolId", ctx());
        }
        if (pl.datastoreId().isPresent()) {
            throw new InvalidSpecException("placement.datastoreId", "name the storage pool or volume group with "
                    + "placement.datastore (as Inventory.Datastore.name() reports it)", ctx());
        }
    }

    private CompletableFuture<HmcXml.Entry<HmcObjects.LogicalPartition>> template(Plan plan, HmcTopology.SystemRef system,
                                                                                OperationRun run) {
        VmProvisionSpec spec = plan.spec;
        if (spec.templateId().isPresent()) {
            String id = spec.templateId().get();
            if (!HmcTopology.isUuid(id)) {
                return Futures.failed(new InvalidSpecException("templateId", "must be an LPAR's UUID, was '" + id + "'", ctx()));
            }
            return hv.readLpar(OP, id, run.deadline()).thenApply(e -> checkTemplate(e, "templateId", id, system))
                    .exceptionallyCompose(e -> Futures.unwrap(e) instanceof NotFoundException
                            ? Futures.failed(new InvalidSpecException("templateId", "no LPAR with UUID " + id, ctx()))
                            : Futures.failed(Futures.unwrap(e)));
        }
        String name = spec.templateName().orElseThrow();
        return hv.lparsNamed(OP, system, name, run.deadline()).thenApply(list -> {
            if (list.isEmpty()) {
                throw new InvalidSpecException("template", "no reference LPAR named '" + name + "' on managed system "
                        + system.name(), ctx());
            }
            if (list.size() > 1) {
                throw new InvalidSpecException("template", list.size() + " LPARs are named '" + name + "'; give the template "
                        + "by UUID (templateId)", ctx());
            }
            return checkTemplate(list.get(0), "template", name, system);
        });
    }

    private static HmcXml.Entry<HmcObjects.LogicalPartition> checkTemplate(HmcXml.Entry<HmcObjects.LogicalPartition> e,
                                                                          String field, String given,
                                                                          HmcTopology.SystemRef system) {
        HmcObjects.LogicalPartition t = e.content();
        if (t.managedSystem() != null && t.managedSystem().uuid() != null
                && !t.managedSystem().uuid().equalsIgnoreCase(system.uuid())) {
            throw new InvalidSpecException(field, "LPAR " + given + " is on another managed system than " + system.name(), ctx());
        }
        if (PowerVmMapper.powerState(t.state()) != io.dvmm.sdk.PowerState.POWERED_OFF) {
            throw new InvalidSpecException(field, "LPAR " + given + " is " + t.state() + "; a reference LPAR is not activated "
                    + "(its disk is cloned while nothing writes to it)", ctx());
        }
        return e;
    }

    private CompletableFuture<List<NicPlan>> nics(Plan plan, String templateUuid, OperationRun run) {
        List<NicSpec> specs = plan.spec.nics();
        if (specs.isEmpty()) {
            // No NIC given: the template's adapters, on the same VLANs and switches.
            return hv.adapters(OP, templateUuid, run.deadline()).thenCompose(adapters -> hv.topology.networks(OP,
                    run.deadline(), false).thenApply(nets -> {
                List<NicPlan> out = new ArrayList<>();
                for (HmcObjects.ClientNetworkAdapter a : adapters) {
                    String href = a.vswitch() == null || a.vswitch().links().isEmpty() ? null : a.vswitch().links().get(0).href();
                    if (a.vlan() != null && href != null) {
                        out.add(new NicPlan(out.size(), new HmcTopology.Network(hv.topology.networkName(a.vlan(), a.vswitchId()),
                                a.vlan(), href, a.vswitchId() == null ? 0 : a.vswitchId()), null, null));
                    }
                }
                return out;
            }));
        }
        List<CompletableFuture<NicPlan>> out = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            int index = i;
            NicSpec n = specs.get(i);
            out.add(hv.topology.network(n.network(), "nics[" + i + "].network", OP, run.deadline())
                    .thenApply(net -> new NicPlan(index, net, n.mac().map(PowerVmMapper::hmcMac).orElse(null), n)));
        }
        return CompletableFuture.allOf(out.toArray(CompletableFuture[]::new))
                .thenApply(x -> out.stream().map(CompletableFuture::join).toList());
    }

    private LparShape shape(Plan plan, HmcObjects.ManagedSystem ms) {
        VmProvisionSpec spec = plan.spec;
        LparShape s = LparShape.of(plan.template, spec.name(), spec.cpuCount().isPresent() ? spec.cpuCount().getAsInt() : null,
                spec.memoryMiB().isPresent() ? spec.memoryMiB().getAsLong() : null, plan.options);
        long lmb = ms.memory() == null || ms.memory().memoryRegionSize() == null ? 0 : ms.memory().memoryRegionSize();
        long free = ms.memory() == null || ms.memory().availableMemory() == null ? -1 : ms.memory().availableMemory();
        BigDecimal units = ms.processors() == null ? null : ms.processors().availableUnits();
        s.check(lmb, free, units, "memoryMiB", "cpuCount", ctx());
        return s;
    }

    // ---- create and find -----------------------------------------------------------------------------

    @Override
    public CompletableFuture<Made> create(Plan plan, CreateAttempt<Made> attempt, OperationRun run) {
        run.check();
        byte[] body = RequestBodies.logicalPartition(plan.shape);
        return hv.client.put(OP, HmcPath.uom("ManagedSystem", plan.system.uuid(), "LogicalPartition"),
                HmcXml.UOM_TYPE + "LogicalPartition", body, HmcClient.Resend.REFUSED_ONLY, run.deadline()).thenApply(a -> {
            HmcXml.Entry<HmcObjects.LogicalPartition> e = HmcXml.entry(a.body(), HmcObjects.LogicalPartition.class, a.etag(),
                    a.what(), run.context());
            Made made = made(e, plan.system);
            attempt.made(made);
            return made;
        });
    }

    private static Made made(HmcXml.Entry<HmcObjects.LogicalPartition> e, HmcTopology.SystemRef system) {
        String uuid = (e.content().uuid() != null ? e.content().uuid() : e.id()).toUpperCase(Locale.ROOT);
        String href = e.self() != null ? e.self() : "/rest/api/uom/ManagedSystem/" + system.uuid() + "/LogicalPartition/" + uuid;
        HmcObjects.Link profile = e.content().profile();
        if (profile == null || profile.uuid() == null) {
            throw new ProtocolException("LPAR " + uuid + " has no AssociatedPartitionProfile", ctx(), true, null);
        }
        return new Made(uuid, e.content().name(), href, profile.uuid());
    }

    /**
     * After a lost answer: an LPAR of the name, made after this create began, with the memory and
     * processors sent (see the class comment).
     */
    @Override
    public CompletableFuture<Optional<Made>> find(Plan plan, CreateAttempt<Made> attempt, OperationRun run) {
        return hv.lparsNamed(OP, plan.system, plan.spec.name(), run.deadline()).thenApply(list -> {
            for (HmcXml.Entry<HmcObjects.LogicalPartition> e : list) {
                HmcObjects.LogicalPartition l = e.content();
                Optional<Long> created = l.metadata() == null ? Optional.empty() : l.metadata().created();
                boolean recent = created.isEmpty() || created.get() >= plan.notBeforeMillis;
                LparShape s = LparShape.read(l);
                boolean ours = recent && s.desiredMemory() == plan.shape.desiredMemory()
                        && s.desiredCpus() == plan.shape.desiredCpus() && s.dedicated() == plan.shape.dedicated();
                if (ours) {
                    return Optional.of(made(e, plan.system));
                }
            }
            return Optional.<Made>empty();
        });
    }

    @Override
    public Duration landingTime() {
        return hv.landingTime();
    }

    // ---- configure -------------------------------------------------------------------------------------

    @Override
    public CompletableFuture<Void> configure(Plan plan, Made m, OperationRun run) {
        CompletableFuture<Void> disks = disks(plan, m, run);
        CompletableFuture<Void> nics = adapters(plan, m, run);
        return CompletableFuture.allOf(disks, nics);
    }

    private CompletableFuture<Void> disks(Plan plan, Made m, OperationRun run) {
        run.check();
        Store store = plan.store;
        String token = m.token();
        Map<String, BigDecimal> sizes = new LinkedHashMap<>();
        sizes.put(token + "0", plan.bootGb);
        for (int i = 0; i < plan.extraGb.size(); i++) {
            sizes.put(token + Character.forDigit(i + 1, 36), plan.extraGb.get(i));
        }
        CompletableFuture<List<VirtualStorage.Device>> devices;
        if (store.isPool()) {
            String where = "shared storage pool " + store.name();
            sizes.keySet().forEach(n -> run.undo("logical unit " + n + " of " + where,
                    () -> hv.storage.deleteUnits(store.pool().uuid(), java.util.Set.of(n), run.forCleanup(hv.cleanupBudget()))));
            run.progress(10, "creating logical units " + sizes.keySet() + " in " + where);
            devices = hv.storage.createUnits(store.pool(), sizes, run).thenCompose(units -> {
                List<VirtualStorage.Device> out = new ArrayList<>();
                units.forEach((n, u) -> out.add(new VirtualStorage.Device(VirtualStorage.Kind.LOGICAL_UNIT, n, u.udid(),
                        u.capacityGb())));
                if (plan.spec.cloneMode() != CloneMode.LINKED) {
                    return CompletableFuture.completedFuture(out);
                }
                run.check();
                run.progress(30, "cloning " + plan.source.name() + " into " + out.get(0).name() + " (LULinkedClone)");
                return hv.storage.linkedClone(store.cluster().uuid(), plan.source.udid(), out.get(0).udid(), run)
                        .thenApply(x -> out);
            });
        } else {
            String where = "volume group " + store.name() + " of VIOS " + hv.viosName(store.groupVios());
            devices = CompletableFuture.completedFuture(new ArrayList<>());
            for (Map.Entry<String, BigDecimal> d : sizes.entrySet()) {
                run.undo("logical volume " + d.getKey() + " in " + where, () -> hv.storage.deleteDisksAndMedia(store.groupVios(),
                        java.util.Set.of(d.getKey()), java.util.Set.of(), run.forCleanup(hv.cleanupBudget())));
                devices = devices.thenCompose(list -> hv.storage.createDisk(store.group(), d.getKey(), d.getValue(), run)
                        .thenApply(vd -> {
                            list.add(new VirtualStorage.Device(VirtualStorage.Kind.VIRTUAL_DISK, vd.name(), vd.udid(),
                                    vd.capacityGb()));
                            return list;
                        }));
            }
        }
        return devices.thenCompose(list -> {
            for (VirtualStorage.Device d : list) {
                plan.madeDisks.add(new DiskInfo(d.name(), PowerVmMapper.gib(d.capacityGb()), store.name()));
            }
            return map(plan, m, list, run);
        });
    }

    /** Maps the disks through every serving VIOS, one update each. */
    private CompletableFuture<Void> map(Plan plan, Made m, List<VirtualStorage.Device> devices, OperationRun run) {
        run.check();
        List<CompletableFuture<?>> all = new ArrayList<>();
        for (VirtualStorage.Vios v : plan.serving) {
            run.undo("VSCSI mappings of LPAR " + m.name() + " on VIOS " + v.name(), () -> hv.storage.unmap(v, m.uuid(),
                    d -> true, run.forCleanup(hv.cleanupBudget())));
            all.add(hv.storage.map(v, m.uuid(), m.href(), devices, run));
        }
        run.progress(60, "mapping " + devices.size() + " disk(s) through " + plan.serving.size() + " VIOS(es)");
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
    }

    private CompletableFuture<Void> adapters(Plan plan, Made m, OperationRun run) {
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        for (NicPlan n : plan.nics) {
            chain = chain.thenCompose(x -> {
                run.check();
                byte[] body = RequestBodies.clientNetworkAdapter(n.network().vlan(), n.network().vswitchHref(), n.mac());
                return hv.client.put(OP, HmcPath.uom("LogicalPartition", m.uuid(), "ClientNetworkAdapter"),
                        HmcXml.UOM_TYPE + "ClientNetworkAdapter", body, HmcClient.Resend.REFUSED_ONLY, run.deadline());
            }).thenAccept(a -> {
                HmcXml.Entry<HmcObjects.ClientNetworkAdapter> e = HmcXml.entry(a.body(), HmcObjects.ClientNetworkAdapter.class,
                        a.etag(), a.what(), run.context());
                HmcPath self = e.self() != null ? HmcPath.of(e.self(), run.context())
                        : HmcPath.uom("LogicalPartition", m.uuid(), "ClientNetworkAdapter", e.id());
                run.undo("client network adapter in slot " + e.content().slot() + " of LPAR " + m.name(),
                        () -> hv.client.delete(OP, self, run.forCleanup(hv.cleanupBudget()).deadline())
                                .exceptionallyCompose(err -> VirtualStorage.gone(err) ? CompletableFuture.completedFuture(null)
                                        : Futures.failed(Futures.unwrap(err))));
                List<String> ips = n.spec() != null && !n.spec().ip().isDhcp() ? List.of(n.spec().ip().address().orElse(""))
                        : List.of();
                plan.madeNics.add(new NicInfo("slot " + e.content().slot(), n.network().name(),
                        PowerVmMapper.mac(e.content().mac()), ips.stream().filter(s -> !s.isEmpty()).toList()));
            });
        }
        return chain;
    }

    // ---- customize, power on, IP, read back ---------------------------------------------------------------

    @Override
    public CompletableFuture<Void> customize(Plan plan, Made m, OperationRun run) {
        return hv.configDrive.attach(plan, m, run);
    }

    @Override
    public CompletableFuture<Void> powerOn(Plan plan, Made m, OperationRun run) {
        return hv.power.powerOnJob(m.uuid(), m.profileUuid(), plan.options.bootMode(), run);
    }

    /** The LPAR's {@code quick} properties until it runs with RMC active and an RMC IP address. */
    @Override
    public CompletableFuture<Void> waitForIp(Plan plan, Made m, OperationRun run) {
        return run.poll("LPAR " + m.name() + " to run with RMC active and an RMC IP address", hv.rmcBackoff(),
                () -> hv.quick(OP, m.uuid(), run.deadline()).thenApply(q -> {
                    plan.lastSeen = q;
                    return q.running() && q.rmcActive() && !PowerVmMapper.ips(q.ip()).isEmpty() ? Optional.of(q)
                            : Optional.<PowerVmHypervisor.Quick>empty();
                })).<Void>thenApply(q -> null).exceptionallyCompose(e -> {
                    Throwable cause = Futures.unwrap(e);
                    PowerVmHypervisor.Quick q = plan.lastSeen;
                    if (cause instanceof OperationTimeoutException && q != null && q.referenceCode() != null
                            && !q.referenceCode().isBlank()) {
                        return Futures.failed(new OperationTimeoutException(cause.getMessage() + " (state " + q.state() + ", RMC "
                                + q.rmcState() + ", reference code " + q.referenceCode() + ")", run.context(), cause));
                    }
                    return Futures.failed(cause);
                });
    }

    /** The VM from what this create made and the LPAR's state; the last wait's poll is reused when there was one. */
    @Override
    public CompletableFuture<VmInfo> readBack(Plan plan, Made m, OperationRun run) {
        PowerVmHypervisor.Quick seen = plan.lastSeen;
        CompletableFuture<PowerVmHypervisor.Quick> now = seen != null && plan.spec.waitForIp()
                ? CompletableFuture.completedFuture(seen) : hv.quick(OP, m.uuid(), run.deadline());
        return now.thenApply(q -> {
            LparShape s = plan.shape;
            VmInfo.Builder b = VmInfo.builder().id(io.dvmm.sdk.VmId.of(m.uuid())).name(m.name())
                    .powerState(PowerVmMapper.powerState(q.state())).rawState(q.state() == null ? "unknown" : q.state())
                    .cpuCount(s.desiredCpus()).memoryMiB(s.desiredMemory()).host(plan.system.name())
                    .nics(List.copyOf(plan.madeNics)).disks(List.copyOf(plan.madeDisks));
            PowerVmMapper.ips(q.ip()).forEach(b::addIpAddress);
            return b.build();
        });
    }

    // ---- rollback ------------------------------------------------------------------------------------------

    @Override
    public CompletableFuture<Void> remove(Made m, OperationRun run) {
        return hv.teardown.delete(m.uuid(), run).thenApply(x -> null);
    }

    @Override
    public String describe(Made m) {
        return "LPAR '" + m.name() + "' (" + m.uuid() + ")";
    }
}
