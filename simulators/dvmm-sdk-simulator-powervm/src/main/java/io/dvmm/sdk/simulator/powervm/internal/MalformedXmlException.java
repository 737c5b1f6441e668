package io.dvmm.sdk.simulator.powervm.internal;

/** A body that is not well-formed XML, or that carries a DOCTYPE. */
public final class MalformedXmlException extends RuntimeException {

    public MalformedXmlException(String message, Throwable cause) {
        super(message, cause);
    }
}
