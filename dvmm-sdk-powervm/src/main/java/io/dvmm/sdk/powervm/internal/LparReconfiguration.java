package io.dvmm.sdk.powervm.internal;

import io.dvmm.sdk.BusyException;
import io.dvmm.sdk.ErrorContext;
import io.dvmm.sdk.PowerState;
import io.dvmm.sdk.VmId;
import io.dvmm.sdk.VmInfo;
import io.dvmm.sdk.VmReconfigureSpec;
import io.dvmm.sdk.spi.support.OperationRun;
import java.math.BigDecimal;
import java.util.concurrent.CompletableFuture;
import org.w3c.dom.Element;

/**
 * CPU and memory changes: the LPAR as the HMC served it, its desired (and, when it is not
 * activated, minimum and maximum) values patched in place, posted back with {@code If-Match}. A
 * partition that is not activated takes any values (a profile change); a running one changes by
 * dynamic LPAR only within its minimum and maximum and only while RMC is active.
 */
final class LparReconfiguration {
    private final PowerVmHypervisor hv;

    LparReconfiguration(PowerVmHypervisor hv) {
        this.hv = hv;
    }

    CompletableFuture<VmInfo> apply(VmId id, VmReconfigureSpec change, OperationRun run) {
        String op = run.operation();
        ErrorContext ctx = run.context();
        return hv.readVmLparServed(op, id, run.deadline()).thenCompose(read -> {
            HmcXml.Entry<HmcObjects.LogicalPartition> e = read.entry();
            HmcObjects.LogicalPartition lpar = e.content();
            PowerState state = PowerVmMapper.powerState(lpar.state());
            if (state == PowerState.UNKNOWN) {
                throw new BusyException("LPAR " + lpar.name() + " is " + lpar.state() + "; its CPUs and memory can change once "
                        + "it settles", ctx);
            }
            boolean running = state == PowerState.POWERED_ON;
            LparShape now = LparShape.read(lpar);
            LparShape next = now.reconfigured(change.cpuCount().isPresent() ? change.cpuCount().getAsInt() : null,
                    change.memoryMiB().isPresent() ? change.memoryMiB().getAsLong() : null, running, ctx);
            boolean changes = next.desiredMemory() != now.desiredMemory() || next.desiredCpus() != now.desiredCpus();
            if (running && changes && !"active".equalsIgnoreCase(lpar.rmcState())) {
                throw new BusyException("LPAR " + lpar.name() + " runs without an active RMC connection (RMC "
                        + lpar.rmcState() + "); dynamic LPAR needs one", ctx);
            }
            CompletableFuture<Long> lmb = hv.topology.memoryBlockMb() > 0
                    ? CompletableFuture.completedFuture(hv.topology.memoryBlockMb())
                    : hv.topology.readSystem(op, run.deadline()).thenApply(x -> hv.topology.memoryBlockMb());
            return lmb.thenCompose(block -> {
                next.check(block, -1, null, "memoryMiB", "cpuCount", ctx);
                run.check();
                return hv.storage.update("LogicalPartition", read.served(), doc -> patch(doc.content(), next), run);
            }).thenCompose(x -> hv.details(op, e.id().toUpperCase(java.util.Locale.ROOT), run.deadline()));
        });
    }

    /** Sets the shape's values in the served LPAR; returns whether anything changed. */
    static boolean patch(Element lpar, LparShape s) {
        boolean changed = false;
        String mem = "PartitionMemoryConfiguration/";
        changed |= set(lpar, mem + "DesiredMemory", Long.toString(s.desiredMemory()));
        changed |= set(lpar, mem + "MinimumMemory", Long.toString(s.minMemory()));
        changed |= set(lpar, mem + "MaximumMemory", Long.toString(s.maxMemory()));
        String proc = "PartitionProcessorConfiguration/";
        if (s.dedicated()) {
            String d = proc + "DedicatedProcessorConfiguration/";
            changed |= set(lpar, d + "DesiredProcessors", Integer.toString(s.desiredCpus()));
            changed |= set(lpar, d + "MinimumProcessors", Integer.toString(s.minCpus()));
            changed |= set(lpar, d + "MaximumProcessors", Integer.toString(s.maxCpus()));
        } else {
            String sh = proc + "SharedProcessorConfiguration/";
            changed |= set(lpar, sh + "DesiredProcessingUnits", plain(s.desiredUnits()));
            changed |= set(lpar, sh + "DesiredVirtualProcessors", Integer.toString(s.desiredCpus()));
            changed |= set(lpar, sh + "MaximumProcessingUnits", plain(s.maxUnits()));
            changed |= set(lpar, sh + "MaximumVirtualProcessors", Integer.toString(s.maxCpus()));
            changed |= set(lpar, sh + "MinimumProcessingUnits", plain(s.minUnits()));
            changed |= set(lpar, sh + "MinimumVirtualProcessors", Integer.toString(s.minCpus()));
        }
        return changed;
    }

    private static String plain(BigDecimal d) {
        return d.setScale(2, java.math.RoundingMode.HALF_UP).toPlainString();
    }

    private static boolean set(Element root, String path, String value) {
        Element e = DocumentPatch.child(root, path).orElse(null);
        if (e == null) {
            return false;
        }
        String old = e.getTextContent().trim();
        if (old.equals(value) || numericallyEqual(old, value)) {
            return false;
        }
        e.setTextContent(value);
        return true;
    }

    private static boolean numericallyEqual(String a, String b) {
        try {
            return new BigDecimal(a).compareTo(new BigDecimal(b)) == 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
