package io.dvmm.sdk.simulator.hyperv.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One virtual machine of the model, mutable under the model's lock. Its power state is lazy: a transition records
 * the state shown meanwhile, the state it ends in and when, and {@link #settle} applies it when read.
 */
final class Vm {

    /** A network adapter. */
    static final class Nic {
        String name;
        String switchName;
        String staticMac;
        String dynamicMac;
        int vlan;
        /** The guest's own addresses as set by a test; null means the model's defaults. */
        List<String> guestAddresses;
        final int ordinal;

        Nic(String name, int ordinal) {
            this.name = name;
            this.ordinal = ordinal;
        }

        String mac() {
            return staticMac != null ? staticMac : dynamicMac;
        }
    }

    /** A hard disk drive: a VHD path on a controller. */
    record Drive(String path, String controller) {
    }

    /** A checkpoint: its settings and disks at the time it was taken. */
    static final class Checkpoint {
        final String id;
        final String name;
        final String parentId;
        final Instant created;
        final String type;
        final int cpu;
        final long memStartup;
        final boolean dynMem;
        final long memMin;
        final long memMax;
        final boolean withMemoryState;
        final List<Drive> drives;

        Checkpoint(String id, String name, String parentId, Instant created, String type, Vm vm, boolean withMemoryState) {
            this.id = id;
            this.name = name;
            this.parentId = parentId;
            this.created = created;
            this.type = type;
            this.cpu = vm.cpu;
            this.memStartup = vm.memStartup;
            this.dynMem = vm.dynMem;
            this.memMin = vm.memMin;
            this.memMax = vm.memMax;
            this.withMemoryState = withMemoryState;
            this.drives = List.copyOf(vm.drives);
        }

        /** The same checkpoint under another parent (its parent was deleted). */
        Checkpoint(Checkpoint c, String newParent) {
            this.id = c.id;
            this.name = c.name;
            this.parentId = newParent;
            this.created = c.created;
            this.type = c.type;
            this.cpu = c.cpu;
            this.memStartup = c.memStartup;
            this.dynMem = c.dynMem;
            this.memMin = c.memMin;
            this.memMax = c.memMax;
            this.withMemoryState = c.withMemoryState;
            this.drives = c.drives;
        }
    }

    final String id;
    String name;
    final int generation;
    final String version;
    final String path;
    int cpu = 1;
    long memStartup;
    boolean dynMem;
    long memMin;
    long memMax;
    String notes = "";
    String secureBootTemplate;
    boolean secureBoot;
    String checkpointType = "Production";
    final List<Nic> nics = new ArrayList<>();
    final List<Drive> drives = new ArrayList<>();
    final List<String> dvds = new ArrayList<>();
    final List<Checkpoint> checkpoints = new ArrayList<>();
    String currentCheckpoint = "";
    String osName = "";
    String hostname;
    boolean integrationServices = true;
    boolean ignoresShutdown;
    /** What {@code Msvm_ShutdownComponent.InitiateShutdown/InitiateReboot} returns: 0 (or 4096) is accepted. */
    int shutdownReturnValue;

    private String state = "Off";
    private String target;
    private Instant transitionEnds;
    private Runnable onSettled;
    /** When the guest (re)booted; null when not running. */
    Instant bootedAt;
    /** Uptime kept while saved. */
    Duration savedUptime = Duration.ZERO;
    boolean everStarted;

    Vm(String id, String name, int generation, String version, String path) {
        this.id = id;
        this.name = name;
        this.generation = generation;
        this.version = version;
        this.path = path;
    }

    /** The state name now, after any transition that has ended. */
    String state(Instant now) {
        settle(now);
        return state;
    }

    /** Applies a transition that has ended. */
    void settle(Instant now) {
        while (transitionEnds != null && !now.isBefore(transitionEnds)) {
            Instant at = transitionEnds;
            state = target;
            transitionEnds = null;
            target = null;
            Runnable r = onSettled;
            onSettled = null;
            if (r != null) {
                r.run();
            }
            if ("Running".equals(state) && bootedAt == null) {
                bootedAt = at;
            }
        }
    }

    /** Shows {@code during} until {@code ends}, then {@code to} (and runs {@code then}). */
    void transition(String during, String to, Instant ends, Runnable then) {
        state = during;
        target = to;
        transitionEnds = ends;
        onSettled = then;
    }

    /** Sets the state at once, ending any transition. */
    void force(String newState) {
        state = newState;
        target = null;
        transitionEnds = null;
        onSettled = null;
    }

    boolean inTransition(Instant now) {
        settle(now);
        return transitionEnds != null;
    }

    Duration uptime(Instant now) {
        settle(now);
        return bootedAt == null || !"Running".equals(state) && !"Paused".equals(state) && !state.endsWith("ing")
                ? Duration.ZERO : Duration.between(bootedAt, now);
    }

    Checkpoint checkpoint(String id) {
        for (Checkpoint c : checkpoints) {
            if (c.id.equalsIgnoreCase(id)) {
                return c;
            }
        }
        return null;
    }
}
