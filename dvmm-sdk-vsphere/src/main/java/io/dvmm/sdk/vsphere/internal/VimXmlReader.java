package io.dvmm.sdk.vsphere.internal;

import com.vmware.vim25.ManagedObjectReference;

import javax.xml.datatype.DatatypeConfigurationException;
import javax.xml.datatype.DatatypeFactory;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import java.io.InputStream;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Calendar;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads vim25 SOAP responses into yavijava's model classes, tolerantly and safely.
 *
 * <p>yavijava's own parser fails a whole call on any element or enum value it does not know,
 * which newer servers (and vcsim, which ignores the negotiated version) always send; this reader
 * skips unknown elements, maps unknown enum values to {@code null} and falls back to the declared
 * type for unknown {@code xsi:type}s. It streams with the JDK's StAX parser, refuses any document
 * carrying a DOCTYPE (XXE) and never resolves external entities.
 */
final class VimXmlReader {

    static final String XSI = "http://www.w3.org/2001/XMLSchema-instance";
    static final String SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/";
    private static final String MODEL_PACKAGE = "com.vmware.vim25.";

    private static final XMLInputFactory FACTORY = newFactory();
    private static final DatatypeFactory DATATYPES = newDatatypes();
    private static final Map<Class<?>, Map<String, Field>> FIELDS = new ConcurrentHashMap<>();
    private static final Map<String, Optional<Class<?>>> TYPES = new ConcurrentHashMap<>();
    private static final Map<Class<?>, Map<String, Object>> ENUMS = new ConcurrentHashMap<>();

    private VimXmlReader() {
    }

    /** The parsed body of one response: either a return value or a fault. */
    record Response(Object value, SoapFault fault) {
    }

    /** A SOAP fault: code, string, the detail's type name and, when known to the model, the fault object. */
    record SoapFault(String code, String message, String typeName, Object detail) {
    }

    /** The most characters of a fault's text kept (the rest is read past, never held). */
    static final int MAX_FAULT_TEXT = 4096;
    /** The most characters of one text value inside a fault's detail. */
    private static final int MAX_DETAIL_TEXT = 64 * 1024;

    static Response readResponse(InputStream in, String returnType) throws XMLStreamException {
        XMLStreamReader r = FACTORY.createXMLStreamReader(in);
        try {
            if (!moveToRoot(r)) {
                throw new XMLStreamException("empty response");
            }
            // Envelope -> Body -> first child
            requireElement(r, "Envelope");
            while (nextStartOrEnd(r) == XMLStreamConstants.START_ELEMENT && !"Body".equals(r.getLocalName())) {
                skip(r);
            }
            if (!r.isStartElement()) {
                throw new XMLStreamException("no SOAP Body");
            }
            if (nextStartOrEnd(r) != XMLStreamConstants.START_ELEMENT) {
                return new Response(null, null);
            }
            if ("Fault".equals(r.getLocalName())) {
                return new Response(null, readFault(r));
            }
            return new Response(readReturn(r, returnType), null);
        } finally {
            r.close();
        }
    }

    private static boolean moveToRoot(XMLStreamReader r) throws XMLStreamException {
        while (r.hasNext()) {
            int event = r.next();
            if (event == XMLStreamConstants.DTD) {
                throw new XMLStreamException("response carries a DOCTYPE; refused (DTDs and external entities are never processed)");
            }
            if (event == XMLStreamConstants.START_ELEMENT) {
                return true;
            }
        }
        return false;
    }

    private static void requireElement(XMLStreamReader r, String localName) throws XMLStreamException {
        if (!localName.equals(r.getLocalName())) {
            throw new XMLStreamException("expected <" + localName + "> but found <" + r.getLocalName() + ">");
        }
    }

    private static Object readReturn(XMLStreamReader r, String returnType) throws XMLStreamException {
        if (returnType == null) {
            returnType = "void";
        }
        boolean many = returnType.endsWith("[]");
        Class<?> type = many ? resolveDeclared(returnType.substring(0, returnType.length() - 2)) : resolveDeclared(returnType);
        List<Object> values = new ArrayList<>();
        while (nextStartOrEnd(r) == XMLStreamConstants.START_ELEMENT) {
            if ("returnval".equals(r.getLocalName()) && type != null) {
                values.add(readValue(r, type, Integer.MAX_VALUE));
            } else {
                skip(r);
            }
        }
        if (type == null) {
            return null;
        }
        if (many) {
            Object array = Array.newInstance(type, values.size());
            for (int i = 0; i < values.size(); i++) {
                Array.set(array, i, values.get(i));
            }
            return array;
        }
        return values.isEmpty() ? null : values.get(0);
    }

