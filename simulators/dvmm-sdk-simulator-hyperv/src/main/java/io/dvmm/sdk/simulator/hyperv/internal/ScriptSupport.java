package io.dvmm.sdk.simulator.hyperv.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.regex.Pattern;

/** What the prelude's helpers do ({@code V}, {@code O}, {@code U}, {@code P}), shared by the operation rooms. */
abstract class ScriptSupport {

    private static final Pattern GUID = Pattern.compile(
            "\\{?[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}}?");

    final HyperVHost host;

    ScriptSupport(HyperVHost host) {
        this.host = host;
    }

    /** {@code Hyper-V\Get-VM -Id $a.id -ErrorAction SilentlyContinue}: null when there is no such VM. */
    Vm findById(Args a) {
        String id = a.string("id");
        if (!GUID.matcher(id).matches()) {
            throw new ScriptError("System.Management.Automation.ParameterBindingException",
                    "CannotConvertArgumentNoMessage,Microsoft.HyperV.PowerShell.Commands.GetVM",
                    "Cannot bind parameter 'Id'. Cannot convert value \"" + id + "\" to type \"System.Guid\". Error: \"Guid"
                            + " should contain 32 digits with 4 dashes (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx).\"");
        }
        String canonical = id.replaceAll("[{}-]", "").toLowerCase(java.util.Locale.ROOT);
        for (Vm v : host.vms) {
            if (v.id.replace("-", "").equals(canonical)) {
                return v;
            }
        }
        return null;
    }

    /** {@code V}: the VM of {@code $a.id}, or {@code HvsdkNotFound}. */
    Vm vm(Args a) {
        Vm v = findById(a);
        if (v == null) {
            throw ScriptError.notFound("no VM " + a.string("id"));
        }
        return v;
    }

    /** {@code O root}: the full path of an owned root with a trailing separator; a drive root is refused. */
    static String ownedRoot(String root) {
        String r = WinPath.full(root);
        while (r.endsWith("\\")) {
            r = r.substring(0, r.length() - 1);
        }
        r = r + "\\";
        if (r.length() < 4) {
            throw ScriptError.invalidArgument("drive root " + r);
        }
        return r;
    }

    /** {@code U path root}: the full path of {@code path}, which must lie under {@code root}. */
    static String under(String path, String root) {
        String r = ownedRoot(root);
        String f = WinPath.full(path);
        if (!WinPath.under(f, r)) {
            throw ScriptError.invalidArgument(path + " not under " + r);
        }
        return f;
    }

    ObjectNode p(Vm vm) {
        return VmJson.project(host, vm, host.now());
    }

    static long mib(long n) {
        return n << 20;
    }
}
