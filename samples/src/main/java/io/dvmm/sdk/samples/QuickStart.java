package io.dvmm.sdk.samples;

import io.dvmm.sdk.Credentials;
import io.dvmm.sdk.GuestCustomization;
import io.dvmm.sdk.Hypervisor;
import io.dvmm.sdk.HypervisorConfig;
import io.dvmm.sdk.HypervisorException;
import io.dvmm.sdk.Hypervisors;
import io.dvmm.sdk.Inventory;
import io.dvmm.sdk.NicSpec;
import io.dvmm.sdk.OperationOptions;
import io.dvmm.sdk.Placement;
import io.dvmm.sdk.Progress;
import io.dvmm.sdk.StopSpec;
import io.dvmm.sdk.TlsOptions;
import io.dvmm.sdk.VmInfo;
import io.dvmm.sdk.VmProvisionSpec;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * Provisions one VM end to end: connect, show the inventory, clone a template with a live
 * progress line, print the VM and its IP, list VMs, stop and delete it.
 *
 * <p>With no arguments it runs on the embedded {@code inmemory} provider: no hypervisor needed.
 * Against a real endpoint, give a URI and credentials as arguments or environment variables:
 * <pre>
 *   --uri proxmox://pve1:8006        DVMM_URI
 *   --user root@pam --password ...   DVMM_USER, DVMM_PASSWORD
 *   --token-id id --token-secret s   DVMM_TOKEN_ID, DVMM_TOKEN_SECRET
 *   --template ubuntu-22.04          DVMM_TEMPLATE
 *   --network vmbr0                  DVMM_NETWORK
 *   --datastore local-lvm            DVMM_DATASTORE
 *   --pin SHA256                     DVMM_TLS_PIN   (or --insecure, labs only)
 *   --name my-vm                     DVMM_VM_NAME
 * </pre>
 * {@code --simulate proxmox} starts the Proxmox VE API simulator (dvmm-sdk-simulator-proxmox) on loopback (HTTPS,
 * self-signed certificate) and runs against it through the real provider and its REST transport.
 */
public final class QuickStart {
    private final PrintStream out;
    private final Function<String, String> env;

    QuickStart(PrintStream out, Function<String, String> env) {
        this.out = out;
        this.env = env;
    }

    /**
     * @param args see the class documentation
     */
    public static void main(String[] args) {
        int rc = new QuickStart(System.out, System::getenv).run(args);
        if (rc != 0) {
            System.exit(rc);
        }
    }