    private static SoapFault readFault(XMLStreamReader r) throws XMLStreamException {
        String code = null;
        String message = null;
        String typeName = null;
        Object detail = null;
        while (nextStartOrEnd(r) == XMLStreamConstants.START_ELEMENT) {
            switch (r.getLocalName()) {
                case "faultcode" -> code = text(r, 256);
                case "faultstring" -> message = text(r, MAX_FAULT_TEXT);
                case "detail" -> {
                    while (nextStartOrEnd(r) == XMLStreamConstants.START_ELEMENT) {
                        if (typeName == null) {
                            String xsiType = r.getAttributeValue(XSI, "type");
                            typeName = xsiType != null ? stripPrefix(xsiType) : stripFaultSuffix(r.getLocalName());
                            Class<?> cls = modelClass(typeName);
                            detail = cls != null ? readObject(r, cls, MAX_DETAIL_TEXT) : skipAndNull(r);
                        } else {
                            skip(r);
                        }
                    }
                }
                default -> skip(r);
            }
        }
        return new SoapFault(code, message, typeName, detail);
    }

    private static String stripFaultSuffix(String element) {
        return element.endsWith("Fault") && element.length() > 5 && modelClass(element) == null
                ? element.substring(0, element.length() - 5) : element;
    }

    /** Reads the current element (positioned at START_ELEMENT) as {@code declared}; leaves the reader at its END_ELEMENT. */
    static Object readValue(XMLStreamReader r, Class<?> declared, int limit) throws XMLStreamException {
        Class<?> type = declared;
        String xsiType = r.getAttributeValue(XSI, "type");
        if (xsiType != null) {
            Class<?> named = resolveXsiType(xsiType);
            if (named != null && (declared == Object.class || boxed(declared).isAssignableFrom(named))) {
                type = named;
            } else if (named == null && (declared == Object.class || Modifier.isAbstract(declared.getModifiers()))) {
                return skipAndNull(r); // a type newer than this model, with nothing concrete to fall back on
            }
        }
        if (type == Object.class) {
            return textOrSkip(r, limit);
        }
        if (type == ManagedObjectReference.class) {
            ManagedObjectReference ref = new ManagedObjectReference();
            ref.setType(unqualifiedAttribute(r, "type"));
            ref.setVal(text(r, limit));
            return ref;
        }
        if (isBasic(type)) {
            return parseBasic(boxed(type), text(r, limit));
        }
        if (type.isEnum()) {
            return enumValue(type, text(r, limit));
        }
        return readObject(r, type, limit);
    }

    private static Object readObject(XMLStreamReader r, Class<?> type, int limit) throws XMLStreamException {
        Object target;
        try {
            target = type.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            return skipAndNull(r);
        }
        Map<String, Field> fields = fieldsOf(type);
        Map<Field, List<Object>> arrays = null;
        while (nextStartOrEnd(r) == XMLStreamConstants.START_ELEMENT) {
            Field field = fields.get(r.getLocalName());
            if (field == null) {
                skip(r); // unknown element from a newer API version
                continue;
            }
            Class<?> ft = field.getType();
            if (ft.isArray()) {
                Object item = readValue(r, ft.getComponentType(), limit);
                if (arrays == null) {
                    arrays = new IdentityHashMap<>();
                }
                arrays.computeIfAbsent(field, f -> new ArrayList<>()).add(item);
            } else {
                set(field, target, readValue(r, ft, limit));
            }
        }
        if (arrays != null) {
            for (Map.Entry<Field, List<Object>> e : arrays.entrySet()) {
                Class<?> component = e.getKey().getType().getComponentType();
                List<Object> items = e.getValue();
                items.removeIf(v -> v == null && component.isPrimitive());
                Object array = Array.newInstance(component, items.size());
                for (int i = 0; i < items.size(); i++) {
                    Array.set(array, i, items.get(i));
                }
                set(e.getKey(), target, array);
            }
        }
        return target;
    }

    private static void set(Field field, Object target, Object value) {
        if (value == null && field.getType().isPrimitive()) {
            return;
        }
        try {
            field.set(target, value);
        } catch (IllegalAccessException | IllegalArgumentException e) {
            // a value of an unexpected shape from a newer server: leave the field unset
        }
    }

    private static Map<String, Field> fieldsOf(Class<?> type) {
        return FIELDS.computeIfAbsent(type, t -> {
            Map<String, Field> map = new HashMap<>();
            for (Class<?> c = t; c != null && c.getName().startsWith(MODEL_PACKAGE); c = c.getSuperclass()) {
                for (Field f : c.getDeclaredFields()) {
                    int m = f.getModifiers();
                    if (Modifier.isStatic(m) || !Modifier.isPublic(m)) {
                        continue;
                    }
                    map.putIfAbsent(f.getName(), f);
                    if (f.getName().startsWith("_")) {
                        map.putIfAbsent(f.getName().substring(1), f);
                    }
                }
            }
            return map;
        });
    }

