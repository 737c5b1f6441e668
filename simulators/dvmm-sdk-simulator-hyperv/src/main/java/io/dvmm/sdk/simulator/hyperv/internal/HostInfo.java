package io.dvmm.sdk.simulator.hyperv.internal;

import java.util.List;

/**
 * The host's facts: name, Windows edition and build, Hyper-V version, the VM configuration versions it runs, its
 * processors and memory, and the default VM and VHD folders.
 */
public record HostInfo(String name, String fqdn, String osCaption, String osVersion, String osBuild, String hypervVersion,
                       String vmVersionDefault, List<String> vmVersions, int cpus, long memBytes, String vmPath,
                       String vhdPath) {

    /** Windows Server 2016, 2019, 2022 or 2025 Datacenter as Microsoft ships them. */
    public static HostInfo windowsServer(int year, String name) {
        List<String> base = List.of("5.0", "6.2", "7.0", "7.1", "8.0");
        return switch (year) {
            case 2016 -> of(name, "2016", "14393", "10.0.14393.0", "8.0", base);
            case 2019 -> of(name, "2019", "17763", "10.0.17763.1", "9.0",
                    List.of("5.0", "6.2", "7.0", "7.1", "8.0", "8.1", "8.2", "8.3", "9.0"));
            case 2022 -> of(name, "2022", "20348", "10.0.20348.1", "10.0",
                    List.of("5.0", "6.2", "7.0", "7.1", "8.0", "8.1", "8.2", "8.3", "9.0", "9.1", "9.2", "9.3", "10.0"));
            case 2025 -> of(name, "2025", "26100", "10.0.26100.1", "12.0",
                    List.of("8.0", "8.1", "8.2", "8.3", "9.0", "9.1", "9.2", "9.3", "10.0", "11.0", "12.0"));
            default -> throw new IllegalArgumentException("Windows Server 2016, 2019, 2022 or 2025, not " + year);
        };
    }

    private static HostInfo of(String name, String year, String build, String hyperv, String def, List<String> versions) {
        return new HostInfo(name, name, "Microsoft Windows Server " + year + " Datacenter", "10.0." + build, build, hyperv,
                def, versions, 16, 128L << 30, "C:\\ProgramData\\Microsoft\\Windows\\Hyper-V",
                "C:\\Users\\Public\\Documents\\Hyper-V\\Virtual Hard Disks");
    }
}
