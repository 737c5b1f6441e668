package io.dvmm.sdk.simulator.proxmox.internal;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Disk sizes as PVE writes them ({@code 10G}, {@code +512M}) and the integers of config values. */
final class DiskSize {

    /** {@code [+]number[K|M|G|T]}: group 1 is the optional {@code +}, 2 the number, 3 the unit. */
    static final Pattern SIZE = Pattern.compile("^(\\+)?(\\d+(?:\\.\\d+)?)([KMGT])?$");

    private DiskSize() {
    }

    /** The {@code size=} of a drive string such as {@code local-lvm:vm-100-disk-0,size=10G}, in bytes; 0 when absent. */
    static long ofDrive(String drive) {
        if (drive == null) {
            return 0;
        }
        for (String part : drive.split(",")) {
            if (part.startsWith("size=")) {
                return bytes(part.substring(5));
            }
        }
        return 0;
    }

    static long bytes(String s) {
        Matcher m = SIZE.matcher(s);
        if (!m.matches()) {
            return 0;
        }
        double v = Double.parseDouble(m.group(2));
        String unit = m.group(3) == null ? "" : m.group(3);
        long mult = switch (unit) {
            case "K" -> 1L << 10;
            case "M" -> 1L << 20;
            case "G" -> 1L << 30;
            case "T" -> 1L << 40;
            default -> 1L;
        };
        return (long) (v * mult);
    }

    /** Whole GiB as {@code 20G}, otherwise MiB as {@code 512M}. */
    static String text(long bytes) {
        if (bytes % (1L << 30) == 0) {
            return (bytes >> 30) + "G";
        }
        return (bytes >> 20) + "M";
    }

    /** A config integer ({@code 2}, {@code current=2}, {@code 2,...}), or {@code dflt}. */
    static int intOf(String v, int dflt) {
        if (v == null) {
            return dflt;
        }
        try {
            return Integer.parseInt(v.startsWith("current=") ? v.substring(8) : v.split(",")[0]);
        } catch (NumberFormatException e) {
            return dflt;
        }
    }
}