    int run(String[] args) {
        Map<String, String> opts;
        try {
            opts = parse(args);
        } catch (IllegalArgumentException e) {
            out.println("error: " + e.getMessage());
            out.println("usage: QuickStart [--simulate proxmox | --uri URI] [--user U --password P | --token-id ID --token-secret S] "
                    + "[--template T] [--network N] [--datastore D] [--pin SHA256 | --insecure] [--name NAME]");
            return 2;
        }
        Target target;
        try {
            target = target(opts);
        } catch (IllegalArgumentException e) {
            out.println("error: " + e.getMessage());
            return 2;
        }
        out.println("DVMM SDK QuickStart: " + target.config.endpoint() + " (" + target.config.type() + ")");
        try (AutoCloseable simulator = target.simulator; Hypervisor hv = Hypervisors.connect(target.config)) {
            var info = hv.testConnection().join();
            out.printf(Locale.ROOT, "Connected: %s %s (API %s) in %d ms%n", info.product(), info.version(), info.apiVersion(),
                    info.latency().toMillis());
            out.println("Capabilities: " + new java.util.TreeSet<>(hv.capabilities().join()));

            Inventory inv = hv.inventory().join();
            out.println("Inventory:");
            out.println("  datacenters: " + names(inv.datacenters(), Inventory.Datacenter::name));
            out.println("  clusters:    " + names(inv.clusters(), Inventory.Cluster::name));
            out.println("  hosts:       " + names(inv.hosts(), Inventory.Host::name));
            out.println("  datastores:  " + names(inv.datastores(), Inventory.Datastore::name));
            out.println("  networks:    " + names(inv.networks(), Inventory.Network::name));
            out.println("  pools:       " + names(inv.resourcePools(), Inventory.ResourcePool::name));
            out.println("  templates:   " + names(inv.templates(), Inventory.Template::name));

            String template = target.template != null ? target.template : inv.templates().get(0).name();
            String network = target.network != null ? target.network : inv.networks().get(0).name();
            VmProvisionSpec.Builder spec = VmProvisionSpec.builder()
                    .name(target.vmName)
                    .template(template)
                    .cpuCount(2)
                    .memoryMiB(2048)
                    .nic(NicSpec.dhcp(network))
                    .guest(GuestCustomization.builder().hostname(target.vmName).build())
                    .metadata("created-by", "dvmm-quickstart")
                    .powerOn(true)
                    .waitForIp(true);
            if (target.datastore != null) {
                spec.placement(Placement.any().withDatastore(target.datastore));
            }
            out.println("Creating " + target.vmName + " from " + template + " on " + network + " ...");
            ProgressLine line = new ProgressLine(out, System.console() != null);
            VmInfo vm = hv.createVm(spec.build(), OperationOptions.builder().listener(line).timeout(Duration.ofMinutes(15)).build()).join();
            line.finish();
            out.println("Created VM:");
            out.println("  id:       " + vm.id());
            out.println("  name:     " + vm.name());
            out.println("  state:    " + vm.powerState() + " (" + vm.rawState() + ")");
            out.println("  cpu/mem:  " + vm.cpuCount() + " vCPU, " + vm.memoryMiB() + " MiB");
            out.println("  host:     " + vm.host());
            out.println("  nics:     " + vm.nics());
            out.println("  disks:    " + vm.disks());
            out.println("  metadata: " + vm.metadata());
            out.println("  IP:       " + vm.primaryIpAddress().orElse("(none reported)"));

            List<VmInfo> vms = hv.listVms().join();
            out.println("VMs on the endpoint (" + vms.size() + "):");
            vms.stream().limit(20).forEach(v -> out.printf(Locale.ROOT, "  %-12s %-32s %s %s%n", v.id(), v.name(),
                    v.powerState(), v.primaryIpAddress().orElse("")));

            VmInfo stopped = hv.stopVm(vm.id(), StopSpec.gracefulThenHard(Duration.ofSeconds(60))).join();
            out.println("Stopped " + stopped.name() + ": " + stopped.powerState());
            boolean deleted = hv.deleteVm(vm.id()).join();
            out.println((deleted ? "Deleted " : "Already gone: ") + vm.name());
            out.println("QuickStart finished.");
            return 0;
        } catch (CompletionException | HypervisorException e) {
            Throwable cause = HypervisorException.unwrap(e);
            out.println();
            out.println("failed: " + cause.getClass().getSimpleName() + ": " + cause.getMessage());
            return 1;
        } catch (Exception e) {
            out.println("failed to stop the simulator: " + e);
            return 1;
        }
    }

    private record Target(HypervisorConfig config, String template, String network, String datastore, String vmName,
                          AutoCloseable simulator) {
        Target(HypervisorConfig config, String template, String network, String datastore, String vmName) {
            this(config, template, network, datastore, vmName, () -> { });
        }
    }

