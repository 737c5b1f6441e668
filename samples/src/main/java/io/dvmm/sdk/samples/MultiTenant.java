package io.dvmm.sdk.samples;

import io.dvmm.sdk.DiskInfo;
import io.dvmm.sdk.Hypervisor;
import io.dvmm.sdk.HypervisorConfig;
import io.dvmm.sdk.HypervisorException;
import io.dvmm.sdk.HypervisorRegistry;
import io.dvmm.sdk.NicInfo;
import io.dvmm.sdk.OperationOptions;
import io.dvmm.sdk.Progress;
import io.dvmm.sdk.VmInfo;
import io.dvmm.sdk.VmProvisionSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Two tenants on two hypervisors from one properties file: {@code acme} on the embedded in-memory
 * provider, {@code globex} on Proxmox VE (the API simulator, started here, through the real REST
 * transport). Each tenant's connection comes from a {@link HypervisorRegistry} whose configuration
 * source reads the tenant's keys with {@link HypervisorConfig#fromProperties}; the secrets come from
 * a stand-in vault, never from the file. Both tenants provision a VM at once, with specs that name no
 * host, datastore or network: each tenant's resource defaults place them. Then both tenants' VMs are
 * printed and deleted.
 *
 * <p>With no arguments it reads {@code multitenant.properties} from the class path; a path as the
 * one argument reads that file instead.
 */
