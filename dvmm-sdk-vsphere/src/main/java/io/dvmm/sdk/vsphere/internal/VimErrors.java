package io.dvmm.sdk.vsphere.internal;

import com.vmware.vim25.AlreadyExists;
import com.vmware.vim25.ConcurrentAccess;
import com.vmware.vim25.DuplicateName;
import com.vmware.vim25.FileAlreadyExists;
import com.vmware.vim25.FileNotFound;
import com.vmware.vim25.InsufficientResourcesFault;
import com.vmware.vim25.InvalidArgument;
import com.vmware.vim25.InvalidDatastore;
import com.vmware.vim25.InvalidLogin;
import com.vmware.vim25.InvalidName;
import com.vmware.vim25.InvalidState;
import com.vmware.vim25.LocalizedMethodFault;
import com.vmware.vim25.ManagedObjectNotFound;
import com.vmware.vim25.MethodDisabled;
import com.vmware.vim25.MethodFault;
import com.vmware.vim25.NoPermission;
import com.vmware.vim25.NotAuthenticated;
import com.vmware.vim25.NotFound;
import com.vmware.vim25.OutOfBounds;
import com.vmware.vim25.TaskInProgress;
import com.vmware.vim25.ToolsUnavailable;
import io.dvmm.sdk.AuthenticationException;
import io.dvmm.sdk.BusyException;
import io.dvmm.sdk.ConflictException;
import io.dvmm.sdk.ErrorContext;
import io.dvmm.sdk.HypervisorException;
import io.dvmm.sdk.InvalidSpecException;
import io.dvmm.sdk.NotFoundException;
import io.dvmm.sdk.OperationFailedException;
import io.dvmm.sdk.OperationTimeoutException;
import io.dvmm.sdk.PermissionDeniedException;
import io.dvmm.sdk.ProtocolException;
import io.dvmm.sdk.ResourceExhaustedException;
import io.dvmm.sdk.UnavailableException;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The one error mapper of the vSphere provider: vim25 faults (by their class in yavijava's
 * model, so subclasses map like their parents, else by name for faults newer than the model),
 * task errors, HTTP statuses and transport failures, into the SDK's typed exceptions. The fault's
 * type name becomes the error's {@code serverCode}, its {@code faultstring} the server message
 * (already cut by the reader and by {@link ErrorContext}).
 */
final class VimErrors {

    static final String PROVIDER = "vsphere";
    /** The server code of a refused TLS handshake. */
    static final String TLS = "TLS";

    private VimErrors() {
    }

    static ErrorContext ctx(String operation) {
        return ErrorContext.of(PROVIDER, operation);
    }

    /**
     * @param error any failure of a step
     * @param operation the SDK operation
     * @return it as the SDK's typed exception
     */
    static HypervisorException map(Throwable error, String operation) {
        if (error instanceof HypervisorException he) {
            return he;
        }
        if (error instanceof IllegalArgumentException e) {
            // VimXmlWriter refuses characters XML cannot carry.
            return new InvalidSpecException("spec", e.getMessage(), ctx(operation));
        }
        return new OperationFailedException(error.getClass().getSimpleName()
                + (error.getMessage() == null ? "" : ": " + error.getMessage()), ctx(operation), null, List.of(), false, error);
    }

    /** @return whether the error is the server saying the session is gone */
    static boolean isNotAuthenticated(Throwable error) {
        return error instanceof HypervisorException he && he.serverCode().filter("NotAuthenticated"::equals).isPresent();
    }

    /** @return whether the error is the server saying an object does not exist */
    static boolean isNotFound(Throwable error) {
        return error instanceof NotFoundException;
    }

    /** A SOAP fault answered to {@code method}. */
    static HypervisorException fault(VimXmlReader.SoapFault f, String method, String operation) {
        String type = f.typeName() != null ? f.typeName() : "SoapFault";
        ErrorContext ctx = ErrorContext.builder().provider(PROVIDER).operation(operation).serverCode(type)
                .serverMessage(f.message()).build();
        return fault(f.detail(), type, method + " failed: " + type, ctx, null);
    }

