package io.dvmm.sdk.simulator.hyperv.internal;

/**
 * A terminating error inside a script, as the prelude's {@code trap} reports it: the exception message, its .NET type
 * and the error record's {@code FullyQualifiedErrorId}.
 */
public final class ScriptError extends RuntimeException {

    private static final String VIRTUALIZATION = "Microsoft.HyperV.PowerShell.VirtualizationException";
    private static final String METHOD_INVOCATION = "System.Management.Automation.MethodInvocationException";

    private final String type;
    private final String id;

    ScriptError(String type, String id, String message) {
        super(message, null, false, false);
        this.type = type;
        this.id = id;
    }

    /** One of the scripts' own errors ({@code E HvsdkNotFound "..."}): type {@code System.Exception}. */
    static ScriptError hvsdk(String id, String message) {
        return new ScriptError("System.Exception", id, message);
    }

    static ScriptError invalidArgument(String message) {
        return hvsdk("HvsdkInvalidArgument", message);
    }

    static ScriptError notFound(String message) {
        return hvsdk("HvsdkNotFound", message);
    }

    static ScriptError conflict(String message) {
        return hvsdk("HvsdkConflict", message);
    }

    static ScriptError invalidState(String message) {
        return hvsdk("HvsdkInvalidState", message);
    }

    static ScriptError operationFailed(String message) {
        return hvsdk("HvsdkOperationFailed", message);
    }

    static ScriptError ambiguous(String message) {
        return hvsdk("HvsdkAmbiguous", message);
    }

    /**
     * A Hyper-V cmdlet's error: id {@code <category>,Microsoft.HyperV.PowerShell.Commands.<cmdlet>}, type
     * {@code Microsoft.HyperV.PowerShell.VirtualizationException}.
     */
    static ScriptError hyperV(String category, String cmdlet, String message) {
        String ns = cmdlet.endsWith("VHD") || cmdlet.endsWith("Vhd") ? "Microsoft.Vhd.PowerShell.Cmdlets." : "Microsoft.HyperV.PowerShell.Commands.";
        return new ScriptError(VIRTUALIZATION, category + "," + ns + cmdlet, message);
    }

    /** A .NET method that threw ({@code [IO.File]::Open(...)}): PowerShell wraps it in a MethodInvocationException. */
    static ScriptError dotNet(String method, int arguments, String exception, String message) {
        return new ScriptError(METHOD_INVOCATION, exception,
                "Exception calling \"" + method + "\" with \"" + arguments + "\" argument(s): \"" + message + "\"");
    }

    /** The .NET type of the exception. */
    public String type() {
        return type;
    }

    /** The error record's FullyQualifiedErrorId. */
    public String id() {
        return id;
    }
}
