package io.dvmm.sdk.simulator.hyperv;

import java.util.List;

/** A network adapter: switch (null when disconnected), MAC (12 hex digits), access VLAN (0 = untagged), guest addresses now. */
public record SimNic(String name, String switchName, String mac, boolean staticMac, int vlan, List<String> addresses) {
}