    /** A task's error ({@code TaskInfo.error}). */
    static HypervisorException taskFault(LocalizedMethodFault error, String operation, String taskId) {
        MethodFault fault = error == null ? null : error.getFault();
        String type = fault == null ? "TaskFailed" : fault.getClass().getSimpleName();
        String message = error == null || error.getLocalizedMessage() == null ? type : error.getLocalizedMessage();
        ErrorContext ctx = ErrorContext.builder().provider(PROVIDER).operation(operation).serverCode(type)
                .serverMessage(message).build();
        HypervisorException mapped = fault(fault, type, "task " + taskId + " failed: " + type, ctx, null);
        if (mapped instanceof OperationFailedException) {
            return new OperationFailedException("task " + taskId + " failed: " + message, ctx, taskId, List.of(message));
        }
        return mapped;
    }

    private static HypervisorException fault(Object detail, String type, String message, ErrorContext ctx, Throwable cause) {
        if (detail instanceof InvalidLogin || detail instanceof NotAuthenticated
                || "InvalidLogin".equals(type) || "NotAuthenticated".equals(type)) {
            return new AuthenticationException(message, ctx, cause);
        }
        if (detail instanceof NoPermission || "NoPermission".equals(type)) {
            return new PermissionDeniedException(message, ctx, cause);
        }
        if (detail instanceof ManagedObjectNotFound || detail instanceof NotFound || detail instanceof FileNotFound
                || "ManagedObjectNotFound".equals(type) || "NotFound".equals(type)) {
            return new NotFoundException(message, ctx, cause);
        }
        if (detail instanceof DuplicateName || detail instanceof AlreadyExists || detail instanceof FileAlreadyExists
                || "DuplicateName".equals(type) || "AlreadyExists".equals(type)) {
            return new ConflictException(message, ctx, cause);
        }
        if (detail instanceof InvalidState || detail instanceof TaskInProgress || detail instanceof ConcurrentAccess
                || detail instanceof MethodDisabled || detail instanceof ToolsUnavailable
                || "InvalidState".equals(type) || "InvalidPowerState".equals(type) || "TaskInProgress".equals(type)) {
            return new BusyException(message, ctx, cause);
        }
        if (detail instanceof InsufficientResourcesFault || (type != null && type.startsWith("Insufficient"))
                || detail instanceof OutOfBounds) {
            return new ResourceExhaustedException(message, ctx, cause);
        }
        if (detail instanceof InvalidArgument a && a.getInvalidProperty() != null && !a.getInvalidProperty().isBlank()) {
            String property = a.getInvalidProperty();
            return new InvalidSpecException(specField(property), "rejected by the server (invalid property " + property + "): "
                    + message, ctx);
        }
        if (detail instanceof InvalidName || "InvalidName".equals(type)) {
            return new InvalidSpecException("name", "rejected by the server: " + message, ctx);
        }
        if (detail instanceof InvalidDatastore || "InvalidDatastore".equals(type)) {
            return new InvalidSpecException("placement.datastore", "rejected by the server: " + message, ctx);
        }
        if (detail instanceof InvalidArgument || "InvalidArgument".equals(type)) {
            return new InvalidSpecException("spec", "rejected by the server: " + message, ctx);
        }
        if ("RequestCanceled".equals(type)) {
            return new UnavailableException(message, ctx, cause);
        }
        return new OperationFailedException(message, ctx, null, List.of(), false, cause);
    }

