package io.dvmm.sdk.simulator.hyperv.internal;

import java.util.Map;
import org.w3c.dom.Element;

/**
 * One WS-Management request envelope as read: the addressing and WS-Management headers (null when absent, values as
 * sent) and the first element of the body (null when the body is empty).
 *
 * @param selectors {@code w:SelectorSet/w:Selector} by {@code Name}
 * @param options {@code w:OptionSet/w:Option} by {@code Name}
 */
record WsManRequest(String action, String messageId, String to, String replyTo, String resourceUri,
                    Map<String, String> selectors, boolean hasSelectorSet, Map<String, String> options,
                    String operationTimeout, String maxEnvelopeSize, String locale, Element body) {

    String shellId() {
        return selectors.get("ShellId");
    }
}
