package io.dvmm.sdk.simulator.proxmox;

import io.dvmm.sdk.simulator.Fault;
import io.dvmm.sdk.simulator.FaultPlan;
import io.dvmm.sdk.simulator.FaultRule;
import io.dvmm.sdk.simulator.LoopbackServer;
import io.dvmm.sdk.simulator.RequestLog;
import io.dvmm.sdk.simulator.SimulatorCertificate;
import io.dvmm.sdk.simulator.Violations;
import io.dvmm.sdk.simulator.proxmox.internal.PveApi;
import io.dvmm.sdk.simulator.proxmox.internal.PveCluster;
import io.dvmm.sdk.simulator.proxmox.internal.PveSchema;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A stateful Proxmox VE API server on 127.0.0.1 for tests: the real {@code /api2/json} paths,
 * envelopes, UPID tasks, locks, auth (API tokens, tickets with CSRF) and error style (the
 * message in the HTTP reason phrase). Every request is checked against the official schema
 * ({@code pve-apidoc.json}) when one is given; violations are answered 400 like the real API
 * and recorded in {@link #violations()}. Every request is logged and counted by its operation key
 * {@code "METHOD /path/template"} ({@link #requests()}), and {@link #faults()} decides which
 * answers go wrong.
 *
 * <pre>{@code
 * try (ProxmoxSimulator sim = ProxmoxSimulator.startDefault()) {
 *     URI url = sim.baseUrl();           // https://127.0.0.1:port
 *     String pin = sim.certificateSha256();
 * }
 * }</pre>
 *
 * <p>Thread-safe. Seeds nodes {@code pve1..pveN}, storages {@code local} and
 * {@code local-lvm}, bridge {@code vmbr0}, pool {@code dvmm}, template VM 9000
 * ({@value PveCluster#TEMPLATE_NAME}) and optionally ordinary VMs with VMIDs from 10000.
 *
 * <p>HA: {@code /cluster/ha/resources} (list, add, read, update, remove). Start, stop and
 * shutdown of an HA-managed guest answer with {@code hastart}/{@code hastop} tasks that end at
 * once; a simulated HA manager brings the guest into the requested state after
 * {@link #haDelay(Duration)}. Destroying an HA guest without {@code purge} is refused as PVE does.
 */
public final class ProxmoxSimulator implements AutoCloseable {

    /** The path template of task status polls, for {@link #requestCount(String, String)}. */
    public static final String TASK_STATUS_PATH = PveApi.TASK_STATUS;
    /** The VMID of the seeded template. */
    public static final int TEMPLATE_VMID = PveCluster.TEMPLATE_VMID;

    private final boolean tls;
    private final Path schema;
    private final PveCluster cluster;
    private final PveApi api;
    private final FaultPlan faults = new FaultPlan();
    private final RequestLog requests = new RequestLog();
    private final Violations violations = new Violations("the PVE API schema");
    private volatile String tokenSecret = UUID.randomUUID().toString();
    private volatile String password = "sim-" + UUID.randomUUID();
    private LoopbackServer server;

    private ProxmoxSimulator(Builder b) {
        this.tls = b.tls;
        this.schema = b.schema;
        this.cluster = new PveCluster(b.nodes, b.vms, b.taskDuration, b.agentDelay);
        this.cluster.haDelay(b.haDelay);
        PveSchema schema = b.schema == null ? null : PveSchema.load(b.schema);
        this.api = new PveApi(cluster, schema, faults, requests, violations, apiTokenId(), tokenSecret, username(),
                password, b.ticketLifetime, b.loginFailureDelay);
    }

    /**
     * Settings for a simulator: two nodes, TLS, no extra VMs, schema validation when {@link #findSchema()} finds
     * the schema.
     *
     * @return a builder with those defaults
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * One line for tests: two nodes, TLS, schema validation when the schema file is found, started.
     *
     * @return the running simulator; close it to stop it
     * @throws java.io.UncheckedIOException if no loopback port can be bound
     */
    public static ProxmoxSimulator startDefault() {
        return builder().build().start();
    }

    /**
     * Looks for {@code shared/data/proxmox/pve-apidoc.json} next to the working directory or its
     * parents (system property {@code dvmm.pve.schema} wins). Empty when absent, e.g. in a clone of
     * the repository outside the workspace.
     *
     * @return the schema file, or empty when none is found
     */
    public static Optional<Path> findSchema() {
        String prop = System.getProperty("dvmm.pve.schema");
        if (prop != null && Files.isRegularFile(Path.of(prop))) {
            return Optional.of(Path.of(prop));
        }
        Path dir = Path.of("").toAbsolutePath();
        for (int i = 0; i < 5 && dir != null; i++, dir = dir.getParent()) {
            Path candidate = dir.resolve("shared/data/proxmox/pve-apidoc.json");
            if (Files.isRegularFile(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * Binds an ephemeral loopback port and starts serving; does nothing if already started.
     *
     * @return this simulator
     * @throws java.io.UncheckedIOException if no loopback port can be bound
     */
    public synchronized ProxmoxSimulator start() {
        if (server == null) {
            server = tls ? LoopbackServer.https(SimulatorCertificate.shared(), api) : LoopbackServer.http(api);
        }
        return this;
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.close();
            server = null;
        }
        cluster.close();
    }

    // ---- connection facts ------------------------------------------------------------------------

    /**
     * Where the API is served.
     *
     * @return {@code https://127.0.0.1:port} ({@code http} without TLS), without a trailing slash
     * @throws IllegalStateException if the simulator is not started
     */
    public URI baseUrl() {
        return URI.create((tls ? "https" : "http") + "://" + host() + ":" + port());
    }

    /**
     * The URI to pass to {@code HypervisorConfig.builder}.
     *
     * @return {@code proxmox://127.0.0.1:port}
     * @throws IllegalStateException if the simulator is not started
     */
    public URI sdkUri() {
        return URI.create("proxmox://" + host() + ":" + port());
    }

    /**
     * The address the simulator listens on.
     *
     * @return {@code 127.0.0.1}
     */
    public String host() {
        return "127.0.0.1";
    }

    /**
     * The ephemeral port the simulator was given.
     *
     * @return the port
     * @throws IllegalStateException if the simulator is not started
     */
    public synchronized int port() {
        if (server == null) {
            throw new IllegalStateException("the simulator is not started");
        }
        return server.port();
    }

    /**
     * Whether the simulator speaks HTTPS.
     *
     * @return true unless built with {@code tls(false)}
     */
    public boolean tls() {
        return tls;
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
     * The server certificate's pin.
     *
     * @return SHA-256 of the certificate (DER), lower-case hex without colons, for {@code TlsOptions.pinSha256}
     */
    public String certificateSha256() {
        return certificate().sha256();
    }

    /**
     * A trust store for clients that do not pin.
     *
     * @return a new in-memory PKCS12 store holding only the server certificate
     */
    public KeyStore trustStore() {
        return certificate().trustStore();
    }

    /**
     * The API token the simulator accepts ({@code PVEAPIToken=} header), with full privileges.
     *
     * @return {@code root@pam!dvmm}
     */
    public String apiTokenId() {
        return "root@pam!dvmm";
    }

    /**
     * The secret of {@link #apiTokenId()}: random per simulator, changed by {@link #changeTokenSecret}.
     *
     * @return the current secret
     */
    public String apiTokenSecret() {
        return tokenSecret;
    }

    /**
     * The user that logs in with a password for a ticket ({@code POST /access/ticket}).
     *
     * @return {@code root@pam}
     */
    public String username() {
        return "root@pam";
    }

    /**
     * The password of {@link #username()}: random per simulator, changed by {@link #changePassword}.
     *
     * @return the current password
     */
    public String password() {
        return password;
    }

    /**
     * The seeded template to clone from (VMID {@value #TEMPLATE_VMID}).
     *
     * @return the template's name
     */
    public String templateName() {
        return PveCluster.TEMPLATE_NAME;
    }

    /**
     * The seeded bridge every node has.
     *
     * @return {@code vmbr0}
     */
    public String networkName() {
        return PveCluster.BRIDGE;
    }

    /**
     * The seeded storage for VM disks.
     *
     * @return the storage's name ({@code local-lvm})
     */
    public String storageName() {
        return PveCluster.STORAGE;
    }

    /**
     * The seeded resource pool.
     *
     * @return {@code dvmm}
     */
    public String poolName() {
        return PveCluster.POOL;
    }

    /**
     * The cluster's nodes.
     *
     * @return {@code pve1} to {@code pveN}, in order
     */
    public List<String> nodeNames() {
        return cluster.nodes();
    }

    /**
     * Whether requests are checked against the official schema.
     *
     * @return true if the simulator was built with a schema file
     */
    public boolean schemaValidation() {
        return schema != null;
    }

    // ---- observation -----------------------------------------------------------------------------

    /**
     * The operation key of a method and path template, as {@link #requests()} and {@link #faults()} use it.
     *
     * @param method the HTTP method, in any case
     * @param pathTemplate the path below {@code /api2/json} as the schema writes it, e.g. {@code /nodes/{node}/qemu/{vmid}/clone}
     * @return the key, {@code "METHOD /path/template"}
     */
    public static String operation(String method, String pathTemplate) {
        return PveApi.operation(method, pathTemplate);
    }

    /**
     * Every request received (credentials redacted) and counts by operation key.
     *
     * @return the simulator's live request log
     */
    public RequestLog requests() {
        return requests;
    }

    /**
     * The faults to inject, matched by operation key ({@link #operation}) or by method and raw path.
     *
     * @return the simulator's live fault plan; add rules to it
     */
    public FaultPlan faults() {
        return faults;
    }

    /**
     * Requests that broke the official schema.
     *
     * @return one line per breach, e.g. {@code POST /nodes/{node}/qemu/{vmid}/config: {net0=...}}; a snapshot
     */
    public List<String> violations() {
        return violations.list();
    }

    /**
     * Fails the test if a request broke the schema.
     *
     * @throws AssertionError listing the violations, if there is one
     */
    public void assertNoViolations() {
        violations.assertNone();
    }

    /** Forgets the violations recorded so far, e.g. after a test that sent a bad request on purpose. */
    public void clearViolations() {
        violations.clear();
    }

    /**
     * How many requests were received for a method and path template.
     *
     * @param method the HTTP method, in any case
     * @param pathTemplate the path template, such as {@code /nodes/{node}/qemu/{vmid}/clone}
     * @return the exact count since start or the last {@link #resetCounters()}
     */
    public long requestCount(String method, String pathTemplate) {
        return requests.count(operation(method, pathTemplate));
    }

    /**
     * All counts by operation.
     *
     * @return counts keyed {@code "METHOD /path/template"}, sorted; a snapshot
     */
    public Map<String, Long> requestCounts() {
        return requests.counts();
    }

    /**
     * How many requests were received in all, routed or not.
     *
     * @return the exact count since start or the last {@link #resetCounters()}
     */
    public long totalRequests() {
        return requests.total();
    }

    /**
     * How many task status polls ({@code GET /nodes/{node}/tasks/{upid}/status}) were received.
     *
     * @return the count since start or the last {@link #resetCounters()}
     */
    public long taskPolls() {
        return requestCount("GET", TASK_STATUS_PATH);
    }

    /**
     * How many requests other than task status polls were received: the round trips an operation costs,
     * however long its tasks ran.
     *
     * @return the count since start or the last {@link #resetCounters()}
     */
    public long requestsExcludingTaskPolls() {
        return totalRequests() - taskPolls();
    }

    /** Forgets every logged request and count (the cluster's state stays). */
    public void resetCounters() {
        requests.reset();
    }

    /**
     * How many guests the cluster holds now.
     *
     * @return the number of guests, the template included
     */
    public int vmCount() {
        return cluster.vmCount();
    }

    /**
     * Whether a guest exists now.
     *
     * @param vmid the guest's VMID
     * @return true if the cluster holds a guest or template with this VMID
     */
    public boolean vmExists(int vmid) {
        return cluster.vmExists(vmid);
    }

    /** @return every VM that is not a template, VMID to name, as the cluster holds them now */
    public java.util.SortedMap<Integer, String> vmNames() {
        return cluster.guestNames();
    }

    // ---- fault injection ---------------------------------------------------------------------------

    /**
     * Adds latency to every answer, on top of any delay a fault adds.
     *
     * @param latency the delay before each answer's first byte; zero for none
     * @return this simulator
     */
    public ProxmoxSimulator latency(Duration latency) {
        api.latency(Objects.requireNonNull(latency));
        return this;
    }

    /**
     * How long each worker task (clone, start, stop, ...) runs from now on.
     *
     * @param duration the task length, in whole milliseconds
     * @return this simulator
     */
    public ProxmoxSimulator taskDuration(Duration duration) {
        cluster.taskDuration(duration);
        return this;
    }

    /**
     * How long after boot the guest agent starts answering (and so the guest reports its addresses).
     *
     * @param delay the delay, in whole milliseconds
     * @return this simulator
     */
    public ProxmoxSimulator agentDelay(Duration delay) {
        cluster.agentDelay(delay);
        return this;
    }

    /**
     * How long a login ticket is accepted after it was issued; applies to tickets already issued too.
     *
     * @param lifetime the lifetime (PVE's is 2 hours)
     * @return this simulator
     */
    public ProxmoxSimulator ticketLifetime(Duration lifetime) {
        api.ticketLifetime(lifetime);
        return this;
    }

    /**
     * Every ticket and CSRF token issued so far (also expired ones), for tests proving they never leak into logs.
     *
     * @return the tickets and tokens; a snapshot
     */
    public List<String> issuedTicketSecrets() {
        return api.issuedSecrets();
    }

    /**
     * Rotates {@code root@pam}'s password, as an administrator or a vault would: logins need the
     * new one from now on; tickets already issued stay valid until they expire ({@link #expireTickets()}).
     *
     * @param newPassword the password logins need from now on
     * @return this simulator
     * @throws NullPointerException if {@code newPassword} is null
     */
    public ProxmoxSimulator changePassword(String newPassword) {
        password = java.util.Objects.requireNonNull(newPassword, "newPassword");
        api.changePassword(newPassword);
        return this;
    }

    /**
     * Rotates the secret of the API token {@link #apiTokenId()}: requests with the old secret get 401 from now on.
     *
     * @param newSecret the secret requests need from now on
     * @return this simulator
     * @throws NullPointerException if {@code newSecret} is null
     */
    public ProxmoxSimulator changeTokenSecret(String newSecret) {
        tokenSecret = java.util.Objects.requireNonNull(newSecret, "newSecret");
        api.changeTokenSecret(newSecret);
        return this;
    }

    /**
     * Invalidates every issued ticket, as a restart of pveproxy with a new key would.
     *
     * @return this simulator
     */
    public ProxmoxSimulator expireTickets() {
        api.expireTickets();
        return this;
    }

    /**
     * The next {@code count} requests matching method and path template ({@code "*"} matches any)
     * are answered with {@code status} and {@code message} as reason phrase, e.g. 596
     * "Connection timed out" or 403 "Permission check failed (/vms/100, VM.PowerMgmt)"; they do not
     * take effect.
     *
     * @param method the HTTP method, in any case, or {@code "*"}
     * @param pathTemplate the path template, such as {@code /nodes/{node}/qemu/{vmid}/clone}, or {@code "*"}
     * @param count how many matching requests fail, at least 1
     * @param status the status code to answer, three digits
     * @param message the reason phrase, PVE's error message
     * @return this simulator
     * @throws IllegalArgumentException if {@code count} is less than 1 or {@code status} does not have three digits
     */
    public ProxmoxSimulator failNext(String method, String pathTemplate, int count, int status, String message) {
        faults.add(rule(method, pathTemplate).times(count).then(Fault.status(status, message)));
        return this;
    }

    /**
     * The next {@code count} matching requests get their connection closed instead of a response,
     * before they take effect. For "it happened, the answer was lost", add {@code Fault.reset()} to
     * {@link #faults()}.
     *
     * @param method the HTTP method, in any case, or {@code "*"}
     * @param pathTemplate the path template, such as {@code /nodes/{node}/qemu/{vmid}/clone}, or {@code "*"}
     * @param count how many matching requests lose their connection, at least 1
     * @return this simulator
     * @throws IllegalArgumentException if {@code count} is less than 1
     */
    public ProxmoxSimulator resetNext(String method, String pathTemplate, int count) {
        faults.add(rule(method, pathTemplate).times(count).then(Fault.reset().notApplied()));
        return this;
    }

    private static FaultRule.Builder rule(String method, String pathTemplate) {
        return FaultRule.onOperation(("*".equals(method) ? "*" : method.toUpperCase(java.util.Locale.ROOT)) + " "
                + ("*".equals(pathTemplate) ? "**" : pathTemplate));
    }

    /**
     * Adds a privilege-separated API token ({@code user@realm!id}) that sees only the template and
     * the VMs it creates or is granted: every other VM is missing from its listings, and its
     * requests on them get PVE's {@code 403 Permission check failed (/vms/N, VM.Audit)}.
     *
     * @param tokenId the token's id, {@code user@realm!id}
     * @param secret the token's secret
     * @return this simulator
     */
    public ProxmoxSimulator addRestrictedToken(String tokenId, String secret) {
        cluster.restrict(tokenId);
        api.addToken(tokenId, secret);
        return this;
    }

    /**
     * Grants a restricted token VM.Audit (and more) on one VM.
     *
     * @param tokenId a token added with {@link #addRestrictedToken}
     * @param vmid the VM it may see and act on from now on
     * @return this simulator
     * @throws NullPointerException if {@code tokenId} is not a restricted token
     */
    public ProxmoxSimulator grant(String tokenId, int vmid) {
        cluster.grant(tokenId, vmid);
        return this;
    }

    /**
     * New guests show as {@code status: unknown}, without a name, in {@code /cluster/resources}
     * for this long after they were made (pvestatd's update cycle); their own endpoints answer at once.
     *
     * @param lag the delay, in whole milliseconds; zero for none
     * @return this simulator
     */
    public ProxmoxSimulator statusLag(Duration lag) {
        cluster.statusLag(lag);
        return this;
    }

    /**
     * A storage runs at most this many clones at once; more fail with its lock timeout.
     *
     * @param limit clones at once per storage; 0 for no limit
     * @return this simulator
     */
    public ProxmoxSimulator parallelClonesPerStorage(int limit) {
        cluster.clonesPerStorage(limit);
        return this;
    }

    /**
     * The next {@code count} clones fail at once with {@code can't lock file ... - got timeout}.
     *
     * @param count how many clones fail; added to any already armed
     * @return this simulator
     */
    public ProxmoxSimulator lockTimeoutNext(int count) {
        cluster.lockTimeoutNext(count);
        return this;
    }

    /**
     * The next {@code count} clones lose a VMID race: another client creates the VMID on another
     * node and the clone task fails with {@code unable to create VM N: config file already exists}.
     *
     * @param count how many clones lose the race; added to any already armed
     * @return this simulator
     */
    public ProxmoxSimulator vmidRaceNext(int count) {
        cluster.vmidRaceNext(count);
        return this;
    }

    /**
     * The next {@code count} tasks of a type ({@code qmclone}, {@code qmstart}, ...) end with
     * {@code exitstatus}; {@code "WARNINGS: 1"} adds a {@code WARN:} line and still succeeds.
     *
     * @param taskType the task type as it appears in the UPID, such as {@code qmclone}
     * @param count how many tasks of that type end so; added to any already armed
     * @param exitstatus the exit status they end with, e.g. {@code "clone failed: ..."}
     * @return this simulator
     */
    public ProxmoxSimulator failNextTask(String taskType, int count, String exitstatus) {
        cluster.failNextTask(taskType, count, exitstatus);
        return this;
    }

    /**
     * How long the simulated HA manager takes to act after the requested state of an HA resource
     * changed ({@code hastart}/{@code hastop} tasks end at once; the guest changes state later).
     *
     * @param delay the delay, in whole milliseconds
     * @return this simulator
     */
    public ProxmoxSimulator haDelay(Duration delay) {
        cluster.haDelay(Objects.requireNonNull(delay));
        return this;
    }

    /**
     * Makes a guest an HA resource ({@code vm:N}) with the requested {@code state}
     * ({@code started}, {@code stopped}, {@code disabled} or {@code ignored}), as
     * {@code ha-manager add} would; the HA manager then acts on it after the HA delay.
     *
     * @param vmid the guest's VMID
     * @param state the requested state ({@code enabled} is taken as {@code started}, as PVE does)
     * @return this simulator
     * @throws IllegalArgumentException if there is no guest {@code vmid}
     */
    public ProxmoxSimulator haManage(int vmid, String state) {
        cluster.haManage(vmid, Objects.requireNonNull(state));
        return this;
    }

    /**
     * The requested HA state of a guest.
     *
     * @param vmid the guest's VMID
     * @return {@code started}, {@code stopped}, ...; empty when it is not an HA resource
     */
    public Optional<String> haState(int vmid) {
        return Optional.ofNullable(cluster.haState(vmid));
    }

    /**
     * The status of a guest, as the cluster holds it now.
     *
     * @param vmid the guest's VMID
     * @return {@code running} or {@code stopped}; empty when it does not exist
     */
    public Optional<String> vmStatus(int vmid) {
        return Optional.ofNullable(cluster.vmStatus(vmid));
    }

    /**
     * Sets one config key of a guest (or template) behind the SDK's back, as the web UI or {@code qm set} would.
     *
     * @param vmid the guest's VMID
     * @param key the config key, e.g. {@code net0} or {@code description}
     * @param value its value in PVE's syntax, unchecked
     * @return this simulator
     * @throws NullPointerException if there is no guest {@code vmid}
     */
    public ProxmoxSimulator setConfig(int vmid, String key, String value) {
        cluster.setConfig(vmid, key, value);
        return this;
    }

    /**
     * Adds a guest, e.g. to occupy a VMID; one that holds the VMID already is replaced.
     *
     * @param node the node it lives on, e.g. {@code pve1}
     * @param vmid its VMID
     * @param name its name
     * @param running true to add it booted, false stopped
     * @return this simulator
     */
    public ProxmoxSimulator addVm(String node, int vmid, String name, boolean running) {
        cluster.addVm(node, vmid, name, running);
        return this;
    }

    /** Removes every rule of {@link #faults()} (task, lock and VMID-race failures stay armed). */
    public void clearFaults() {
        faults.clear();
    }

    /** Settings of a simulator; {@link #build()} returns it unstarted. */
    public static final class Builder {
        private int nodes = 2;
        private int vms;
        private boolean tls = true;
        private Duration taskDuration = Duration.ofMillis(150);
        private Duration loginFailureDelay = Duration.ofMillis(50);
        private Duration ticketLifetime = Duration.ofHours(2);
        private Duration agentDelay = Duration.ofMillis(200);
        private Duration haDelay = Duration.ofMillis(100);
        private Path schema = findSchema().orElse(null);

        private Builder() {
        }

        /**
         * How many nodes the cluster has, named {@code pve1} to {@code pveN}.
         *
         * @param nodes the number of nodes, at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code nodes} is less than 1
         */
        public Builder nodes(int nodes) {
            if (nodes < 1) {
                throw new IllegalArgumentException("nodes must be at least 1");
            }
            this.nodes = nodes;
            return this;
        }

        /**
         * Ordinary VMs to seed (VMIDs from 10000, spread over the nodes, every other one running).
         *
         * @param vms the number of VMs besides the template; 0 for none
         * @return this builder
         */
        public Builder vms(int vms) {
            this.vms = vms;
            return this;
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
         * How long each worker task runs (150 ms unless set).
         *
         * @param taskDuration the task length
         * @return this builder
         */
        public Builder taskDuration(Duration taskDuration) {
            this.taskDuration = Objects.requireNonNull(taskDuration);
            return this;
        }

        /**
         * The delay before every 401 (the real server waits 3 s; 50 ms unless set).
         *
         * @param loginFailureDelay the delay
         * @return this builder
         */
        public Builder loginFailureDelay(Duration loginFailureDelay) {
            this.loginFailureDelay = Objects.requireNonNull(loginFailureDelay);
            return this;
        }

        /**
         * How long a login ticket is accepted after it was issued (2 hours, as on PVE, unless set).
         *
         * @param ticketLifetime the lifetime
         * @return this builder
         */
        public Builder ticketLifetime(Duration ticketLifetime) {
            this.ticketLifetime = Objects.requireNonNull(ticketLifetime);
            return this;
        }

        /**
         * How long after boot the guest agent starts answering (200 ms unless set).
         *
         * @param agentDelay the delay
         * @return this builder
         */
        public Builder agentDelay(Duration agentDelay) {
            this.agentDelay = Objects.requireNonNull(agentDelay);
            return this;
        }

        /**
         * How long the simulated HA manager takes to act on a changed requested state (100 ms unless set).
         *
         * @param haDelay the delay
         * @return this builder
         */
        public Builder haDelay(Duration haDelay) {
            this.haDelay = Objects.requireNonNull(haDelay);
            return this;
        }

        /**
         * The schema to validate against. Defaults to {@link #findSchema()}.
         *
         * @param schema a {@code pve-apidoc.json} file; {@code null} turns validation off
         * @return this builder
         */
        public Builder schema(Path schema) {
            this.schema = schema;
            return this;
        }

        /**
         * A simulator with these settings, not started.
         *
         * @return the simulator; {@link ProxmoxSimulator#start()} it
         * @throws IllegalStateException if the schema file cannot be read
         */
        public ProxmoxSimulator build() {
            return new ProxmoxSimulator(this);
        }
    }
}
