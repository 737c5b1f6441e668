package io.dvmm.sdk.simulator.hyperv.internal;

import java.io.ByteArrayOutputStream;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/** Writes the response envelopes Windows sends, with StAX (never by string concatenation). */
final class WsManWriter {

    /** One {@code rsp:Stream} element of a ReceiveResponse. */
    record StreamPart(String name, byte[] data, boolean end) {
    }

    /** The shell as the CreateResponse describes it. */
    record ShellDescription(String shellId, String owner, String clientIp, String idleTimeout) {
    }

    private static final XMLOutputFactory OUTPUT = XMLOutputFactory.newFactory();
    private static final String XML_NS = "http://www.w3.org/XML/1998/namespace";

    private final String machine;

    WsManWriter(String machine) {
        this.machine = machine;
    }

    byte[] createResponse(String relatesTo, String address, ShellDescription shell) {
        return envelope(WsManAction.CREATE.responseUri(), relatesTo, w -> {
            w.writeStartElement("x", "ResourceCreated", Ns.TRANSFER);
            element(w, "a", "Address", Ns.ADDRESSING, address);
            w.writeStartElement("a", "ReferenceParameters", Ns.ADDRESSING);
            element(w, "w", "ResourceURI", Ns.WSMAN, Ns.CMD_RESOURCE_URI);
            w.writeStartElement("w", "SelectorSet", Ns.WSMAN);
            w.writeStartElement("w", "Selector", Ns.WSMAN);
            w.writeAttribute("Name", "ShellId");
            w.writeCharacters(shell.shellId());
            w.writeEndElement();
            w.writeEndElement();
            w.writeEndElement();
            w.writeEndElement();
            // Windows Server 2012 and later also describe the shell in the body.
            w.writeStartElement("rsp", "Shell", Ns.SHELL);
            element(w, "rsp", "ShellId", Ns.SHELL, shell.shellId());
            element(w, "rsp", "ResourceUri", Ns.SHELL, Ns.CMD_RESOURCE_URI);
            element(w, "rsp", "Owner", Ns.SHELL, shell.owner());
            element(w, "rsp", "ClientIP", Ns.SHELL, shell.clientIp());
            element(w, "rsp", "IdleTimeOut", Ns.SHELL, shell.idleTimeout());
            element(w, "rsp", "InputStreams", Ns.SHELL, "stdin");
            element(w, "rsp", "OutputStreams", Ns.SHELL, "stdout stderr");
            element(w, "rsp", "ShellRunTime", Ns.SHELL, "P0DT0H0M0S");
            element(w, "rsp", "ShellInactivity", Ns.SHELL, "P0DT0H0M0S");
            w.writeEndElement();
        });
    }

    byte[] commandResponse(String relatesTo, String commandId) {
        return envelope(WsManAction.COMMAND.responseUri(), relatesTo, w -> {
            w.writeStartElement("rsp", "CommandResponse", Ns.SHELL);
            element(w, "rsp", "CommandId", Ns.SHELL, commandId);
            w.writeEndElement();
        });
    }

    /** A ReceiveResponse; {@code exitCode} null means the command is still running. */
    byte[] receiveResponse(String relatesTo, String commandId, List<StreamPart> parts, Integer exitCode) {
        return envelope(WsManAction.RECEIVE.responseUri(), relatesTo, w -> {
            w.writeStartElement("rsp", "ReceiveResponse", Ns.SHELL);
            for (StreamPart p : parts) {
                w.writeStartElement("rsp", "Stream", Ns.SHELL);
                w.writeAttribute("Name", p.name());
                w.writeAttribute("CommandId", commandId);
                if (p.end()) {
                    w.writeAttribute("End", "true");
                }
                if (p.data().length > 0) {
                    w.writeCharacters(Base64.getEncoder().encodeToString(p.data()));
                }
                w.writeEndElement();
            }
            w.writeStartElement("rsp", "CommandState", Ns.SHELL);
            w.writeAttribute("CommandId", commandId);
            w.writeAttribute("State", exitCode == null ? Ns.STATE_RUNNING : Ns.STATE_DONE);
            if (exitCode != null) {
                element(w, "rsp", "ExitCode", Ns.SHELL, Integer.toString(exitCode));
            }
            w.writeEndElement();
            w.writeEndElement();
        });
    }

