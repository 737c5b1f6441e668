package io.dvmm.sdk.vsphere.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.vmware.vim25.ObjectContent;
import com.vmware.vim25.RetrieveResult;
import com.vmware.vim25.VirtualMachineSnapshotInfo;
import io.dvmm.sdk.HypervisorException;
import io.dvmm.sdk.Snapshot;
import io.dvmm.sdk.testing.HostileBodies;
import io.dvmm.sdk.testing.HostileBodies.Body;
import io.dvmm.sdk.testing.ParserContract;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.stream.XMLStreamException;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Every answer a vCenter could send, read the way the provider reads it: {@link VimXmlReader#readResponse}
 * for each return type the provider asks for, a SOAP fault through {@link VimErrors#fault}, and the
 * VM properties of a retrieval through {@link VmMapper}. A value or a typed error, never another
 * exception, never a hang; a DTD is refused. The reader's own failure, {@link XMLStreamException},
 * counts as typed: {@code VimClient} maps it to {@code ProtocolException}, as {@link #read} does.
 * The seeds have the shapes vcsim answers with (property retrieval of a VM with devices, guest NICs,
 * extraConfig and a snapshot tree; a fault; the service content; a session).
 */
class VimParsingProperties {
    private static final String ENVELOPE = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><soapenv:Envelope "
            + "xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" "
            + "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><soapenv:Body>";
    private static final String END = "</soapenv:Body></soapenv:Envelope>";
    private static final List<String> RETURN_TYPES = List.of("RetrieveResult", "ServiceContent", "UpdateSet", "UserSession",
            "ManagedObjectReference", "Calendar");
    private static final Map<String, byte[]> SEEDS = seeds();

    @Property(tries = 500)
    void aMutatedAnswerIsReadOrRefusedTyped(@ForAll("mutatedAnswers") Body body) {
        ParserContract.typedOutcome(() -> read(body.bytes()));
    }

    @Property(tries = 300)
    void anAnswerWithHostileValuesIsReadOrRefusedTyped(@ForAll("revaluedAnswers") Body body) {
        ParserContract.typedOutcome(() -> read(body.bytes()));
    }

    @Property(tries = 150)
    void noiseIsReadOrRefusedTyped(@ForAll("noise") Body body) {
        ParserContract.typedOutcome(() -> read(body.bytes()));
    }

    @Property(tries = 100)
    void aDeclaredDtdIsRefused(@ForAll("withDtd") Body body) {
        for (String type : RETURN_TYPES) {
            ParserContract.Outcome<Object> o = ParserContract.typedOutcome(() -> readOne(body.bytes(), type));
            assertThat(o.failed()).as("a DTD must be refused").isTrue();
            assertThat(o.error().getMessage()).contains("DOCTYPE").doesNotContain("root:x:0:0");
        }
    }

    @Example
    void everySeedIsRead() {
        SEEDS.forEach((name, xml) -> assertThat(ParserContract.typedOutcome(() -> read(xml)).value()).as(name).isPositive());
    }

    /** A retrieved object without {@code <obj>} threw NullPointerException in the mapper; it is a ProtocolException now. */
    @Example
    void anObjectWithoutItsReferenceIsAProtocolError() {
        String vm = new String(SEEDS.get("retrieve-vm"), StandardCharsets.UTF_8);
        byte[] noObj = vm.replace("<obj type=\"VirtualMachine\">vm-42</obj>", "").getBytes(StandardCharsets.UTF_8);
        assertThat(ParserContract.typedOutcome(() -> readOne(noObj, "RetrieveResult")).error())
                .isInstanceOf(io.dvmm.sdk.ProtocolException.class).hasMessageContaining("no <obj>");
    }

    /** A snapshot tree nested 20,000 deep overflowed the reader's stack (StackOverflowError); the parser now refuses past depth 1000. */
    @Example
    void aSnapshotTreeNestedDeeplyIsRefusedTyped() {
        String vm = new String(SEEDS.get("retrieve-vm"), StandardCharsets.UTF_8);
        byte[] deep = vm.replace("<childSnapshotList>", "<childSnapshotList><name>n</name>".repeat(20_000))
                .replace("</childSnapshotList>", "</childSnapshotList>".repeat(20_000)).getBytes(StandardCharsets.UTF_8);
        assertThat(ParserContract.typedOutcome(() -> readOne(deep, "RetrieveResult")).error())
                .isInstanceOf(io.dvmm.sdk.ProtocolException.class);
    }

    @Provide
    Arbitrary<Body> mutatedAnswers() {
        return HostileBodies.mutated(HostileBodies.Syntax.XML, SEEDS);
    }

    @Provide
    Arbitrary<Body> revaluedAnswers() {
        return HostileBodies.revalued(HostileBodies.Syntax.XML, SEEDS);
    }

    @Provide
    Arbitrary<Body> noise() {
        return HostileBodies.noise();
    }

    @Provide
    Arbitrary<Body> withDtd() {
        return HostileBodies.withDtd(SEEDS);
    }

    // ---- the reading ------------------------------------------------------------------------------

    /** @return how many return types gave a value or a fault */
    static int read(byte[] xml) {
        int read = 0;
        for (String type : RETURN_TYPES) {
            try {
                if (readOne(xml, type) != null) {
                    read++;
                }
            } catch (HypervisorException e) {
                // typed
            }
        }
        return read;
    }

    /** One answer read as {@code type}, then what the provider makes of it; a fault is returned as the SDK's error. */
    static Object readOne(byte[] xml, String type) {
        VimXmlReader.Response r;
        try {
            r = VimXmlReader.readResponse(new ByteArrayInputStream(xml), type);
        } catch (XMLStreamException e) {
            throw VimErrors.garbled("malformed or refused response: " + e.getMessage(), "Test", "parse", e);
        }
        if (r.fault() != null) {
            return VimErrors.fault(r.fault(), "Test", "parse");
        }
        if (r.value() instanceof RetrieveResult rr && rr.getObjects() != null) {
            List<Object> out = new ArrayList<>();
            for (ObjectContent oc : rr.getObjects()) {
                Map<String, Object> props = VmMapper.properties(oc);
                out.add(VmMapper.toVmInfo(oc.getObj(), props, ref -> "host-" + ref.getVal()));
                VmMapper.hasUsableIp(props);
                if (props.get("snapshot") instanceof VirtualMachineSnapshotInfo info) {
                    List<Snapshot> snapshots = new ArrayList<>();
                    VmMapper.flatten(info.getRootSnapshotList(), null, snapshots, new ArrayList<>());
                    out.add(snapshots);
                }
            }
            return out;
        }
        return r.value();
    }

    private static Map<String, byte[]> seeds() {
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("retrieve-vm", (ENVELOPE + "<RetrievePropertiesExResponse xmlns=\"urn:vim25\"><returnval><objects>"
                + "<obj type=\"VirtualMachine\">vm-42</obj>"
                + "<propSet><name>name</name><val xsi:type=\"xsd:string\">web-01</val></propSet>"
                + "<propSet><name>runtime.powerState</name><val xsi:type=\"VirtualMachinePowerState\">poweredOn</val></propSet>"
                + "<propSet><name>runtime.host</name><val type=\"HostSystem\" xsi:type=\"ManagedObjectReference\">host-21</val></propSet>"
                + "<propSet><name>config.hardware.numCPU</name><val xsi:type=\"xsd:int\">2</val></propSet>"
                + "<propSet><name>config.hardware.memoryMB</name><val xsi:type=\"xsd:int\">4096</val></propSet>"
                + "<propSet><name>config.template</name><val xsi:type=\"xsd:boolean\">false</val></propSet>"
                + "<propSet><name>guest.ipAddress</name><val xsi:type=\"xsd:string\">10.0.0.21</val></propSet>"
                + "<propSet><name>guest.net</name><val xsi:type=\"ArrayOfGuestNicInfo\"><GuestNicInfo><network>VM Network</network>"
                + "<ipAddress>10.0.0.21</ipAddress><ipAddress>fe80::250:56ff:fe9a:1</ipAddress><macAddress>00:50:56:9a:00:01</macAddress>"
                + "<connected>true</connected><deviceConfigId>4000</deviceConfigId></GuestNicInfo></val></propSet>"
                + "<propSet><name>config.hardware.device</name><val xsi:type=\"ArrayOfVirtualDevice\">"
                + "<VirtualDevice xsi:type=\"VirtualDisk\"><key>2000</key><deviceInfo><label>Hard disk 1</label><summary>x</summary></deviceInfo>"
                + "<backing xsi:type=\"VirtualDiskFlatVer2BackingInfo\"><fileName>[LocalDS_0] web-01/web-01.vmdk</fileName>"
                + "<diskMode>persistent</diskMode></backing><controllerKey>1000</controllerKey><unitNumber>0</unitNumber>"
                + "<capacityInKB>33554432</capacityInKB><capacityInBytes>34359738368</capacityInBytes></VirtualDevice>"
                + "<VirtualDevice xsi:type=\"VirtualVmxnet3\"><key>4000</key><deviceInfo><label>Network adapter 1</label>"
                + "<summary>VM Network</summary></deviceInfo><macAddress>00:50:56:9a:00:01</macAddress></VirtualDevice></val></propSet>"
                + "<propSet><name>config.extraConfig</name><val xsi:type=\"ArrayOfOptionValue\"><OptionValue xsi:type=\"OptionValue\">"
                + "<key>dvmm.meta.owner</key><value xsi:type=\"xsd:string\">=ops</value></OptionValue></val></propSet>"
                + "<propSet><name>snapshot</name><val xsi:type=\"VirtualMachineSnapshotInfo\"><currentSnapshot type=\"VirtualMachineSnapshot\">"
                + "snapshot-2</currentSnapshot><rootSnapshotList><snapshot type=\"VirtualMachineSnapshot\">snapshot-1</snapshot>"
                + "<vm type=\"VirtualMachine\">vm-42</vm><name>before</name><description>first</description>"
                + "<id>1</id><createTime>2025-01-02T03:04:05.123Z</createTime><state>poweredOff</state><quiesced>false</quiesced>"
                + "<childSnapshotList><snapshot type=\"VirtualMachineSnapshot\">snapshot-2</snapshot><vm type=\"VirtualMachine\">vm-42</vm>"
                + "<name>after</name><description></description><id>2</id><createTime>2025-01-02T04:04:05Z</createTime>"
                + "<state>poweredOn</state><quiesced>false</quiesced></childSnapshotList></rootSnapshotList></val></propSet>"
                + "</objects></returnval></RetrievePropertiesExResponse>" + END).getBytes(StandardCharsets.UTF_8));
        m.put("fault", (ENVELOPE + "<soapenv:Fault><faultcode>ServerFaultCode</faultcode><faultstring>The object 'vim.VirtualMachine:vm-9'"
                + " has already been deleted or has not been completely created</faultstring><detail><ManagedObjectNotFoundFault "
                + "xmlns=\"urn:vim25\" xsi:type=\"ManagedObjectNotFound\"><obj type=\"VirtualMachine\">vm-9</obj>"
                + "</ManagedObjectNotFoundFault></detail></soapenv:Fault>" + END).getBytes(StandardCharsets.UTF_8));
        m.put("service-content", (ENVELOPE + "<RetrieveServiceContentResponse xmlns=\"urn:vim25\"><returnval>"
                + "<rootFolder type=\"Folder\">group-d1</rootFolder><propertyCollector type=\"PropertyCollector\">propertyCollector"
                + "</propertyCollector><viewManager type=\"ViewManager\">ViewManager</viewManager><about><name>VMware vCenter Server</name>"
                + "<fullName>VMware vCenter Server 8.0.2 build-22385739</fullName><vendor>VMware, Inc.</vendor><version>8.0.2</version>"
                + "<build>22385739</build><apiType>VirtualCenter</apiType><apiVersion>8.0.2.0</apiVersion><instanceUuid>"
                + "dbed6e0c-bd88-4ef6-b594-21283e1c677f</instanceUuid></about><sessionManager type=\"SessionManager\">SessionManager"
                + "</sessionManager><taskManager type=\"TaskManager\">TaskManager</taskManager></returnval>"
                + "</RetrieveServiceContentResponse>" + END).getBytes(StandardCharsets.UTF_8));
        m.put("session", (ENVELOPE + "<LoginResponse xmlns=\"urn:vim25\"><returnval><key>52b5395a-8d0e-4e2a-b4c6-6ff2b0f3c3a1</key>"
                + "<userName>VSPHERE.LOCAL\\ci</userName><fullName>ci</fullName><loginTime>2025-01-02T03:04:05.1Z</loginTime>"
                + "<lastActiveTime>2025-01-02T03:04:05.1Z</lastActiveTime><locale>en</locale><messageLocale>en</messageLocale>"
                + "<extensionSession>false</extensionSession></returnval></LoginResponse>" + END).getBytes(StandardCharsets.UTF_8));
        m.put("task", (ENVELOPE + "<CloneVM_TaskResponse xmlns=\"urn:vim25\"><returnval type=\"Task\">task-77</returnval>"
                + "</CloneVM_TaskResponse>" + END).getBytes(StandardCharsets.UTF_8));
        m.put("time", (ENVELOPE + "<CurrentTimeResponse xmlns=\"urn:vim25\"><returnval>2025-01-02T03:04:05.123456Z</returnval>"
                + "</CurrentTimeResponse>" + END).getBytes(StandardCharsets.UTF_8));
        return m;
    }
}
