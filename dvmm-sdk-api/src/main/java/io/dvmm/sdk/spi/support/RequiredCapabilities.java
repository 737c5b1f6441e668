package io.dvmm.sdk.spi.support;

import io.dvmm.sdk.Capability;
import io.dvmm.sdk.CloneMode;
import io.dvmm.sdk.GuestCustomization;
import io.dvmm.sdk.VmProvisionSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The capabilities a {@link VmProvisionSpec} needs, one function for every provider: a spec that
 * asks for what a connection cannot do fails with {@code UnsupportedCapabilityException} naming
 * the most specific missing capability, before any request.
 */
public final class RequiredCapabilities {
    private RequiredCapabilities() {
    }

    /**
     * @param spec the spec
     * @return what it needs, the most specific first
     */
    public static List<Capability> of(VmProvisionSpec spec) {
        GuestCustomization g = spec.guest();
        List<Capability> needed = new ArrayList<>();
        if (g.userData().isPresent()) {
            needed.add(Capability.USER_DATA);
        }
        if (g.hostname().isPresent() && !g.hostname().get().equalsIgnoreCase(spec.name().split("\\.", 2)[0])) {
            needed.add(Capability.CUSTOM_HOSTNAME);
        }
        if (!g.sshKeys().isEmpty() || g.username().isPresent()) {
            needed.add(Capability.CLOUD_INIT);
        }
        if (g.hostname().isPresent() || g.domain().isPresent() || !g.dnsServers().isEmpty() || !g.searchDomains().isEmpty()
                || spec.nics().stream().anyMatch(n -> !n.ip().isDhcp())) {
            needed.add(Capability.GUEST_CUSTOMIZATION);
        }
        if (!spec.metadata().isEmpty()) {
            needed.add(Capability.METADATA);
        }
        if (!spec.disks().isEmpty()) {
            needed.add(Capability.DISKS);
        }
        if (spec.waitForIp()) {
            needed.add(Capability.GUEST_IP);
        }
        if (spec.powerOn()) {
            needed.add(Capability.POWER);
        }
        needed.add(spec.cloneMode() == CloneMode.LINKED ? Capability.CLONE_LINKED : Capability.CLONE_FULL);
        return List.copyOf(needed);
    }

    /**
     * @param spec the spec
     * @param offered what the connection can do
     * @return the first capability the spec needs and the connection lacks, or {@code null}
     */
    public static Capability firstMissing(VmProvisionSpec spec, Set<Capability> offered) {
        return of(spec).stream().filter(c -> !offered.contains(c)).findFirst().orElse(null);
    }
}