    byte[] signalResponse(String relatesTo) {
        return envelope(WsManAction.SIGNAL.responseUri(), relatesTo, w -> {
            w.writeStartElement("rsp", "SignalResponse", Ns.SHELL);
            w.writeEndElement();
        });
    }

    byte[] deleteResponse(String relatesTo) {
        return envelope(WsManAction.DELETE.responseUri(), relatesTo, w -> { });
    }

    byte[] fault(String relatesTo, WsManFault fault) {
        return envelope(fault.faultAction(), relatesTo, w -> {
            w.writeStartElement("s", "Fault", Ns.SOAP);
            w.writeStartElement("s", "Code", Ns.SOAP);
            element(w, "s", "Value", Ns.SOAP, fault.code());
            if (fault.subcode() != null) {
                w.writeStartElement("s", "Subcode", Ns.SOAP);
                element(w, "s", "Value", Ns.SOAP, fault.subcodePrefix() + ":" + fault.subcode());
                w.writeEndElement();
            }
            w.writeEndElement();
            w.writeStartElement("s", "Reason", Ns.SOAP);
            w.writeStartElement("s", "Text", Ns.SOAP);
            w.writeAttribute("xml", XML_NS, "lang", "en-US");
            w.writeCharacters(fault.reason() + " ");
            w.writeEndElement();
            w.writeEndElement();
            if (fault.wsmanCode() != 0) {
                w.writeStartElement("s", "Detail", Ns.SOAP);
                w.writeStartElement("f", "WSManFault", Ns.FAULT_DETAIL);
                w.writeNamespace("f", Ns.FAULT_DETAIL);
                w.writeAttribute("Code", Long.toString(fault.wsmanCode()));
                w.writeAttribute("Machine", machine);
                element(w, "f", "Message", Ns.FAULT_DETAIL, fault.reason() + " ");
                w.writeEndElement();
                w.writeEndElement();
            }
            w.writeEndElement();
        });
    }

    private interface Body {
        void write(XMLStreamWriter w) throws XMLStreamException;
    }

    private static byte[] envelope(String action, String relatesTo, Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        try {
            XMLStreamWriter w = OUTPUT.createXMLStreamWriter(out, "UTF-8");
            w.writeStartElement("s", "Envelope", Ns.SOAP);
            w.writeAttribute("xml", XML_NS, "lang", "en-US");
            for (Map.Entry<String, String> ns : Map.of("s", Ns.SOAP, "a", Ns.ADDRESSING, "x", Ns.TRANSFER, "w", Ns.WSMAN,
                    "rsp", Ns.SHELL, "p", Ns.MS_WSMAN).entrySet()) {
                w.writeNamespace(ns.getKey(), ns.getValue());
            }
            w.writeStartElement("s", "Header", Ns.SOAP);
            element(w, "a", "To", Ns.ADDRESSING, Ns.ANONYMOUS);
            element(w, "a", "Action", Ns.ADDRESSING, action);
            element(w, "a", "MessageID", Ns.ADDRESSING, "uuid:" + UUID.randomUUID().toString().toUpperCase(Locale.ROOT));
            if (relatesTo != null) {
                element(w, "a", "RelatesTo", Ns.ADDRESSING, relatesTo);
            }
            w.writeEndElement();
            w.writeStartElement("s", "Body", Ns.SOAP);
            body.write(w);
            w.writeEndElement();
            w.writeEndElement();
            w.writeEndDocument();
            w.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("cannot write a WS-Management envelope", e);
        }
        return out.toByteArray();
    }

    private static void element(XMLStreamWriter w, String prefix, String local, String ns, String text)
            throws XMLStreamException {
        w.writeStartElement(prefix, local, ns);
        if (text != null) {
            w.writeCharacters(text);
        }
        w.writeEndElement();
    }
}
