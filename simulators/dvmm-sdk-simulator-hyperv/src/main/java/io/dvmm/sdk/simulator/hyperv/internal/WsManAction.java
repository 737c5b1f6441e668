package io.dvmm.sdk.simulator.hyperv.internal;

import java.util.Optional;

/** The five WS-Management actions of the cmd shell, with their request and response action URIs. */
public enum WsManAction {
    CREATE("Create", Ns.TRANSFER + "/Create", Ns.TRANSFER + "/CreateResponse"),
    COMMAND("Command", Ns.SHELL + "/Command", Ns.SHELL + "/CommandResponse"),
    RECEIVE("Receive", Ns.SHELL + "/Receive", Ns.SHELL + "/ReceiveResponse"),
    SIGNAL("Signal", Ns.SHELL + "/Signal", Ns.SHELL + "/SignalResponse"),
    DELETE("Delete", Ns.TRANSFER + "/Delete", Ns.TRANSFER + "/DeleteResponse");

    private final String shortName;
    private final String uri;
    private final String responseUri;

    WsManAction(String shortName, String uri, String responseUri) {
        this.shortName = shortName;
        this.uri = uri;
        this.responseUri = responseUri;
    }

    /** {@code Create}, {@code Command}, ...: the key part of request counts and fault rules. */
    public String shortName() {
        return shortName;
    }

    /** The request and fault-rule key, {@code wsman:Create} and so on. */
    public String key() {
        return "wsman:" + shortName;
    }

    public String uri() {
        return uri;
    }

    public String responseUri() {
        return responseUri;
    }

    public static Optional<WsManAction> ofUri(String uri) {
        for (WsManAction a : values()) {
            if (a.uri.equals(uri)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /** Whether the request addresses an existing shell through {@code w:SelectorSet/ShellId}. */
    boolean needsShellId() {
        return this != CREATE;
    }
}
