package io.dvmm.sdk;

/**
 * Hears every request a connection sends, after its answer (or failure) arrived: for metrics,
 * tracing and tests that count round trips. Set per connection with
 * {@link HypervisorConfig.Builder#requestListener(RequestListener)}. Called on SDK threads; it must
 * return quickly and not block. An exception it throws is logged and ignored.
 */
@FunctionalInterface
public interface RequestListener {

    /** A listener that ignores every request. */
    RequestListener NONE = e -> { };

    /**
     * @param event the request and its outcome
     */
    void onRequest(RequestEvent event);
}
