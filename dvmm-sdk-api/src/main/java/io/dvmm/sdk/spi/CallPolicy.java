package io.dvmm.sdk.spi;

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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

/**
 * The one retry path of a connection: a request limit, a circuit breaker and retries with
 * exponential back-off, configured from {@link HypervisorConfig} and implemented with
 * resilience4j (which never shows in the SDK's public signatures).
 *
 * <p>A call is retried only when its error is {@link HypervisorException#retryable()} and either
 * the call is idempotent or the error proves the request never reached the server (connection
 * refused), so a retry never duplicates a VM.
 */
public final class CallPolicy {
    private final String provider;
    private final AsyncLimiter limiter;
    private final CircuitBreaker breaker;
    private final Retry idempotentRetry;
    private final Retry unsentOnlyRetry;
    private final ScheduledExecutorService scheduler;

    /**
     * @param provider the provider type, for errors
     * @param config the connection's configuration
     * @param scheduler schedules retries
     */
    public CallPolicy(String provider, HypervisorConfig config, ScheduledExecutorService scheduler) {
        this.provider = provider;
        this.scheduler = scheduler;
        this.limiter = new AsyncLimiter(config.maxConcurrentRequests());
        CircuitBreakerPolicy cb = config.circuitBreaker();
        this.breaker = cb.enabled() ? CircuitBreaker.of(provider + "-" + config.endpoint(), CircuitBreakerConfig.custom()
                .failureRateThreshold(cb.failureRateThreshold())
                .slidingWindowSize(cb.slidingWindowSize())
                .minimumNumberOfCalls(cb.minimumCalls())
                .waitDurationInOpenState(cb.openDuration())
                .recordException(e -> isOutage(Futures.unwrap(e)))
                .build()) : null;
        RetryPolicy rp = config.retry();
        this.idempotentRetry = retry(provider + "-idempotent", rp, true);
        this.unsentOnlyRetry = retry(provider + "-unsent", rp, false);
    }

    private static Retry retry(String name, RetryPolicy rp, boolean idempotent) {
        RetryConfig.Builder<Object> b = RetryConfig.custom().maxAttempts(rp.maxAttempts())
                .retryOnException(e -> shouldRetry(Futures.unwrap(e), idempotent));
        if (rp.maxAttempts() > 1) {
            b.intervalFunction(IntervalFunction.ofExponentialBackoff(
                    Math.max(1, rp.initialBackoff().toMillis()), rp.multiplier(), Math.max(1, rp.maxBackoff().toMillis())));
        }
        return Retry.of(name, b.build());
    }

    static boolean shouldRetry(Throwable e, boolean idempotent) {
        if (!(e instanceof HypervisorException he) || !he.retryable() || e instanceof OperationTimeoutException) {
            return false;
        }
        return idempotent || neverSent(e);
    }

    /**
     * @param e an error
     * @return whether it proves the request never reached the server
     */
    public static boolean neverSent(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException) {
                return true;
            }
        }
        return false;
    }

    private static boolean isOutage(Throwable e) {
        return e instanceof UnavailableException;
    }

    /**
     * Runs one request under the connection's limit, breaker and retry policy.
     *
     * @param operation the SDK operation, for errors
     * @param idempotent whether repeating the request is harmless
     * @param request sends the request once
     * @param <T> the value type
     * @return the request's result
     */
    public <T> CompletableFuture<T> call(String operation, boolean idempotent, Supplier<CompletableFuture<T>> request) {
        Supplier<CompletableFuture<T>> limited = () -> limiter.submit(request);
        Supplier<CompletableFuture<T>> guarded = breaker == null ? limited : () -> {
            CompletableFuture<T> f = new CompletableFuture<>();
            CircuitBreaker.decorateCompletionStage(breaker, limited::get).get().whenComplete((v, e) -> {
                if (e == null) {
                    f.complete(v);
                } else {
                    Throwable cause = Futures.unwrap(e);
                    f.completeExceptionally(cause instanceof CallNotPermittedException
                            ? new UnavailableException("circuit breaker is open after repeated failures; not calling the endpoint",
                            ErrorContext.of(provider, operation), cause)
                            : cause);
                }
            });
            return f;
        };
        Retry retry = idempotent ? idempotentRetry : unsentOnlyRetry;
        CompletableFuture<T> out = new CompletableFuture<>();
        Retry.decorateCompletionStage(retry, scheduler, guarded::get).get().whenComplete((v, e) -> {
            if (e == null) {
                out.complete(v);
            } else {
                out.completeExceptionally(Futures.unwrap(e));
            }
        });
        return out;
    }

    /** @return the most requests that were in flight at once */
    public int peakInFlight() {
        return limiter.peakInFlight();
    }
}
