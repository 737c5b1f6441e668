package io.dvmm.sdk.vsphere.internal;

import com.vmware.vim25.ManagedObjectReference;

import javax.xml.datatype.DatatypeConfigurationException;
import javax.xml.datatype.DatatypeFactory;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.GregorianCalendar;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes vim25 SOAP requests from yavijava's model classes with the JDK's StAX writer, so that
 * every text and attribute value is escaped by construction. yavijava's {@code XmlGen} escapes
 * strings but writes a managed object reference's value and type as they are, so a VM id such as
 * {@code vm-2<i/>65} would become markup; this writer follows {@code XmlGen}'s shape otherwise
 * (fields in declaration order, superclass first; {@code xsi:type} where the value's class is not
 * the declared one) and refuses characters XML 1.0 cannot carry.
 */
final class VimXmlWriter {

    static final String SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/";
    static final String XSI = "http://www.w3.org/2001/XMLSchema-instance";
    static final String XSD = "http://www.w3.org/2001/XMLSchema";
    static final String VIM = "urn:vim25";

    private static final XMLOutputFactory FACTORY = XMLOutputFactory.newDefaultFactory();
    private static final DatatypeFactory DATATYPES = newDatatypes();
    private static final Map<Class<?>, List<Field>> FIELDS = new ConcurrentHashMap<>();

    /** One argument of a vim25 method: its element name, the type the method declares, its value (skipped when null). */
    record Arg(String name, Class<?> declared, Object value) {
    }

    private VimXmlWriter() {
    }

    /**
     * @param method the vim25 method, such as {@code RetrievePropertiesEx}
     * @param args its arguments in the WSDL's order, {@code _this} first
     * @return the request body, UTF-8
     * @throws IllegalArgumentException if a value holds a character XML cannot carry
     */
    static byte[] request(String method, List<Arg> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try {
            XMLStreamWriter w = FACTORY.createXMLStreamWriter(out, "UTF-8");
            w.writeStartDocument("UTF-8", "1.0");
            w.writeStartElement("soapenv", "Envelope", SOAP_ENV);
            w.writeNamespace("soapenv", SOAP_ENV);
            w.writeNamespace("xsd", XSD);
            w.writeNamespace("xsi", XSI);
            w.writeStartElement("soapenv", "Body", SOAP_ENV);
            w.writeStartElement("", method, VIM);
            w.writeDefaultNamespace(VIM);
            for (Arg a : args) {
                value(w, a.name(), a.declared(), a.value());
            }
            w.writeEndElement();
            w.writeEndElement();
            w.writeEndElement();
            w.writeEndDocument();
            w.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("cannot write the " + method + " request", e);
        }
        return out.toByteArray();
    }

    private static void value(XMLStreamWriter w, String tag, Class<?> declared, Object v) throws XMLStreamException {
        if (v == null) {
            return;
        }
        Class<?> c = v.getClass();
        Class<?> expected = boxed(declared);
        if (c.isArray()) {
            Class<?> component = expected.isArray() ? expected.getComponentType() : Object.class;
            for (int i = 0; i < Array.getLength(v); i++) {
                value(w, tag, component, Array.get(v, i));
            }
            return;
        }
        w.writeStartElement(tag);
        if (c == ManagedObjectReference.class) {
            ManagedObjectReference ref = (ManagedObjectReference) v;
            if (expected != ManagedObjectReference.class) {
                w.writeAttribute("xsi", XSI, "type", "ManagedObjectReference");
            }
            w.writeAttribute("type", checked(ref.getType()));
            w.writeCharacters(checked(ref.getVal()));
        } else if (c.getName().startsWith("java.lang.")) {
            if (c != expected) {
                w.writeAttribute("xsi", XSI, "type", "xsd:" + xsdType(c));
            }
            w.writeCharacters(checked(String.valueOf(v)));
        } else if (c.isEnum()) {
            w.writeCharacters(checked(v.toString()));
        } else if (v instanceof Calendar cal) {
            w.writeAttribute("xsi", XSI, "type", "xsd:dateTime");
            GregorianCalendar g = cal instanceof GregorianCalendar gc ? gc : new GregorianCalendar(cal.getTimeZone());
            if (g != cal) {
                g.setTimeInMillis(cal.getTimeInMillis());
            }
            w.writeCharacters(DATATYPES.newXMLGregorianCalendar(g).toXMLFormat());
        } else {
            if (c != expected) {
                w.writeAttribute("xsi", XSI, "type", c.getSimpleName());
            }
            for (Field f : fieldsOf(c)) {
                Object fv;
                try {
                    fv = f.get(v);
                } catch (IllegalAccessException e) {
                    continue;
                }
                String name = f.getName().startsWith("_") ? f.getName().substring(1) : f.getName();
                value(w, name, f.getType(), fv);
            }
        }
        w.writeEndElement();
    }

    /** XML 1.0 cannot carry most control characters, not even escaped: refuse them rather than send a broken request. */
    static String checked(String s) {
        if (s == null) {
            return "";
        }
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch < 0x20 && ch != '\t' && ch != '\n' && ch != '\r' || ch == 0xFFFE || ch == 0xFFFF) {
                throw new IllegalArgumentException("a value holds the control character U+"
                        + String.format("%04X", (int) ch) + ", which XML cannot carry");
            }
        }
        return s;
    }

    private static List<Field> fieldsOf(Class<?> type) {
        return FIELDS.computeIfAbsent(type, t -> {
            List<Class<?>> chain = new ArrayList<>();
            for (Class<?> k = t; k != null && k != Object.class; k = k.getSuperclass()) {
                chain.add(0, k);
            }
            List<Field> out = new ArrayList<>();
            for (Class<?> k : chain) {
                for (Field f : k.getDeclaredFields()) {
                    int m = f.getModifiers();
                    if (!Modifier.isStatic(m) && !Modifier.isTransient(m) && Modifier.isPublic(m)) {
                        out.add(f);
                    }
                }
            }
            return List.copyOf(out);
        });
    }

    private static String xsdType(Class<?> c) {
        if (c == Integer.class) {
            return "int";
        }
        if (c == String.class) {
            return "string";
        }
        return c.getSimpleName().toLowerCase(java.util.Locale.ROOT);
    }

    private static Class<?> boxed(Class<?> t) {
        if (t == null) {
            return Object.class;
        }
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
