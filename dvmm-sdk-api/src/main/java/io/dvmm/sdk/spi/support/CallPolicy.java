package io.dvmm.sdk.spi.support;

import io.dvmm.sdk.CircuitBreakerPolicy;
import io.dvmm.sdk.ErrorContext;
import io.dvmm.sdk.HypervisorConfig;
import io.dvmm.sdk.HypervisorException;
import io.dvmm.sdk.OperationTimeoutException;
import io.dvmm.sdk.RetryPolicy;
import io.dvmm.sdk.UnavailableException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The one retry path of a connection, counted in requests on every provider: a request limit
 * ({@code maxConcurrentRequests}), a circuit breaker and retries with exponential back-off,
 * configured from {@link HypervisorConfig} and implemented with resilience4j (which never shows
 * in the SDK's public signatures). Waits (task polls, long polls' gaps) never hold a slot: only
 * a request on the wire does.
 *
 * <p>A request is retried only when its error is {@link HypervisorException#retryable()} and
 * either the request is idempotent or the error proves it never reached the server (connection
 * refused), so a retry never duplicates a VM. A server's {@code Retry-After} is honoured; no
 * retry starts after the operation's deadline, and each attempt's timeout is the smaller of the
 * read timeout and what is left of the deadline. A request refused by an open breaker fails at
 * once and is not retried. An attempt that outlives its timeout by more than {@link #SLACK}
 * (a transport that does not enforce it) fails with {@link OperationTimeoutException}.
 */
public final class CallPolicy {
    /** How long past its timeout an attempt may run before the policy gives up on it. */
    public static final Duration SLACK = Duration.ofMillis(500);

    private final String provider;
    private final AsyncLimiter limiter;
    private final CircuitBreaker breaker;
    private final int maxAttempts;
    private final IntervalFunction backoff;
    private final ScheduledExecutorService scheduler;
    private final Duration readTimeout;

    /**
     * @param provider the provider type, for errors
     * @param config the connection's configuration
     * @param scheduler schedules retries and timeouts
     */
    public CallPolicy(String provider, HypervisorConfig config, ScheduledExecutorService scheduler) {
        this(provider, config, scheduler, config.maxConcurrentRequests());
    }

    /**
     * For a transport that carries fewer requests at once than {@code maxConcurrentRequests}
     * (one per WinRM shell): the rest wait for a slot here, where waiting does not use up an
     * attempt's time, rather than inside the transport, where it would.
     *
     * @param provider the provider type, for errors
     * @param config the connection's configuration
     * @param scheduler schedules retries and timeouts
     * @param maxInFlight the most requests on the wire at once
     */
    public CallPolicy(String provider, HypervisorConfig config, ScheduledExecutorService scheduler, int maxInFlight) {
        this.provider = provider;
        this.scheduler = scheduler;
        this.readTimeout = config.readTimeout();
        this.limiter = new AsyncLimiter(Math.max(1, Math.min(config.maxConcurrentRequests(), maxInFlight)));
        CircuitBreakerPolicy cb = config.circuitBreaker();
        this.breaker = cb.enabled() ? CircuitBreaker.of(provider + "-" + config.endpoint(), CircuitBreakerConfig.custom()
                .failureRateThreshold(cb.failureRateThreshold())
                .slidingWindowSize(cb.slidingWindowSize())
                .minimumNumberOfCalls(cb.minimumCalls())
                .waitDurationInOpenState(cb.openDuration())
                .recordException(e -> Futures.unwrap(e) instanceof UnavailableException)
                .build()) : null;
        RetryPolicy rp = config.retry();
        this.maxAttempts = rp.maxAttempts();
        this.backoff = IntervalFunction.ofExponentialBackoff(Math.max(1, rp.initialBackoff().toMillis()), rp.multiplier(),
                Math.max(1, rp.maxBackoff().toMillis()));
    }

    /**
     * @param e an error
     * @param idempotent whether the request may be repeated
     * @return whether the policy would send the request again after it
     */
    static boolean shouldRetry(Throwable e, boolean idempotent) {
        if (!(e instanceof HypervisorException he) || refusedByBreaker(e)) {
            return false;
        }
        if (e instanceof OperationTimeoutException) {
            // One attempt's budget (the read timeout) ran out: an idempotent request is worth another
            // while the operation's deadline has time left (the caller checks that); others may have acted.
            return idempotent;
        }
        return he.retryable() && (idempotent || neverSent(e));
    }

    private static boolean refusedByBreaker(Throwable e) {
        return e.getCause() instanceof CallNotPermittedException;
    }

    /**
     * @param e an error
     * @return whether it proves the request never reached the server
     */
    public static boolean neverSent(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof CallNotPermittedException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Runs one request with the read timeout as its budget; see
     * {@link #call(String, boolean, Deadline, Function)}.
     *
     * @param operation the SDK operation, for errors
     * @param idempotent whether repeating the request is harmless
     * @param request sends the request once
     * @param <T> the value type
     * @return the request's result
     */
    public <T> CompletableFuture<T> call(String operation, boolean idempotent, Supplier<CompletableFuture<T>> request) {
        return call(operation, idempotent, null, t -> request.get());
    }

    /**
     * Runs one request under the connection's limit, breaker and retry policy, within a deadline.
     *
     * @param operation the SDK operation, for errors
     * @param idempotent whether repeating the request is harmless
     * @param deadline the operation's deadline, or {@code null} for none beyond the read timeout
     * @param request sends the request once, given the time it may take (the transport must
     *                enforce it over the whole answer, body included)
     * @param <T> the value type
     * @return the request's result
     */
    public <T> CompletableFuture<T> call(String operation, boolean idempotent, Deadline deadline,
                                         Function<Duration, CompletableFuture<T>> request) {
        ErrorContext ctx = ErrorContext.of(provider, operation);
        Supplier<CompletableFuture<T>> attempt = () -> {
            Duration budget = readTimeout;
            if (deadline != null) {
                if (deadline.expired()) {
                    return Futures.failed(new OperationTimeoutException("the deadline of " + deadline.budget()
                            + " passed before the request was sent", ctx));
                }
                Duration left = deadline.remaining();
                budget = left.compareTo(budget) < 0 ? left : budget;
            }
            Duration timeout = budget;
            return limiter.submit(() -> bounded(Futures.guard(() -> request.apply(timeout)), timeout, ctx));
        };
        Supplier<CompletableFuture<T>> guarded = breaker == null ? attempt : () -> {
            CompletableFuture<T> f = new CompletableFuture<>();
            CircuitBreaker.decorateCompletionStage(breaker, attempt::get).get().whenComplete((v, e) -> {
                if (e == null) {
                    f.complete(v);
                } else {
                    Throwable cause = Futures.unwrap(e);
                    f.completeExceptionally(cause instanceof CallNotPermittedException
                            ? new UnavailableException("circuit breaker is open after repeated failures; not calling the endpoint",
                            ctx, cause)
                            : cause);
                }
            });
            return f;
        };
        Retry retry = Retry.of(provider + "-" + operation, RetryConfig.custom().maxAttempts(maxAttempts)
                .retryOnException(e -> shouldRetry(Futures.unwrap(e), idempotent) && (deadline == null || !deadline.expired()))
                .intervalBiFunction((n, either) -> wait(n, either.isLeft() ? Futures.unwrap(either.getLeft()) : null, deadline))
                .build());
        CompletableFuture<T> out = new CompletableFuture<>();
        try {
            Retry.decorateCompletionStage(retry, scheduler, guarded::get).get().whenComplete((v, e) -> {
                if (e == null) {
                    out.complete(v);
                } else {
                    out.completeExceptionally(Futures.unwrap(e));
                }
            });
        } catch (RejectedExecutionException e) {
            out.completeExceptionally(new UnavailableException("connection is closed", ctx, e));
        }
        return out;
    }

    private long wait(int attempt, Throwable error, Deadline deadline) {
        long millis = backoff.apply(attempt);
        if (error instanceof HypervisorException he && he.context().retryAfter().isPresent()) {
            millis = Math.max(millis, he.context().retryAfter().get().toMillis());
        }
        if (deadline != null) {
            millis = Math.min(millis, TimeUnit.NANOSECONDS.toMillis(deadline.remaining().toNanos()));
        }
        return Math.max(0, millis);
    }

    /** Fails an attempt that outlives its timeout by more than {@link #SLACK}; the transport should have ended it. */
    private <T> CompletableFuture<T> bounded(CompletableFuture<T> attempt, Duration timeout, ErrorContext ctx) {
        if (attempt.isDone()) {
            return attempt;
        }
        CompletableFuture<T> out = new CompletableFuture<>();
        ScheduledFuture<?> timer;
        try {
            timer = scheduler.schedule(() -> {
                if (out.completeExceptionally(new OperationTimeoutException("no complete answer within " + timeout, ctx))) {
                    attempt.cancel(true);
                }
            }, timeout.plus(SLACK).toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            return attempt;
        }
        attempt.whenComplete((v, e) -> {
            timer.cancel(false);
            if (e == null) {
                out.complete(v);
            } else {
                out.completeExceptionally(Futures.unwrap(e));
            }
        });
        Futures.onCancel(out, () -> attempt.cancel(true));
        return out;
    }

    /** @return the most requests that were in flight at once */
    public int peakInFlight() {
        return limiter.peakInFlight();
    }

    /** @return the requests in flight now */
    public int inFlight() {
        return limiter.inFlight();
    }
}
