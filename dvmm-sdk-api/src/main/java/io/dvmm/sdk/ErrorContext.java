package io.dvmm.sdk;

/**
 * Where a {@link HypervisorException} happened and what the server said.
 *
 * @param provider the provider type, or an empty string
 * @param operation the SDK operation, or an empty string
 * @param serverCode the server's error code, or {@code null}
 * @param serverMessage the server's error message, or {@code null}
 */
public record ErrorContext(String provider, String operation, String serverCode, String serverMessage) {

    /** A context that names nothing. */
    public static final ErrorContext EMPTY = new ErrorContext("", "", null, null);

    /**

     * Normalizes {@code null} names to empty strings.

     *

     * @param provider see the record component

     * @param operation see the record component

     * @param serverCode see the record component

     * @param serverMessage see the record component

     */
    public ErrorContext {
        provider = provider == null ? "" : provider;
        operation = operation == null ? "" : operation;
    }

    /**
     * @param provider the provider type
     * @param operation the SDK operation
     * @return a context without server details
     */
    public static ErrorContext of(String provider, String operation) {
        return new ErrorContext(provider, operation, null, null);
    }

    /**
     * @param code the server's error code
     * @param message the server's error message
     * @return a copy carrying the server's details
     */
    public ErrorContext withServer(String code, String message) {
        return new ErrorContext(provider, operation, code, message);
    }

    /**
     * @param newOperation the operation name
     * @return a copy naming another operation
     */
    public ErrorContext withOperation(String newOperation) {
        return new ErrorContext(provider, newOperation, serverCode, serverMessage);
    }
}
