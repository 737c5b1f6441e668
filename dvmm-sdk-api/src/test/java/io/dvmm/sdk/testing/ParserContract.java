package io.dvmm.sdk.testing;

import io.dvmm.sdk.HypervisorException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What every parser of a server's answer promises, whatever the answer: a value, or one of the
 * SDK's typed errors ({@link HypervisorException}); never another exception or error (no
 * {@code NullPointerException}, {@code ClassCastException}, {@code StackOverflowError}, ...), and
 * an answer within {@link #BOUND}. The bound is a hang check, not a performance assertion: a
 * parse takes milliseconds, so only one that never ends can reach it.
 */
public final class ParserContract {
    /** The time one parse may take before it counts as a hang. */
    public static final Duration BOUND = Duration.ofSeconds(5);

    // Threads of the default stack size, as the SDK's own executors have: a recursion that overflows
    // here overflows there.
    private static final ExecutorService PARSERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "parser-under-test");
        t.setDaemon(true);
        return t;
    });

    private ParserContract() {
    }

    /**
     * The outcome of one parse that kept the contract.
     *
     * @param value what it returned, possibly {@code null}
     * @param error the typed error it threw, or {@code null}
     * @param <T> the value's type
     */
    public record Outcome<T>(T value, HypervisorException error) {
        /** @return whether the parse threw a typed error */
        public boolean failed() {
            return error != null;
        }
    }

    /**
     * Runs one parse on a worker thread and checks the contract.
     *
     * @param parse the parse
     * @param <T> what it returns
     * @return its outcome
     * @throws AssertionError when it throws anything but a {@link HypervisorException} (the cause
     *                        is attached), or takes longer than {@link #BOUND}
     */
    public static <T> Outcome<T> typedOutcome(Callable<T> parse) {
        Future<T> f = PARSERS.submit(parse);
        try {
            return new Outcome<>(f.get(BOUND.toMillis(), TimeUnit.MILLISECONDS), null);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new AssertionError("the parse gave no answer within " + BOUND.toSeconds() + " s: a hang");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = HypervisorException.unwrap(e.getCause());
            if (cause instanceof HypervisorException typed) {
                return new Outcome<>(null, typed);
            }
            throw new AssertionError("the parse threw " + cause + ", not one of the SDK's typed errors", cause);
        }
    }
}
