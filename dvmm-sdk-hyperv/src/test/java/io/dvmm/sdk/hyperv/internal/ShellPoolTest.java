package io.dvmm.sdk.hyperv.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudsoft.winrm4j.client.ShellCommand;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Shells are reused, capped, handed to waiters in order, and closed when idle too long or at the end. */
class ShellPoolTest {
    private final List<ShellCommand> closed = new CopyOnWriteArrayList<>();

    private static ShellCommand shell(String id) {
        return new ShellCommand(null, id, "PT30S", x -> true, null);
    }

    @Test
    void aReleasedShellIsReusedAndTheCapHolds() {
        ShellPool pool = new ShellPool(2, TimeUnit.SECONDS.toNanos(60), closed::add);
        ShellPool.Slot a = pool.acquire(false).join();
        assertThat(a.shell).as("no shell yet: the holder opens one").isNull();
        ShellPool.Slot b = pool.acquire(false).join();
        CompletableFuture<ShellPool.Slot> third = pool.acquire(false);
        assertThat(third).isNotDone();
        ShellCommand s1 = shell("s1");
        pool.release(a, s1);
        assertThat(third).isCompleted();
        assertThat(third.join().shell).as("the waiter gets the released shell").isSameAs(s1);
        pool.release(b, null);
        assertThat(pool.open()).isEqualTo(1);
        assertThat(pool.peakOpen()).isEqualTo(2);
        ShellPool.Slot again = pool.acquire(false).join();
        assertThat(again.shell).isNull();
    }

    @Test
    void aDedicatedSlotMakesRoomByClosingAnIdleShell() {
        ShellPool pool = new ShellPool(1, TimeUnit.SECONDS.toNanos(60), closed::add);
        ShellPool.Slot a = pool.acquire(false).join();
        ShellCommand s1 = shell("s1");
        pool.release(a, s1);
        ShellPool.Slot d = pool.acquire(true).join();
        assertThat(d.dedicated).isTrue();
        assertThat(d.shell).isNull();
        assertThat(closed).containsExactly(s1);
        pool.release(d, null);
        assertThat(pool.open()).isZero();
    }

    @Test
    void idleShellsExpireAndCloseEndsEverything() throws InterruptedException {
        ShellPool pool = new ShellPool(1, TimeUnit.MILLISECONDS.toNanos(20), closed::add);
        ShellPool.Slot a = pool.acquire(false).join();
        ShellCommand s1 = shell("s1");
        pool.release(a, s1);
        Thread.sleep(50);
        ShellPool.Slot b = pool.acquire(false).join();
        assertThat(b.shell).as("an expired shell is not reused").isNull();
        assertThat(closed).containsExactly(s1);
        CompletableFuture<ShellPool.Slot> waiting = pool.acquire(false);
        assertThat(pool.close()).isEmpty();
        assertThat(waiting).isCompletedExceptionally();
        ShellCommand s2 = shell("s2");
        pool.release(b, s2);
        assertThat(closed).as("a shell released after close is closed").contains(s2);
        assertThat(pool.acquire(false)).isCompletedExceptionally();
    }

    @Test
    void aWaiterThatGaveUpIsSkipped() {
        ShellPool pool = new ShellPool(1, TimeUnit.SECONDS.toNanos(60), closed::add);
        ShellPool.Slot a = pool.acquire(false).join();
        CompletableFuture<ShellPool.Slot> gaveUp = pool.acquire(false);
        CompletableFuture<ShellPool.Slot> next = pool.acquire(false);
        gaveUp.cancel(false);
        ShellCommand s1 = shell("s1");
        pool.release(a, s1);
        assertThat(next.join().shell).isSameAs(s1);
    }
}
