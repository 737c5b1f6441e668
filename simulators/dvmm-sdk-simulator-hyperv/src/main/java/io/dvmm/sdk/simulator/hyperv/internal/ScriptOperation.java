package io.dvmm.sdk.simulator.hyperv.internal;

import java.util.Set;
import java.util.function.Function;

/** One script of the contract as the model carries it out: the argument fields it reads, and what it does. */
record ScriptOperation(Set<String> fields, Function<Args, ScriptRun> action) {
}
