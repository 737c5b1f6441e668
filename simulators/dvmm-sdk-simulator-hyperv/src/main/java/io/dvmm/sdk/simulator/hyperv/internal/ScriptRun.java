package io.dvmm.sdk.simulator.hyperv.internal;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * A script operation that has taken effect: how long the script keeps running (a {@code Start-VM} waits for the VM),
 * and the reply it prints when it ends, computed then (so it shows the state at that time).
 */
record ScriptRun(Duration busy, Supplier<ScriptReply> reply) {

    static ScriptRun now(Supplier<ScriptReply> reply) {
        return new ScriptRun(Duration.ZERO, reply);
    }
}
