package io.dvmm.sdk.powervm.internal;

import io.dvmm.sdk.AuthenticationException;
import io.dvmm.sdk.BusyException;
import io.dvmm.sdk.ConflictException;
import io.dvmm.sdk.ErrorContext;
import io.dvmm.sdk.HypervisorException;
import io.dvmm.sdk.InvalidSpecException;
import io.dvmm.sdk.NotFoundException;
import io.dvmm.sdk.OperationFailedException;
import io.dvmm.sdk.PermissionDeniedException;
import io.dvmm.sdk.ProtocolException;
import io.dvmm.sdk.ResourceExhaustedException;
import io.dvmm.sdk.UnavailableException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * The one error mapper of the PowerVM provider: HTTP status and the {@code HttpErrorResponse}
 * the HMC puts in the body ({@code ReasonCode}, {@code Message}), transport failures, and the
 * failure text of jobs (with their {@code HSCL} codes) become the SDK's exception tree. Every
 * message names the request.
 */
final class HmcErrors {
    /** {@code HSCL3681}: the partition is already powered on; a PowerOn that finds it so succeeded. */
    static final String ALREADY_ON = "HSCL3681";
    /** {@code HSCL1558}: the partition is already powered off. */
    static final String ALREADY_OFF = "HSCL1558";
    /** {@code HSCL0DB4}: an OS shutdown needs RMC; the caller falls back to a VSP shutdown. */
    static final String NO_RMC = "HSCL0DB4";
    /** {@code HSCL05DF}: the partition is not in a state for the operation. */
    static final String WRONG_STATE = "HSCL05DF";
    /** What the HMC answers when a body does not bind to its schema (element order, unknown element). */
    static final String UNMARSHAL = "Failed to unmarshal input payload";

    private static final Pattern HSCL = Pattern.compile("\\b(HSCL[0-9A-F]{4})\\b");
    private static final Pattern VIOS_CODE = Pattern.compile("\\b(VIOS[0-9A-F]{4})\\b");

    private HmcErrors() {
    }

