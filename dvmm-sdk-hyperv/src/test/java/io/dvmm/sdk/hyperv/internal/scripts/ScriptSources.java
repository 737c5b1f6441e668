package io.dvmm.sdk.hyperv.internal.scripts;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** The scripts as the provider sends them (prelude included), keyed by resource name, for the checks. */
final class ScriptSources {

    /** An argument of the kind every script takes, for texts that must look like a real send. */
    static final byte[] SAMPLE_ARGUMENT = "{\"id\":\"6b3f1f9e-3c1a-4c55-9a55-0f6c1d2e3a4b\",\"name\":\"web-1\"}"
            .getBytes(StandardCharsets.UTF_8);

    private ScriptSources() {
    }

    /** Every script with a sample argument filled in, exactly as it would be sent. */
    static Map<String, String> asSent() {
        Map<String, String> out = new LinkedHashMap<>();
        for (HyperVScript s : HyperVScript.values()) {
            out.put(s.resourceName(), s.withArguments(SAMPLE_ARGUMENT));
        }
        return out;
    }
}
