package io.dvmm.sdk.simulator.hyperv.internal;

/**
 * A SOAP fault as Windows Remote Management answers it (HTTP 500, {@code s:Fault} with a subcode and a
 * {@code f:WSManFault} detail carrying the Windows error code), thrown from wherever the request is found wrong.
 */
final class WsManFault extends RuntimeException {

    /** Operation timeout on a Receive with nothing to send: clients issue the Receive again. */
    static final long TIMED_OUT = 2150858793L;
    /** The shell (or its command) no longer exists: clients open a new shell. */
    static final long SHELL_NOT_FOUND = 2150858843L;
    /** MaxShellsPerUser. */
    static final long QUOTA_MAX_SHELLS = 2150859173L;
    /** HRESULT of ERROR_FILENAME_EXCED_RANGE: the command line is longer than cmd.exe takes. */
    static final long FILENAME_TOO_LONG = 2147942606L;

    private final String code;
    private final String subcodeNs;
    private final String subcodePrefix;
    private final String subcode;
    private final long wsmanCode;
    private final boolean addressing;

    private WsManFault(String code, String subcodeNs, String subcodePrefix, String subcode, long wsmanCode,
                       boolean addressing, String reason) {
        super(reason, null, false, false);
        this.code = code;
        this.subcodeNs = subcodeNs;
        this.subcodePrefix = subcodePrefix;
        this.subcode = subcode;
        this.wsmanCode = wsmanCode;
        this.addressing = addressing;
    }

    private static WsManFault wsman(String code, String subcode, long wsmanCode, String reason) {
        return new WsManFault(code, Ns.WSMAN, "w", subcode, wsmanCode, false, reason);
    }

    private static WsManFault addressing(String subcode, long wsmanCode, String reason) {
        return new WsManFault("s:Sender", Ns.ADDRESSING, "a", subcode, wsmanCode, true, reason);
    }

    static WsManFault invalidXml(String why) {
        return wsman("s:Sender", "SchemaValidationError", 2150858819L,
                "The WS-Management service cannot process the request because the XML is invalid. " + why);
    }

    static WsManFault versionMismatch() {
        return new WsManFault("s:VersionMismatch", null, null, null, 0, false,
                "The WS-Management service only accepts SOAP 1.2 envelopes.");
    }

    static WsManFault invalidSoap(String why) {
        return wsman("s:Sender", "SchemaValidationError", 2150858791L,
                "The WS-Management service cannot process the request because the SOAP message is invalid: " + why);
    }

    static WsManFault actionNotSupported(String action) {
        return addressing("ActionNotSupported", 2150858753L,
                "The WS-Management service cannot process the request because the action is not supported: " + action);
    }

    static WsManFault headerRequired(String header) {
        return addressing("MessageInformationHeaderRequired", 2150858769L,
                "The WS-Management service cannot process the request because the " + header + " header is missing.");
    }

    static WsManFault invalidHeader(String header, String value) {
        return addressing("InvalidMessageInformationHeader", 2150858767L,
                "The WS-Management service cannot process the request because the " + header + " header is invalid: " + value);
    }

    static WsManFault destinationUnreachable(String resourceUri) {
        return wsman("s:Sender", "DestinationUnreachable", 2150858770L,
                "The WS-Management service cannot process the request. The resource URI (" + resourceUri
                        + ") was not found in the WS-Management catalog.");
    }

    static WsManFault insufficientSelectors() {
        return wsman("s:Sender", "InsufficientSelectors", 2150858842L,
                "The WS-Management service cannot process the request because the request needs a ShellId selector.");
    }

    static WsManFault shellNotFound(String shellId) {
        return wsman("s:Sender", "InvalidSelectors", SHELL_NOT_FOUND,
                "The request for the Windows Remote Shell with ShellId " + shellId + " failed because the shell was not"
                        + " found on the server. Possible causes are: the specified ShellId is incorrect or the shell no"
                        + " longer exists on the server. Provide the correct ShellId or create a new shell and retry the"
                        + " operation.");
    }

    static WsManFault commandNotFound(String shellId, String commandId) {
        return wsman("s:Sender", "InvalidSelectors", SHELL_NOT_FOUND,
                "The request for the Windows Remote Shell with ShellId " + shellId + " failed because the command with"
                        + " CommandId " + commandId + " was not found on the server.");
    }

    static WsManFault timedOut() {
        return wsman("s:Receiver", "TimedOut", TIMED_OUT,
                "The WS-Management service cannot complete the operation within the time specified in OperationTimeout.");
    }

    static WsManFault quotaMaxShells(int max) {
        return wsman("s:Receiver", "QuotaLimit", QUOTA_MAX_SHELLS,
                "The WS-Management service cannot process the request. This user is allowed a maximum number of " + max
                        + " concurrent shells, which has been exceeded. Close existing shells or raise the quota for this user.");
    }

    static WsManFault commandLineTooLong() {
        return wsman("s:Receiver", "InternalError", FILENAME_TOO_LONG, "The filename or extension is too long.");
    }

    static WsManFault invalidTimeout(String value) {
        return wsman("s:Sender", "InvalidParameter", 2150858881L,
                "The WS-Management service cannot process the request because the OperationTimeout is invalid: " + value);
    }

    static WsManFault envelopeTooLarge(int bytes, int max) {
        return wsman("s:Sender", "EncodingLimit", 2150858790L,
                "The WS-Management service cannot process the request because the envelope (" + bytes
                        + " bytes) is larger than MaxEnvelopeSizekb allows (" + max + " bytes).");
    }

    static WsManFault invalidMaxEnvelopeSize(String value) {
        return wsman("s:Sender", "EncodingLimit", 2150858823L,
                "The WS-Management service cannot process the request because the MaxEnvelopeSize is invalid: " + value);
    }

    static WsManFault invalidOptions(String why) {
        return wsman("s:Sender", "InvalidOptions", 2150858809L,
                "The WS-Management service cannot process the request because an option is invalid: " + why);
    }

    /** {@code s:Sender}, {@code s:Receiver} or {@code s:VersionMismatch}. */
    String code() {
        return code;
    }

    String subcodeNamespace() {
        return subcodeNs;
    }

    String subcodePrefix() {
        return subcodePrefix;
    }

    /** The local name of the subcode, null for a version mismatch. */
    String subcode() {
        return subcode;
    }

    /** The Windows error code in {@code f:WSManFault/@Code}; 0 for none. */
    long wsmanCode() {
        return wsmanCode;
    }

    String faultAction() {
        return addressing ? Ns.ADDRESSING_FAULT_ACTION : Ns.WSMAN_FAULT_ACTION;
    }

    String reason() {
        return getMessage();
    }
}
