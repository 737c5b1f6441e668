package io.dvmm.sdk.hyperv.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SDK's part of a VM's Notes: one framed line {@code [hvsdk-meta:<base64 of a UTF-8 JSON object>]} after the
 * user's own notes, which are kept as they are. Base64 keeps newlines, brackets and quotes of metadata values out of
 * the framing. The SDK's own keys (the create marker, the folder it made) start with {@value #RESERVED_PREFIX} and
 * are not shown as metadata. The only parser of the frame; the scripts store the whole text.
 *
 * @param userNotes the notes without the frame
 * @param metadata the user's metadata
 * @param sdk the SDK's own keys
 */
record NotesFrame(String userNotes, Map<String, String> metadata, Map<String, String> sdk) {
    /** Keys of the SDK's own, never user metadata. */
    static final String RESERVED_PREFIX = "hvsdk.";
    /** The key of the create marker ({@link io.dvmm.sdk.spi.support.CreateAttempt#marker()}). */
    static final String MARKER = RESERVED_PREFIX + "marker";
    /** The key of the folder the SDK made for the VM (its full path on the host). */
    static final String FOLDER = RESERVED_PREFIX + "folder";
    /** The line that marks a VM as a template. */
    static final String TEMPLATE_LINE = "[hvsdk-template]";

    private static final Pattern FRAME = Pattern.compile("(?:\\r?\\n)?\\[hvsdk-meta:([A-Za-z0-9+/=]*)\\][ \\t]*(?=\\r?\\n|$)");
    private static final ObjectMapper JSON = new ObjectMapper();

    NotesFrame {
        userNotes = userNotes == null ? "" : userNotes;
        metadata = Map.copyOf(metadata);
        sdk = Map.copyOf(sdk);
    }

    /**
     * @param notes a VM's Notes as the host reports them
     * @return the user's notes and the frame's keys; a missing or unreadable frame gives no keys
     */
    static NotesFrame parse(String notes) {
        String text = notes == null ? "" : notes;
        Map<String, String> meta = new LinkedHashMap<>();
        Map<String, String> sdk = new LinkedHashMap<>();
        Matcher m = FRAME.matcher(text);
        String user = text;
        if (m.find()) {
            user = text.substring(0, m.start()) + text.substring(m.end());
            try {
                Map<String, String> all = JSON.readValue(Base64.getDecoder().decode(m.group(1)), new TypeReference<Map<String, String>>() { });
                if (all == null) {
                    throw new IOException("the frame holds JSON null, not an object");
                }
                all.forEach((k, v) -> (k.startsWith(RESERVED_PREFIX) ? sdk : meta).put(k, v == null ? "" : v));
            } catch (IOException | IllegalArgumentException e) {
                // Not the SDK's frame after all (edited by hand): it stays part of the user's notes.
                user = text;
            }
        }
        return new NotesFrame(user, meta, sdk);
    }

    /** @return whether the user's notes mark the VM as a template */
    boolean template() {
        return userNotes.lines().anyMatch(l -> l.strip().equals(TEMPLATE_LINE));
    }

    /** @return the create marker, or {@code null} */
    String marker() {
        return sdk.get(MARKER);
    }

    /**
     * @param newMetadata the user's metadata
     * @return a copy holding them
     */
    NotesFrame withMetadata(Map<String, String> newMetadata) {
        return new NotesFrame(userNotes, newMetadata, sdk);
    }

    /**
     * @param key a key of the SDK's own
     * @param value its value
     * @return a copy holding it
     */
    NotesFrame withSdk(String key, String value) {
        Map<String, String> s = new LinkedHashMap<>(sdk);
        s.put(key, value);
        return new NotesFrame(userNotes, metadata, s);
    }

    /** @return the Notes text: the user's notes, then the frame (none when there are no keys) */
    String render() {
        if (metadata.isEmpty() && sdk.isEmpty()) {
            return userNotes;
        }
        Map<String, String> all = new java.util.TreeMap<>(metadata);
        all.putAll(sdk);
        String frame;
        try {
            frame = "[hvsdk-meta:" + Base64.getEncoder().encodeToString(JSON.writeValueAsBytes(all)) + "]";
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return userNotes.isEmpty() ? frame : userNotes + "\r\n" + frame;
    }

    /** @return the frame's size when rendered, in UTF-8 bytes (Hyper-V keeps Notes of a few KiB) */
    int renderedBytes() {
        return render().getBytes(StandardCharsets.UTF_8).length;
    }
}
