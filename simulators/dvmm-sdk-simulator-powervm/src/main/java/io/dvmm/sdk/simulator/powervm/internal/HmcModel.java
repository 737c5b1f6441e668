package io.dvmm.sdk.simulator.powervm.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.w3c.dom.Element;

/**
 * The objects an HMC manages, by UUID, and where each one lives in the URI space. Every read
 * and write happens under {@link #lock()}; handlers take it for the whole request so that a
 * request sees and leaves a consistent model.
 */
public final class HmcModel {

    public static final String UOM = "/rest/api/uom/";
    public static final String WEB = "/rest/api/web/";

    private final Map<String, UomObject> objects = new LinkedHashMap<>();
    private final ContentEditor editor;
    private final String origin;
    private String consoleUuid;

    public HmcModel(ContentEditor editor, String origin) {
        this.editor = editor;
        this.origin = origin;
    }

    public Object lock() {
        return this;
    }

    public ContentEditor editor() {
        return editor;
    }

    /** Where the model came from: the captures' directory or the built-in minimal model. */
    public String origin() {
        return origin;
    }

    public String consoleUuid() {
        return consoleUuid;
    }

    public void consoleUuid(String uuid) {
        this.consoleUuid = uuid;
    }

    public void add(UomObject o) {
        objects.put(o.uuid(), o);
    }

    public void remove(String uuid) {
        objects.remove(uuid);
    }

    /** An object of a type by UUID (case-insensitive, as the HMC treats UUIDs). */
    public Optional<UomObject> get(String type, String uuid) {
        UomObject o = objects.get(uuid);
        if (o == null) {
            for (UomObject c : objects.values()) {
                if (c.uuid().equalsIgnoreCase(uuid)) {
                    o = c;
                    break;
                }
            }
        }
        return o != null && o.type().equals(type) ? Optional.of(o) : Optional.empty();
    }

    public List<UomObject> all(String type) {
        List<UomObject> out = new ArrayList<>();
        for (UomObject o : objects.values()) {
            if (o.type().equals(type)) {
                out.add(o);
            }
        }
        return out;
    }

    public List<UomObject> children(String type, String parentUuid) {
        List<UomObject> out = new ArrayList<>();
        for (UomObject o : objects.values()) {
            if (o.type().equals(type) && parentUuid.equalsIgnoreCase(o.parentUuid())) {
                out.add(o);
            }
        }
        return out;
    }

    /** The canonical path of an object, as the HMC puts it in links and events. */
    public String href(UomObject o) {
        return switch (o.type()) {
            case "LogicalPartition", "VirtualIOServer", "VirtualSwitch", "VirtualNetwork", "SharedProcessorPool",
                    "NetworkBridge" -> UOM + "ManagedSystem/" + o.parentUuid() + "/" + o.type() + "/" + o.uuid();
            case "VolumeGroup" -> UOM + "VirtualIOServer/" + o.parentUuid() + "/VolumeGroup/" + o.uuid();
            case "LogicalPartitionProfile" -> UOM + "LogicalPartition/" + o.parentUuid() + "/LogicalPartitionProfile/"
                    + o.uuid();
            case "ClientNetworkAdapter" -> parentType(o) + o.parentUuid() + "/ClientNetworkAdapter/" + o.uuid();
            case "File" -> WEB + "File/" + o.uuid();
            default -> UOM + o.type() + "/" + o.uuid();
        };
    }

    private String parentType(UomObject cna) {
        return get("VirtualIOServer", cna.parentUuid()).isPresent() ? UOM + "VirtualIOServer/" : UOM + "LogicalPartition/";
    }

    /** A partition (LPAR or VIOS) by UUID. */
    public Optional<UomObject> partition(String uuid) {
        Optional<UomObject> lpar = get("LogicalPartition", uuid);
        return lpar.isPresent() ? lpar : get("VirtualIOServer", uuid);
    }

    /**
     * Runs a change to some objects' content; when it throws, their content is put back as it
     * was, so that a refused request leaves nothing half-done.
     */
    public void atomically(List<UomObject> touched, Runnable change) {
        List<Element> copies = new ArrayList<>();
        for (UomObject o : touched) {
            copies.add((Element) o.content().cloneNode(true));
        }
        try {
            change.run();
        } catch (RuntimeException e) {
            for (int i = 0; i < touched.size(); i++) {
                Element target = touched.get(i).content();
                Xml.removeChildren(target);
                Element copy = copies.get(i);
                while (copy.getFirstChild() != null) {
                    target.appendChild(copy.getFirstChild());
                }
            }
            throw e;
        }
    }

    /** The last path segment of an href, i.e. the UUID it points at. */
    public static String uuidOf(String href) {
        if (href == null) {
            return null;
        }
        String h = href;
        int q = h.indexOf('?');
        if (q >= 0) {
            h = h.substring(0, q);
        }
        return h.substring(h.lastIndexOf('/') + 1);
    }
}
