package io.dvmm.sdk.powervm.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvmm.sdk.ErrorContext;
import io.dvmm.sdk.spi.support.Deadline;
import io.dvmm.sdk.spi.support.OperationRun;
import io.dvmm.sdk.spi.support.Poller;
import io.dvmm.sdk.spi.support.ProgressReporter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The one update path: updates of one object run one after the other, and each caller hears its outcome. */
class VirtualStorageTest {
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    private OperationRun run() {
        ErrorContext ctx = ErrorContext.of("powervm", "deleteVm");
        return new OperationRun(ctx, Deadline.after(Duration.ofSeconds(30)), new ProgressReporter("deleteVm", null),
                new Poller(scheduler));
    }

    private static VirtualStorage.Served vios(String uuid) {
        byte[] object = ("<VirtualIOServer xmlns=\"" + HmcXml.UOM_NS + "\"><PartitionName>vios1</PartitionName>"
                + "</VirtualIOServer>").getBytes(StandardCharsets.UTF_8);
        return new VirtualStorage.Served(uuid, "https://hmc/rest/api/uom/VirtualIOServer/" + uuid, VirtualStorage.SCSI, "1",
                object, System.nanoTime());
    }

    /**
     * An update that finds nothing to do completes at once, inside the step that queues it: its caller still hears
     * (before, the queue's bookkeeping failed in that case, "Recursive update", and the caller's future never completed).
     */
    @Test
    void anUpdateWithNothingToDoCompletesAndFreesItsObject() throws Exception {
        VirtualStorage storage = new VirtualStorage(null, null, 3);
        VirtualStorage.Served start = vios("A1");
        CompletableFuture<VirtualStorage.Served> first = storage.update("VirtualIOServer", start, doc -> false, run());
        assertThat(first.get(10, TimeUnit.SECONDS)).isSameAs(start);
        CompletableFuture<VirtualStorage.Served> second = storage.update("VirtualIOServer", start, doc -> false, run());
        assertThat(second.get(10, TimeUnit.SECONDS)).isSameAs(start);
    }
}
