package io.dvmm.sdk.simulator.powervm.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The HMC's event long-poll, one queue per listener (an API session, or a session and its
 * {@code QUEUE_APPLICATIONID}). A listener's first poll answers {@code NEW_CLIENT}; later polls
 * return the queued events at once, or hold the request for the idle wait and then answer 204.
 * A second poll while one is open, or more polls than the limit allows within the window, get
 * {@code REST026C}. A queue that overflows is replaced by one {@code MISSING_EVENTS}.
 *
 * <p>Thread-safe; waiting polls hold only this queue's monitor, never the model lock.
 */
public final class EventQueue {

    public static final String REST026C = "REST026C Maximum number of event requests exceeded";
    static final int MAX_QUEUED = 2000;

    /** One event as the HMC serves it. */
    public record Event(String uuid, long eventId, String type, String data, String detail) {
    }

    private static final class Listener {
        final Deque<Event> queue = new ArrayDeque<>();
        final Deque<Long> polls = new ArrayDeque<>();
        boolean open;
    }

    private final Settings settings;
    private final Map<String, Listener> listeners = new LinkedHashMap<>();
    private final AtomicLong ids = new AtomicLong(System.currentTimeMillis());
    private boolean closed;

    public EventQueue(Settings settings) {
        this.settings = settings;
    }

    /** Queues an {@code ADD_URI}, {@code MODIFY_URI} or {@code DELETE_URI} for every listener. */
    public void publish(String type, String path, String detail) {
        synchronized (this) {
            for (Listener l : listeners.values()) {
                enqueue(l, event(type, path, detail));
            }
            notifyAll();
        }
    }

    /** Queues a resync event ({@code CACHE_CLEARED}, {@code MISSING_EVENTS}) for every listener. */
    public void inject(String type) {
        synchronized (this) {
            for (Listener l : listeners.values()) {
                enqueue(l, event(type, "", ""));
            }
            notifyAll();
        }
    }

    private Event event(String type, String path, String detail) {
        return new Event(UUID.randomUUID().toString(), ids.incrementAndGet(), type, path, detail == null ? "" : detail);
    }

    private void enqueue(Listener l, Event e) {
        if (l.queue.size() >= MAX_QUEUED) {
            l.queue.clear();
            l.queue.add(event("MISSING_EVENTS", "", ""));
            return;
        }
        l.queue.add(e);
    }

    /**
     * One poll: {@code NEW_CLIENT} for a new listener, else the queued events, else an empty
     * list after the idle wait. Throws {@link HmcError} with {@link #REST026C} when the listener
     * already has a poll open or polls too often.
     */
    public List<Event> poll(String key) throws InterruptedException {
        long now = System.nanoTime();
        synchronized (this) {
            Listener l = listeners.get(key);
            if (l == null) {
                l = new Listener();
                listeners.put(key, l);
                l.polls.add(now);
                return List.of(event("NEW_CLIENT", "", ""));
            }
            if (l.open) {
                throw new HmcError(500, "Internal Server Error", REST026C);
            }
            long window = settings.eventPollWindow.toNanos();
            while (!l.polls.isEmpty() && now - l.polls.peekFirst() > window) {
                l.polls.removeFirst();
            }
            if (l.polls.size() >= settings.eventPollLimit) {
                throw new HmcError(500, "Internal Server Error", REST026C);
            }
            l.polls.add(now);
            long deadline = now + settings.eventIdleWait.toNanos();
            l.open = true;
            try {
                while (l.queue.isEmpty() && !closed) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return List.of();
                    }
                    wait(Math.max(1, left / 1_000_000));
                }
                List<Event> out = new ArrayList<>(l.queue);
                l.queue.clear();
                return out;
            } finally {
                l.open = false;
            }
        }
    }

    /** The events queued for every listener, oldest first, without taking them. */
    public synchronized List<Event> pending() {
        List<Event> out = new ArrayList<>();
        for (Listener l : listeners.values()) {
            out.addAll(l.queue);
        }
        return out;
    }

    public synchronized int listeners() {
        return listeners.size();
    }

    /** Drops a listener (its session logged off). */
    public synchronized void forget(String keyPrefix) {
        listeners.keySet().removeIf(k -> k.startsWith(keyPrefix));
    }

    public synchronized void close() {
        closed = true;
        notifyAll();
    }
}