    private static Class<?> resolveDeclared(String name) {
        return switch (name) {
            case "void" -> null;
            case "String", "string" -> String.class;
            case "int" -> Integer.class;
            case "long" -> Long.class;
            case "boolean" -> Boolean.class;
            case "short" -> Short.class;
            case "byte" -> Byte.class;
            case "float" -> Float.class;
            case "double" -> Double.class;
            case "Calendar" -> Calendar.class;
            case "Object" -> Object.class;
            default -> {
                Class<?> c = modelClass(name);
                yield c != null ? c : Object.class;
            }
        };
    }

    private static Class<?> resolveXsiType(String xsiType) {
        String local = stripPrefix(xsiType);
        if (xsiType.startsWith("xsd:") || xsiType.startsWith("xs:")) {
            return switch (local) {
                case "string", "anyURI" -> String.class;
                case "int" -> Integer.class;
                case "long" -> Long.class;
                case "short" -> Short.class;
                case "byte" -> Byte.class;
                case "boolean" -> Boolean.class;
                case "float" -> Float.class;
                case "double" -> Double.class;
                case "dateTime" -> Calendar.class;
                case "base64Binary" -> byte[].class;
                default -> null;
            };
        }
        return modelClass(local);
    }

    private static Class<?> modelClass(String simpleName) {
        return TYPES.computeIfAbsent(simpleName, n -> {
            if (n.isEmpty() || n.indexOf('.') >= 0) {
                return Optional.empty();
            }
            try {
                return Optional.of(Class.forName(MODEL_PACKAGE + n, false, VimXmlReader.class.getClassLoader()));
            } catch (ClassNotFoundException | LinkageError e) {
                return Optional.empty();
            }
        }).orElse(null);
    }

    private static String stripPrefix(String qname) {
        int colon = qname.indexOf(':');
        return colon < 0 ? qname : qname.substring(colon + 1);
    }

    private static boolean isBasic(Class<?> t) {
        Class<?> b = boxed(t);
        return b == String.class || Number.class.isAssignableFrom(b) || b == Boolean.class
                || b == Calendar.class || b == byte[].class;
    }

    private static Class<?> boxed(Class<?> t) {
        if (!t.isPrimitive()) {
            return t;
        }
        if (t == int.class) {
            return Integer.class;
        }
        if (t == long.class) {
            return Long.class;
        }
        if (t == boolean.class) {
            return Boolean.class;
        }
        if (t == short.class) {
            return Short.class;
        }
        if (t == byte.class) {
            return Byte.class;
        }
        if (t == float.class) {
            return Float.class;
        }
        if (t == double.class) {
            return Double.class;
        }
        return t;
    }

    private static Object parseBasic(Class<?> t, String text) {
        String s = text.trim();
        try {
            if (t == String.class) {
                return text;
            }
            if (t == Integer.class) {
                return Integer.valueOf(s);
            }
            if (t == Long.class) {
                return Long.valueOf(s);
            }
            if (t == Boolean.class) {
                return "true".equals(s) || "1".equals(s);
            }
            if (t == Short.class) {
                return Short.valueOf(s);
            }
            if (t == Byte.class) {
                return Byte.valueOf(s);
            }
            if (t == Float.class) {
                return Float.valueOf(s);
            }
            if (t == Double.class) {
                return Double.valueOf(s);
            }
            if (t == Calendar.class) {
                return DATATYPES.newXMLGregorianCalendar(s).toGregorianCalendar();
            }
            if (t == byte[].class) {
                return Base64.getMimeDecoder().decode(s);
            }
        } catch (IllegalArgumentException e) {
            return null;
        }
        return null;
    }

    private static Object enumValue(Class<?> type, String text) {
        Map<String, Object> values = ENUMS.computeIfAbsent(type, t -> {
            Map<String, Object> map = new HashMap<>();
            for (Object constant : t.getEnumConstants()) {
                map.put(((Enum<?>) constant).name(), constant);
                map.put(constant.toString(), constant);
                try {
                    Field val = t.getDeclaredField("val");
                    val.setAccessible(true);
                    Object wire = val.get(constant);
                    if (wire != null) {
                        map.put(wire.toString(), constant);
                    }
                } catch (ReflectiveOperationException | RuntimeException e) {
                    // no wire-name field: the constant's name is the wire name
                }
            }
            return map;
        });
        return values.get(text.trim()); // unknown values from newer servers read as null
    }

    private static int nextStartOrEnd(XMLStreamReader r) throws XMLStreamException {
        while (r.hasNext()) {
            int event = r.next();
            if (event == XMLStreamConstants.START_ELEMENT || event == XMLStreamConstants.END_ELEMENT) {
                return event;
            }
            if (event == XMLStreamConstants.DTD) {
                throw new XMLStreamException("DOCTYPE inside a response; refused");
            }
        }
        return XMLStreamConstants.END_DOCUMENT;
    }

