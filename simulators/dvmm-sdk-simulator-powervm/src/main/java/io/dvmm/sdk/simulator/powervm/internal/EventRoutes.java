package io.dvmm.sdk.simulator.powervm.internal;

import io.dvmm.sdk.simulator.SimResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.w3c.dom.Element;

/**
 * {@code GET /rest/api/uom/Event}, the long-poll. It runs outside the model lock (it waits).
 * A listener is the API session, or the session and its {@code QUEUE_APPLICATIONID}. Events are
 * served like {@code event_feed.xml}: {@code EventType}, {@code EventID}, the changed URI in
 * {@code EventData} and what changed in {@code EventDetail}.
 */
final class EventRoutes {

    static final String EVENT = SystemRoutes.UOM + "/Event";

    private final Hmc hmc;
    private final Responses responses;

    EventRoutes(Hmc hmc, Responses responses) {
        this.hmc = hmc;
        this.responses = responses;
    }

    void register(Router r) {
        r.add("GET", EVENT, this::poll, true, false);
    }

    private SimResponse poll(HmcRequest req, Map<String, String> p) {
        String app = req.query("QUEUE_APPLICATIONID");
        String key = req.sessionToken() + (app == null ? "" : "|" + app);
        List<EventQueue.Event> events;
        try {
            events = hmc.events.poll(key);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HmcError(503, "Service Unavailable", "The event request was interrupted.");
        }
        if (events.isEmpty()) {
            return responses.status(204);
        }
        List<Element> contents = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        List<String> etags = new ArrayList<>();
        for (EventQueue.Event e : events) {
            contents.add(content(e));
            ids.add(e.uuid());
            etags.add(Integer.toString((e.uuid() + e.type()).hashCode()));
        }
        return responses.atom(200, hmc.atom.feed(req.pathWithGroup(), contents, ids, etags));
    }

    private Element content(EventQueue.Event e) {
        Element root = hmc.factory.root("Event", Ns.UOM, "V1_3_0");
        hmc.factory.atomId(root, e.uuid());
        add(root, "EventType", e.type());
        add(root, "EventID", Long.toString(e.eventId()));
        add(root, "EventData", e.data().isEmpty() ? "" : hmc.baseUrl() + e.data());
        add(root, "EventDetail", e.detail());
        return root;
    }

    private void add(Element root, String name, String text) {
        Element el = root.getOwnerDocument().createElementNS(Ns.UOM, name);
        el.setAttribute("kxe", "false");
        el.setAttribute("kb", "ROR");
        if (!text.isEmpty()) {
            el.setTextContent(text);
        }
        root.appendChild(el);
    }
}
