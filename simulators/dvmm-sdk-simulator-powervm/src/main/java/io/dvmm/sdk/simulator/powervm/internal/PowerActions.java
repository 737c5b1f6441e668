package io.dvmm.sdk.simulator.powervm.internal;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What the PowerOn and PowerOff jobs do to a partition: the state names the HMC uses
 * ({@code not activated}, {@code starting}, {@code running}, {@code shutting down}), the HSCL
 * results of a wrong state ({@code HSCL3681} already on, {@code HSCL1558} already off,
 * {@code HSCL0DB4} OS shutdown without RMC, {@code HSCL05DF}), and after boot RMC becoming
 * {@code active} and an IP address appearing, each after its delay.
 */
public final class PowerActions {

    private final Hmc hmc;
    /** Bumped on every power change, so that a stale RMC step of an earlier boot does nothing. */
    private final Map<String, Integer> generation = new HashMap<>();
    private final Set<String> bootFailures = new HashSet<>();

    PowerActions(Hmc hmc) {
        this.hmc = hmc;
    }

    /** The next boot of this partition leaves it running without RMC and with reference code 0608. */
    public void failNextBoot(String uuid) {
        bootFailures.add(uuid);
    }

    /** The PowerOn job's effect. */
    public JobAction powerOn(UomObject lpar) {
        return new JobAction() {
            @Override
            public JobOutcome start(Job job) {
                Partition p = hmc.partitions.view(lpar);
                if (hmc.model.partition(lpar.uuid()).isEmpty()) {
                    return JobOutcome.failedBefore("The partition " + lpar.uuid() + " no longer exists.");
                }
                if (p.activated()) {
                    return JobOutcome.error("HSCL3681 The partition " + p.name() + " is already powered on (state "
                            + p.state() + ").");
                }
                String profile = job.parameter("LogicalPartitionProfile", null);
                if (profile != null && !profile.equalsIgnoreCase(p.profileUuid())) {
                    return JobOutcome.failedBefore("The partition profile " + profile + " does not belong to partition "
                            + p.name() + ".");
                }
                SystemView sys = hmc.partitions.system(p.systemUuid());
                if (p.desiredMemory() > sys.availableMemory()) {
                    return JobOutcome.error("The partition " + p.name() + " cannot be activated: it needs "
                            + p.desiredMemory() + " MB of memory and " + sys.availableMemory() + " MB are available.");
                }
                if (p.desiredProcessorUnits() > sys.availableProcessorUnits() + 1e-9) {
                    return JobOutcome.error("The partition " + p.name() + " cannot be activated: it needs "
                            + p.desiredProcessorUnits() + " processing units and " + sys.availableProcessorUnits()
                            + " are available.");
                }
                hmc.partitions.hold(p, sys);
                p.state(Partition.STARTING);
                hmc.modified(lpar, "PartitionState,Other");
                return null;
            }

            @Override
            public JobOutcome finish(Job job) {
                booted(lpar);
                return JobOutcome.success();
            }

            @Override
            public void cancelled(Job job) {
                Partition p = hmc.partitions.view(lpar);
                hmc.partitions.release(p);
                p.state(Partition.NOT_ACTIVATED);
                hmc.modified(lpar, "PartitionState,Other");
            }
        };
    }

    /** The PowerOff job's effect, by {@code operation} ({@code osshutdown}, {@code shutdown}, {@code dumprestart}). */
    public JobAction powerOff(UomObject lpar) {
        return new JobAction() {
            @Override
            public JobOutcome start(Job job) {
                Partition p = hmc.partitions.view(lpar);
                String operation = job.parameter("operation", "shutdown");
                boolean restart = "true".equals(job.parameter("restart", "false")) || operation.equals("dumprestart");
                if (!p.activated()) {
                    if (restart) {
                        return JobOutcome.error("HSCL05DF The partition is not in a state under which this operation "
                                + "can be performed. Check the state of the partition.");
                    }
                    return JobOutcome.error("HSCL1558 The partition " + p.name() + " is already powered off.");
                }
                if (operation.equals("osshutdown") && !"active".equals(p.rmcState())) {
                    return JobOutcome.error("HSCL0DB4 The operating system shutdown of partition " + p.name()
                            + " cannot be performed because the partition has no active RMC connection.");
                }
                generation.merge(lpar.uuid(), 1, Integer::sum);
                p.state(Partition.SHUTTING_DOWN);
                hmc.modified(lpar, "PartitionState,Other");
                return null;
            }

            @Override
            public JobOutcome finish(Job job) {
                Partition p = hmc.partitions.view(lpar);
                String operation = job.parameter("operation", "shutdown");
                boolean restart = "true".equals(job.parameter("restart", "false")) || operation.equals("dumprestart");
                p.rmcState("inactive");
                if (restart) {
                    booted(lpar);
                } else {
                    hmc.partitions.release(p);
                    p.state(Partition.NOT_ACTIVATED);
                    hmc.modified(lpar, "PartitionState,Other");
                }
                return JobOutcome.success();
            }

            @Override
            public void cancelled(Job job) {
                hmc.partitions.view(lpar).state(Partition.RUNNING);
                hmc.modified(lpar, "PartitionState,Other");
            }
        };
    }

    private void booted(UomObject lpar) {
        Partition p = hmc.partitions.view(lpar);
        int gen = generation.merge(lpar.uuid(), 1, Integer::sum);
        p.state(Partition.RUNNING);
        p.rmcState("inactive");
        p.applyCurrentFromDesired();
        hmc.modified(lpar, "PartitionState,Other");
        if (bootFailures.remove(lpar.uuid())) {
            hmc.editor.set(lpar.content(), "ReferenceCode", "0608");
            return;
        }
        hmc.clock.after(hmc.settings.rmcDelay, () -> {
            if (current(lpar, gen)) {
                hmc.partitions.view(lpar).rmcState("active");
                hmc.modified(lpar, "ResourceMonitoringControlState,Other");
            }
        });
        java.time.Duration ip = hmc.settings.ipDelay.compareTo(hmc.settings.rmcDelay) < 0 ? hmc.settings.rmcDelay
                : hmc.settings.ipDelay;
        hmc.clock.after(ip, () -> {
            if (current(lpar, gen)) {
                Partition now = hmc.partitions.view(lpar);
                now.ip(hmc.settings.ipPrefix + now.id());
                hmc.modified(lpar, "ResourceMonitoringIPAddress,Other");
            }
        });
    }

    private boolean current(UomObject lpar, int gen) {
        return hmc.model.partition(lpar.uuid()).isPresent() && generation.getOrDefault(lpar.uuid(), 0) == gen
                && Partition.RUNNING.equals(hmc.partitions.view(lpar).state());
    }

}