    /**
     * @param text a message
     * @return the first {@code HSCLxxxx} code in it
     */
    static Optional<String> hscl(String text) {
        if (text == null) {
            return Optional.empty();
        }
        Matcher m = HSCL.matcher(text);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /**
     * @param status the HTTP status
     * @param message the HMC's message, possibly null
     * @return whether the answer says a VIOS is busy (the request was not carried out)
     */
    static boolean viosBusy(int status, String message) {
        if (status == 503) {
            return true;
        }
        String m = message == null ? "" : message;
        return status >= 500 && (m.contains("HSCL3205") || m.contains("VIOS0014")
                || m.toLowerCase(Locale.ROOT).contains("is busy processing some other request"));
    }

    /**
     * @param status the HTTP status
     * @param error the {@code HttpErrorResponse} of the body, or {@code null}
     * @param reasonPhrase the status line's reason
     * @param retryAfter the wait the answer asks for, or {@code null}
     * @param what the request, such as {@code PUT /rest/api/uom/...}
     * @param ctx provider and operation
     * @return the exception to fail with
     */
    static HypervisorException fromResponse(int status, HmcObjects.HttpErrorResponse error, String reasonPhrase,
                                            Duration retryAfter, String what, ErrorContext ctx) {
        String message = error != null && error.message() != null && !error.message().isBlank() ? error.message().strip()
                : reasonPhrase == null || reasonPhrase.isBlank() ? "HTTP " + status : reasonPhrase.strip();
        String code = hscl(message).or(() -> {
            Matcher m = VIOS_CODE.matcher(message);
            return m.find() ? Optional.of(m.group(1)) : Optional.empty();
        }).orElse(Integer.toString(status));
        ErrorContext c = ctx.toBuilder().serverCode(code).serverMessage(message).retryAfter(retryAfter).build();
        String text = what + ": HTTP " + status + ": " + message;
        String lower = message.toLowerCase(Locale.ROOT);
        if (viosBusy(status, message)) {
            return new BusyException(text, c);
        }
        if (message.contains(UNMARSHAL)) {
            return new ProtocolException(text + " (the body does not fit the HMC's schema: a defect of the SDK)", c, false, null);
        }
        switch (status) {
            case 401 -> {
                return new AuthenticationException("authentication failed: " + text, c);
            }
            case 403 -> {
                return new PermissionDeniedException("permission denied: " + text, c);
            }
            case 404 -> {
                return new NotFoundException(text, c);
            }
            case 406, 415 -> {
                return new ProtocolException(text + " (a media type the HMC does not take)", c, false, null);
            }
            case 409 -> {
                return new ConflictException(text, c);
            }
            case 412 -> {
                return new ConflictException(text + " (the object changed since it was read)", c.withServer("412", message));
            }
            case 502, 504 -> {
                return new UnavailableException(text, c);
            }
            default -> {
                // handled below
            }
        }
        if (lower.contains("already exists") || lower.contains("already in use") || message.contains(WRONG_STATE)) {
            return new ConflictException(text, c);
        }
        if (lower.contains("not enough") || lower.contains("insufficient")) {
            return new ResourceExhaustedException(text, c);
        }
        if (lower.contains("does not exist") || lower.contains("not found")) {
            return new NotFoundException(text, c);
        }
        if (status == 400) {
            return new InvalidSpecException("request", text, c);
        }
        return new OperationFailedException(text, c, null, List.of());
    }

    /**
     * @param e an error
     * @return whether it is a 412: the ETag sent no longer matches; read again, reapply, retry
     */
    static boolean staleEtag(Throwable e) {
        return e instanceof ConflictException c && "412".equals(c.serverCode().orElse(""));
    }

    /**
     * @param e an error
     * @return whether it is a 404
     */
    static boolean notFound(Throwable e) {
        return e instanceof NotFoundException;
    }

    /**
     * @param what the request
     * @param e a transport failure
     * @param ctx provider and operation
     * @return the exception to fail with; {@link ConnectException} stays the cause, so retries know it was never sent
     */
    static HypervisorException fromIo(String what, IOException e, ErrorContext ctx) {
        if (e instanceof SSLException) {
            return new AuthenticationException(what + ": TLS verification of the HMC's certificate failed: " + e.getMessage(),
                    ctx, e);
        }
        if (e instanceof ConnectException) {
            return new UnavailableException(what + ": cannot connect: " + e.getMessage(), ctx, e);
        }
        if (e instanceof InterruptedIOException) {
            return new UnavailableException(what + ": no complete answer in time: " + e.getMessage(), ctx, e);
        }
        return new UnavailableException(what + ": connection failed: " + e.getMessage(), ctx, e);
    }

    /**
     * @param failure the job's failure text ({@code Results/result}, {@code ExceptionText} or the exception's message)
     * @param status the job's final status
     * @param jobId the job
     * @param what the job's operation and target, such as {@code PowerOn of LogicalPartition 1A2B...}
     * @param ctx provider and operation
     * @return the exception to fail with
     */
    static HypervisorException fromJob(String failure, String status, String jobId, String what, ErrorContext ctx) {
        String text = failure == null ? status : failure.strip();
        String code = hscl(text).orElse(status);
        ErrorContext c = ctx.withServer(code, text);
        String msg = "job " + jobId + " (" + what + ") ended " + status + ": " + text;
        String lower = text.toLowerCase(Locale.ROOT);
        if (viosBusy(500, text)) {
            return new BusyException(msg, c);
        }
        if (text.contains(WRONG_STATE)) {
            return new ConflictException(msg, c);
        }
        if (lower.contains("not enough") || lower.contains("cannot be activated: it needs")) {
            return new ResourceExhaustedException(msg, c);
        }
        if (lower.contains("does not exist") || lower.contains("no longer exists")) {
            return new NotFoundException(msg, c);
        }
        return new OperationFailedException(msg, c, jobId, List.of(text));
    }
}
