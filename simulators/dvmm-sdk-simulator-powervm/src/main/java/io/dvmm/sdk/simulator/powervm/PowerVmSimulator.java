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

    /** The reference LPAR whose boot disk is a shared storage pool logical unit (linked clones). */
    public static final String SSP_TEMPLATE = TemplateSeed.SSP_TEMPLATE;
    /** The SSP logical unit that is {@link #SSP_TEMPLATE}'s boot disk, mapped through every VIOS. */
    public static final String SSP_TEMPLATE_DISK = TemplateSeed.SSP_TEMPLATE_DISK;
    /** The reference LPAR whose boot disk is a logical volume on the first VIOS (full copies). */
    public static final String LV_TEMPLATE = TemplateSeed.LV_TEMPLATE;
    /** The logical volume that is {@link #LV_TEMPLATE}'s boot disk. */
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

    /**
     * Settings for a simulator: HTTPS, the captures when found, one managed system, two VIOSes, the reference
     * LPARs, user {@code hscroot} with a random password.
     *
     * @return a builder with those defaults
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts one with the defaults: HTTPS, the captures when found, one managed system, two VIOSes.
     *
     * @return the running simulator; close it to stop it
     * @throws java.io.UncheckedIOException if the captures cannot be read or no loopback port can be bound
     */
    public static PowerVmSimulator start() {
        return builder().start();
    }

    /**
     * The captures' directory: {@code shared/data/powervm} in the working directory or a parent of it.
     *
     * @return the directory, or empty when there is none (the built-in model is served then)
     */
    public static Optional<Path> findCaptures() {
        return CaptureSet.locate();
    }

    @Override
    public void close() {
        server.close();
        hmc.close();
    }

    // ---- connection ------------------------------------------------------------------------------

    /**
     * Where the HMC REST API is served.
     *
     * @return {@code https://127.0.0.1:port} ({@code http} without TLS), without a trailing slash
     */
    public URI url() {
        return server.url();
    }

    /**
     * The address the simulator listens on.
     *
     * @return {@code 127.0.0.1}
     */
    public String host() {
        return server.host();
    }

    /**
     * The ephemeral port the simulator was given.
     *
     * @return the port
     */
    public int port() {
        return server.port();
    }

    /**
     * Whether the simulator speaks HTTPS.
     *
     * @return true unless built with {@code tls(false)}
     */
    public boolean tls() {
        return server.tls();
    }

    /**
     * The server certificate's pin.
     *
     * @return SHA-256 of the certificate (DER), 64 lower-case hex digits, for {@code TlsOptions.pinSha256}
     */
    public String certificateSha256() {
        return SimulatorCertificate.shared().sha256();
    }

    /**
     * A trust store for clients that do not pin.
     *
     * @return a new in-memory PKCS12 store holding only the server certificate
     */
    public KeyStore trustStore() {
        return SimulatorCertificate.shared().trustStore();
    }

    /**
     * The certificate served over TLS.
     *
     * @return {@link SimulatorCertificate#shared()}: one per JVM, shared by every simulator
     */
    public SimulatorCertificate certificate() {
        return SimulatorCertificate.shared();
    }

    /**
     * The HMC user that logs on.
     *
     * @return the user name, {@code hscroot} unless {@link Builder#credentials} says otherwise
     */
    public String username() {
        return hmc.sessions.user();
    }

    /**
     * The password of {@link #username()}.
     *
     * @return the password, random per simulator unless {@link Builder#credentials} says otherwise
     */
    public String password() {
        return hmc.sessions.password();
    }

    /**
     * The managed system the templates, VIOSes and storage are on.
     *
     * @return the first managed system's UUID
     */
    public String managedSystemUuid() {
        return systemUuid;
    }

    /**
     * The name of {@link #managedSystemUuid()}'s system.
     *
     * @return its {@code SystemName}
     */
    public String managedSystemName() {
        synchronized (hmc.model.lock()) {
            return new SystemView(hmc.model.get("ManagedSystem", systemUuid).orElseThrow(), hmc.editor).name();
        }
    }

    /**
     * Where the model came from.
     *
     * @return true when the model and the element order come from the HMC captures, false for the built-in model
     */
    public boolean seededFromCaptures() {
        return fromCaptures;
    }

    /**
     * Where the model came from, for messages.
     *
     * @return e.g. {@code "captures in /work/shared/data/powervm"}
     */
    public String modelSource() {
        return hmc.model.origin();
    }

    /**
     * Where the enforced element order came from, for messages.
     *
     * @return the source, with the number of element orders it holds
     */
    public String elementOrderSource() {
        return hmc.editor.order().source();
    }

    /**
     * Every route, i.e. every operation key.
     *
     * @return each route as {@code "METHOD /template"}
     */
    public List<String> routes() {
        return api.routes();
    }

    // ---- knobs -----------------------------------------------------------------------------------

    /**
     * How long a job stays {@code NOT_STARTED} and then {@code RUNNING}, from now on.
     *
     * @param queued time in {@code NOT_STARTED} (20 ms unless set)
     * @param running time in {@code RUNNING} (100 ms unless set)
     * @return this simulator
     */
    public PowerVmSimulator jobDurations(Duration queued, Duration running) {
        settings.jobQueueTime = Objects.requireNonNull(queued);
        settings.jobRunTime = Objects.requireNonNull(running);
        return this;
    }

    /**
     * How long after a partition reaches {@code running} RMC becomes {@code active}, and its IP appears.
     *
     * @param rmcActive from {@code running} to RMC {@code active} (300 ms unless set)
     * @param ipAddress from {@code running} to an address in {@code ResourceMonitoringIPAddress}, never before RMC
     *        (300 ms unless set)
     * @return this simulator
     */
    public PowerVmSimulator rmcDelay(Duration rmcActive, Duration ipAddress) {
        settings.rmcDelay = Objects.requireNonNull(rmcActive);
        settings.ipDelay = Objects.requireNonNull(ipAddress);
        return this;
    }

    /**
     * How long an idle event poll is held before 204 (the HMC: about 10 s).
     *
     * @param wait the hold (2 s unless set)
     * @return this simulator
     */
    public PowerVmSimulator eventIdleWait(Duration wait) {
        settings.eventIdleWait = Objects.requireNonNull(wait);
        return this;
    }

    /**
     * More than {@code polls} event polls of one listener within {@code window} get REST026C.
     *
     * @param polls polls allowed per window (20 unless set)
     * @param window the window (1 s unless set)
     * @return this simulator
     */
    public PowerVmSimulator eventPollLimit(int polls, Duration window) {
        settings.eventPollLimit = polls;
        settings.eventPollWindow = Objects.requireNonNull(window);
        return this;
    }

    /**
     * An API session unused this long expires (401).
     *
     * @param timeout the idle timeout (2 hours unless set)
     * @return this simulator
     */
    public PowerVmSimulator sessionIdleTimeout(Duration timeout) {
        settings.sessionIdleTimeout = Objects.requireNonNull(timeout);
        return this;
    }

    /**
     * Every API session expires now: the next request of each gets 401.
     *
     * @return this simulator
     */
    public PowerVmSimulator expireSessions() {
        hmc.sessions.expireAll();
        return this;
    }

    /**
     * How many API sessions are live, e.g. to check a client logs off on close.
     *
     * @return the number of sessions neither logged off nor expired
     */
    public int sessionCount() {
        return hmc.sessions.liveCount();
    }

    /**
     * Every session token issued (also expired ones), for tests proving none reaches a log.
     *
     * @return the tokens; a snapshot
     */
    public List<String> issuedSessionTokens() {
        return hmc.sessions.issuedTokens();
    }

    /**
     * Whether a write carrying {@code X-HMC-Schema-Version} gets 406, as on some firmware.
     *
     * @param refuse true (the default) to answer such writes 406
     * @return this simulator
     */
    public PowerVmSimulator refuseSchemaVersionOnWrites(boolean refuse) {
        settings.refuseSchemaVersionOnWrites = refuse;
        return this;
    }

    /**
     * The next {@code times} requests with this operation key ({@link HmcOperations}, {@code "*"} for
     * any) get a VIOS-busy answer; the request does not take effect.
     *
     * @param operationKey the operation key, or {@code "*"}
     * @param times how many requests get it
     * @param style which busy answer they get
     * @return this simulator
     */
    public PowerVmSimulator viosBusy(String operationKey, int times, Busy style) {
        hmc.busy.add(operationKey, times, BusyFaults.Style.valueOf(style.name()));
        return this;
    }

    /**
     * The next job of an operation ends {@code COMPLETED_WITH_ERROR} with this text, without its effect.
     *
     * @param operation the job's operation: {@code PowerOn}, {@code PowerOff} or {@code LULinkedClone}
     * @param result the failure text, with its HSCL code as the HMC writes it
     * @return this simulator
     */
    public PowerVmSimulator failNextJob(String operation, String result) {
        synchronized (hmc.model.lock()) {
            hmc.jobs.failNext(operation, result);
        }
        return this;
    }

    /**
     * The next boot of a partition leaves it running without RMC (reference code 0608), so no IP ever appears.
     *
     * @param lparUuid the partition's UUID
     * @return this simulator
     */
    public PowerVmSimulator failNextBoot(String lparUuid) {
        synchronized (hmc.model.lock()) {
            hmc.power.failNextBoot(lparUuid);
        }
        return this;
    }

    /**
     * Sets the free memory and processor units of the managed system, e.g. to make a create run out of them.
     *
     * @param availableMemoryMb free memory in MB
     * @param availableProcessorUnits free processing units
     * @return this simulator
     */
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
     * large-feed tests and benchmarks.
     *
     * @param count how many LPARs to add
     * @param prefix the start of their names
     * @return their UUIDs, {@code prefix-1}'s first
     */
    public List<String> addLpars(int count, String prefix) {
        synchronized (hmc.model.lock()) {
            return TemplateSeed.addLpars(hmc, hmc.model.get("ManagedSystem", systemUuid).orElseThrow(), count, prefix);
        }
    }

    /**
     * Queues an event for every listener, e.g. a resync that tells clients to reread everything.
     *
     * @param type the event type, such as {@code CACHE_CLEARED} or {@code MISSING_EVENTS}
     * @return this simulator
     */
    public PowerVmSimulator injectEvent(String type) {
        hmc.events.inject(type);
        return this;
    }

    /**
     * The generic faults (lost answers, delays, resets, truncated bodies...), matched by operation key or path.
     *
     * @return the simulator's live fault plan; add rules to it
     */
    public FaultPlan faults() {
        return hmc.faults;
    }

    /** Removes every busy rule and fault rule. */
    public void clearFaults() {
        hmc.busy.clear();
        hmc.faults.clear();
    }

    // ---- state -----------------------------------------------------------------------------------

    /**
     * Every logical partition now (not the VIOSes).
     *
     * @return a snapshot of each partition
     */
    public List<HmcState.Lpar> lpars() {
        return state.partitions("LogicalPartition");
    }

    /**
     * An LPAR by name or UUID.
     *
     * @param nameOrUuid the exact name, or the UUID in any case
     * @return the first matching partition, or empty if there is none
     */
    public Optional<HmcState.Lpar> lpar(String nameOrUuid) {
        return lpars().stream().filter(l -> l.uuid().equalsIgnoreCase(nameOrUuid) || nameOrUuid.equals(l.name()))
                .findFirst();
    }

    /**
     * Every Virtual I/O Server now.
     *
     * @return a snapshot of each VIOS
     */
    public List<HmcState.Lpar> vioses() {
        return state.partitions("VirtualIOServer");
    }

    /**
     * Every VSCSI mapping on every VIOS ({@code orphaned} when its client partition is gone).
     *
     * @return a snapshot of each mapping
     */
    public List<HmcState.Mapping> mappings() {
        return state.mappings();
    }

    /**
     * The mappings serving one client partition.
     *
     * @param lparUuid the client partition's UUID, in any case
     * @return its mappings on every VIOS; empty if there is none
     */
    public List<HmcState.Mapping> mappingsOf(String lparUuid) {
        return mappings().stream().filter(m -> lparUuid.equalsIgnoreCase(m.lparUuid())).toList();
    }

    /**
     * Every logical volume in every volume group of every VIOS.
     *
     * @return a snapshot of each logical volume
     */
    public List<HmcState.VirtualDisk> virtualDisks() {
        return state.virtualDisks();
    }

    /**
     * Every virtual optical medium in the VIOSes' media repositories.
     *
     * @return a snapshot of each medium
     */
    public List<HmcState.OpticalMedia> media() {
        return state.media();
    }

    /**
     * Every logical unit of every shared storage pool.
     *
     * @return a snapshot of each logical unit
     */
    public List<HmcState.LogicalUnit> logicalUnits() {
        return state.logicalUnits();
    }

    /**
     * Every client network adapter of every partition.
     *
     * @return a snapshot of each adapter
     */
    public List<HmcState.NetworkAdapter> networkAdapters() {
        return state.adapters();
    }

    /**
     * Every job not deleted yet (the HMC keeps finished jobs until a client deletes them).
     *
     * @return a snapshot of each job
     */
    public List<HmcState.Job> jobs() {
        return state.jobs();
    }

    /**
     * Jobs that have not ended.
     *
     * @return the jobs still {@code NOT_STARTED} or {@code RUNNING}
     */
    public List<HmcState.Job> jobsRunning() {
        return jobs().stream().filter(j -> j.status().equals("NOT_STARTED") || j.status().equals("RUNNING")).toList();
    }

    /**
     * Events queued for listeners and not yet polled.
     *
     * @return a snapshot of each pending event
     */
    public List<HmcState.Event> pendingEvents() {
        return state.events();
    }

    /**
     * What the File API received.
     *
     * @return each completed upload
     */
    public List<HmcState.Upload> uploads() {
        return state.uploads();
    }

    // ---- requests and violations -----------------------------------------------------------------

    /**
     * Every request received (session headers and the logon password redacted).
     *
     * @return the simulator's live request log
     */
    public RequestLog requestLog() {
        return hmc.log;
    }

    /**
     * How many requests were received under an operation key.
     *
     * @param operationKey the key, e.g. {@link HmcOperations#LPAR_FEED}
     * @return the exact count since start or the last {@link #resetCounters()}
     */
    public long requestCount(String operationKey) {
        return hmc.log.count(operationKey);
    }

    /**
     * All counts by operation key.
     *
     * @return counts keyed {@code "METHOD template"}, sorted; a snapshot
     */
    public Map<String, Long> requestCounts() {
        return hmc.log.counts();
    }

    /**
     * How many requests were received in all.
     *
     * @return the exact count since start or the last {@link #resetCounters()}
     */
    public long totalRequests() {
        return hmc.log.total();
    }

    /**
     * How many job polls ({@link HmcOperations#JOB}) were received.
     *
     * @return the count since start or the last {@link #resetCounters()}
     */
    public long jobPolls() {
        return hmc.log.count(HmcOperations.JOB);
    }

    /**
     * Requests other than job polls and event polls: the round trips a provider's operation cost.
     *
     * @return the count since start or the last {@link #resetCounters()}
     */
    public long requestsExcludingPolls() {
        return totalRequests() - jobPolls() - hmc.log.count(HmcOperations.EVENTS);
    }

    /** Forgets every logged request and count (the model's state stays). */
    public void resetCounters() {
        hmc.log.reset();
    }

    /**
     * Rules the client broke: element order, media types, missing session headers, non-bare bodies.
     *
     * @return the simulator's live violation list
     */
    public Violations violations() {
        return hmc.violations;
    }

    /**
     * Fails the test if the client broke a rule.
     *
     * @throws AssertionError listing every violation, if there is one
     */
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

        /**
         * Whether to serve HTTPS (with {@link SimulatorCertificate#shared()}) or plain HTTP.
         *
         * @param tls true for HTTPS, the default
         * @return this builder
         */
        public Builder tls(boolean tls) {
            this.tls = tls;
            return this;
        }

        /**
         * Seeds from the captures in this directory instead of looking for them.
         *
         * @param dir a directory laid out as {@code shared/data/powervm}
         * @return this builder
         */
        public Builder captures(Path dir) {
            this.captures = Objects.requireNonNull(dir);
            this.builtIn = false;
            return this;
        }

        /**
         * Seeds the built-in minimal model even when captures are present.
         *
         * @return this builder
         */
        public Builder builtInModel() {
            this.builtIn = true;
            this.captures = null;
            return this;
        }

        /**
         * Managed systems the HMC manages (the captures hold three; the built-in model one).
         *
         * @param count 1 to 3; 1 by default
         * @return this builder
         * @throws IllegalArgumentException if {@code count} is not 1, 2 or 3
         */
        public Builder managedSystems(int count) {
            if (count < 1 || count > 3) {
                throw new IllegalArgumentException("managedSystems must be 1 to 3");
            }
            this.managedSystems = count;
            return this;
        }

        /**
         * VIOSes on the managed system.
         *
         * @param count 1 or 2; 2 by default
         * @return this builder
         * @throws IllegalArgumentException if {@code count} is not 1 or 2
         */
        public Builder vioses(int count) {
            if (count < 1 || count > 2) {
                throw new IllegalArgumentException("vioses must be 1 or 2");
            }
            this.vioses = count;
            return this;
        }

        /**
         * Whether to add the reference LPARs {@value PowerVmSimulator#SSP_TEMPLATE} and {@value PowerVmSimulator#LV_TEMPLATE}.
         *
         * @param add true (the default) to add them
         * @return this builder
         */
        public Builder templates(boolean add) {
            this.templates = add;
            return this;
        }

        /**
         * Answer as NovaLink does: {@code X-MC-Type: PVM} on every response.
         *
         * @param on true for NovaLink, false (the default) for an HMC
         * @return this builder
         */
        public Builder novaLink(boolean on) {
            this.novaLink = on;
            return this;
        }

        /**
         * The HMC user and password that log on; {@code hscroot} with a random password by default.
         *
         * @param user the user name
         * @param password its password
         * @return this builder
         */
        public Builder credentials(String user, String password) {
            this.user = Objects.requireNonNull(user);
            this.password = Objects.requireNonNull(password);
            return this;
        }

        /**
         * How long a job stays {@code NOT_STARTED} and then {@code RUNNING}; see {@link PowerVmSimulator#jobDurations}.
         *
         * @param queued time in {@code NOT_STARTED} (20 ms unless set)
         * @param running time in {@code RUNNING} (100 ms unless set)
         * @return this builder
         */
        public Builder jobDurations(Duration queued, Duration running) {
            settings.jobQueueTime = Objects.requireNonNull(queued);
            settings.jobRunTime = Objects.requireNonNull(running);
            return this;
        }

        /**
         * How long after boot RMC becomes active and the IP appears; see {@link PowerVmSimulator#rmcDelay}.
         *
         * @param rmcActive from {@code running} to RMC {@code active} (300 ms unless set)
         * @param ipAddress from {@code running} to an IP address, never before RMC (300 ms unless set)
         * @return this builder
         */
        public Builder rmcDelay(Duration rmcActive, Duration ipAddress) {
            settings.rmcDelay = Objects.requireNonNull(rmcActive);
            settings.ipDelay = Objects.requireNonNull(ipAddress);
            return this;
        }

        /**
         * How long an idle event poll is held before 204; see {@link PowerVmSimulator#eventIdleWait}.
         *
         * @param wait the hold (2 s unless set)
         * @return this builder
         */
        public Builder eventIdleWait(Duration wait) {
            settings.eventIdleWait = Objects.requireNonNull(wait);
            return this;
        }

        /**
         * The event poll rate beyond which REST026C is answered; see {@link PowerVmSimulator#eventPollLimit}.
         *
         * @param polls polls allowed per window (20 unless set)
         * @param window the window (1 s unless set)
         * @return this builder
         */
        public Builder eventPollLimit(int polls, Duration window) {
            settings.eventPollLimit = polls;
            settings.eventPollWindow = Objects.requireNonNull(window);
            return this;
        }

        /**
         * An API session unused this long expires (401); see {@link PowerVmSimulator#sessionIdleTimeout}.
         *
         * @param timeout the idle timeout (2 hours unless set)
         * @return this builder
         */
        public Builder sessionIdleTimeout(Duration timeout) {
            settings.sessionIdleTimeout = Objects.requireNonNull(timeout);
            return this;
        }

        /**
         * The free memory and processor units of the managed system (the captured system has 1 unit free).
         *
         * @param availableMemoryMb free memory in MB
         * @param availableProcessorUnits free processing units
         * @return this builder
         */
        public Builder systemCapacity(long availableMemoryMb, double availableProcessorUnits) {
            this.memoryMb = availableMemoryMb;
            this.processorUnits = availableProcessorUnits;
            return this;
        }

        /**
         * Builds the model with these settings and starts serving it.
         *
         * @return the running simulator; close it to stop it
         * @throws java.io.UncheckedIOException if the captures cannot be read or no loopback port can be bound
         */
        public PowerVmSimulator start() {
            return new PowerVmSimulator(this);
        }
    }
}
