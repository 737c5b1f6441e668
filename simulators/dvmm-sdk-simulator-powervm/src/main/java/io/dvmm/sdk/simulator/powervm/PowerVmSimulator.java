package io.dvmm.sdk.simulator.powervm;

import io.dvmm.sdk.simulator.FaultPlan;
import io.dvmm.sdk.simulator.LoopbackServer;
import io.dvmm.sdk.simulator.RequestLog;
import io.dvmm.sdk.simulator.SimulatorCertificate;
import io.dvmm.sdk.simulator.Violations;
import io.dvmm.sdk.simulator.powervm.internal.BusyFaults;
import io.dvmm.sdk.simulator.powervm.internal.CaptureSet;
import io.dvmm.sdk.simulator.powervm.internal.Hmc;
import io.dvmm.sdk.simulator.powervm.internal.HmcApi;
import io.dvmm.sdk.simulator.powervm.internal.Seeds;
import io.dvmm.sdk.simulator.powervm.internal.Settings;
import io.dvmm.sdk.simulator.powervm.internal.StateReader;
import io.dvmm.sdk.simulator.powervm.internal.SystemView;
import io.dvmm.sdk.simulator.powervm.internal.TemplateSeed;
import io.dvmm.sdk.simulator.powervm.internal.UomObject;
import java.net.URI;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A stateful HMC REST API server on 127.0.0.1 for tests: logon sessions, Atom feeds and entries
 * in the uom namespace with ETags, {@code quick} JSON, LPAR create/update/delete, VIOS mapping
 * reconciliation, volume group disks and media, SSP logical units and linked clones, client
 * network adapters, the File API, jobs with real HSCL results, and the event long-poll.
 *
 * <pre>{@code
 * try (PowerVmSimulator hmc = PowerVmSimulator.start()) {
 *     URI url = hmc.url();                      // https://127.0.0.1:port
 *     String pin = hmc.certificateSha256();
 *     // log on with hmc.username() / hmc.password(), then use hmc.managedSystemUuid()
 *     hmc.assertNoViolations();
 * }
 * }</pre>
 *
 * <p><b>Seed.</b> When {@code shared/data/powervm} is found (walking up from the working
 * directory) the model is seeded from those real HMC captures and the element order it enforces
 * on writes is derived from them and the LPAR create bodies; otherwise from a built-in minimal
 * model, which is logged and visible in {@link #seededFromCaptures()}. Either way it adds two
 * reference LPARs a provider clones from: {@value #SSP_TEMPLATE} (boot disk: SSP logical unit
 * {@value #SSP_TEMPLATE_DISK}, mapped through every VIOS) and {@value #LV_TEMPLATE} (boot disk:
 * logical volume {@value #LV_TEMPLATE_DISK} on the first VIOS).
 *
 * <p><b>Checks.</b> Writes with elements out of order or unknown, a wrong media type, a missing
 * session header or a body that is not the bare object are answered as the HMC does and
 * recorded in {@link #violations()}; a stale {@code If-Match} is a 412, not a violation.
 *
 * <p>Thread-safe.
 */
public final class PowerVmSimulator implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(PowerVmSimulator.class.getName());

    public static final String SSP_TEMPLATE = TemplateSeed.SSP_TEMPLATE;
    public static final String SSP_TEMPLATE_DISK = TemplateSeed.SSP_TEMPLATE_DISK;
    public static final String LV_TEMPLATE = TemplateSeed.LV_TEMPLATE;
    public static final String LV_TEMPLATE_DISK = TemplateSeed.LV_TEMPLATE_DISK;

    /** The shapes of a VIOS-busy answer, for {@link #viosBusy}. */
    public enum Busy {
        /** 500 with {@code HSCL3205 The Virtual I/O Server is busy...}. */
        HSCL3205,
        /** 500 with {@code VIOS0014 The Virtual I/O Server is busy...}. */
        VIOS0014,
        /** 500 with the captured "VIOS ... is busy processing some other request" text. */
        BUSY_MESSAGE,
        /** A bare 503. */
        HTTP_503
    }

    private final Settings settings;
    private final Hmc hmc;
    private final HmcApi api;
    private final StateReader state;
    private final boolean fromCaptures;
    private final LoopbackServer server;
    private final String systemUuid;

    private PowerVmSimulator(Builder b) {
        this.settings = b.settings;
        Path captures = b.builtIn ? null : b.captures != null ? b.captures : findCaptures().orElse(null);
        this.fromCaptures = captures != null;
        if (b.builtIn) {
            LOG.log(System.Logger.Level.DEBUG, "PowerVM simulator: serving the built-in minimal model, as asked");
        } else if (!fromCaptures) {
            LOG.log(System.Logger.Level.INFO, "PowerVM simulator: no HMC captures found (" + CaptureSet.RELATIVE_DIR
                    + " above " + Path.of("").toAbsolutePath() + "); serving the built-in minimal model");
        }
        this.hmc = Seeds.create(settings, new Seeds.Options(captures, b.managedSystems, b.vioses, b.templates, b.user,
                b.password));
        this.api = new HmcApi(hmc);
        api.responses().novaLink(b.novaLink);
        this.state = new StateReader(hmc);
        synchronized (hmc.model.lock()) {
            this.systemUuid = hmc.model.all("ManagedSystem").get(0).uuid();
        }
        this.server = b.tls ? LoopbackServer.https(SimulatorCertificate.shared(), api.dispatcher())
                : LoopbackServer.http(api.dispatcher());
        hmc.baseUrl(server.url().toString());
        if (b.memoryMb >= 0) {
            systemCapacity(b.memoryMb, b.processorUnits);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts one with the defaults: HTTPS, the captures when found, one managed system, two VIOSes. */
    public static PowerVmSimulator start() {
        return builder().start();
    }

    /** The captures' directory: {@code shared/data/powervm} in the working directory or a parent of it. */
    public static Optional<Path> findCaptures() {
        return CaptureSet.locate();
    }

    @Override
    public void close() {
        server.close();
        hmc.close();
    }

    // ---- connection ------------------------------------------------------------------------------

    /** {@code https://127.0.0.1:port} (or http), without a trailing slash. */
    public URI url() {
        return server.url();
    }

    public String host() {
        return server.host();
    }

    public int port() {
        return server.port();
    }

    public boolean tls() {
        return server.tls();
    }

    /** SHA-256 of the server certificate (DER), 64 lower-case hex digits. */
    public String certificateSha256() {
        return SimulatorCertificate.shared().sha256();
    }

    /** A trust store holding only the server certificate. */
    public KeyStore trustStore() {
        return SimulatorCertificate.shared().trustStore();
    }

    public SimulatorCertificate certificate() {
        return SimulatorCertificate.shared();
    }

    public String username() {
        return hmc.sessions.user();
    }

    public String password() {
        return hmc.sessions.password();
    }

    /** The managed system the templates, VIOSes and storage are on. */
    public String managedSystemUuid() {
        return systemUuid;
    }

    public String managedSystemName() {
        synchronized (hmc.model.lock()) {
            return new SystemView(hmc.model.get("ManagedSystem", systemUuid).orElseThrow(), hmc.editor).name();
        }
    }

    /** True when the model and the element order come from the HMC captures, false for the built-in model. */
    public boolean seededFromCaptures() {
        return fromCaptures;
    }

    /** Where the model came from, e.g. {@code "captures in /work/shared/data/powervm"}. */
    public String modelSource() {
        return hmc.model.origin();
    }

    /** Where the enforced element order came from, with its size. */
    public String elementOrderSource() {
        return hmc.editor.order().source();
    }

    /** Every route as {@code "METHOD /template"}, i.e. every operation key. */
    public List<String> routes() {
        return api.routes();
    }

    // ---- knobs -----------------------------------------------------------------------------------

    /** How long a job stays {@code NOT_STARTED} and then {@code RUNNING}. */
    public PowerVmSimulator jobDurations(Duration queued, Duration running) {
        settings.jobQueueTime = Objects.requireNonNull(queued);
        settings.jobRunTime = Objects.requireNonNull(running);
        return this;
    }

    /** How long after a partition reaches {@code running} RMC becomes {@code active}, and its IP appears. */
    public PowerVmSimulator rmcDelay(Duration rmcActive, Duration ipAddress) {
        settings.rmcDelay = Objects.requireNonNull(rmcActive);
        settings.ipDelay = Objects.requireNonNull(ipAddress);
        return this;
    }

    /** How long an idle event poll is held before 204 (the HMC: about 10 s). */
    public PowerVmSimulator eventIdleWait(Duration wait) {
        settings.eventIdleWait = Objects.requireNonNull(wait);
        return this;
    }

    /** More than {@code polls} event polls of one listener within {@code window} get REST026C. */
    public PowerVmSimulator eventPollLimit(int polls, Duration window) {
        settings.eventPollLimit = polls;
        settings.eventPollWindow = Objects.requireNonNull(window);
        return this;
    }

    /** An API session unused this long expires (401). */
    public PowerVmSimulator sessionIdleTimeout(Duration timeout) {
        settings.sessionIdleTimeout = Objects.requireNonNull(timeout);
        return this;
    }

    /** Every API session expires now: the next request of each gets 401. */
    public PowerVmSimulator expireSessions() {
        hmc.sessions.expireAll();
        return this;
    }

    /** Live API sessions. */
    public int sessionCount() {
        return hmc.sessions.liveCount();
    }

    /** Every session token issued (also expired ones), for tests proving none reaches a log. */
    public List<String> issuedSessionTokens() {
        return hmc.sessions.issuedTokens();
    }

    /** Whether a write carrying {@code X-HMC-Schema-Version} gets 406 (default true, as on some firmware). */
    public PowerVmSimulator refuseSchemaVersionOnWrites(boolean refuse) {
        settings.refuseSchemaVersionOnWrites = refuse;
        return this;
    }

    /**
     * The next {@code times} requests with this operation key ({@link HmcOperations}, {@code "*"} for
     * any) get a VIOS-busy answer; the request does not take effect.
     */
    public PowerVmSimulator viosBusy(String operationKey, int times, Busy style) {
        hmc.busy.add(operationKey, times, BusyFaults.Style.valueOf(style.name()));
        return this;
    }

    /** The next job of an operation ({@code PowerOn}, {@code PowerOff}, {@code LULinkedClone}) ends {@code COMPLETED_WITH_ERROR} with this text. */
    public PowerVmSimulator failNextJob(String operation, String result) {
        synchronized (hmc.model.lock()) {
            hmc.jobs.failNext(operation, result);
        }
        return this;
    }

    /** The next boot of a partition leaves it running without RMC (reference code 0608), so no IP ever appears. */
    public PowerVmSimulator failNextBoot(String lparUuid) {
        synchronized (hmc.model.lock()) {
            hmc.power.failNextBoot(lparUuid);
        }
        return this;
    }

    /** Sets the free memory (MB) and processor units of the managed system. */
    public PowerVmSimulator systemCapacity(long availableMemoryMb, double availableProcessorUnits) {
        synchronized (hmc.model.lock()) {
            UomObject ms = hmc.model.get("ManagedSystem", systemUuid).orElseThrow();
            SystemView s = new SystemView(ms, hmc.editor);
            s.availableMemory(availableMemoryMb);
            s.availableProcessorUnits(availableProcessorUnits);
            ms.touch();
        }
        return this;
    }

    /**
     * Adds {@code count} LPARs (not activated, 2 GB, 0.5 shared processing units, no disks) named
     * {@code prefix-1} to {@code prefix-count}, created as a client's PUT would create them; for
     * large-feed tests and benchmarks. Returns their UUIDs.
     */
    public List<String> addLpars(int count, String prefix) {
        synchronized (hmc.model.lock()) {
            return TemplateSeed.addLpars(hmc, hmc.model.get("ManagedSystem", systemUuid).orElseThrow(), count, prefix);
        }
    }

    /** Queues a resync event ({@code CACHE_CLEARED} or {@code MISSING_EVENTS}) for every listener. */
    public PowerVmSimulator injectEvent(String type) {
        hmc.events.inject(type);
        return this;
    }

    /** The generic faults (lost answers, delays, resets, truncated bodies...), matched by operation key or path. */
    public FaultPlan faults() {
        return hmc.faults;
    }

    /** Removes every busy rule and fault rule. */
    public void clearFaults() {
        hmc.busy.clear();
        hmc.faults.clear();
    }

    // ---- state -----------------------------------------------------------------------------------

    public List<HmcState.Lpar> lpars() {
        return state.partitions("LogicalPartition");
    }

    /** An LPAR by name or UUID. */
    public Optional<HmcState.Lpar> lpar(String nameOrUuid) {
        return lpars().stream().filter(l -> l.uuid().equalsIgnoreCase(nameOrUuid) || nameOrUuid.equals(l.name()))
                .findFirst();
    }

    public List<HmcState.Lpar> vioses() {
        return state.partitions("VirtualIOServer");
    }

    /** Every VSCSI mapping on every VIOS ({@code orphaned} when its client partition is gone). */
    public List<HmcState.Mapping> mappings() {
        return state.mappings();
    }

    /** The mappings serving one client partition. */
    public List<HmcState.Mapping> mappingsOf(String lparUuid) {
        return mappings().stream().filter(m -> lparUuid.equalsIgnoreCase(m.lparUuid())).toList();
    }

    public List<HmcState.VirtualDisk> virtualDisks() {
        return state.virtualDisks();
    }

    public List<HmcState.OpticalMedia> media() {
        return state.media();
    }

    public List<HmcState.LogicalUnit> logicalUnits() {
        return state.logicalUnits();
    }

    public List<HmcState.NetworkAdapter> networkAdapters() {
        return state.adapters();
    }

    /** Every job not deleted yet (the HMC keeps finished jobs until a client deletes them). */
    public List<HmcState.Job> jobs() {
        return state.jobs();
    }

    /** Jobs still {@code NOT_STARTED} or {@code RUNNING}. */
    public List<HmcState.Job> jobsRunning() {
        return jobs().stream().filter(j -> j.status().equals("NOT_STARTED") || j.status().equals("RUNNING")).toList();
    }

    /** Events queued for listeners and not yet polled. */
    public List<HmcState.Event> pendingEvents() {
        return state.events();
    }

    public List<HmcState.Upload> uploads() {
        return state.uploads();
    }

    // ---- requests and violations -----------------------------------------------------------------

    /** Every request received (session headers and the logon password redacted). */
    public RequestLog requestLog() {
        return hmc.log;
    }

    /** Requests received under an operation key, e.g. {@link HmcOperations#LPAR_FEED}. */
    public long requestCount(String operationKey) {
        return hmc.log.count(operationKey);
    }

    public Map<String, Long> requestCounts() {
        return hmc.log.counts();
    }

    public long totalRequests() {
        return hmc.log.total();
    }

    /** Job polls ({@link HmcOperations#JOB}). */
    public long jobPolls() {
        return hmc.log.count(HmcOperations.JOB);
    }

    /** Requests other than job polls and event polls: the round trips a provider's operation cost. */
    public long requestsExcludingPolls() {
        return totalRequests() - jobPolls() - hmc.log.count(HmcOperations.EVENTS);
    }

    public void resetCounters() {
        hmc.log.reset();
    }

    /** Rules the client broke: element order, media types, missing session headers, non-bare bodies. */
    public Violations violations() {
        return hmc.violations;
    }

    /** @throws AssertionError listing every violation, if there is one */
    public void assertNoViolations() {
        hmc.violations.assertNone();
    }

    @Override
    public String toString() {
        return "PowerVmSimulator[" + url() + ", " + modelSource() + "]";
    }

    /** Settings of a simulator; {@link #start()} builds and starts it. */
    public static final class Builder {
        private final Settings settings = new Settings();
        private boolean tls = true;
        private Path captures;
        private boolean builtIn;
        private int managedSystems = 1;
        private int vioses = 2;
        private boolean templates = true;
        private boolean novaLink;
        private String user = "hscroot";
        private String password = "sim-" + UUID.randomUUID();
        private long memoryMb = -1;
        private double processorUnits;

        private Builder() {
        }

        public Builder tls(boolean tls) {
            this.tls = tls;
            return this;
        }

        /** Seeds from the captures in this directory instead of looking for them. */
        public Builder captures(Path dir) {
            this.captures = Objects.requireNonNull(dir);
            this.builtIn = false;
            return this;
        }

        /** Seeds the built-in minimal model even when captures are present. */
        public Builder builtInModel() {
            this.builtIn = true;
            this.captures = null;
            return this;
        }

        /** Managed systems the HMC manages, 1 to 3 (the captures hold three; the built-in model one). */
        public Builder managedSystems(int count) {
            if (count < 1 || count > 3) {
                throw new IllegalArgumentException("managedSystems must be 1 to 3");
            }
            this.managedSystems = count;
            return this;
        }

        /** VIOSes on the managed system, 1 or 2. */
        public Builder vioses(int count) {
            if (count < 1 || count > 2) {
                throw new IllegalArgumentException("vioses must be 1 or 2");
            }
            this.vioses = count;
            return this;
        }

        /** Whether to add the reference LPARs {@value PowerVmSimulator#SSP_TEMPLATE} and {@value PowerVmSimulator#LV_TEMPLATE}. */
        public Builder templates(boolean add) {
            this.templates = add;
            return this;
        }

        /** Answer as NovaLink does: {@code X-MC-Type: PVM} on every response. */
        public Builder novaLink(boolean on) {
            this.novaLink = on;
            return this;
        }

        public Builder credentials(String user, String password) {
            this.user = Objects.requireNonNull(user);
            this.password = Objects.requireNonNull(password);
            return this;
        }

        /** See {@link PowerVmSimulator#jobDurations}. */
        public Builder jobDurations(Duration queued, Duration running) {
            settings.jobQueueTime = Objects.requireNonNull(queued);
            settings.jobRunTime = Objects.requireNonNull(running);
            return this;
        }

        /** See {@link PowerVmSimulator#rmcDelay}. */
        public Builder rmcDelay(Duration rmcActive, Duration ipAddress) {
            settings.rmcDelay = Objects.requireNonNull(rmcActive);
            settings.ipDelay = Objects.requireNonNull(ipAddress);
            return this;
        }

        public Builder eventIdleWait(Duration wait) {
            settings.eventIdleWait = Objects.requireNonNull(wait);
            return this;
        }

        public Builder eventPollLimit(int polls, Duration window) {
            settings.eventPollLimit = polls;
            settings.eventPollWindow = Objects.requireNonNull(window);
            return this;
        }

        public Builder sessionIdleTimeout(Duration timeout) {
            settings.sessionIdleTimeout = Objects.requireNonNull(timeout);
            return this;
        }

        /** The free memory (MB) and processor units of the managed system (the captured system has 1 unit free). */
        public Builder systemCapacity(long availableMemoryMb, double availableProcessorUnits) {
            this.memoryMb = availableMemoryMb;
            this.processorUnits = availableProcessorUnits;
            return this;
        }

        public PowerVmSimulator start() {
            return new PowerVmSimulator(this);
        }
    }
}
