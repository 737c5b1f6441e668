package io.dvmm.sdk.vsphere.internal;

import io.dvmm.sdk.simulator.vsphere.Vcsim;
import com.vmware.vim25.VimPortType;
import com.vmware.vim25.mo.InventoryNavigator;
import com.vmware.vim25.mo.ManagedEntity;
import com.vmware.vim25.mo.ServerConnection;
import com.vmware.vim25.mo.ServiceInstance;
import com.vmware.vim25.mo.VirtualMachine;
import io.dvmm.sdk.VmInfo;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Not a test: lists every VM of one vcsim inventory three ways and prints wall time and round
 * trips, as ratios to the SDK.
 *
 * <ol>
 *   <li>the SDK's {@code listVms()} (container view + paged RetrievePropertiesEx);</li>
 *   <li>naive yavijava: {@code InventoryNavigator.searchManagedEntities} then {@code getName()},
 *       {@code getRuntime()}, {@code getGuest()}, {@code getConfig()} per VM. yavijava's own
 *       transport cannot even log in to vcsim (unknown fields), so its stubs run over the SDK's
 *       transport here; the round trips are yavijava's;</li>
 *   <li>pyVmomi (Debian python3-pyvmomi) with a container view + RetrievePropertiesEx.</li>
 * </ol>
 *
 * <pre>
 * mvn -B -q -pl dvmm-sdk-vsphere -am test-compile dependency:build-classpath \
 *     -Dmdep.outputFile=target/test.classpath -Dmdep.includeScope=test
 * java -cp dvmm-sdk-vsphere/target/test-classes:dvmm-sdk-vsphere/target/classes:$(cat dvmm-sdk-vsphere/target/test.classpath) \
 *     io.dvmm.sdk.vsphere.internal.ListVmsBenchmark 1000 3
 * </pre>
 * Arguments: VMs per resource pool (vcsim has two pools, so 1000 gives 2,000 VMs), timed runs.
 */
public final class ListVmsBenchmark {

    private ListVmsBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int perPool = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        long started = System.nanoTime();
        try (Vcsim sim = Vcsim.vcenter(1, 2, perPool)) {
            System.out.printf(Locale.ROOT, "vcsim with %d VMs per pool up in %.1f s%n", perPool, (System.nanoTime() - started) / 1e9);

            // 1. SDK
            double sdkSeconds;
            long sdkCalls;
            int n;
            RequestCounter sdkRequests = new RequestCounter();
            try (VsphereHypervisor hv = VcsimFixture.connect(sim, sdkRequests)) {
                hv.testConnection().join();
                n = hv.listVms().join().size(); // warm-up
                long before = sdkRequests.total();
                double[] t = new double[runs];
                for (int i = 0; i < runs; i++) {
                    long s = System.nanoTime();
                    List<VmInfo> vms = hv.listVms().join();
                    t[i] = (System.nanoTime() - s) / 1e9;
                    n = vms.size();
                }
                sdkCalls = (sdkRequests.total() - before) / runs;
                sdkSeconds = median(t);
            }
            System.out.printf(Locale.ROOT, "SDK listVms:      %d VMs, median %.3f s, %d round trips%n", n, sdkSeconds, sdkCalls);

            // 2. naive yavijava over the SDK transport
            RequestCounter naive = new RequestCounter();
            VsphereHypervisor login = (VsphereHypervisor) io.dvmm.sdk.Hypervisors.connect(VcsimFixture.config(sim, naive)
                    .readTimeout(Duration.ofSeconds(300)).build());
            login.testConnection().join();
            BlockingClient client = new BlockingClient(login.client(), sim.sdkUrl());
            ServerConnection sc = new ServerConnection(sim.sdkUrl().toURL(), new VimPortType(client), null);
            ServiceInstance si = new ServiceInstance(sc);
            Method set = ServerConnection.class.getDeclaredMethod("setServiceInstance", ServiceInstance.class);
            set.setAccessible(true);
            set.invoke(sc, si);
            long before = naive.total();
            long s = System.nanoTime();
            ManagedEntity[] entities = new InventoryNavigator(si.getRootFolder()).searchManagedEntities("VirtualMachine");
            List<String> names = new ArrayList<>();
            for (ManagedEntity e : entities) {
                VirtualMachine vm = (VirtualMachine) e;
                String name = vm.getName();
                vm.getRuntime();
                vm.getGuest();
                com.vmware.vim25.VirtualMachineConfigInfo config = vm.getConfig();
                if (config != null && !config.isTemplate()) {
                    names.add(name);
                }
            }
            double naiveSeconds = (System.nanoTime() - s) / 1e9;
            long naiveCalls = naive.total() - before;
            Map<String, Long> byMethod = naive.counts();
            System.out.printf(Locale.ROOT, "naive yavijava:   %d VMs, %.3f s (one run), %d round trips %s%n", names.size(),
                    naiveSeconds, naiveCalls, byMethod);
            login.close();

            // 3. pyVmomi
            // Run from the module (mvn in dvmm-sdk-vsphere) or from the repository root (mvn -pl dvmm-sdk-vsphere).
            Path script = Path.of("src/test/python/list_vms_pyvmomi.py").toAbsolutePath();
            if (!java.nio.file.Files.exists(script)) {
                script = Path.of("dvmm-sdk-vsphere/src/test/python/list_vms_pyvmomi.py").toAbsolutePath();
            }
            Process p = new ProcessBuilder("/usr/bin/python3", script.toString(), sim.sdkUrl().getHost(),
                    String.valueOf(sim.sdkUrl().getPort()), sim.username(), sim.password(), sim.sha256(), String.valueOf(runs))
                    .redirectErrorStream(true).start();
            String out;
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                out = String.join("\n", r.lines().toList());
            }
            int exit = p.waitFor();
            String last = out.lines().reduce((a, b) -> b).orElse("");
            if (exit != 0 || !last.startsWith("vms=")) {
                System.out.println("pyVmomi:          failed (exit " + exit + "; install python3-pyvmomi):\n" + out);
                return;
            }
            double pySeconds = Double.parseDouble(last.replaceAll(".*seconds=([0-9.]+).*", "$1"));
            long pyCalls = Long.parseLong(last.replaceAll(".*calls=([0-9]+).*", "$1"));
            System.out.println("pyVmomi:          " + last);

