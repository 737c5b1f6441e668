package io.dvmm.sdk.simulator.vsphere;

import io.dvmm.sdk.simulator.vsphere.internal.VcsimLauncher;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * A running govmomi vSphere simulator (vcsim) on loopback over TLS, with a vCenter or ESXi
 * inventory ({@link VcsimModel}). The Go launcher ships with this jar and is built on first use
 * against Debian's govmomi ({@code apt-get install -y golang-go golang-github-vmware-govmomi-dev});
 * without them the calling test is skipped with that command, and fails under {@code CI=true}.
 *
 * <pre>{@code
 * try (Vcsim vc = Vcsim.start(VcsimModel.vcenter().vmsPerPool(3).build())) {
 *     HypervisorConfig.builder(vc.vsphereUri())
 *             .credentials(Credentials.password(vc.username(), vc.password()))
 *             .tls(TlsOptions.pinSha256(vc.sha256()));
 * }
 * }</pre>
 *
 * <p>The simulator exits when this JVM closes its stdin ({@link #close()} or the JVM's death), so
 * it never outlives the tests. Or let {@link WithVcsim} start one per test class.
 */
public final class Vcsim implements AutoCloseable {

    /** The command that installs what vcsim needs, as the skip message gives it. */
    public static final String INSTALL_HINT = VcsimLauncher.INSTALL_HINT;
    /** The template the default vCenter model holds: the first VM, powered off, with a snapshot "base". */
    public static final String TEMPLATE = VcsimModel.DEFAULT_TEMPLATE;
    static final String USER = "dvmm";
    static final String PASSWORD = "vcsim-secret";

    private final Process process;
    private final VcsimModel model;
    private final URI sdkUrl;
    private final String sha256;

    private Vcsim(Process process, VcsimModel model, URI sdkUrl, String sha256) {
        this.process = process;
        this.model = model;
        this.sdkUrl = sdkUrl;
        this.sha256 = sha256;
    }

    /**
     * Starts a vCenter: {@code clusters} clusters of {@code hostsPerCluster} hosts, one standalone host,
     * {@code vmsPerPool} VMs per pool, template {@value #TEMPLATE}.
     *
     * @param clusters clusters in the datacenter, zero or more
     * @param hostsPerCluster hosts in each cluster, zero or more
     * @param vmsPerPool VMs in each resource pool, zero or more
     * @return the running simulator; close it to stop it
     * @throws IllegalArgumentException if a count is negative
     * @throws org.opentest4j.TestAbortedException if Go or govmomi is missing (the test is skipped), unless
     *         {@code CI=true}
     * @throws IllegalStateException if Go or govmomi is missing under {@code CI=true}, the launcher does not
     *         build, or vcsim does not start
     */
    public static Vcsim vcenter(int clusters, int hostsPerCluster, int vmsPerPool) {
        return start(VcsimModel.vcenter().clusters(clusters).hostsPerCluster(hostsPerCluster).vmsPerPool(vmsPerPool).build());
    }

    /**
     * Starts a standalone ESXi host with {@code vms} VMs.
     *
     * @param vms VMs on the host, zero or more
     * @return the running simulator; close it to stop it
     * @throws IllegalArgumentException if {@code vms} is negative
     * @throws org.opentest4j.TestAbortedException if Go or govmomi is missing (the test is skipped), unless
     *         {@code CI=true}
     * @throws IllegalStateException if Go or govmomi is missing under {@code CI=true}, the launcher does not
     *         build, or vcsim does not start
     */
    public static Vcsim esx(int vms) {
        return start(VcsimModel.esx().vms(vms).build());
    }

    /**
     * Starts vcsim with {@code model}, building the launcher first if need be.
     *
     * @param model the inventory and behaviour to simulate
     * @return the running simulator, ready for requests; close it to stop it
     * @throws org.opentest4j.TestAbortedException if Go or govmomi is missing (the test is skipped), unless
     *         {@code CI=true}
     * @throws IllegalStateException if Go or govmomi is missing under {@code CI=true}, the launcher does not
     *         build, or vcsim does not start
     */
    public static Vcsim start(VcsimModel model) {
        Path bin = VcsimLauncher.binary();
        List<String> cmd = new ArrayList<>();
        cmd.add(bin.toString());
        cmd.addAll(List.of("-stdin-tie", "-username", USER, "-password", PASSWORD));
        cmd.addAll(model.launcherArgs());
        try {
            Path log = VcsimLauncher.logDirectory().resolve("vcsim-" + ProcessHandle.current().pid() + "-" + System.nanoTime() + ".log");
            Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            URI url = null;
            String sha = null;
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith("URL ")) {
                    url = URI.create(line.substring(4).trim());
                } else if (line.startsWith("SHA256 ")) {
                    sha = line.substring(7).trim().toLowerCase(Locale.ROOT);
                } else if (line.equals("READY")) {
                    break;
                }
            }
            if (url == null || sha == null) {
                p.destroyForcibly();
                throw new IllegalStateException("vcsim-launcher did not report its URL; exit " + p.waitFor() + ", see " + log);
            }
            return new Vcsim(p, model, url, sha);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start vcsim-launcher", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** @return the SDK endpoint, e.g. {@code https://127.0.0.1:40123/sdk} */
    public URI sdkUrl() {
        return sdkUrl;
    }

    /** @return {@code vsphere://127.0.0.1:port/sdk}, the DVMM SDK connection URI */
    public URI vsphereUri() {
        return URI.create("vsphere://" + sdkUrl.getHost() + ":" + sdkUrl.getPort() + sdkUrl.getPath());
    }

    /** @return the simulator certificate's SHA-256 fingerprint, 64 lower-case hex digits, for {@code TlsOptions.pinSha256} */
    public String sha256() {
        return sha256;
    }

    /**
     * The user vcsim accepts.
     *
     * @return the user name, for {@code Credentials.password}
     */
    public String username() {
        return USER;
    }

    /**
     * The password of {@link #username()}.
     *
     * @return the password
     */
    public String password() {
        return PASSWORD;
    }

    /**
     * What this simulator was started with.
     *
     * @return the model
     */
    public VcsimModel model() {
        return model;
    }

    /**
     * The template to clone from.
     *
     * @return the template's name; empty for an ESXi model or a vCenter model without one
     */
    public String templateName() {
        return model.template();
    }

    /**
     * Whether the simulator process still runs.
     *
     * @return true until it is closed or dies
     */
    public boolean running() {
        return process.isAlive();
    }

    @Override
    public void close() {
        try {
            process.getOutputStream().close();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "Vcsim[" + sdkUrl + ", " + model + "]";
    }
}
