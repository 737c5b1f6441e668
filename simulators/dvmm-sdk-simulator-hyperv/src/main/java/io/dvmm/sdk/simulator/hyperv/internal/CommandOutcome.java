package io.dvmm.sdk.simulator.hyperv.internal;

/** What a finished command left: its raw stdout and stderr bytes (in the shell's code page) and exit code. */
public record CommandOutcome(byte[] stdout, byte[] stderr, int exitCode) {
}
