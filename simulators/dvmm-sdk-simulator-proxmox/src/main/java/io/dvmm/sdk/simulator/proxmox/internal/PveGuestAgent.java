package io.dvmm.sdk.simulator.proxmox.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The QEMU guest agent's {@code network-get-interfaces}: PVE's retryable ("not running") and fatal
 * ("not configured") errors, then loopback, a docker bridge and one interface per NIC with the
 * address its {@code ipconfigN} gives (static, or a DHCP-style address derived from the VMID).
 */
final class PveGuestAgent {

    private static final Pattern MAC = Pattern.compile("=(([0-9A-Fa-f]{2}:){5}[0-9A-Fa-f]{2})");
    private static final Pattern IP4 = Pattern.compile("(?:^|,)ip=([0-9.]+)/(\\d+)");
    private static final Pattern IP6 = Pattern.compile("(?:^|,)ip6=([0-9a-fA-F:]+)/(\\d+)");

    private final PveCluster cluster;

    PveGuestAgent(PveCluster cluster) {
        this.cluster = cluster;
    }

    Map<String, Object> networkInterfaces(String node, String vmid) {
        PveVm vm = cluster.vm(node, vmid);
        if (!vm.agentEnabled()) {
            throw new PveError(500, "No QEMU guest agent configured");
        }
        if (!vm.running()) {
            throw new PveError(500, "VM " + vm.vmid + " is not running");
        }
        if (System.currentTimeMillis() - vm.bootedAtMillis < cluster.agentDelayMillis) {
            throw new PveError(500, "QEMU guest agent is not running");
        }
        List<Object> result = new ArrayList<>();
        result.add(Map.of("name", "lo", "hardware-address", "00:00:00:00:00:00", "ip-addresses", List.of(
                Map.of("ip-address-type", "ipv4", "ip-address", "127.0.0.1", "prefix", 8),
                Map.of("ip-address-type", "ipv6", "ip-address", "::1", "prefix", 128)),
                "statistics", Map.of("rx-bytes", 1234, "rx-packets", 12, "tx-bytes", 1234, "tx-packets", 12)));
        result.add(Map.of("name", "docker0", "hardware-address", "02:42:ac:11:00:01", "ip-addresses", List.of(
                Map.of("ip-address-type", "ipv4", "ip-address", "172.17.0.1", "prefix", 16))));
        for (int n = 0; n < 32; n++) {
            String net = vm.config.get("net" + n);
            if (net == null) {
                continue;
            }
            Matcher mac = MAC.matcher(net);
            String hw = mac.find() ? mac.group(1).toLowerCase() : "bc:24:11:00:00:00";
            String ipconfig = vm.config.getOrDefault("ipconfig" + n, "ip=dhcp");
            List<Object> addresses = new ArrayList<>();
            addresses.add(Map.of("ip-address-type", "ipv6", "ip-address", "fe80::be24:11ff:fe00:" + Integer.toHexString(n + 1),
                    "prefix", 64));
            Matcher v4 = IP4.matcher(ipconfig);
            if (v4.find()) {
                addresses.add(Map.of("ip-address-type", "ipv4", "ip-address", v4.group(1), "prefix", Integer.parseInt(v4.group(2))));
            } else if (ipconfig.contains("ip=dhcp") || !ipconfig.contains("ip6=")) {
                String dhcp = "10." + (n + ((vm.vmid >> 16) & 0xff)) % 256 + "." + ((vm.vmid >> 8) & 0xff) + "." + (vm.vmid & 0xff);
                addresses.add(Map.of("ip-address-type", "ipv4", "ip-address", dhcp, "prefix", 24));
            }
            Matcher v6 = IP6.matcher(ipconfig);
            if (v6.find()) {
                addresses.add(Map.of("ip-address-type", "ipv6", "ip-address", v6.group(1), "prefix", Integer.parseInt(v6.group(2))));
            }
            result.add(Map.of("name", "eth" + n, "hardware-address", hw, "ip-addresses", addresses));
        }
        return Map.of("result", result);
    }
}
