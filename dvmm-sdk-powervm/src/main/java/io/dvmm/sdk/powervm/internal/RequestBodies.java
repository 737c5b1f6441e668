package io.dvmm.sdk.powervm.internal;

import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * The bodies the provider writes from scratch (everything else is a patch of what the HMC served,
 * {@link DocumentPatch}), each in its schema's element order: the order of the HMC's
 * {@code xs:sequence}s as pypowervm's builders write them and as the captured create bodies show
 * ({@code lpar-create-bodies/}). The HMC answers a body out of order with
 * {@code Failed to unmarshal input payload}.
 */
final class RequestBodies {
    private static final XMLInputFactory INPUT = XMLInputFactory.newFactory();

    static {
        INPUT.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        INPUT.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    }

    private RequestBodies() {
    }

    /**
     * @param user the user ID
     * @param password the password (escaped by the writer, never logged)
     * @return the {@code LogonRequest}
     */
    static byte[] logon(String user, String password) {
        return XmlBody.of(HmcXml.WEB_NS, "LogonRequest").text("UserID", user).text("Password", password).bytes();
    }

    /**
     * The LPAR create body, in the order of the captured create bodies: availability priority, I/O,
     * memory, name, processors (dedicated configuration, the dedicated flag, shared configuration,
     * sharing mode), type, compatibility mode.
     *
     * @param s the shape
     * @return the {@code LogicalPartition} to PUT
     */
    static byte[] logicalPartition(LparShape s) {
        XmlBody b = XmlBody.of(HmcXml.UOM_NS, "LogicalPartition")
                .text("AvailabilityPriority", s.availabilityPriority())
                .open("PartitionIOConfiguration").text("MaximumVirtualIOSlots", s.maxVirtualIoSlots()).close()
                .open("PartitionMemoryConfiguration").text("DesiredMemory", s.desiredMemory())
                .text("MaximumMemory", s.maxMemory()).text("MinimumMemory", s.minMemory()).close()
                .text("PartitionName", s.name())
                .open("PartitionProcessorConfiguration");
        if (s.dedicated()) {
            b.open("DedicatedProcessorConfiguration").text("DesiredProcessors", s.desiredCpus())
                    .text("MaximumProcessors", s.maxCpus()).text("MinimumProcessors", s.minCpus()).close()
                    .text("HasDedicatedProcessors", true);
        } else {
            b.text("HasDedicatedProcessors", false)
                    .open("SharedProcessorConfiguration").text("DesiredProcessingUnits", plain(s.desiredUnits()))
                    .text("DesiredVirtualProcessors", s.desiredCpus()).text("MaximumProcessingUnits", plain(s.maxUnits()))
                    .text("MaximumVirtualProcessors", s.maxCpus()).text("MinimumProcessingUnits", plain(s.minUnits()))
                    .text("MinimumVirtualProcessors", s.minCpus()).text("SharedProcessorPoolID", s.poolId())
                    .text("UncappedWeight", s.uncappedWeight()).close();
        }
        return b.text("SharingMode", s.sharingMode()).close()
                .text("PartitionType", s.type())
                .text("PendingProcessorCompatibilityMode", s.compatibilityMode())
                .bytes();
    }

    private static String plain(BigDecimal d) {
        return d == null ? null : d.setScale(2, java.math.RoundingMode.HALF_UP).toPlainString();
    }

    /**
     * A client network adapter in the next free slot, in the captured order (slot request, MAC,
     * VLAN, switch).
     *
     * @param vlan the port VLAN ID
     * @param vswitchHref the virtual switch
     * @param mac a fixed MAC (12 upper-case hex digits), or null for the HMC's
     * @return the {@code ClientNetworkAdapter} to PUT
     */
    static byte[] clientNetworkAdapter(int vlan, String vswitchHref, String mac) {
        return XmlBody.of(HmcXml.UOM_NS, "ClientNetworkAdapter").text("UseNextAvailableSlotID", true)
                .text("MACAddress", mac).text("PortVLANID", vlan).linkChild("AssociatedVirtualSwitch", vswitchHref).bytes();
    }

    /**
     * @param operation the operation, such as {@code PowerOn}
     * @param group its group, such as {@code LogicalPartition}
     * @param parameters the job parameters, in order
     * @return the {@code JobRequest} to PUT to {@code …/do/<operation>}
     */
    static byte[] jobRequest(String operation, String group, Map<String, String> parameters) {
        XmlBody b = XmlBody.of(HmcXml.WEB_NS, "JobRequest").open("RequestedOperation").text("OperationName", operation)
                .text("GroupName", group).close().open("JobParameters");
        parameters.forEach((k, v) -> b.open("JobParameter").text("ParameterName", k).text("ParameterValue", v).close());
        return b.close().bytes();
    }

    /**
     * A File API entry for an ISO that lands in a VIOS's media repository, in the captured order.
     *
     * @param name the file (and media) name
     * @param size its size in bytes
     * @param viosUuid the VIOS whose repository receives it
     * @return the {@code File} to PUT
     */
    static byte[] mediaFile(String name, long size, String viosUuid) {
        return XmlBody.of(HmcXml.WEB_NS, "File").text("Filename", name).text("InternetMediaType", "application/octet-stream")
                .text("ExpectedFileSizeInBytes", size).text("FileEnumType", "BROKERED_MEDIA_ISO")
                .text("TargetVirtualIOServerUUID", viosUuid).bytes();
    }

    /**
     * The element names of a body, nested, without any text: what a log may show of a body the
     * HMC could not bind.
     *
     * @param body a body sent
     * @return such as {@code LogicalPartition[Metadata[Atom], AvailabilityPriority, ...]}
     */
    static String outline(byte[] body) {
        if (body == null || body.length == 0) {
            return "(no body)";
        }
        StringBuilder b = new StringBuilder();
        Deque<Integer> counts = new ArrayDeque<>();
        try {
            XMLStreamReader r = INPUT.createXMLStreamReader(new ByteArrayInputStream(body));
            while (r.hasNext()) {
                int e = r.next();
                if (e == XMLStreamConstants.START_ELEMENT) {
                    if (!counts.isEmpty()) {
                        int n = counts.pop();
                        b.append(n == 0 ? "[" : ", ");
                        counts.push(n + 1);
                    }
                    b.append(r.getLocalName());
                    counts.push(0);
                } else if (e == XMLStreamConstants.END_ELEMENT) {
                    if (counts.pop() > 0) {
                        b.append(']');
                    }
                }
            }
        } catch (XMLStreamException e) {
            b.append(" (not well-formed)");
        }
        return b.toString();
    }
}