    /** The server's property paths, by their last segments, and the spec field each comes from. */
    private static final Map<String, String> SPEC_FIELDS = Map.ofEntries(
            Map.entry("location.pool", "placement.resourcePool"),
            Map.entry("location.host", "placement.host"),
            Map.entry("location.datastore", "placement.datastore"),
            Map.entry("location.folder", "placement.folder"),
            Map.entry("numCPUs", "cpuCount"),
            Map.entry("numCoresPerSocket", "cpuCount"),
            Map.entry("memoryMB", "memoryMiB"),
            Map.entry("annotation", "providerOptions.annotation"),
            Map.entry("name", "name"),
            Map.entry("folder", "placement.folder"),
            Map.entry("pool", "placement.resourcePool"),
            Map.entry("host", "placement.host"));

    /**
     * @param property the path a server fault names ({@code spec.location.pool})
     * @return the spec field it comes from ({@code placement.resourcePool}), or the path itself
     *         when the SDK does not set it under one field
     */
    static String specField(String property) {
        for (Map.Entry<String, String> e : SPEC_FIELDS.entrySet()) {
            if (property.equals(e.getKey()) || property.endsWith("." + e.getKey())) {
                return e.getValue();
            }
        }
        return property;
    }

    /** An HTTP status other than 200 or a 500 carrying a SOAP fault. */
    static HypervisorException http(int status, Duration retryAfter, String method, String operation) {
        ErrorContext ctx = ErrorContext.builder().provider(PROVIDER).operation(operation).serverCode("HTTP " + status)
                .retryAfter(retryAfter).build();
        if (status == 502 || status == 503 || status == 504 || status == 429) {
            return new UnavailableException(method + ": HTTP " + status, ctx);
        }
        // A 500 that is no SOAP fault is a front end's error page (a load balancer, a restarting vpxd): transient.
        return new ProtocolException(method + ": HTTP " + status + " is not a vim25 answer", ctx, status == 500, null);
    }

    /** A response that is not a vim25 answer: malformed, truncated or too large. */
    static HypervisorException protocol(String message, String method, String operation, Throwable cause) {
        return new ProtocolException(method + ": " + message, ctx(operation), cause);
    }

    /**
     * An answer that does not parse: cut short or garbled on its way (a proxy, a dropped
     * connection), so worth another try where repeating the request is harmless.
     */
    static HypervisorException garbled(String message, String method, String operation, Throwable cause) {
        return new ProtocolException(method + ": " + message, ctx(operation), true, cause);
    }

    /**
     * A failure of the exchange itself.
     *
     * @param e what the transport threw
     * @param sent whether the request may have reached the server (its headers were written)
     * @param timeout the attempt's budget, for a timeout's message
     */
    static HypervisorException transport(Throwable e, boolean sent, Duration timeout, String method, String operation,
                                         String host) {
        Throwable tls = tlsCause(e);
        if (tls != null) {
            return new AuthenticationException(method + ": the TLS handshake with " + host + " failed: " + tls.getMessage()
                    + " (check the connection's TlsOptions)", ErrorContext.builder().provider(PROVIDER).operation(operation)
                    .serverCode(TLS).build(), e);
        }
        if (e instanceof InterruptedIOException && "timeout".equals(e.getMessage())
                || e instanceof java.net.SocketTimeoutException) {
            return new OperationTimeoutException(method + ": no complete answer within " + timeout, ctx(operation), e);
        }
        String what = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        if (!sent || e instanceof ConnectException || e instanceof UnknownHostException || e instanceof NoRouteToHostException) {
            // Provably never reached the server: a ConnectException cause lets even a task request be sent again.
            ConnectException notSent = new ConnectException(method + " was not sent: " + what);
            notSent.initCause(e);
            return new UnavailableException(method + ": cannot reach " + host + ": " + what, ctx(operation), notSent);
        }
        return new UnavailableException(method + ": the exchange with " + host + " failed: " + what, ctx(operation), e);
    }

    private static Throwable tlsCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SSLHandshakeException || t instanceof SSLPeerUnverifiedException || t instanceof CertificateException) {
                return t;
            }
            if (t instanceof SSLException && t.getMessage() != null && t.getMessage().toLowerCase(java.util.Locale.ROOT)
                    .contains("certificate")) {
                return t;
            }
        }
        return null;
    }
}
