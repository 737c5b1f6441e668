package io.dvmm.sdk.simulator.powervm.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Builds a seeded {@link Hmc}: from the captures when their directory is given (the element
 * order derived from every capture and create body, unknown elements refused), else from the
 * built-in minimal model (the order derived from it, unknown elements tolerated).
 */
public final class Seeds {

    private static final Map<Path, ElementOrder> CAPTURE_ORDERS = new ConcurrentHashMap<>();
    private static final Map<Path, AttributeHints> CAPTURE_HINTS = new ConcurrentHashMap<>();
    private static volatile Document builtIn;

    private Seeds() {
    }

    /** What to seed. */
    public record Options(Path captures, int managedSystems, int vioses, boolean templates, String user, String password) {
    }

    /** The element order the captures in a directory give, derived once per JVM. */
    public static ElementOrder captureOrder(Path dir) {
        return CAPTURE_ORDERS.computeIfAbsent(dir.toAbsolutePath().normalize(), d -> {
            CaptureSet c = CaptureSet.of(d);
            ElementOrder.Builder b = ElementOrder.builder();
            synchronized (c) {
                c.bodies().forEach(b::observe);
                c.createBodies().values().forEach(b::observe);
            }
            OrderSupplement.apply(b);
            return b.build(true, "derived from " + c.names().size() + " captures and " + c.createBodies().size()
                    + " LPAR create bodies in " + d);
        });
    }

    /** The element order of the built-in model. */
    public static ElementOrder builtInOrder() {
        ElementOrder.Builder b = ElementOrder.builder();
        Element model = builtIn().getDocumentElement();
        for (Element o : Xml.children(model)) {
            b.observe(Xml.children(o).get(0));
        }
        OrderSupplement.apply(b);
        return b.build(false, "derived from the built-in minimal model (captures absent; unknown elements tolerated)");
    }

    public static Hmc create(Settings settings, Options options) {
        if (options.captures() != null) {
            Path dir = options.captures();
            CaptureSet c = CaptureSet.of(dir);
            AttributeHints hints = CAPTURE_HINTS.computeIfAbsent(dir.toAbsolutePath().normalize(), d -> {
                synchronized (c) {
                    return AttributeHints.learn(c.bodies());
                }
            });
            Hmc hmc = new Hmc(settings, captureOrder(dir), hints, "captures in " + c.dir(), options.user(),
                    options.password());
            synchronized (hmc.model.lock()) {
                UomObject primary = CaptureSeed.seed(hmc, c, options.managedSystems(), options.vioses());
                if (options.templates()) {
                    TemplateSeed.seed(hmc, primary);
                }
            }
            return hmc;
        }
        Hmc hmc = new Hmc(settings, builtInOrder(), AttributeHints.none(), "built-in minimal model", options.user(),
                options.password());
        synchronized (hmc.model.lock()) {
            UomObject primary = seedBuiltIn(hmc, options.vioses());
            if (options.templates()) {
                TemplateSeed.seed(hmc, primary);
            }
        }
        return hmc;
    }

    private static UomObject seedBuiltIn(Hmc hmc, int vioses) {
        UomObject primary = null;
        int viosSeen = 0;
        for (Element o : Xml.children(builtIn().getDocumentElement(), "object")) {
            String type = o.getAttribute("type");
            if (type.equals("VirtualIOServer") && ++viosSeen > vioses) {
                continue;
            }
            String uuid = o.getAttribute("uuid");
            String parent = o.getAttribute("parent");
            if (!parent.isEmpty() && hmc.model.partition(parent).isEmpty() && hmc.model.get("ManagedSystem", parent)
                    .isEmpty()) {
                continue;
            }
            Element content = hmc.factory.fromBody(Xml.children(o).get(0), uuid);
            UomObject obj = new UomObject(type, uuid, content, parent.isEmpty() ? null : parent);
            hmc.model.add(obj);
            switch (type) {
                case "ManagementConsole" -> hmc.model.consoleUuid(uuid);
                case "ManagedSystem" -> primary = primary == null ? obj : primary;
                case "LogicalPartition" -> {
                    hmc.partitions.seedHeld(obj);
                    hmc.partitions.seedProfile(obj);
                }
                case "VirtualIOServer" -> hmc.partitions.seedHeld(obj);
                default -> {
                }
            }
        }
        if (primary == null) {
            throw new IllegalStateException("the built-in model has no managed system");
        }
        if (vioses < 2) {
            Element cluster = hmc.model.all("Cluster").get(0).content();
            for (Element node : Xml.descendants(cluster, "Node")) {
                Xml.child(node, "VirtualIOServer").filter(v -> hmc.model.get("VirtualIOServer",
                        HmcModel.uuidOf(v.getAttribute("href"))).isEmpty()).ifPresent(v -> node.getParentNode()
                        .removeChild(node));
            }
        }
        hmc.partitions.refreshSystemLinks(primary.uuid());
        UomObject mc = hmc.model.all("ManagementConsole").get(0);
        Element list = hmc.editor.ensure(mc.content(), "ManagedSystems");
        Element link = list.getOwnerDocument().createElementNS(Ns.UOM, "link");
        link.setAttribute("href", HmcModel.UOM + "ManagementConsole/" + mc.uuid() + "/ManagedSystem/" + primary.uuid());
        link.setAttribute("rel", "related");
        list.appendChild(link);
        return primary;
    }

    private static Document builtIn() {
        Document d = builtIn;
        if (d == null) {
            try (InputStream in = Seeds.class.getResourceAsStream("builtin-model.xml")) {
                if (in == null) {
                    throw new IllegalStateException("builtin-model.xml is missing from the simulator's jar");
                }
                d = Xml.parse(in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            builtIn = d;
        }
        return d;
    }

    /** The built-in model's objects of a type, for tests. */
    static List<Element> builtInObjects() {
        return Xml.children(builtIn().getDocumentElement(), "object");
    }
}
