package io.dvmm.sdk.simulator.powervm.internal;

import java.util.concurrent.ThreadLocalRandom;
import org.w3c.dom.Element;

/**
 * One object of the HMC's model (an LPAR, a VIOS, a volume group, ...): its Atom identity and
 * its content element, which is what the HMC serves inside {@code <content>}. The content is
 * kept as a DOM so that everything the captures hold is served back as the HMC served it.
 *
 * <p>Not thread-safe; the {@link HmcModel} lock guards every access.
 */
public final class UomObject {

    private final String type;
    private final String uuid;
    private final Element content;
    private final String parentUuid;
    private final long published;
    private int etag;

    public UomObject(String type, String uuid, Element content, String parentUuid) {
        this.type = type;
        this.uuid = uuid;
        this.content = content;
        this.parentUuid = parentUuid;
        this.published = System.currentTimeMillis();
        this.etag = ThreadLocalRandom.current().nextInt();
    }

    /** A view that is not stored (an LU of a pool served as its own entry): its ETag is fixed by its content. */
    public UomObject(String type, String uuid, Element content, String parentUuid, int etag) {
        this(type, uuid, content, parentUuid);
        this.etag = etag;
    }

    /** The schema type, e.g. {@code LogicalPartition}; also the media type's {@code type=}. */
    public String type() {
        return type;
    }

    public String uuid() {
        return uuid;
    }

    /** The root content element, e.g. {@code <LogicalPartition:LogicalPartition>}. */
    public Element content() {
        return content;
    }

    /** The UUID of the object this one lives under (managed system, VIOS, LPAR), or null. */
    public String parentUuid() {
        return parentUuid;
    }

    public long published() {
        return published;
    }

    /** The ETag: an int like the HMC's, unquoted and possibly negative. */
    public String etag() {
        return Integer.toString(etag);
    }

    /** Marks a change: a new ETag, so that a write carrying the old one gets 412. */
    public void touch() {
        int next;
        do {
            next = ThreadLocalRandom.current().nextInt();
        } while (next == etag);
        etag = next;
    }

    /** The trimmed text of a child path, or null. */
    public String text(String path) {
        return Xml.text(content, path);
    }
}