public final class MultiTenant {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([a-zA-Z.]+)}");
    private final PrintStream out;
    /** The last stage printed per tenant: one line per stage, so that the two tenants' progress shows interleaved. */
    private final Map<String, Progress.Stage> lastStage = new ConcurrentHashMap<>();

    MultiTenant(PrintStream out) {
        this.out = out;
    }

    /**
     * @param args nothing, or the path of a properties file
     */
    public static void main(String[] args) {
        int rc = new MultiTenant(System.out).run(args);
        if (rc != 0) {
            System.exit(rc);
        }
    }

    int run(String[] args) {
        if (args.length > 1) {
            out.println("usage: MultiTenant [tenants.properties]");
            return 2;
        }
        Map<String, String> file;
        try {
            file = load(args.length == 1 ? Optional.of(Path.of(args[0])) : Optional.empty());
        } catch (IOException e) {
            out.println("error: cannot read the tenants file: " + e.getMessage());
            return 2;
        }
        List<String> tenants = Arrays.stream(file.getOrDefault("tenants", "").split(",")).map(String::trim)
                .filter(s -> !s.isEmpty()).toList();
        out.println("DVMM SDK MultiTenant: tenants " + tenants + " from " + (args.length == 1 ? args[0] : "multitenant.properties"));

        SimulatedProxmox proxmox;
        try {
            proxmox = SimulatedProxmox.start(out);
        } catch (NoClassDefFoundError e) {
            out.println("error: the sample needs io.dvmm.sdk:dvmm-sdk-simulator-proxmox on the class path (the quickstart "
                    + "profile puts it there)");
            return 2;
        }
        try (proxmox) {
            Map<String, String> props = resolve(file, Map.of("proxmox.endpoint", proxmox.endpoint(), "proxmox.pin", proxmox.pin(),
                    "proxmox.tokenId", proxmox.tokenId()));
            // A stand-in for a vault: the secret of each tenant, asked at each login, never written to the file.
            Map<String, Supplier<String>> vault = Map.of(
                    "acme", () -> "inmemory",
                    "globex", proxmox::tokenSecret);
            HypervisorRegistry.ConfigSource source = tenant -> tenants.contains(tenant)
                    ? Optional.of(HypervisorConfig.fromProperties(props, "tenants." + tenant + ".hypervisor.", vault.get(tenant)))
                    : Optional.empty();
            try (HypervisorRegistry registry = HypervisorRegistry.builder(source).build()) {
                for (String tenant : tenants) {
                    HypervisorConfig c = source.config(tenant).orElseThrow();
                    out.println("Tenant " + tenant + ": " + c.type() + " at " + c.endpoint() + "; VMs go to " + c.defaults()
                            + " on network " + c.defaultNetwork().orElse("(the template's)"));
                }
                return provision(registry, tenants, props);
            }
        } catch (IllegalArgumentException e) {
            out.println("error: " + e.getMessage());
            return 2;
        } catch (CompletionException | HypervisorException e) {
            Throwable cause = HypervisorException.unwrap(e);
            out.println("failed: " + cause.getClass().getSimpleName() + ": " + cause.getMessage());
            return 1;
        }
    }

    private int provision(HypervisorRegistry registry, List<String> tenants, Map<String, String> props) {
        out.println("Provisioning one VM per tenant, all at once ...");
        Map<String, CompletableFuture<VmInfo>> creates = new LinkedHashMap<>();
        for (String tenant : tenants) {
            VmProvisionSpec spec = VmProvisionSpec.builder()
                    .name(tenant + "-web-01")
                    .template(props.get("tenants." + tenant + ".template"))
                    .cpuCount(2)
                    .memoryMiB(2048)
                    .metadata("tenant", tenant)
                    .waitForIp(true)
                    .build();                          // no placement, no NIC: the tenant's defaults apply
            creates.put(tenant, registry.get(tenant).createVm(spec, OperationOptions.builder()
                    .listener(p -> stage(tenant, p)).timeout(Duration.ofMinutes(5)).build()));
        }
        CompletableFuture.allOf(creates.values().toArray(CompletableFuture[]::new)).join();

        List<Runnable> cleanup = new ArrayList<>();
        for (String tenant : tenants) {
            Hypervisor hv = registry.get(tenant);
            List<VmInfo> vms = hv.listVms().join();
            out.println("VMs of " + tenant + " (" + hv.type() + ", " + vms.size() + "):");
            for (VmInfo listed : vms) {
                VmInfo vm = hv.getVm(listed.id()).join();     // a listing is one request; the details are the VM's own
                out.printf(Locale.ROOT, "  %-8s %-16s %-11s host=%-6s datastore=%-11s network=%-8s ip=%s%n", vm.id(), vm.name(),
                        vm.powerState(), vm.host(), vm.disks().stream().map(DiskInfo::datastore).findFirst().orElse(""),
                        vm.nics().stream().map(NicInfo::network).findFirst().orElse(""), vm.primaryIpAddress().orElse("-"));
            }
            VmInfo made = creates.get(tenant).join();
            cleanup.add(() -> out.println((hv.deleteVm(made.id()).join() ? "Deleted " : "Already gone: ") + made.name()
                    + " of " + tenant));
        }
        cleanup.forEach(Runnable::run);
        out.println("MultiTenant finished.");
        return 0;
    }

    private void stage(String tenant, Progress p) {
        if (lastStage.put(tenant, p.stage()) != p.stage()) {
            synchronized (out) {
                out.printf(Locale.ROOT, "  [%s] %-10s %s%n", tenant, p.stage(), p.message());
            }
        }
    }

    private static Map<String, String> load(Optional<Path> path) throws IOException {
        Properties p = new Properties();
        if (path.isPresent()) {
            try (Reader r = Files.newBufferedReader(path.get(), StandardCharsets.UTF_8)) {
                p.load(r);
            }
        } else {
            try (InputStream in = MultiTenant.class.getResourceAsStream("/multitenant.properties")) {
                if (in == null) {
                    throw new IOException("multitenant.properties is not on the class path");
                }
                p.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
            }
        }
        Map<String, String> m = new TreeMap<>();
        p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k)));
        return m;
    }

    /** Fills in {@code ${name}} placeholders; an unknown one is an error naming it. */
    private static Map<String, String> resolve(Map<String, String> file, Map<String, String> values) {
        Map<String, String> out = new TreeMap<>();
        file.forEach((k, v) -> {
            Matcher m = PLACEHOLDER.matcher(v);
            StringBuilder b = new StringBuilder();
            while (m.find()) {
                String value = values.get(m.group(1));
                if (value == null) {
                    throw new IllegalArgumentException(k + ": no value for ${" + m.group(1) + "}");
                }
                m.appendReplacement(b, Matcher.quoteReplacement(value));
            }
            m.appendTail(b);
            out.put(k, b.toString());
        });
        return out;
    }
}
