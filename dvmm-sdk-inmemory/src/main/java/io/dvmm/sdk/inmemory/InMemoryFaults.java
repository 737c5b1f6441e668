package io.dvmm.sdk.inmemory;

import io.dvmm.sdk.HypervisorException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Faults to inject into an {@link InMemoryCloud}: fail the next N calls of an operation with a
 * given error, add latency to an operation, lose the answer of a call that took effect, make
 * guests ignore a shutdown request. Operations are
 * named as on {@link io.dvmm.sdk.Hypervisor}, such as {@code createVm} or {@code listVms}.
 * Thread-safe.
 */
public final class InMemoryFaults {

    private record Failure(AtomicInteger remaining, Function<String, ? extends HypervisorException> error) {
    }

    private final Map<String, Failure> failures = new ConcurrentHashMap<>();
    private final Map<String, Duration> latencies = new ConcurrentHashMap<>();
    private final Set<String> deafGuests = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicInteger> lostAnswers = new ConcurrentHashMap<>();

    InMemoryFaults() {
    }

    /**
     * Fails the next {@code times} calls of an operation.
     *
     * @param operation the operation, such as {@code createVm}
     * @param times how many calls fail
     * @param error makes the error from the operation's name
     * @return this
     */
    public InMemoryFaults failNext(String operation, int times, Function<String, ? extends HypervisorException> error) {
        failures.put(Objects.requireNonNull(operation), new Failure(new AtomicInteger(times), Objects.requireNonNull(error)));
        return this;
    }

    /**
     * Delays every call of an operation before it does anything.
     *
     * @param operation the operation
     * @param delay the added latency
     * @return this
     */
    public InMemoryFaults latency(String operation, Duration delay) {
        latencies.put(Objects.requireNonNull(operation), Objects.requireNonNull(delay));
        return this;
    }

    /**
     * Makes the guest of the named VM ignore graceful shutdown requests, as a hung guest would.
     *
     * @param vmName the VM's name
     * @return this
     */
    public InMemoryFaults ignoreShutdown(String vmName) {
        deafGuests.add(vmName);
        return this;
    }

    /**
     * Makes the next {@code times} calls of an operation take effect and then lose their answer,
     * as a connection reset after the server acted would: the caller sees a retryable
     * {@link io.dvmm.sdk.UnavailableException} although the VM was created (or deleted).
     *
     * @param operation the operation, such as {@code createVm}
     * @param times how many answers are lost
     * @return this
     */
    public InMemoryFaults loseAnswer(String operation, int times) {
        lostAnswers.put(Objects.requireNonNull(operation), new AtomicInteger(times));
        return this;
    }

    /** Removes every fault. */
    public void clear() {
        failures.clear();
        latencies.clear();
        deafGuests.clear();
        lostAnswers.clear();
    }

    boolean answerLost(String operation) {
        AtomicInteger n = lostAnswers.get(operation);
        return n != null && n.getAndDecrement() > 0;
    }

    HypervisorException nextFailure(String operation) {
        Failure f = failures.get(operation);
        if (f == null) {
            return null;
        }
        if (f.remaining().getAndDecrement() > 0) {
            return f.error().apply(operation);
        }
        failures.remove(operation, f);
        return null;
    }

    Duration latency(String operation) {
        return latencies.getOrDefault(operation, Duration.ZERO);
    }

    boolean ignoresShutdown(String vmName) {
        return deafGuests.contains(vmName);
    }
}
