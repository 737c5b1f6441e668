package io.dvmm.sdk.vsphere.internal;

import com.vmware.vim25.AlreadyExists;
import com.vmware.vim25.ConcurrentAccess;
import com.vmware.vim25.DuplicateName;
import com.vmware.vim25.FileAlreadyExists;
import com.vmware.vim25.FileFault;
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
import io.dvmm.sdk.NotFoundException;
import io.dvmm.sdk.OperationFailedException;
import io.dvmm.sdk.PermissionDeniedException;
import io.dvmm.sdk.ProtocolException;
import io.dvmm.sdk.ResourceExhaustedException;
import io.dvmm.sdk.UnavailableException;

import java.net.ConnectException;
import java.util.List;

/**
 * The one error mapper of the vSphere provider: vim25 faults (by their class in yavijava's
 * model, so subclasses map like their parents, else by name for faults newer than the model),
 * HTTP and transport failures, into the SDK's typed exceptions.
 */
final class VimErrors {

    static final String PROVIDER = "vsphere";

    private VimErrors() {
    }

    static HypervisorException map(Throwable error, String operation) {
        if (error instanceof HypervisorException he) {
            return he;
        }
        if (error instanceof VimCallException e) {
            return map(e, operation);
        }
        return new OperationFailedException(error.getClass().getSimpleName()
                + (error.getMessage() == null ? "" : ": " + error.getMessage()),
                ErrorContext.of(PROVIDER, operation), null, List.of(), false, error);
    }

    static HypervisorException map(VimCallException e, String operation) {
        ErrorContext ctx = new ErrorContext(PROVIDER, operation,
                e.faultType() != null ? e.faultType() : (e.httpStatus() > 0 ? "HTTP " + e.httpStatus() : null), null);
        return switch (e.kind()) {
            case FAULT -> fault(e.faultDetail(), e.faultType(), e.getMessage(), ctx, e);
            case HTTP -> e.httpStatus() == 502 || e.httpStatus() == 503 || e.httpStatus() == 504
                    ? new UnavailableException(e.getMessage(), ctx, e)
                    : new ProtocolException(e.getMessage(), ctx, e);
            case PROTOCOL -> new ProtocolException(e.getMessage(), ctx, e);
            case TIMEOUT -> new UnavailableException(e.getMessage(), ctx, e);
            case TRANSPORT -> "TLS".equals(e.faultType())
                    ? new UnavailableException(e.getMessage() + " (check the connection's TlsOptions)",
                    new ErrorContext(PROVIDER, operation, "TLS", null), e) {
                        private static final long serialVersionUID = 1L;

                        @Override
                        public boolean retryable() {
                            return false;
                        }
                    }
                    : new UnavailableException(e.getMessage(), ctx, e.notSent() ? new ConnectException("not sent") : e);
        };
    }

    /** Maps a task's error ({@code TaskInfo.error}). */
    static HypervisorException taskFault(LocalizedMethodFault error, String operation, String taskId) {
        MethodFault fault = error == null ? null : error.getFault();
        String type = fault == null ? "TaskFailed" : fault.getClass().getSimpleName();
        String message = error == null || error.getLocalizedMessage() == null ? type : error.getLocalizedMessage();
        ErrorContext ctx = new ErrorContext(PROVIDER, operation, type, message);
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
        if (detail instanceof InvalidArgument || detail instanceof InvalidName || detail instanceof InvalidDatastore) {
            return new io.dvmm.sdk.InvalidSpecException("spec", message + " (rejected by the server)", ctx);
        }
        if (detail instanceof FileFault) {
            return new OperationFailedException(message, ctx, null, List.of(), false, cause);
        }
        return new OperationFailedException(message, ctx, null, List.of(), false, cause);
    }
}
