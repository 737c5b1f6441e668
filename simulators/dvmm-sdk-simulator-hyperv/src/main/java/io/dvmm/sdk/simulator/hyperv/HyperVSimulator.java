package io.dvmm.sdk.simulator.hyperv;

import io.dvmm.sdk.simulator.FaultPlan;
import io.dvmm.sdk.simulator.LoopbackServer;
import io.dvmm.sdk.simulator.RequestLog;
import io.dvmm.sdk.simulator.SimulatorCertificate;
import io.dvmm.sdk.simulator.Violations;
import io.dvmm.sdk.simulator.hyperv.internal.Account;
import io.dvmm.sdk.simulator.hyperv.internal.HostInfo;
import io.dvmm.sdk.simulator.hyperv.internal.HostModel;
import io.dvmm.sdk.simulator.hyperv.internal.ModelTimings;
import io.dvmm.sdk.simulator.hyperv.internal.SimulatorStack;
import java.net.URI;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * A Windows Hyper-V host behind WinRM on 127.0.0.1, for tests: WS-Management SOAP 1.2 on {@code POST /wsman} (HTTP or
 * HTTPS), Basic and NTLM authentication (NTLMv2, with message encryption over HTTP), the cmd shell's Create, Command,
 * Receive, Signal and Delete with Windows' faults and quotas, and a PowerShell that runs only the scripts of its
 * {@link ScriptCatalog}, against an in-memory Hyper-V model.
 *
 * <pre>{@code
 * try (HyperVSimulator sim = HyperVSimulator.builder().scripts(catalog).build().start()) {
 *     URI wsman = sim.url();                 // https://127.0.0.1:port/wsman
 *     String pin = sim.certificateSha256();
 *     ... sim.count(HyperVSimulator.COMMAND) ... sim.scriptCount("list-vms") ... sim.violations().assertNone();
 * }
 * }</pre>
 *
 * <p>Every request is checked against the WS-Management rules (reference §7) and every script against the catalog;
 * breaches are answered as Windows answers them and recorded in {@link #violations()}. HTTP requests are counted in
 * {@link #messages()} under {@code wsman:<Action>} ({@link #CREATE} ... {@link #DELETE}), {@code http:401} and
 * {@code wsman:invalid}; commands in {@link #scriptRuns()} under {@code script:<operation>}. {@link #faults()} takes
 * rules on the same keys: a {@code wsman:*} rule answers that HTTP request; a {@code script:*} rule that fires with
 * its request not applied answers the Command (the script never runs), applied it runs the script and spoils the
 * Receive that carries its result ("applied, answer lost").
 *
 * <p>Seeded host (unless {@link Builder#emptyHost()}): {@value #HOST_NAME} (Windows Server 2022), volumes C: and D:,
 * switches {@value #DEFAULT_SWITCH} (Internal), {@code External} (External) and {@code Isolated} (Private), the
 * templates folder {@value #TEMPLATES_FOLDER} with {@value #TEMPLATE_VHDX} and {@code win2022.vhdx}, a template VM
 * {@value #TEMPLATE_VM} (Notes {@code [hvsdk-template]}), an empty VM root {@value #VM_ROOT}.
 *
 * <p>Thread-safe.
 */
public final class HyperVSimulator implements AutoCloseable {

    /** {@link #messages()} key of a shell Create (opening a cmd shell). */
    public static final String CREATE = "wsman:Create";
    /** {@link #messages()} key of a Command (starting a script in a shell). */
    public static final String COMMAND = "wsman:Command";
    /** {@link #messages()} key of a Receive (reading a command's output). */
    public static final String RECEIVE = "wsman:Receive";
    /** {@link #messages()} key of a Signal (terminating a command). */
    public static final String SIGNAL = "wsman:Signal";
    /** {@link #messages()} key of a shell Delete (closing a shell). */
    public static final String DELETE = "wsman:Delete";
    /** {@link #messages()} key of a request answered 401 (no or wrong credentials, or an NTLM handshake step). */
    public static final String UNAUTHORIZED = "http:401";

    /** The seeded host's name (NetBIOS name and NTLM domain) unless {@link Builder#hostName} says otherwise. */
    public static final String HOST_NAME = "HV01";
    /** The seeded Internal switch. */
    public static final String DEFAULT_SWITCH = "Default Switch";
    /** The seeded folder of template disks. */
    public static final String TEMPLATES_FOLDER = "D:\\templates";
    /** The seeded template disk (Ubuntu 24.04, 30 GiB). */
    public static final String TEMPLATE_VHDX = "D:\\templates\\ubuntu-24.04.vhdx";
    /** The seeded template VM, marked by its Notes {@code [hvsdk-template]}. */
    public static final String TEMPLATE_VM = "tmpl-debian12";
    /** The seeded, empty folder for new VMs. */
    public static final String VM_ROOT = "D:\\vms";

    private final Builder settings;
    private final SimulatorStack stack;
    private final FaultPlan faults;
    private final RequestLog messages = new RequestLog(2_000, Set.of());
    private final RequestLog scripts = new RequestLog(2_000, Set.of());
    private final Violations violations = new Violations("the WS-Management rules and the Hyper-V script contract");
    private LoopbackServer server;
    private volatile String password;

    private HyperVSimulator(Builder b) {
        this.settings = b;
        this.password = b.password;
        this.faults = new FaultPlan(b.seed);
        ScriptCatalog catalog = b.scripts != null ? b.scripts : ScriptCatalog.provider();
        SimulatorCertificate cert = SimulatorCertificate.shared();
        this.stack = new SimulatorStack(new SimulatorStack.Config(b.tls, b.tls ? cert.certificate() : null,
                new Account(b.user, b.password, b.hostName), b.basic, b.ntlm, b.allowUnencrypted, b.maxShellsPerUser,
                b.shellIdleTimeout, b.maxTimeout, b.stdoutReceives, b.progressNoise, b.commandDelay, b.clock, catalog,
                HostInfo.windowsServer(b.windowsServer, b.hostName),
                new ModelTimings(b.startDelay, b.saveDelay, b.resumeDelay, b.guestShutdownDelay, b.guestIpDelay), b.seed),
                faults, messages, scripts, violations);
        if (b.seedHost) {
            seed(stack.model(), b.vms);
        }
    }

    private static void seed(HostModel m, int vms) {
        m.addVolume("C:", "NTFS", 127L << 30, 60L << 30);
        m.addVolume("D:", "ReFS", 2L << 40, 3L << 39);
        m.addFolder("C:\\ProgramData\\Microsoft\\Windows\\Hyper-V");
        m.addFolder("C:\\Users\\Public\\Documents\\Hyper-V\\Virtual Hard Disks");
        m.addFolder("C:\\Users\\Administrator");
        m.addFolder(VM_ROOT);
        m.addSwitch(DEFAULT_SWITCH, "Internal");
        m.addSwitch("External", "External");
        m.addSwitch("Isolated", "Private");
        m.addTemplateVhd(TEMPLATE_VHDX, 30L << 30, 3L << 30, "Ubuntu 24.04 LTS");
        m.addTemplateVhd(TEMPLATES_FOLDER + "\\win2022.vhdx", 40L << 30, 9L << 30, "Windows Server 2022 Datacenter");
        m.addVm(TEMPLATE_VM, 2, 2, 2L << 30, "[hvsdk-template]", TEMPLATES_FOLDER + "\\vms\\" + TEMPLATE_VM, null, false);
        for (int i = 1; i <= vms; i++) {
            String name = String.format("vm-%04d", i);
            m.addVm(name, 2, 2, 2L << 30, "", "D:\\existing\\" + name, DEFAULT_SWITCH, i % 2 == 1);
        }
    }

    /**
     * Settings for a simulator; every one has a default (HTTPS, Basic and NTLM, the seeded host, the provider's
     * scripts from the checkout).
     *
     * @return a builder with those defaults
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Binds an ephemeral loopback port and starts serving; does nothing if already started.
     *
     * @return this simulator
     * @throws java.io.UncheckedIOException if no loopback port can be bound
     */
    public synchronized HyperVSimulator start() {
        if (server == null) {
            server = settings.tls ? LoopbackServer.https(SimulatorCertificate.shared(), stack.service())
                    : LoopbackServer.http(stack.service());
        }
        return this;
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    // ---- connection facts ------------------------------------------------------------------------

    /**
     * The WinRM endpoint.
     *
     * @return {@code https://127.0.0.1:port/wsman} ({@code http} without TLS)
     * @throws IllegalStateException if the simulator is not started
     */
    public URI url() {
        return URI.create((settings.tls ? "https" : "http") + "://127.0.0.1:" + port() + "/wsman");
    }

    /**
     * The URI to pass to {@code HypervisorConfig.builder}.
     *
     * @return {@code hyperv://127.0.0.1:port}
     * @throws IllegalStateException if the simulator is not started
     */
    public URI sdkUri() {
        return URI.create("hyperv://127.0.0.1:" + port());
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
        return settings.tls;
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
     * @return SHA-256 of the certificate (DER), lower-case hex, for {@code TlsOptions.pinSha256}
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
     * The local account the host accepts.
     *
     * @return the user name, {@code Administrator} unless {@link Builder#credentials} says otherwise
     */
    public String username() {
        return settings.user;
    }

    /**
     * The account's password: random per simulator unless set, changed by {@link #changePassword}.
     *
     * @return the current password
     */
    public String password() {
        return password;
    }

    /**
     * Rotates the account's password, as an administrator or a vault would: every request (Basic) and every new
     * connection's handshake (NTLM) needs the new one from now on.
     *
     * @param newPassword the new password
     * @return this simulator
     */
    public HyperVSimulator changePassword(String newPassword) {
        password = Objects.requireNonNull(newPassword, "newPassword");
        stack.changePassword(newPassword);
        return this;
    }

    /**
     * The host's NetBIOS name, also the NTLM domain of its local accounts.
     *
     * @return the name, {@value #HOST_NAME} unless {@link Builder#hostName} says otherwise
     */
    public String hostName() {
        return settings.hostName;
    }

    // ---- state -----------------------------------------------------------------------------------

    /**
     * Every VM on the host now, the template included.
     *
     * @return a snapshot of each VM
     */
    public List<SimVm> vms() {
        return stack.model().vms();
    }

    /**
     * One VM as it is now.
     *
     * @param id the VM's VMId (a GUID)
     * @return a snapshot of the VM, or empty if there is none with this id
     */
    public Optional<SimVm> vm(String id) {
        return stack.model().vm(id);
    }

    /**
     * The VMs of one name (Hyper-V lets names repeat).
     *
     * @param name the exact name
     * @return a snapshot of each, empty if there is none
     */
    public List<SimVm> vmsNamed(String name) {
        return vms().stream().filter(v -> v.name().equals(name)).toList();
    }

    /**
     * Every virtual disk file on the host now, templates included.
     *
     * @return a snapshot of each disk
     */
    public List<SimVhd> vhds() {
        return stack.model().vhds();
    }

    /**
     * The host's virtual switches.
     *
     * @return a snapshot of each switch
     */
    public List<SimSwitch> switches() {
        return stack.model().switches();
    }

    /**
     * A VM's checkpoints.
     *
     * @param vmId the VM's VMId
     * @return its checkpoints; empty if it has none or there is no such VM
     */
    public List<SimCheckpoint> checkpoints(String vmId) {
        return vm(vmId).map(SimVm::checkpoints).orElse(List.of());
    }

    /**
     * Every file on the host's volumes (not folders).
     *
     * @return a snapshot of each file
     */
    public List<SimFile> files() {
        return stack.model().files();
    }

    /**
     * One file on the host.
     *
     * @param path a Windows path, e.g. {@code D:\vms\web-1\os.vhdx}
     * @return the file, or empty if there is none or Windows could not name one so
     */
    public Optional<SimFile> file(String path) {
        return stack.model().file(path);
    }

    /**
     * Whether a folder exists on the host.
     *
     * @param path a Windows path
     * @return true if it names a folder; false if not, or if it is not a legal path
     */
    public boolean folderExists(String path) {
        return stack.model().folderExists(path);
    }

    /**
     * The WinRM shells open now, e.g. to check a client reuses and closes them.
     *
     * @return a snapshot of each shell
     */
    public List<SimShell> openShells() {
        return stack.shells();
    }

    // ---- changing the host -----------------------------------------------------------------------

    /**
     * Adds a virtual switch.
     *
     * @param name the switch's name
     * @param type {@code External}, {@code Internal} or {@code Private}
     * @return this simulator
     */
    public HyperVSimulator addSwitch(String name, String type) {
        stack.model().addSwitch(name, type);
        return this;
    }

    /**
     * Puts a file on the host, creating its folder; an existing file is replaced.
     *
     * @param path a Windows path
     * @param content the file's bytes, copied
     * @return this simulator
     */
    public HyperVSimulator addFile(String path, byte[] content) {
        stack.model().addFile(path, content);
        return this;
    }

    /**
     * Puts a template disk (a dynamic VHDX to clone from) on the host, creating its folder.
     *
     * @param path a Windows path, e.g. {@code D:\templates\alpine.vhdx}
     * @param sizeBytes its virtual size; its file takes a tenth of it
     * @return this simulator
     */
    public HyperVSimulator addTemplateVhd(String path, long sizeBytes) {
        stack.model().addTemplateVhd(path, sizeBytes, sizeBytes / 10, "");
        return this;
    }

    /**
     * A VM made outside the SDK: generation 2, 2 vCPUs, 2 GiB, a dynamic {@code os.vhdx} in {@code folder}.
     *
     * @param name the VM's name (it may repeat another's)
     * @param folder the VM's folder, a Windows path; created if need be
     * @param switchName the switch of its one adapter, or null for no adapter
     * @param running true to add it running, false off
     * @return the new VM's VMId
     */
    public String addVm(String name, String folder, String switchName, boolean running) {
        return stack.model().addVm(name, 2, 2, 2L << 30, "", folder, switchName, running);
    }

    /**
     * What the guest reports on an adapter once its IP delay has passed, instead of the model's addresses.
     *
     * @param vmId the VM's VMId
     * @param adapter the adapter's name
     * @param addresses the IPv4 and IPv6 addresses to report, in order; empty for none
     * @throws IllegalArgumentException if there is no such VM or it has no such adapter
     */
    public void setGuestAddresses(String vmId, String adapter, List<String> addresses) {
        stack.model().setGuestAddresses(vmId, adapter, addresses);
    }

    /**
     * A guest that acknowledges shutdown requests and keeps running.
     *
     * @param vmId the VM's VMId
     * @param ignores true to make it ignore them, false to make it obey again
     * @throws IllegalArgumentException if there is no VM {@code vmId}
     */
    public void setIgnoresShutdown(String vmId, boolean ignores) {
        stack.model().setIgnoresShutdown(vmId, ignores);
    }

    /**
     * What the guest's shutdown integration service returns to InitiateShutdown and InitiateReboot: 0 or 4096 is
     * accepted, anything else makes {@code shutdown} and a guest {@code restart} fail with {@code HvsdkOperationFailed}
     * (32775 is Hyper-V's "invalid state").
     *
     * @param vmId the VM's VMId
     * @param value the WMI return value
     * @throws IllegalArgumentException if there is no VM {@code vmId}
     */
    public void setShutdownReturnValue(String vmId, int value) {
        stack.model().setShutdownReturnValue(vmId, value);
    }

    /**
     * Turns a guest's integration services off (no shutdown component, no KVP addresses, no heartbeat) or on.
     *
     * @param vmId the VM's VMId
     * @param enabled false for a guest without them
     * @throws IllegalArgumentException if there is no VM {@code vmId}
     */
    public void setIntegrationServices(String vmId, boolean enabled) {
        stack.model().setIntegrationServices(vmId, enabled);
    }

    /**
     * Puts a VM in any Hyper-V state at once, behind the SDK's back.
     *
     * @param vmId the VM's VMId
     * @param state the state name, unchecked: {@code Running}, {@code Off}, {@code Paused}, {@code OffCritical}, ...
     * @throws IllegalArgumentException if there is no VM {@code vmId}
     */
    public void setVmState(String vmId, String state) {
        stack.model().setState(vmId, state);
    }

    /** Ends every open shell (idle timeout, WinRM restart): the next request on one gets "shell not found". */
    public void dropShells() {
        stack.dropShells();
    }

    /**
     * Ends the keep-alive of every connection open now, as a host whose idle connection timeout passed would: each
     * says {@code Connection: close} on its next answer (a 401 excepted, so that a handshake under way completes), and
     * the client's next request opens a new connection, which NTLM authenticates afresh (with the password of the
     * moment). Shells stay; later connections are kept alive as usual.
     */
    public void closeConnections() {
        stack.closeConnections();
    }

    // ---- counts, violations, faults --------------------------------------------------------------

    /**
     * Every HTTP request, counted under {@code wsman:<Action>}, {@code http:401}, {@code wsman:invalid}.
     *
     * @return the simulator's live message log (the newest 2,000 entries; counts are exact)
     */
    public RequestLog messages() {
        return messages;
    }

    /**
     * Every command, counted under {@code script:<operation>}; an entry's body is the script text as decoded.
     *
     * @return the simulator's live script log (the newest 2,000 entries; counts are exact)
     */
    public RequestLog scriptRuns() {
        return scripts;
    }

    /**
     * The count of one key of either log.
     *
     * @param key a {@code script:<operation>} key ({@link #scriptRuns()}) or any other ({@link #messages()}), such as
     *            {@link #COMMAND}
     * @return the exact count since start or the last {@link #resetCounts()}
     */
    public long count(String key) {
        return key.startsWith("script:") ? scripts.count(key) : messages.count(key);
    }

    /**
     * How many times the script of this operation ran.
     *
     * @param operation the script's operation, such as {@code list-vms}
     * @return the exact count since start or the last {@link #resetCounts()}
     */
    public long scriptCount(String operation) {
        return scripts.count("script:" + operation);
    }

    /**
     * Both logs' counts by key.
     *
     * @return counts keyed as {@link #count} takes them, sorted; a snapshot
     */
    public Map<String, Long> counts() {
        Map<String, Long> all = new TreeMap<>(messages.counts());
        all.putAll(scripts.counts());
        return all;
    }

    /** Forgets both logs' entries and counts (the host's state stays). */
    public void resetCounts() {
        messages.reset();
        scripts.reset();
    }

    /**
     * WS-Management rules and script-contract rules clients broke.
     *
     * @return the simulator's live violation list; {@code assertNone()} it at the end of a test
     */
    public Violations violations() {
        return violations;
    }

    /**
     * The faults to inject, on the keys of {@link #messages()} and {@link #scriptRuns()} (see the class comment).
     *
     * @return the simulator's live fault plan, seeded by {@link Builder#seed}; add rules to it
     */
    public FaultPlan faults() {
        return faults;
    }

    @Override
    public String toString() {
        return "HyperVSimulator[" + (server == null ? "stopped" : url()) + "]";
    }

    /** The simulator's settings; every one has a default. */
    public static final class Builder {
        private boolean tls = true;
        private String user = "Administrator";
        private String password = "Sim-" + UUID.randomUUID();
        private String hostName = HOST_NAME;
        private int windowsServer = 2022;
        private boolean basic = true;
        private boolean ntlm = true;
        private boolean allowUnencrypted = false;
        private int maxShellsPerUser = 30;
        private Duration shellIdleTimeout = Duration.ofHours(2);
        private Duration maxTimeout = Duration.ofSeconds(60);
        private int stdoutReceives = 1;
        private boolean progressNoise = true;
        private Duration commandDelay = Duration.ZERO;
        private Duration startDelay = Duration.ofMillis(20);
        private Duration saveDelay = Duration.ofMillis(20);
        private Duration resumeDelay = Duration.ofMillis(10);
        private Duration guestShutdownDelay = Duration.ofMillis(50);
        private Duration guestIpDelay = Duration.ofMillis(100);
        private Clock clock = Clock.systemUTC();
        private long seed = 1;
        private ScriptCatalog scripts;
        private boolean seedHost = true;
        private int vms;

        private Builder() {
        }

        /**
         * HTTPS (the default, port 5986 on a real host) or plain HTTP (5985).
         *
         * @param on true for HTTPS
         * @return this builder
         */
        public Builder tls(boolean on) {
            this.tls = on;
            return this;
        }

        /**
         * The local account; the default is {@code Administrator} with a random password ({@link #password()}).
         *
         * @param user the account's name
         * @param password its password
         * @return this builder
         */
        public Builder credentials(String user, String password) {
            this.user = Objects.requireNonNull(user, "user");
            this.password = Objects.requireNonNull(password, "password");
            return this;
        }

        /**
         * The host's name (NetBIOS name and NTLM domain); {@value #HOST_NAME} by default.
         *
         * @param name the name
         * @return this builder
         */
        public Builder hostName(String name) {
            this.hostName = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * The Windows Server release: OS facts and VM configuration versions.
         *
         * @param year 2016, 2019, 2022 (the default) or 2025
         * @return this builder
         * @throws IllegalArgumentException for any other year
         */
        public Builder windowsServer(int year) {
            HostInfo.windowsServer(year, "x");
            this.windowsServer = year;
            return this;
        }

        /**
         * Whether Basic authentication is accepted (WinRM's {@code Auth/Basic}); true by default.
         *
         * @param on false to answer Basic with 401
         * @return this builder
         */
        public Builder basic(boolean on) {
            this.basic = on;
            return this;
        }

        /**
         * Whether NTLM (Negotiate) authentication is accepted; true by default.
         *
         * @param on false to answer NTLM with 401
         * @return this builder
         */
        public Builder ntlm(boolean on) {
            this.ntlm = on;
            return this;
        }

        /**
         * WinRM's AllowUnencrypted: plain SOAP over HTTP (Basic, or NTLM without sealing) is refused unless true.
         *
         * @param on true to accept unencrypted SOAP over HTTP; false by default
         * @return this builder
         */
        public Builder allowUnencrypted(boolean on) {
            this.allowUnencrypted = on;
            return this;
        }

        /**
         * winrs MaxShellsPerUser: one more Create is refused with Windows' quota fault.
         *
         * @param max open shells per user, at least 1; 30 by default
         * @return this builder
         * @throws IllegalArgumentException if {@code max} is less than 1
         */
        public Builder maxShellsPerUser(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxShellsPerUser must be at least 1");
            }
            this.maxShellsPerUser = max;
            return this;
        }

        /**
         * winrs IdleTimeout: a shell unused this long is gone.
         *
         * @param d the timeout, positive; 2 hours by default
         * @return this builder
         * @throws IllegalArgumentException if {@code d} is null, zero or negative
         */
        public Builder shellIdleTimeout(Duration d) {
            this.shellIdleTimeout = positive(d, "shellIdleTimeout");
            return this;
        }

        /**
         * MaxTimeoutms: the longest a Receive waits whatever its OperationTimeout.
         *
         * @param d the timeout, positive; 60 s by default
         * @return this builder
         * @throws IllegalArgumentException if {@code d} is null, zero or negative
         */
        public Builder maxTimeout(Duration d) {
            this.maxTimeout = positive(d, "maxTimeout");
            return this;
        }

        /**
         * Over how many Receives a command's stdout is spread (each but the last answering Running).
         *
         * @param n the number of Receives, at least 1; 1 by default
         * @return this builder
         * @throws IllegalArgumentException if {@code n} is less than 1
         */
        public Builder stdoutReceives(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("stdoutReceives must be at least 1");
            }
            this.stdoutReceives = n;
            return this;
        }

        /**
         * Whether a shell's first command writes PowerShell's "Preparing modules for first use." CLIXML on stderr.
         *
         * @param on true (the default) to write it, as Windows does
         * @return this builder
         */
        public Builder progressNoise(boolean on) {
            this.progressNoise = on;
            return this;
        }

        /**
         * How long every script runs besides what its cmdlets wait for (PowerShell start-up).
         *
         * @param d the delay, zero or more; zero by default
         * @return this builder
         * @throws IllegalArgumentException if {@code d} is null or negative
         */
        public Builder commandDelay(Duration d) {
            this.commandDelay = nonNegative(d, "commandDelay");
            return this;
        }

        /**
         * Start-VM: how long the VM shows Starting (and the script runs).
         *
         * @param d the delay, zero or more; 20 ms by default
         * @return this builder
         * @throws IllegalArgumentException if {@code d} is null or negative
         */
        public Builder startDelay(Duration d) {
            this.startDelay = nonNegative(d, "startDelay");
            return this;
        }

        /**
         * Save-VM: how long the VM shows Saving.
         *
         * @param d the delay, zero or more; 20 ms by default
         * @return this builder
         * @throws IllegalArgumentException if {@code d} is null or negative
         */
        public Builder saveDelay(Duration d) {
            this.saveDelay = nonNegative(d, "saveDelay");
            return this;
        }

        /**
         * How long starting from saved state or resuming from pause takes.
         *
         * @param d the delay, zero or more; 10 ms by default
         * @return this builder
         * @throws IllegalArgumentException if {@code d} is null or negative
         */
        public Builder resumeDelay(Duration d) {
            this.resumeDelay = nonNegative(d, "resumeDelay");
            return this;
        }

        /**
         * How long a guest takes to turn off (or reboot) after the integration service asked.
         *
         * @param d the delay, zero or more; 50 ms by default
         * @return this builder
         * @throws IllegalArgumentException if {@code d} is null or negative
         */
        public Builder guestShutdownDelay(Duration d) {
            this.guestShutdownDelay = nonNegative(d, "guestShutdownDelay");
            return this;
        }

        /**
         * How long after boot the guest's KVP reports its addresses (link-local ones at half).
         *
         * @param d the delay, zero or more; 100 ms by default
         * @return this builder
         * @throws IllegalArgumentException if {@code d} is null or negative
         */
        public Builder guestIpDelay(Duration d) {
            this.guestIpDelay = nonNegative(d, "guestIpDelay");
            return this;
        }

        /**
         * The clock the model's transitions and the shells' idle timeout read, e.g. a test's movable clock.
         *
         * @param c the clock; the system UTC clock by default
         * @return this builder
         */
        public Builder clock(Clock c) {
            this.clock = Objects.requireNonNull(c, "clock");
            return this;
        }

        /**
         * Seeds VMIds and the fault plan's probabilities, so a sequential run repeats itself.
         *
         * @param s the seed; 1 by default
         * @return this builder
         */
        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        /**
         * The scripts the host accepts; by default the provider's, found in the checkout ({@link ScriptCatalog#provider()}).
         *
         * @param catalog the scripts
         * @return this builder
         */
        public Builder scripts(ScriptCatalog catalog) {
            this.scripts = Objects.requireNonNull(catalog, "catalog");
            return this;
        }

        /**
         * Also seeds this many ordinary VMs ({@code vm-0001}..., half of them running) for list benchmarks.
         *
         * @param count the number of VMs besides the template; 0 by default
         * @return this builder
         */
        public Builder vms(int count) {
            this.vms = count;
            return this;
        }

        /**
         * No volumes, folders, switches, templates or VMs: the test seeds what it needs.
         *
         * @return this builder
         */
        public Builder emptyHost() {
            this.seedHost = false;
            return this;
        }

        /**
         * A simulator with these settings, not started.
         *
         * @return the simulator; {@link HyperVSimulator#start()} it
         * @throws IllegalStateException if no {@link #scripts} were given and the provider's are not found in the checkout
         * @throws java.io.UncheckedIOException if the provider's scripts cannot be read
         */
        public HyperVSimulator build() {
            return new HyperVSimulator(this);
        }

        private static Duration positive(Duration d, String what) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " must be positive");
            }
            return d;
        }

        private static Duration nonNegative(Duration d, String what) {
            if (d == null || d.isNegative()) {
                throw new IllegalArgumentException(what + " must not be negative");
            }
            return d;
        }
    }
}
