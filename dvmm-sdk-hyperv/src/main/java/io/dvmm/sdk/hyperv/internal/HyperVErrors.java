package io.dvmm.sdk.hyperv.internal;

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
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLException;
import javax.xml.ws.soap.SOAPFaultException;
import org.apache.cxf.transport.http.HTTPException;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The one error mapper of the Hyper-V provider: a script's failure line ({@code ok=false}: .NET exception type and
 * PowerShell {@code FullyQualifiedErrorId}, the scripts' own {@code Hvsdk*} ids first) and a transport failure
 * (TLS, refused connection, HTTP status, WS-Man fault code) to the SDK's exception tree.
 */
final class HyperVErrors {
    /** WS-Man fault: the shell is gone (closed by the host's idle timeout or quota). */
    static final String SHELL_NOT_FOUND = "2150858843";
    /** WS-Man fault: the operation timeout passed with no output (winrm4j sends Receive again). */
    static final String OPERATION_TIMEOUT = "2150858793";
    /** WS-Man fault: "The filename or extension is too long" (a command line past cmd.exe's limit). */
    static final String TOO_LONG = "2147942606";
    /** WS-Man fault: access denied (not an administrator of the host, or no "Hyper-V Administrators"). */
    static final String ACCESS_DENIED = "5";
    /** WS-Man fault: the user has reached MaxShellsPerUser or another quota. */
    static final String QUOTA = "2150859174";

    private HyperVErrors() {
    }

    /**
     * @param failure the script's failure members
     * @param ctx provider and operation
     * @param field the spec field an invalid argument most likely concerns, or {@code null}
     * @return the exception to fail with
     */
    static HypervisorException fromScript(HyperVWire.Failure failure, ErrorContext ctx, String field) {
        String id = failure.id() == null ? "" : failure.id();
        String type = failure.type() == null ? "" : failure.type();
        String msg = failure.msg() == null || failure.msg().isBlank() ? id : failure.msg().strip();
        ErrorContext c = ctx.withServer(id.isEmpty() ? type : id, msg);
        String head = id.contains(",") ? id.substring(0, id.indexOf(',')) : id;
        switch (head) {
            case "HvsdkNotFound", "ObjectNotFound", "VMNotFound", "PathNotFound" -> {
                return new NotFoundException(msg, c);
            }
            case "HvsdkConflict" -> {
                return new ConflictException(msg, c);
            }
            case "HvsdkInvalidArgument", "HvsdkAmbiguous", "InvalidParameter", "ParameterArgumentValidationError",
                 "ParameterArgumentTransformationError", "ParameterBindingFailed", "InvalidArgument",
                 "CannotConvertArgumentNoMessage" -> {
                return new InvalidSpecException(field == null ? "request" : field, msg, c);
            }
            case "HvsdkInvalidState", "InvalidState", "InvalidOperation" -> {
                return new ConflictException(msg, c);
            }
            case "HvsdkOperationFailed" -> {
                return new OperationFailedException(msg, c, null, List.of());
            }
            case "OperationTimeout" -> {
                return new OperationTimeoutException(msg, c);
            }
            case "PermissionDenied", "AccessDenied", "UnauthorizedAccess" -> {
                return new PermissionDeniedException(msg, c);
            }
            case "ResourceBusy", "ObjectInUse" -> {
                return new BusyException(msg, c);
            }
            case "OutOfMemory", "QuotaExceeded", "ResourceUnavailable", "InsufficientResources" -> {
                return new ResourceExhaustedException(msg, c);
            }
            case "CommandNotFoundException" -> {
                return new OperationFailedException("the host lacks the Hyper-V PowerShell module (install the "
                        + "Hyper-V management tools): " + msg, c, null, List.of());
            }
            default -> {
                // fall through to the exception type
            }
        }
        return switch (type) {
            case "System.UnauthorizedAccessException", "System.Security.SecurityException" -> new PermissionDeniedException(msg, c);
            case "System.IO.FileNotFoundException", "System.IO.DirectoryNotFoundException",
                 "System.Management.Automation.ItemNotFoundException" -> new NotFoundException(msg, c);
            case "System.ArgumentException", "System.ArgumentNullException", "System.ArgumentOutOfRangeException",
                 "System.FormatException" -> new InvalidSpecException(field == null ? "request" : field, msg, c);
            case "System.TimeoutException" -> new OperationTimeoutException(msg, c);
            case "System.OutOfMemoryException", "System.InsufficientMemoryException" -> new ResourceExhaustedException(msg, c);
            case "System.Management.Automation.CommandNotFoundException" -> new OperationFailedException(
                    "the host lacks a PowerShell command the script calls (Hyper-V management tools?): " + msg, c, null, List.of());
            default -> new OperationFailedException(msg, c, null, List.of());
        };
    }

