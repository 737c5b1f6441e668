package io.dvmm.sdk.hyperv;

import io.dvmm.sdk.Capability;
import io.dvmm.sdk.Hypervisor;
import io.dvmm.sdk.HypervisorConfig;
import io.dvmm.sdk.ProviderProperty;
import io.dvmm.sdk.hyperv.internal.HyperVHypervisor;
import io.dvmm.sdk.spi.HypervisorProvider;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code hyperv} provider: Microsoft Hyper-V through PowerShell over WinRM ({@code hyperv://host:5986}, HTTPS by
 * default). Found through {@code META-INF/services/io.dvmm.sdk.spi.HypervisorProvider}; register it by hand with
 * {@code Hypervisors.register(new HyperVProvider())} where that file is lost.
 */
public final class HyperVProvider implements HypervisorProvider {

    /** The provider type and URI scheme. */
    public static final String TYPE = "hyperv";

    /**
     * What a Hyper-V connection can do. Guest customization (host name, user and SSH keys, user data, static
     * addresses and DNS) is a cloud-init NoCloud seed the SDK builds and attaches as a DVD: it takes effect in Linux
     * guests whose template runs cloud-init, and nowhere else. Not {@link Capability#CANCEL_TASK}: a PowerShell
     * command on the host runs to its end once sent; cancelling stops the SDK's waiting and removes what it made.
     */
    public static final Set<Capability> CAPABILITIES = Collections.unmodifiableSet(EnumSet.of(Capability.INVENTORY,
            Capability.LIST_VMS, Capability.CLONE_FULL, Capability.CLONE_LINKED, Capability.GUEST_CUSTOMIZATION,
            Capability.CUSTOM_HOSTNAME, Capability.CLOUD_INIT, Capability.USER_DATA, Capability.DISKS, Capability.POWER,
            Capability.SUSPEND, Capability.RECONFIGURE, Capability.SNAPSHOTS, Capability.GUEST_IP, Capability.METADATA,
            Capability.DELETE));

    /** {@code hyperv.auth}: {@code ntlm} (default) or {@code basic}. */
    public static final String AUTH = "hyperv.auth";
    /** {@code hyperv.transport}: {@code https} or {@code http}; by default HTTP on port 5985 and HTTPS on any other. */
    public static final String TRANSPORT = "hyperv.transport";
    /** {@code hyperv.allowUnencryptedHttp}. */
    public static final String ALLOW_UNENCRYPTED_HTTP = "hyperv.allowUnencryptedHttp";
    /** {@code hyperv.vmRoot}. */
    public static final String VM_ROOT = "hyperv.vmRoot";
    /** {@code hyperv.templatesPath}. */
    public static final String TEMPLATES_PATH = "hyperv.templatesPath";
    /** {@code hyperv.shells}. */
    public static final String SHELLS = "hyperv.shells";
    /** {@code hyperv.shellIdleSeconds}. */
    public static final String SHELL_IDLE_SECONDS = "hyperv.shellIdleSeconds";
    /** {@code hyperv.inventoryCacheSeconds}. */
    public static final String INVENTORY_CACHE_SECONDS = "hyperv.inventoryCacheSeconds";
    /** {@code hyperv.createLandingMillis}. */
    public static final String LANDING_MILLIS = "hyperv.createLandingMillis";
    /** {@code hyperv.guestIpFamilies}. */
    public static final String IP_FAMILIES = "hyperv.guestIpFamilies";
    /** {@code hyperv.pollInitialMillis}. */
    public static final String POLL_INITIAL = "hyperv.pollInitialMillis";
    /** {@code hyperv.pollMaxMillis}. */
    public static final String POLL_MAX = "hyperv.pollMaxMillis";

    private static final List<ProviderProperty> PROPERTIES = List.of(
            ProviderProperty.builder(AUTH, ProviderProperty.Type.ENUM).defaultValue("ntlm").allowedValues(List.of("ntlm", "basic"))
                    .description("WinRM authentication: NTLM (user, DOMAIN\\user or user@domain) or Basic (local accounts; "
                            + "WinRM's Basic must be enabled). Kerberos is refused: winrm4j needs JVM-wide JAAS and krb5 settings for it.")
                    .build(),
            ProviderProperty.builder(TRANSPORT, ProviderProperty.Type.ENUM).allowedValues(List.of("https", "http"))
                    .description("The WinRM listener's protocol. Default: HTTP on port 5985, HTTPS on any other port "
                            + "(5986 when the URI names none).")
                    .build(),
            ProviderProperty.builder(ALLOW_UNENCRYPTED_HTTP, ProviderProperty.Type.BOOLEAN).defaultValue("false")
                    .description("Allows Basic authentication over plain HTTP (hyperv://host:5985, or hyperv.transport=http): "
                            + "commands and the password travel unencrypted (the host needs AllowUnencrypted=true); every "
                            + "connection made so logs a WARN. Not needed for NTLM, whose message encryption protects plain HTTP.")
                    .build(),
            ProviderProperty.builder(VM_ROOT, ProviderProperty.Type.STRING)
                    .description("The folder on the host in which the SDK makes one folder per VM it creates (its disks, "
                            + "configuration and cloud-init seed); only files under it are ever deleted. Default: the "
                            + "host's VirtualMachinePath\\dvmm, or <placement.datastore>\\dvmm when a spec names a datastore.")
                    .build(),
            ProviderProperty.builder(TEMPLATES_PATH, ProviderProperty.Type.STRING)
                    .description("A folder on the host whose .vhdx files are templates (by base name), besides the VMs "
                            + "whose Notes hold the line [hvsdk-template].")
                    .build(),
            ProviderProperty.builder(SHELLS, ProviderProperty.Type.INTEGER).defaultValue("8").range(1, 30)
                    .description("WinRM shells this connection keeps open and reuses; at most this many commands run at once "
                            + "(stay below the host's MaxShellsPerUser, 30 by default).")
                    .build(),
            ProviderProperty.builder(SHELL_IDLE_SECONDS, ProviderProperty.Type.INTEGER).defaultValue("60").range(1, 7200)
                    .description("How long an idle shell is kept before it is closed (below the host's IdleTimeout).")
                    .build(),
            ProviderProperty.builder(INVENTORY_CACHE_SECONDS, ProviderProperty.Type.INTEGER).defaultValue("60").range(0, 3600)
                    .description("How long createVm reuses the host's switches, paths and templates; a name it does not "
                            + "find reads them again at once. 0 reads them on every create.")
                    .build(),
            ProviderProperty.builder(LANDING_MILLIS, ProviderProperty.Type.INTEGER).defaultValue("10000").range(100, 600_000)
                    .description("How long a create whose answer was lost is looked for (by its marker in the VM's Notes) "
                            + "before it counts as not made and is sent again.")
                    .build(),
            ProviderProperty.builder(IP_FAMILIES, ProviderProperty.Type.ENUM_LIST).defaultValue("ipv4,ipv6")
                    .allowedValues(List.of("ipv4", "ipv6"))
                    .description("Which guest address families VmInfo reports, in this order; link-local addresses "
                            + "(169.254/16, fe80::/10) are never reported.")
                    .build(),
            ProviderProperty.builder(POLL_INITIAL, ProviderProperty.Type.INTEGER).defaultValue("250").range(1, 60_000)
                    .description("The first interval of state and guest IP polls, in milliseconds.").build(),
            ProviderProperty.builder(POLL_MAX, ProviderProperty.Type.INTEGER).defaultValue("3000").range(1, 600_000)
                    .description("The longest interval of state and guest IP polls, in milliseconds.").build());

    /** Cheap: no I/O, no threads. */
    public HyperVProvider() {
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String displayName() {
        return "Microsoft Hyper-V (PowerShell over WinRM)";
    }

    @Override
    public Set<Capability> capabilities() {
        return CAPABILITIES;
    }

    @Override
    public List<ProviderProperty> properties() {
        return PROPERTIES;
    }

    @Override
    public Hypervisor connect(HypervisorConfig config) {
        return new HyperVHypervisor(config, PROPERTIES);
    }
}
