package io.dvmm.sdk.simulator.hyperv.internal;

/** What authentication made of one request. */
sealed interface AuthOutcome {

    /** Authenticated as {@code user}; {@code session} seals and unseals the messages of an NTLM connection, or null. */
    record Granted(String user, NtlmSession session) implements AuthOutcome {
    }

    /** 401 with {@code challenge} in {@code WWW-Authenticate} (the NTLM CHALLENGE message), or the offered schemes when null. */
    record Refused(String challenge, String why) implements AuthOutcome {
    }
}