            System.out.printf(Locale.ROOT, "%nRatios to the SDK (wall time, round trips):%n");
            System.out.printf(Locale.ROOT, "  naive yavijava: %.1fx time, %.0fx round trips%n", naiveSeconds / sdkSeconds,
                    (double) naiveCalls / sdkCalls);
            System.out.printf(Locale.ROOT, "  pyVmomi:        %.2fx time, %.2fx round trips%n", pySeconds / sdkSeconds,
                    (double) pyCalls / sdkCalls);
        }
    }

    /**
     * yavijava's blocking {@code Client} over the SDK's transport, so that its stubs (and its
     * inventory navigator) can run against vcsim, which its own transport cannot log in to.
     */
    static final class BlockingClient implements com.vmware.vim25.ws.Client {
        private final VimClient client;
        private final java.net.URI endpoint;

        BlockingClient(VimClient client, java.net.URI endpoint) {
            this.client = client;
            this.endpoint = endpoint;
        }

        @Override
        public Object invoke(String methodName, com.vmware.vim25.ws.Argument[] paras, String returnType) throws java.rmi.RemoteException {
            com.vmware.vim25.ManagedObjectReference target = null;
            List<VimXmlWriter.Arg> args = new ArrayList<>();
            for (com.vmware.vim25.ws.Argument a : paras) {
                if ("_this".equals(a.getName())) {
                    target = (com.vmware.vim25.ManagedObjectReference) a.getValue();
                } else if (a.getValue() != null) {
                    args.add(new VimXmlWriter.Arg(a.getName(), a.getValue().getClass(), a.getValue()));
                }
            }
            try {
                return client.send(new VimClient.Call(methodName, target, args, returnType, true, true), Duration.ofSeconds(300),
                        "naive").join();
            } catch (java.util.concurrent.CompletionException e) {
                throw new java.rmi.RemoteException(methodName + " failed", e.getCause());
            }
        }

        @Override
        public StringBuffer invokeAsString(String methodName, com.vmware.vim25.ws.Argument[] paras) {
            throw new UnsupportedOperationException();
        }

        @Override
        public java.net.URL getBaseUrl() {
            try {
                return endpoint.toURL();
            } catch (java.net.MalformedURLException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void setBaseUrl(java.net.URL url) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String getCookie() {
            return null;
        }

        @Override
        public void setCookie(String value) {
            // the SDK's transport holds the session cookie
        }

        @Override
        public String getVimNameSpace() {
            return "urn:vim25";
        }

        @Override
        public void setVimNameSpace(String ns) {
            // fixed
        }

        @Override
        public int getConnectTimeout() {
            return 0;
        }

        @Override
        public void setConnectTimeout(int ms) {
            // fixed
        }

        @Override
        public int getReadTimeout() {
            return 0;
        }

        @Override
        public void setReadTimeout(int ms) {
            // fixed
        }

        @Override
        public javax.net.ssl.TrustManager getTrustManager() {
            return null;
        }

        @Override
        public void setSoapActionOnApiVersion(String apiVersion) {
            // fixed
        }

        @Override
        public String marshall(String methodName, com.vmware.vim25.ws.Argument[] paras) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Object unMarshall(String returnType, java.io.InputStream is) {
            throw new UnsupportedOperationException();
        }

        @Override
        public StringBuffer readStream(java.io.InputStream is) {
            throw new UnsupportedOperationException();
        }
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v[v.length / 2];
    }
}
