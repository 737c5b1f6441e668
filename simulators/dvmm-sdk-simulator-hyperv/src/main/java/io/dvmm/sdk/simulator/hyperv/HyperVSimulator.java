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

    public static final String CREATE = "wsman:Create";
    public static final String COMMAND = "wsman:Command";
    public static final String RECEIVE = "wsman:Receive";
    public static final String SIGNAL = "wsman:Signal";
    public static final String DELETE = "wsman:Delete";
    public static final String UNAUTHORIZED = "http:401";

    public static final String HOST_NAME = "HV01";
    public static final String DEFAULT_SWITCH = "Default Switch";
    public static final String TEMPLATES_FOLDER = "D:\\templates";
    public static final String TEMPLATE_VHDX = "D:\\templates\\ubuntu-24.04.vhdx";
    public static final String TEMPLATE_VM = "tmpl-debian12";
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

    public static Builder builder() {
        return new Builder();
    }

    /** Binds an ephemeral loopback port and starts serving. */
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

    /** The WinRM endpoint, {@code https://127.0.0.1:port/wsman} (or http). */
    public URI url() {
        return URI.create((settings.tls ? "https" : "http") + "://127.0.0.1:" + port() + "/wsman");
    }

    /** The SDK connection URI, {@code hyperv://127.0.0.1:port}. */
    public URI sdkUri() {
        return URI.create("hyperv://127.0.0.1:" + port());
    }

    public String host() {
        return "127.0.0.1";
    }

    public synchronized int port() {
        if (server == null) {
            throw new IllegalStateException("the simulator is not started");
        }
        return server.port();
    }

    public boolean tls() {
        return settings.tls;
    }

    public SimulatorCertificate certificate() {
        return SimulatorCertificate.shared();
    }

    /** SHA-256 of the server certificate (DER), lower-case hex, for {@code TlsOptions.pinSha256}. */
    public String certificateSha256() {
        return certificate().sha256();
    }

    public KeyStore trustStore() {
        return certificate().trustStore();
    }

    public String username() {
        return settings.user;
    }

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

    /** The host's NetBIOS name, also the NTLM domain of its local accounts. */
    public String hostName() {
        return settings.hostName;
    }

    // ---- state -----------------------------------------------------------------------------------

    public List<SimVm> vms() {
        return stack.model().vms();
    }

    public Optional<SimVm> vm(String id) {
        return stack.model().vm(id);
    }

    public List<SimVm> vmsNamed(String name) {
        return vms().stream().filter(v -> v.name().equals(name)).toList();
    }

    public List<SimVhd> vhds() {
        return stack.model().vhds();
    }

    public List<SimSwitch> switches() {
        return stack.model().switches();
    }

    public List<SimCheckpoint> checkpoints(String vmId) {
        return vm(vmId).map(SimVm::checkpoints).orElse(List.of());
    }

    public List<SimFile> files() {
        return stack.model().files();
    }

    public Optional<SimFile> file(String path) {
        return stack.model().file(path);
    }

    public boolean folderExists(String path) {
        return stack.model().folderExists(path);
    }

    public List<SimShell> openShells() {
        return stack.shells();
    }

    // ---- changing the host -----------------------------------------------------------------------

    public HyperVSimulator addSwitch(String name, String type) {
        stack.model().addSwitch(name, type);
        return this;
    }

    public HyperVSimulator addFile(String path, byte[] content) {
        stack.model().addFile(path, content);
        return this;
    }

    public HyperVSimulator addTemplateVhd(String path, long sizeBytes) {
        stack.model().addTemplateVhd(path, sizeBytes, sizeBytes / 10, "");
        return this;
    }

    /** A VM made outside the SDK (its own folder and disk); returns its VMId. */
    public String addVm(String name, String folder, String switchName, boolean running) {
        return stack.model().addVm(name, 2, 2, 2L << 30, "", folder, switchName, running);
    }

    /** What the guest reports on an adapter once its IP delay has passed, instead of the model's addresses. */
    public void setGuestAddresses(String vmId, String adapter, List<String> addresses) {
        stack.model().setGuestAddresses(vmId, adapter, addresses);
    }

    /** A guest that acknowledges shutdown requests and keeps running. */
    public void setIgnoresShutdown(String vmId, boolean ignores) {
        stack.model().setIgnoresShutdown(vmId, ignores);
    }

    /**
     * What the guest's shutdown integration service returns to InitiateShutdown and InitiateReboot: 0 or 4096 is
     * accepted, anything else makes {@code shutdown} and a guest {@code restart} fail with {@code HvsdkOperationFailed}
     * (32775 is Hyper-V's "invalid state").
     */
    public void setShutdownReturnValue(String vmId, int value) {
        stack.model().setShutdownReturnValue(vmId, value);
    }

    /** A guest without integration services: no shutdown component, no KVP addresses, no heartbeat. */
    public void setIntegrationServices(String vmId, boolean enabled) {
        stack.model().setIntegrationServices(vmId, enabled);
    }

    /** Puts a VM in any Hyper-V state at once ({@code Paused}, {@code OffCritical}, ...). */
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

    /** Every HTTP request, counted under {@code wsman:<Action>}, {@code http:401}, {@code wsman:invalid}. */
    public RequestLog messages() {
        return messages;
    }

    /** Every command, counted under {@code script:<operation>}; an entry's body is the script text as decoded. */
    public RequestLog scriptRuns() {
        return scripts;
    }

    /** The count of one key of either log. */
    public long count(String key) {
        return key.startsWith("script:") ? scripts.count(key) : messages.count(key);
    }

    /** How many times the script of this operation ran ({@code list-vms}). */
    public long scriptCount(String operation) {
        return scripts.count("script:" + operation);
    }

    /** Both logs' counts by key. */
    public Map<String, Long> counts() {
        Map<String, Long> all = new TreeMap<>(messages.counts());
        all.putAll(scripts.counts());
        return all;
    }

    public void resetCounts() {
        messages.reset();
        scripts.reset();
    }

    public Violations violations() {
        return violations;
    }

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

        /** HTTPS (the default, port 5986 on a real host) or plain HTTP (5985). */
        public Builder tls(boolean on) {
            this.tls = on;
            return this;
        }

        /** The local account; the default is {@code Administrator} with a random password ({@link #password()}). */
        public Builder credentials(String user, String password) {
            this.user = Objects.requireNonNull(user, "user");
            this.password = Objects.requireNonNull(password, "password");
            return this;
        }

        /** The host's name (NetBIOS name and NTLM domain); {@value #HOST_NAME} by default. */
        public Builder hostName(String name) {
            this.hostName = Objects.requireNonNull(name, "name");
            return this;
        }

        /** The Windows Server release, 2016, 2019, 2022 (default) or 2025: OS facts and VM configuration versions. */
        public Builder windowsServer(int year) {
            HostInfo.windowsServer(year, "x");
            this.windowsServer = year;
            return this;
        }

        public Builder basic(boolean on) {
            this.basic = on;
            return this;
        }

        public Builder ntlm(boolean on) {
            this.ntlm = on;
            return this;
        }

        /** WinRM's AllowUnencrypted: plain SOAP over HTTP (Basic, or NTLM without sealing) is refused unless true. */
        public Builder allowUnencrypted(boolean on) {
            this.allowUnencrypted = on;
            return this;
        }

        /** winrs MaxShellsPerUser; 30 by default. */
        public Builder maxShellsPerUser(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxShellsPerUser must be at least 1");
            }
            this.maxShellsPerUser = max;
            return this;
        }

        /** winrs IdleTimeout: a shell unused this long is gone; 2 hours by default. */
        public Builder shellIdleTimeout(Duration d) {
            this.shellIdleTimeout = positive(d, "shellIdleTimeout");
            return this;
        }

        /** MaxTimeoutms: the longest a Receive waits whatever its OperationTimeout; 60 s by default. */
        public Builder maxTimeout(Duration d) {
            this.maxTimeout = positive(d, "maxTimeout");
            return this;
        }

        /** Over how many Receives a command's stdout is spread (each but the last answering Running); 1 by default. */
        public Builder stdoutReceives(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("stdoutReceives must be at least 1");
            }
            this.stdoutReceives = n;
            return this;
        }

        /** Whether a shell's first command writes PowerShell's "Preparing modules for first use." CLIXML on stderr; true by default. */
        public Builder progressNoise(boolean on) {
            this.progressNoise = on;
            return this;
        }

        /** How long every script runs besides what its cmdlets wait for (PowerShell start-up); zero by default. */
        public Builder commandDelay(Duration d) {
            this.commandDelay = nonNegative(d, "commandDelay");
            return this;
        }

        /** Start-VM: how long the VM shows Starting (and the script runs); 20 ms by default. */
        public Builder startDelay(Duration d) {
            this.startDelay = nonNegative(d, "startDelay");
            return this;
        }

        /** Save-VM: how long the VM shows Saving; 20 ms by default. */
        public Builder saveDelay(Duration d) {
            this.saveDelay = nonNegative(d, "saveDelay");
            return this;
        }

        /** Starting from saved state or resuming from pause; 10 ms by default. */
        public Builder resumeDelay(Duration d) {
            this.resumeDelay = nonNegative(d, "resumeDelay");
            return this;
        }

        /** How long a guest takes to turn off (or reboot) after the integration service asked; 50 ms by default. */
        public Builder guestShutdownDelay(Duration d) {
            this.guestShutdownDelay = nonNegative(d, "guestShutdownDelay");
            return this;
        }

        /** How long after boot the guest's KVP reports its addresses (link-local ones at half); 100 ms by default. */
        public Builder guestIpDelay(Duration d) {
            this.guestIpDelay = nonNegative(d, "guestIpDelay");
            return this;
        }

        /** The clock the model's transitions and the shells' idle timeout read. */
        public Builder clock(Clock c) {
            this.clock = Objects.requireNonNull(c, "clock");
            return this;
        }

        /** Seeds VMIds and the fault plan's probabilities. */
        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        /** The scripts the host accepts; by default the provider's, found in the checkout ({@link ScriptCatalog#provider()}). */
        public Builder scripts(ScriptCatalog catalog) {
            this.scripts = Objects.requireNonNull(catalog, "catalog");
            return this;
        }

        /** Also seeds this many ordinary VMs ({@code vm-0001}..., half of them running) for list benchmarks. */
        public Builder vms(int count) {
            this.vms = count;
            return this;
        }

        /** No volumes, folders, switches, templates or VMs: the test seeds what it needs. */
        public Builder emptyHost() {
            this.seedHost = false;
            return this;
        }

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
