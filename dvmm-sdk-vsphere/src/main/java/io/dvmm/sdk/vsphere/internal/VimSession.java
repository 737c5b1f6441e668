package io.dvmm.sdk.vsphere.internal;

import com.vmware.vim25.ManagedObjectReference;
import com.vmware.vim25.ServiceContent;
import io.dvmm.sdk.AuthenticationException;
import io.dvmm.sdk.Credentials;
import io.dvmm.sdk.HypervisorException;
import io.dvmm.sdk.UnavailableException;
import io.dvmm.sdk.spi.support.CallPolicy;
import io.dvmm.sdk.spi.support.Deadline;
import io.dvmm.sdk.spi.support.Futures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One vSphere session over a {@link VimClient}: service content and login (2 requests, once),
 * every request through the connection's {@link CallPolicy} exactly once, one re-login when the
 * server says {@code NotAuthenticated} (shared by every request that hears it), keepalive and
 * logout. The password is read from the {@link Credentials} at each login and kept no longer (a
 * login refused after a rotation reads it once more and, if it changed, logs in once more).
 * Session-scoped objects (collectors, views, filters) die with a session; requests on
 * them are not resent after a re-login, their owner rebuilds them ({@link #generation()}).
 */
final class VimSession {

    private static final Logger LOG = LoggerFactory.getLogger(VimSession.class);
    static final ManagedObjectReference SERVICE_INSTANCE = moRef("ServiceInstance", "ServiceInstance");

    /** The SDK operation a request serves and the deadline it must meet ({@code null}: only the read timeout). */
    record Scope(String operation, Deadline deadline) {
        static Scope of(String operation) {
            return new Scope(operation, null);
        }
    }

    private final VimClient client;
    private final CallPolicy calls;
    private final Credentials credentials;
    private final String username;
    private final Object lock = new Object();
    private final AtomicReference<CompletableFuture<ServiceContent>> login = new AtomicReference<>();
    private volatile ServiceContent content;
    private volatile int generation;
    private volatile boolean closed;

    VimSession(VimClient client, CallPolicy calls, Credentials credentials) {
        this.client = client;
        this.calls = calls;
        this.credentials = credentials;
        this.username = credentials.principal().orElseThrow();
    }

    static ManagedObjectReference moRef(String type, String value) {
        ManagedObjectReference ref = new ManagedObjectReference();
        ref.setType(type);
        ref.setVal(value);
        return ref;
    }

    /** Increments with every login; owners of session-scoped objects rebuild them when it changes. */
    int generation() {
        return generation;
    }

    boolean loggedIn() {
        CompletableFuture<ServiceContent> f = login.get();
        return f != null && f.isDone() && !f.isCompletedExceptionally();
    }

    /** @return the service content once logged in (logging in on first use) */
    CompletableFuture<ServiceContent> content() {
        CompletableFuture<ServiceContent> current = login.get();
        if (current != null && !current.isCompletedExceptionally()) {
            return current;
        }
        synchronized (lock) {
            current = login.get();
            if (current == null || current.isCompletedExceptionally()) {
                current = logIn();
                login.set(current);
            }
            return current;
        }
    }

    private CompletableFuture<ServiceContent> logIn() {
        if (closed) {
            return Futures.failed(new UnavailableException("connection is closed", VimErrors.ctx("login")));
        }
        Scope scope = Scope.of("login");
        CompletableFuture<ServiceContent> known = content == null
                ? send(scope, new VimClient.Call("RetrieveServiceContent", SERVICE_INSTANCE, List.of(), "ServiceContent", true, false))
                        .thenApply(c -> (ServiceContent) c)
                : CompletableFuture.completedFuture(content);
        return known.thenCompose(c -> {
            content = c;
            client.clearSession();
            String password;
            try {
                password = credentials.secret().orElseThrow();
            } catch (HypervisorException e) {
                return Futures.<ServiceContent>failed(e);
            }
            return login(scope, c, password).exceptionallyCompose(e -> {
                Throwable cause = Futures.unwrap(e);
                if (!(cause instanceof AuthenticationException) || !credentials.rotates()) {
                    return Futures.failed(cause);
                }
                String again;
                try {
                    again = credentials.secret().orElseThrow();
                } catch (HypervisorException reread) {
                    return Futures.failed(cause);
                }
                if (again.equals(password)) {
                    return Futures.failed(cause);
                }
                LOG.info("login to {} as {} refused; the password changed since it was read, logging in once more",
                        client.endpoint().getHost(), username);
                return login(scope, c, again);
            }).thenApply(session -> {
                synchronized (lock) {
                    generation++;
                }
                LOG.debug("logged in to {} as {}", client.endpoint().getHost(), username);
                return c;
            });
        });
    }

    private CompletableFuture<Object> login(Scope scope, ServiceContent c, String password) {
        return send(scope, new VimClient.Call("Login", c.getSessionManager(), List.of(
                new VimXmlWriter.Arg("userName", String.class, username),
                new VimXmlWriter.Arg("password", String.class, password)), "UserSession", true, false));
    }

    /**
     * Logs in again unless a login newer than {@code seenGeneration} already happened (or is on its way).
     *
     * @return completes once a session newer than {@code seenGeneration} exists
     */
    CompletableFuture<ServiceContent> relogin(int seenGeneration) {
        synchronized (lock) {
            CompletableFuture<ServiceContent> current = login.get();
            if (closed) {
                return Futures.failed(new UnavailableException("connection is closed", VimErrors.ctx("login")));
            }
            if (generation == seenGeneration && current != null && current.isDone()) {
                LOG.info("vSphere session on {} expired; logging in again", client.endpoint().getHost());
                current = logIn();
                login.set(current);
            }
            return content();
        }
    }

    /**
     * Sends a request in the session; on {@code NotAuthenticated} logs in again once and sends it
     * once more.
     */
    CompletableFuture<Object> call(Scope scope, VimClient.Call call) {
        return content().thenCompose(c -> {
            int seen = generation;
            return send(scope, call).exceptionallyCompose(e -> {
                Throwable cause = Futures.unwrap(e);
                if (!VimErrors.isNotAuthenticated(cause)) {
                    return Futures.failed(cause);
                }
                return relogin(seen).thenCompose(x -> send(scope, call)).exceptionallyCompose(e2 -> {
                    Throwable again = Futures.unwrap(e2);
                    return Futures.failed(VimErrors.isNotAuthenticated(again)
                            ? new AuthenticationException("the vSphere session expired and logging in again did not renew it",
                            VimErrors.ctx(scope.operation()), again) : again);
                });
            });
        });
    }

    /**
     * Sends a request on a session-scoped object: after {@code NotAuthenticated} it logs in again
     * but does not resend (the object died with the old session); the caller rebuilds and retries.
     */
    CompletableFuture<Object> callScoped(Scope scope, VimClient.Call call) {
        return content().thenCompose(c -> {
            int seen = generation;
            return send(scope, call).exceptionallyCompose(e -> {
                Throwable cause = Futures.unwrap(e);
                if (!VimErrors.isNotAuthenticated(cause)) {
                    return Futures.failed(cause);
                }
                return relogin(seen).handle((x, loginError) -> loginError)
                        .thenCompose(loginError -> Futures.failed(loginError != null ? Futures.unwrap(loginError) : cause));
            });
        });
    }

    /** The one place a request meets the retry policy: once per request. */
    private CompletableFuture<Object> send(Scope scope, VimClient.Call call) {
        return calls.call(scope.operation(), call.idempotent(), scope.deadline(), timeout -> client.send(call, timeout, scope.operation()));
    }

    /** Keeps the session from idling out; cheap ({@code CurrentTime}). Does nothing before the first login. */
    void keepAlive() {
        if (!loggedIn() || closed) {
            return;
        }
        call(Scope.of("keepalive"), new VimClient.Call("CurrentTime", SERVICE_INSTANCE, List.of(), "Calendar", true, false))
                .whenComplete((v, e) -> {
                    if (e != null) {
                        LOG.debug("keepalive failed: {}", Futures.unwrap(e).getMessage());
                    }
                });
    }

    /** Logs out (best effort, within {@code within}) and refuses further logins. */
    void logout(Duration within) {
        CompletableFuture<ServiceContent> current;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            current = login.get();
        }
        if (current == null || !current.isDone() || current.isCompletedExceptionally()) {
            return;
        }
        try {
            send(new Scope("close", Deadline.after(within)),
                    new VimClient.Call("Logout", current.join().getSessionManager(), List.of(), "void", false, false))
                    .get(within.toMillis() + CallPolicy.SLACK.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.debug("logout failed: {}", e.getCause() instanceof HypervisorException he ? he.getMessage() : e.toString());
        }
    }
}
