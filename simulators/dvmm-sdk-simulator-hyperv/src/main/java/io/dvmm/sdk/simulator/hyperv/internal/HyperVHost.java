package io.dvmm.sdk.simulator.hyperv.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The in-memory Hyper-V host every script runs against: host facts, virtual switches, the file system with its
 * VHD(X) chains, and the VMs. One lock guards it all ({@link #locked}); transitions are lazy, read against the
 * clock, so nothing runs in the background.
 */
public final class HyperVHost {

    /** A virtual switch. */
    record VSwitch(String id, String name, String type) {
    }

    final HostInfo info;
    final ModelTimings timings;
    final Clock clock;
    final HostFiles files = new HostFiles();
    final List<VSwitch> switches = new ArrayList<>();
    final List<Vm> vms = new ArrayList<>();
    private final Random random;
    private int macCounter;
    private int nicCounter;

    public HyperVHost(HostInfo info, ModelTimings timings, Clock clock, long seed) {
        this.info = info;
        this.timings = timings;
        this.clock = clock;
        this.random = new Random(seed);
    }

    /** Runs {@code action} under the model's lock. */
    public synchronized <T> T locked(Supplier<T> action) {
        return action.get();
    }

    public synchronized void locked(Runnable action) {
        action.run();
    }

    Instant now() {
        return clock.instant();
    }

    /** A new GUID from the model's seeded source, lower case as {@code [Guid].ToString()} writes it. */
    String guid() {
        return new UUID(random.nextLong(), random.nextLong()).toString();
    }

    /** The next dynamic MAC in Hyper-V's 00-15-5D range. */
    String nextMac() {
        int n = ++macCounter;
        return String.format(Locale.ROOT, "00155D%02X%02X%02X", 0x01, (n >> 8) & 0xff, n & 0xff);
    }

    int nextNicOrdinal() {
        return ++nicCounter;
    }

    Vm vm(String id) {
        for (Vm v : vms) {
            if (v.id.equalsIgnoreCase(id)) {
                return v;
            }
        }
        return null;
    }

    VSwitch vswitch(String name) {
        for (VSwitch s : switches) {
            if (s.name().equalsIgnoreCase(name)) {
                return s;
            }
        }
        return null;
    }

    void addSwitch(String name, String type) {
        switches.add(new VSwitch(guid(), name, type));
    }
}
