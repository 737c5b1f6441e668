package io.dvmm.sdk.simulator.hyperv.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * What powershell.exe writes on stderr when its output is redirected: {@code #< CLIXML} and a serialized stream of
 * records, error lines as {@code <S S="Error">} (CR and LF as {@code _x000D__x000A_}) and progress records.
 */
final class CliXml {

    private static final String NS = "http://schemas.microsoft.com/powershell/2004/04";
    private static final XMLOutputFactory OUTPUT = XMLOutputFactory.newFactory();

    private CliXml() {
    }

    /** An error written to the error stream, one {@code S} element per line. */
    static byte[] error(String text) {
        return document(w -> {
            for (String line : text.split("\r?\n", -1)) {
                if (line.isEmpty()) {
                    continue;
                }
                w.writeStartElement("S");
                w.writeAttribute("S", "Error");
                w.writeCharacters(escape(line + "\r\n"));
                w.writeEndElement();
            }
        });
    }

    /** The "Preparing modules for first use." progress record of a fresh PowerShell. */
    static byte[] firstUseProgress() {
        return document(w -> {
            w.writeStartElement("Obj");
            w.writeAttribute("S", "progress");
            w.writeAttribute("RefId", "0");
            w.writeStartElement("TN");
            w.writeAttribute("RefId", "0");
            simple(w, "T", "System.Management.Automation.PSCustomObject");
            simple(w, "T", "System.Object");
            w.writeEndElement();
            w.writeStartElement("MS");
            w.writeStartElement("I64");
            w.writeAttribute("N", "SourceId");
            w.writeCharacters("1");
            w.writeEndElement();
            w.writeStartElement("PR");
            w.writeAttribute("N", "Record");
            simple(w, "AV", "Preparing modules for first use.");
            simple(w, "AI", "0");
            w.writeEmptyElement("Nil");
            simple(w, "PI", "-1");
            simple(w, "PC", "-1");
            simple(w, "T", "Completed");
            simple(w, "SR", "-1");
            simple(w, "SD", " ");
            w.writeEndElement();
            w.writeEndElement();
            w.writeEndElement();
        });
    }

    private interface Records {
        void write(XMLStreamWriter w) throws XMLStreamException;
    }

    private static byte[] document(Records records) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("#< CLIXML\r\n".getBytes(StandardCharsets.US_ASCII));
        try {
            XMLStreamWriter w = OUTPUT.createXMLStreamWriter(out, "UTF-8");
            w.writeStartElement("Objs");
            w.writeAttribute("Version", "1.1.0.1");
            w.writeDefaultNamespace(NS);
            records.write(w);
            w.writeEndElement();
            w.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    private static void simple(XMLStreamWriter w, String name, String text) throws XMLStreamException {
        w.writeStartElement(name);
        w.writeCharacters(text);
        w.writeEndElement();
    }

    /** PowerShell's serializer writes control characters (and a literal {@code _x}) as {@code _xHHHH_}. */
    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || (c == '_' && i + 1 < s.length() && s.charAt(i + 1) == 'x')) {
                b.append(String.format("_x%04X_", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