    /**
     * @param error what winrm4j or CXF threw
     * @param ctx provider and operation
     * @return the exception to fail with; a refused connection stays the cause, so retries know nothing was sent
     */
    static HypervisorException fromTransport(Throwable error, ErrorContext ctx) {
        if (error instanceof HypervisorException he) {
            return he;
        }
        String fault = faultCode(error);
        if (fault != null) {
            String text = faultText(error);
            ErrorContext c = ctx.withServer(fault, text);
            return switch (fault) {
                case ACCESS_DENIED -> new PermissionDeniedException("WinRM denied access (the user must be an administrator "
                        + "of the host or in \"Hyper-V Administrators\", with LocalAccountTokenFilterPolicy=1 for local "
                        + "accounts): " + text, c, error);
                case QUOTA -> new ResourceExhaustedException("a WinRM quota of the host is reached (MaxShellsPerUser?); "
                        + "lower hyperv.shells: " + text, c, error);
                case TOO_LONG -> new ProtocolException("the command line is too long for cmd.exe: " + text, c, error);
                case SHELL_NOT_FOUND -> new UnavailableException("the WinRM shell is gone: " + text, c, error);
                default -> new UnavailableException("WS-Management fault " + fault + ": " + text, c, error);
            };
        }
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof WinRmLogin.Refused refused) {
                return refused.toException(ctx);
            }
        }
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SSLException) {
                return new AuthenticationException("TLS verification of the server failed (certificate not trusted, "
                        + "pin mismatch or handshake refused): " + t.getMessage(), ctx, error);
            }
            if (t instanceof ConnectException) {
                return new UnavailableException("cannot connect: " + t.getMessage(), ctx, t);
            }
            if (t instanceof UnknownHostException) {
                return new UnavailableException("unknown host: " + t.getMessage(), ctx, error);
            }
            if (t instanceof HTTPException h) {
                return fromStatus(h.getResponseCode(), h.getResponseMessage(), ctx, error);
            }
            if (t instanceof SocketTimeoutException || t instanceof InterruptedIOException) {
                return new UnavailableException("the host did not answer in time: " + t.getMessage(), ctx, error);
            }
            String m = String.valueOf(t.getMessage());
            if (m.contains("Authorization loop detected") || m.contains("Invalid credentials or incompatible authentication")) {
                return new AuthenticationException("authentication failed (wrong user or password, or the host does not "
                        + "accept this authentication scheme)", ctx.withServer("401", null), null);
            }
            java.util.regex.Matcher status = java.util.regex.Pattern.compile("HTTP response '(\\d{3}): ([^']*)'").matcher(m);
            if (status.find()) {
                return fromStatus(Integer.parseInt(status.group(1)), status.group(2), ctx, error);
            }
        }
        return new UnavailableException("the WinRM request failed: " + describe(error), ctx, error);
    }

    static HypervisorException fromStatus(int status, String reason, ErrorContext ctx, Throwable cause) {
        ErrorContext c = ctx.withServer(Integer.toString(status), reason);
        if (status == 401) {
            return new AuthenticationException("authentication failed (wrong user or password, or the host does not "
                    + "accept this authentication scheme; Basic needs WinRM's Basic enabled)", c, null);
        }
        if (status == 403) {
            return new PermissionDeniedException("WinRM refused the request: " + reason, c, cause);
        }
        if (status == 404) {
            return new ProtocolException("no WinRM listener at this URL (is it /wsman on the right port?): " + reason, c, cause);
        }
        if (status == 413) {
            return new ProtocolException("the host refused the envelope as too large: " + reason, c, cause);
        }
        return new UnavailableException("HTTP " + status + " from the WinRM listener: " + reason, c, cause);
    }

    /** @return the WS-Man fault code of a SOAP fault in the chain ({@code s:Detail/f:WSManFault/@Code}), or {@code null} */
    static String faultCode(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SOAPFaultException sf && sf.getFault() != null && sf.getFault().getDetail() != null) {
                NodeList details = sf.getFault().getDetail().getChildNodes();
                for (int i = 0; i < details.getLength(); i++) {
                    Node n = details.item(i);
                    if ("WSManFault".equals(n.getLocalName()) && n.getAttributes() != null) {
                        Node code = n.getAttributes().getNamedItem("Code");
                        if (code != null) {
                            return code.getNodeValue();
                        }
                    }
                }
            }
        }
        return null;
    }

    private static String faultText(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SOAPFaultException sf && sf.getFault() != null) {
                return String.valueOf(sf.getFault().getFaultString()).strip();
            }
        }
        return describe(error);
    }

    private static String describe(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage();
        return root.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    /**
     * A command that never reached the host: retryable, and carrying a {@link ConnectException} (the SDK's mark of a
     * request that provably never left, {@link io.dvmm.sdk.spi.support.CallPolicy#neverSent}), so that even a command
     * that changes the host is sent again and a create counts as not made.
     *
     * @param message what happened
     * @param ctx provider and operation
     * @param cause the failure that kept it from being sent, or {@code null}
     * @return the exception
     */
    static UnavailableException notSent(String message, ErrorContext ctx, Throwable cause) {
        ConnectException mark = new ConnectException("not sent");
        if (cause != null) {
            mark.initCause(cause);
        }
        return new UnavailableException(message, cause instanceof HypervisorException he ? he.context() : ctx, mark);
    }

    /**
     * @param error a command's failure
     * @return whether the command may or may not have run: its answer lost, late, cut off or garbled, or its request
     *         lost on the way (anything but the script's own answer, the host's refusal, or a connection refused)
     */
    static boolean outcomeUnknown(Throwable error) {
        Throwable t = io.dvmm.sdk.spi.support.Futures.unwrap(error);
        if (io.dvmm.sdk.spi.support.CallPolicy.neverSent(t)) {
            return false;
        }
        return t instanceof UnavailableException || t instanceof ProtocolException || t instanceof OperationTimeoutException;
    }

    /** @return whether a failure is the shell-not-found fault, after which a command may be sent once more on a new shell */
    static boolean shellGone(Throwable error) {
        return SHELL_NOT_FOUND.equals(faultCode(error));
    }

    /** @return a lower-case description for logs */
    static String brief(Throwable error) {
        return describe(error).toLowerCase(Locale.ROOT);
    }
}
