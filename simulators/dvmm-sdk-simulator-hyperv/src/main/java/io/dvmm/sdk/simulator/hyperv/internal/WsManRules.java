package io.dvmm.sdk.simulator.hyperv.internal;

import io.dvmm.sdk.simulator.Violations;
import java.net.URI;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.w3c.dom.Element;

/**
 * The rules of reference §7 every request is checked against: envelope, addressing headers, WS-Management headers,
 * selectors, options and the body each action needs. Every breach is recorded in {@link Violations}; a breach
 * Windows refuses also ends the request with the fault Windows answers, the rest are answered normally.
 */
final class WsManRules {

    /** What the rules found out about a valid request. */
    record Checked(WsManAction action, Duration operationTimeout, int maxEnvelopeSize) {
    }

    private static final Pattern MESSAGE_ID = Pattern.compile(
            "(urn:)?uuid:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern CONTENT_TYPE_ACTION = Pattern.compile("action=\"?([^\";]+)\"?");
    private static final Set<String> BOOLEANS = Set.of("TRUE", "FALSE");
    private static final Set<String> SIGNALS = Set.of(Ns.SIGNAL_TERMINATE, Ns.SIGNAL_CTRL_C, Ns.SIGNAL_CTRL_BREAK);
    /** WinRM's default {@code MaxEnvelopeSizekb} of 500. */
    static final int MAX_REQUEST_ENVELOPE = 512_000;
    /** The smallest MaxEnvelopeSize WS-Management allows. */
    private static final int MIN_ENVELOPE = 8192;

    private final Violations violations;
    private final Duration defaultTimeout;

    WsManRules(Violations violations, Duration defaultTimeout) {
        this.violations = violations;
        this.defaultTimeout = defaultTimeout;
    }

    Checked check(WsManRequest r, String contentType, int bodyBytes) {
        if (bodyBytes > MAX_REQUEST_ENVELOPE) {
            throw breach(WsManFault.envelopeTooLarge(bodyBytes, MAX_REQUEST_ENVELOPE), "envelope of " + bodyBytes + " bytes");
        }
        WsManAction action = action(r, contentType);
        String what = action.shortName();
        if (r.messageId() == null) {
            throw breach(WsManFault.headerRequired("a:MessageID"), what + ": no a:MessageID");
        }
        if (!MESSAGE_ID.matcher(r.messageId()).matches()) {
            throw breach(WsManFault.invalidHeader("a:MessageID", r.messageId()),
                    what + ": a:MessageID is not uuid:<uuid> or urn:uuid:<uuid>: " + r.messageId());
        }
        if (r.to() == null) {
            throw breach(WsManFault.headerRequired("a:To"), what + ": no a:To");
        }
        if (!absoluteHttp(r.to())) {
            violations.add(what + ": a:To is not an absolute http(s) URI: " + r.to());
        }
        if (r.replyTo() == null) {
            throw breach(WsManFault.headerRequired("a:ReplyTo/a:Address"), what + ": no a:ReplyTo/a:Address");
        }
        if (!Ns.ANONYMOUS.equals(r.replyTo())) {
            throw breach(WsManFault.invalidHeader("a:ReplyTo", r.replyTo()), what + ": a:ReplyTo/a:Address is not anonymous: " + r.replyTo());
        }
        if (!Ns.CMD_RESOURCE_URI.equals(r.resourceUri())) {
            throw breach(WsManFault.destinationUnreachable(r.resourceUri()), what + ": w:ResourceURI is " + r.resourceUri());
        }
        int maxEnvelope = maxEnvelopeSize(r, what);
        Duration timeout = operationTimeout(r, what);
        if (r.locale() == null) {
            violations.add(what + ": no w:Locale");
        }
        if (action.needsShellId() && r.shellId() == null) {
            throw breach(WsManFault.insufficientSelectors(), what + ": no w:SelectorSet/w:Selector[@Name='ShellId']");
        }
        if (!action.needsShellId() && r.hasSelectorSet()) {
            violations.add(what + ": a w:SelectorSet on Create");
        }
        body(action, r);
        return new Checked(action, timeout, maxEnvelope);
    }

    private WsManAction action(WsManRequest r, String contentType) {
        if (r.action() == null) {
            throw breach(WsManFault.headerRequired("a:Action"), "no a:Action");
        }
        WsManAction action = WsManAction.ofUri(r.action()).orElseThrow(
                () -> breach(WsManFault.actionNotSupported(r.action()), "a:Action not of the cmd shell: " + r.action()));
        if (contentType != null) {
            Matcher m = CONTENT_TYPE_ACTION.matcher(contentType);
            if (m.find() && !m.group(1).equals(r.action())) {
                violations.add(action.shortName() + ": the Content-Type action (" + m.group(1) + ") is not a:Action");
            }
        }
        return action;
    }