    /**
     * The attribute with this local name and no namespace. Not {@code getAttributeValue(null, ...)},
     * which ignores namespaces and so may return {@code xsi:type} (vcsim writes it first).
     */
    private static String unqualifiedAttribute(XMLStreamReader r, String localName) {
        for (int i = 0; i < r.getAttributeCount(); i++) {
            String ns = r.getAttributeNamespace(i);
            if ((ns == null || ns.isEmpty()) && localName.equals(r.getAttributeLocalName(i))) {
                return r.getAttributeValue(i);
            }
        }
        return null;
    }

    /** The text of a simple element, or {@code null} (subtree skipped) when it has children. */
    private static String textOrSkip(XMLStreamReader r, int limit) throws XMLStreamException {
        StringBuilder text = new StringBuilder();
        while (r.hasNext()) {
            int event = r.next();
            if (event == XMLStreamConstants.END_ELEMENT) {
                return text.toString();
            }
            if (event == XMLStreamConstants.START_ELEMENT) {
                skip(r);
                skip(r);
                return null;
            }
            append(r, event, text, limit);
        }
        return null;
    }

    /**
     * The text of an element without children (the reader at its START_ELEMENT, left at its
     * END_ELEMENT), keeping at most {@code limit} characters: the rest is read past, never held.
     */
    static String text(XMLStreamReader r, int limit) throws XMLStreamException {
        StringBuilder text = new StringBuilder();
        boolean cut = false;
        while (r.hasNext()) {
            int event = r.next();
            if (event == XMLStreamConstants.END_ELEMENT) {
                return cut ? text.append("... (cut)").toString() : text.toString();
            }
            if (event == XMLStreamConstants.START_ELEMENT) {
                throw new XMLStreamException("element <" + r.getLocalName() + "> where text was expected");
            }
            if (event == XMLStreamConstants.DTD) {
                throw new XMLStreamException("DOCTYPE inside a response; refused");
            }
            cut |= append(r, event, text, limit);
        }
        throw new XMLStreamException("the response ended inside an element");
    }

    /** @return whether text was left out to stay within the limit */
    private static boolean append(XMLStreamReader r, int event, StringBuilder text, int limit) {
        if (event != XMLStreamConstants.CHARACTERS && event != XMLStreamConstants.CDATA
                && event != XMLStreamConstants.SPACE && event != XMLStreamConstants.ENTITY_REFERENCE) {
            return false;
        }
        int room = limit - text.length();
        if (event == XMLStreamConstants.ENTITY_REFERENCE) {
            String t = r.getText() == null ? "" : r.getText();
            text.append(t, 0, Math.max(0, Math.min(room, t.length())));
            return t.length() > Math.max(0, room);
        }
        if (room <= 0) {
            return r.getTextLength() > 0;
        }
        int n = Math.min(room, r.getTextLength());
        text.append(r.getTextCharacters(), r.getTextStart(), n);
        return n < r.getTextLength();
    }

    private static Object skipAndNull(XMLStreamReader r) throws XMLStreamException {
        skip(r);
        return null;
    }

    /** Skips the current element and its subtree; leaves the reader at its END_ELEMENT. */
    private static void skip(XMLStreamReader r) throws XMLStreamException {
        int depth = 1;
        while (depth > 0 && r.hasNext()) {
            int event = r.next();
            if (event == XMLStreamConstants.START_ELEMENT) {
                depth++;
            } else if (event == XMLStreamConstants.END_ELEMENT) {
                depth--;
            }
        }
    }

    private static XMLInputFactory newFactory() {
        // The JDK's own implementation, whatever StAX provider the application ships.
        XMLInputFactory f = XMLInputFactory.newDefaultFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        // Not coalescing: text arrives in the parser's chunks, so a huge value is never held whole before it is cut.
        f.setProperty(XMLInputFactory.IS_COALESCING, false);
        // The model is read recursively (a snapshot tree nests): a document deeper than any vim25 answer is refused by
        // the parser, typed, before the reader's stack overflows.
        f.setProperty("http://www.oracle.com/xml/jaxp/properties/maxElementDepth", "1000");
        f.setXMLResolver((publicId, systemId, baseUri, ns) -> {
            throw new XMLStreamException("external entities are never resolved");
        });
        return f;
    }

    private static DatatypeFactory newDatatypes() {
        try {
            return DatatypeFactory.newDefaultInstance();
        } catch (RuntimeException e) {
            try {
                return DatatypeFactory.newInstance();
            } catch (DatatypeConfigurationException ex) {
                throw new IllegalStateException(ex);
            }
        }
    }
}