    private Target target(Map<String, String> o) {
        String uri = value(o, "uri", "DVMM_URI");
        String name = value(o, "name", "DVMM_VM_NAME");
        if (name == null) {
            name = "quickstart-" + UUID.randomUUID().toString().substring(0, 8);
        }
        String simulate = o.get("simulate");
        if (simulate != null) {
            if (!simulate.equals("proxmox")) {
                throw new IllegalArgumentException("--simulate knows 'proxmox', not '" + simulate + "'");
            }
            SimulatedProxmox sim;
            try {
                sim = SimulatedProxmox.start(out);
            } catch (NoClassDefFoundError e) {
                throw new IllegalArgumentException("--simulate proxmox needs io.dvmm.sdk:dvmm-sdk-simulator-proxmox on the class "
                        + "path (the quickstart profile puts it there)");
            }
            return new Target(sim.config(), sim.template(), sim.network(), sim.datastore(), name, sim);
        }
        if (uri == null) {
            // The embedded default: a simulated hypervisor inside this JVM, with realistic task times.
            HypervisorConfig config = HypervisorConfig.builder("inmemory:/quickstart")
                    .property("inmemory.taskMillis", "600")
                    .property("inmemory.ipDelayMillis", "800")
                    .build();
            return new Target(config, value(o, "template", "DVMM_TEMPLATE"), value(o, "network", "DVMM_NETWORK"),
                    value(o, "datastore", "DVMM_DATASTORE"), name);
        }
        HypervisorConfig.Builder config = HypervisorConfig.builder(uri);
        String user = value(o, "user", "DVMM_USER");
        String tokenId = value(o, "token-id", "DVMM_TOKEN_ID");
        if (tokenId != null) {
            config.credentials(Credentials.apiToken(tokenId, required(value(o, "token-secret", "DVMM_TOKEN_SECRET"), "token-secret")));
        } else if (user != null) {
            config.credentials(Credentials.password(user, required(value(o, "password", "DVMM_PASSWORD"), "password")));
        }
        String pin = value(o, "pin", "DVMM_TLS_PIN");
        if (pin != null) {
            config.tls(TlsOptions.pinSha256(pin));
        } else if (o.containsKey("insecure")) {
            config.tls(TlsOptions.insecure());
        }
        return new Target(config.build(), value(o, "template", "DVMM_TEMPLATE"), value(o, "network", "DVMM_NETWORK"),
                value(o, "datastore", "DVMM_DATASTORE"), name);
    }

    private static String required(String v, String what) {
        if (v == null) {
            throw new IllegalArgumentException("--" + what + " is required");
        }
        return v;
    }

    private String value(Map<String, String> o, String key, String envName) {
        String v = o.get(key);
        return v != null ? v : env.apply(envName);
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> o = new LinkedHashMap<>();
        Deque<String> q = new ArrayDeque<>(List.of(args));
        while (!q.isEmpty()) {
            String a = q.poll();
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + a + "'");
            }
            String key = a.substring(2);
            if (key.equals("insecure")) {
                o.put(key, "true");
                continue;
            }
            if (q.isEmpty()) {
                throw new IllegalArgumentException(a + " needs a value");
            }
            o.put(key, q.poll());
        }
        return o;
    }

    private static <T> String names(List<T> items, Function<T, String> name) {
        return items.isEmpty() ? "-" : String.join(", ", items.stream().map(name).toList());
    }

    /** A live progress line on a console; one line per stage elsewhere (CI logs). */
    static final class ProgressLine implements io.dvmm.sdk.ProgressListener {
        private final PrintStream out;
        private final boolean live;
        private Progress.Stage lastStage;

        ProgressLine(PrintStream out, boolean live) {
            this.out = out;
            this.live = live;
        }

        @Override
        public synchronized void onProgress(Progress p) {
            int pct = p.percent().orElse(0);
            String bar = "#".repeat(pct / 5) + ".".repeat(20 - pct / 5);
            String text = String.format(Locale.ROOT, "  [%s] %3d%% %-10s %s", bar, pct, p.stage(), p.message());
            if (live) {
                out.print("\r" + text + "   ");
                out.flush();
            } else if (p.stage() != lastStage) {
                out.println(text);
            }
            lastStage = p.stage();
        }

        synchronized void finish() {
            if (live) {
                out.println();
            }
        }
    }
}
