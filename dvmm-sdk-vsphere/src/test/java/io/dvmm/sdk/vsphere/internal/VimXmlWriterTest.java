package io.dvmm.sdk.vsphere.internal;

import com.vmware.vim25.ManagedObjectReference;
import com.vmware.vim25.ObjectSpec;
import com.vmware.vim25.PropertyFilterSpec;
import com.vmware.vim25.RetrieveOptions;
import com.vmware.vim25.SelectionSpec;
import com.vmware.vim25.TraversalSpec;
import com.vmware.vim25.VirtualDeviceConfigSpecOperation;
import com.vmware.vim25.VirtualMachineConfigSpec;
import io.dvmm.sdk.VmId;
import org.junit.jupiter.api.Test;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The request writer: XmlGen's shape, with every value escaped by construction. */
class VimXmlWriterTest {

    private static String write(String method, VimXmlWriter.Arg... args) {
        return new String(VimXmlWriter.request(method, List.of(args)), StandardCharsets.UTF_8);
    }

    private static void wellFormed(String xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void managedObjectValuesAndTypesAreEscaped() throws Exception {
        // yavijava's XmlGen writes a managed object reference's value as it is: this one would become markup.
        ManagedObjectReference ref = VmMapper.vmRef(VmId.of("vm-2<i/>65"));
        String xml = write("RetrievePropertiesEx", new VimXmlWriter.Arg("_this", ManagedObjectReference.class,
                VimSession.moRef("PropertyCollector", "pc\"&'")), new VimXmlWriter.Arg("specSet", PropertyFilterSpec[].class,
                new PropertyFilterSpec[]{VimPort.objectSpec(ref, "name")}));
        wellFormed(xml);
        assertThat(xml).contains("<obj type=\"VirtualMachine\">vm-2&lt;i/&gt;65</obj>").doesNotContain("vm-2<i/>65")
                .contains("<_this type=\"PropertyCollector\">pc\"&amp;'</_this>");
    }

    @Test
    void theShapeFollowsXmlGen() throws Exception {
        TraversalSpec t = new TraversalSpec();
        t.setName("view");
        t.setType("ContainerView");
        t.setPath("view");
        t.setSkip(false);
        ObjectSpec os = new ObjectSpec();
        os.setObj(VimSession.moRef("ContainerView", "session[1]view-1"));
        os.setSkip(true);
        os.setSelectSet(new SelectionSpec[]{t});
        PropertyFilterSpec spec = new PropertyFilterSpec();
        spec.setObjectSet(new ObjectSpec[]{os});
        spec.setPropSet(new com.vmware.vim25.PropertySpec[]{VimPort.props("VirtualMachine", "name", "runtime.powerState")});
        RetrieveOptions options = new RetrieveOptions();
        options.setMaxObjects(100);
        String xml = write("RetrievePropertiesEx", new VimXmlWriter.Arg("_this", ManagedObjectReference.class,
                VimSession.moRef("PropertyCollector", "propertyCollector")),
                new VimXmlWriter.Arg("specSet", PropertyFilterSpec[].class, new PropertyFilterSpec[]{spec}),
                new VimXmlWriter.Arg("options", RetrieveOptions.class, options));
        wellFormed(xml);
        assertThat(xml).contains("<RetrievePropertiesEx xmlns=\"urn:vim25\"><_this type=\"PropertyCollector\">propertyCollector</_this>")
                .contains("<propSet><type>VirtualMachine</type><all>false</all><pathSet>name</pathSet><pathSet>runtime.powerState</pathSet></propSet>")
                .contains("<selectSet xsi:type=\"TraversalSpec\"><name>view</name><type>ContainerView</type><path>view</path><skip>false</skip></selectSet>")
                .contains("<options><maxObjects>100</maxObjects></options>");
        VirtualMachineConfigSpec config = new VirtualMachineConfigSpec();
        config.setNumCPUs(2);
        config.setAnnotation("a < b & c");
        com.vmware.vim25.VirtualDeviceConfigSpec change = new com.vmware.vim25.VirtualDeviceConfigSpec();
        change.setOperation(VirtualDeviceConfigSpecOperation.edit);
        config.setDeviceChange(new com.vmware.vim25.VirtualDeviceConfigSpec[]{change});
        config.setExtraConfig(new com.vmware.vim25.OptionValue[]{CloneSpecs.option("dvmm.marker", "dvmm-1")});
        String reconfig = write("ReconfigVM_Task", new VimXmlWriter.Arg("_this", ManagedObjectReference.class, VimSession.moRef("VirtualMachine", "vm-1")),
                new VimXmlWriter.Arg("spec", VirtualMachineConfigSpec.class, config));
        wellFormed(reconfig);
        assertThat(reconfig).contains("<numCPUs>2</numCPUs>").contains("<annotation>a &lt; b &amp; c</annotation>")
                .contains("<deviceChange><operation>edit</operation></deviceChange>")
                .contains("<extraConfig><key>dvmm.marker</key><value xsi:type=\"xsd:string\">dvmm-1</value></extraConfig>");
    }

    @Test
    void charactersXmlCannotCarryAreRefused() {
        assertThatThrownBy(() -> write("FindChild", new VimXmlWriter.Arg("_this", ManagedObjectReference.class,
                VimSession.moRef("SearchIndex", "SearchIndex")), new VimXmlWriter.Arg("name", String.class, "web\u000101")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("U+0001");
    }
}