    private int maxEnvelopeSize(WsManRequest r, String what) {
        if (r.maxEnvelopeSize() == null) {
            violations.add(what + ": no w:MaxEnvelopeSize");
            return 153_600;
        }
        try {
            int size = Integer.parseInt(r.maxEnvelopeSize());
            if (size < MIN_ENVELOPE) {
                throw new NumberFormatException("below " + MIN_ENVELOPE);
            }
            return size;
        } catch (NumberFormatException e) {
            throw breach(WsManFault.invalidMaxEnvelopeSize(r.maxEnvelopeSize()), what + ": w:MaxEnvelopeSize " + r.maxEnvelopeSize());
        }
    }

    private Duration operationTimeout(WsManRequest r, String what) {
        if (r.operationTimeout() == null) {
            violations.add(what + ": no w:OperationTimeout");
            return defaultTimeout;
        }
        try {
            Duration d = Duration.parse(r.operationTimeout());
            if (d.isNegative() || d.isZero()) {
                throw new DateTimeParseException("not positive", r.operationTimeout(), 0);
            }
            return d;
        } catch (DateTimeParseException e) {
            throw breach(WsManFault.invalidTimeout(r.operationTimeout()), what + ": w:OperationTimeout " + r.operationTimeout());
        }
    }

    private void body(WsManAction action, WsManRequest r) {
        Element body = r.body();
        String what = action.shortName();
        switch (action) {
            case CREATE -> {
                if (!Xml.is(body, Ns.SHELL, "Shell")) {
                    throw breach(WsManFault.invalidSoap("Create needs an rsp:Shell body"), what + ": no rsp:Shell body");
                }
                if (Xml.child(body, Ns.SHELL, "InputStreams") == null || Xml.child(body, Ns.SHELL, "OutputStreams") == null) {
                    throw breach(WsManFault.invalidSoap("rsp:Shell needs rsp:InputStreams and rsp:OutputStreams"),
                            what + ": rsp:Shell without InputStreams/OutputStreams");
                }
                option(r, "WINRS_NOPROFILE", BOOLEANS, what);
                String codepage = r.options().get("WINRS_CODEPAGE");
                if (codepage != null && !codepage.matches("\\d{1,5}")) {
                    throw breach(WsManFault.invalidOptions("WINRS_CODEPAGE=" + codepage), what + ": WINRS_CODEPAGE " + codepage);
                }
            }
            case COMMAND -> {
                if (!Xml.is(body, Ns.SHELL, "CommandLine") || Xml.child(body, Ns.SHELL, "Command") == null) {
                    throw breach(WsManFault.invalidSoap("Command needs rsp:CommandLine/rsp:Command"),
                            what + ": no rsp:CommandLine/rsp:Command");
                }
                option(r, "WINRS_CONSOLEMODE_STDIN", BOOLEANS, what);
                option(r, "WINRS_SKIP_CMD_SHELL", BOOLEANS, what);
            }
            case RECEIVE -> {
                Element desired = Xml.child(body, Ns.SHELL, "DesiredStream");
                if (!Xml.is(body, Ns.SHELL, "Receive") || desired == null) {
                    throw breach(WsManFault.invalidSoap("Receive needs rsp:Receive/rsp:DesiredStream"),
                            what + ": no rsp:Receive/rsp:DesiredStream");
                }
                if (Xml.attribute(desired, Ns.SHELL, "CommandId") == null) {
                    throw breach(WsManFault.invalidSoap("rsp:DesiredStream needs a CommandId"), what + ": DesiredStream without CommandId");
                }
            }
            case SIGNAL -> {
                if (!Xml.is(body, Ns.SHELL, "Signal") || Xml.attribute(body, Ns.SHELL, "CommandId") == null) {
                    throw breach(WsManFault.invalidSoap("Signal needs rsp:Signal with a CommandId"), what + ": no rsp:Signal/@CommandId");
                }
                String code = Xml.text(Xml.child(body, Ns.SHELL, "Code"));
                if (code == null || !SIGNALS.contains(code)) {
                    throw breach(WsManFault.invalidSoap("unknown signal " + code), what + ": rsp:Code " + code);
                }
            }
            case DELETE -> {
                if (body != null) {
                    violations.add(what + ": the body is not empty");
                }
            }
        }
    }

    private void option(WsManRequest r, String name, Set<String> allowed, String what) {
        String value = r.options().get(name);
        if (value != null && !allowed.contains(value)) {
            throw breach(WsManFault.invalidOptions(name + "=" + value), what + ": option " + name + "=" + value);
        }
    }

    private WsManFault breach(WsManFault fault, String violation) {
        violations.add(violation);
        return fault;
    }

    private static boolean absoluteHttp(String to) {
        try {
            URI u = URI.create(to);
            return u.isAbsolute() && ("http".equalsIgnoreCase(u.getScheme()) || "https".equalsIgnoreCase(u.getScheme()))
                    && u.getHost() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
