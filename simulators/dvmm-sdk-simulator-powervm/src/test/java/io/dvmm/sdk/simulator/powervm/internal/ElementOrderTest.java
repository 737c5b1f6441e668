package io.dvmm.sdk.simulator.powervm.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/** The element order is derived from the captures: every capture and create body obeys it, swaps and unknowns do not. */
class ElementOrderTest {

    private static ElementOrder order(Path dir) {
        return Seeds.captureOrder(dir);
    }

    @Test
    void everyCaptureAndEveryCreateBodyIsInTheDerivedOrder() {
        Path dir = CapturesForInternal.require();
        ElementOrder order = order(dir);
        CaptureSet captures = CaptureSet.of(dir);

        assertThat(captures.names()).hasSizeGreaterThan(30);
        for (Element body : captures.bodies()) {
            assertThat(order.check(body)).as(Xml.name(body)).isEmpty();
        }
        assertThat(captures.createBodies()).hasSize(9);
        captures.createBodies().forEach((name, body) -> assertThat(order.check(body)).as(name).isEmpty());
    }

    @Test
    void theOrderHoldsWhatTheCreateBodiesAndFeedsShow() {
        ElementOrder order = order(CapturesForInternal.require());

        // Seen in lpar-create-bodies: DedicatedProcessorConfiguration, HasDedicatedProcessors, SharedProcessorConfiguration, SharingMode.
        assertThat(order.mustPrecede("PartitionProcessorConfiguration", "DedicatedProcessorConfiguration",
                "HasDedicatedProcessors")).isTrue();
        assertThat(order.mustPrecede("PartitionProcessorConfiguration", "HasDedicatedProcessors",
                "SharedProcessorConfiguration")).isTrue();
        assertThat(order.mustPrecede("PartitionProcessorConfiguration", "SharingMode", "HasDedicatedProcessors")).isFalse();
        // Transitive: PartitionName precedes PartitionType only through PartitionProcessorConfiguration.
        assertThat(order.mustPrecede("LogicalPartition", "PartitionName", "PartitionType")).isTrue();
        // In the VIOS feeds, writable elements come before the HMC's Current* read-only ones.
        assertThat(order.mustPrecede("PartitionIOConfiguration", "MaximumVirtualIOSlots", "CurrentMaximumVirtualIOSlots"))
                .isTrue();
        assertThat(order.childrenOf("VirtualSCSIMapping")).contains("AssociatedLogicalPartition", "ClientAdapter",
                "ServerAdapter", "Storage", "TargetDevice");
        // The one element no capture shows, from pypowervm's adapter order: before the slot it replaces.
        assertThat(order.mustPrecede("ClientAdapter", "UseNextAvailableSlotID", "VirtualSlotNumber")).isTrue();
        assertThat(order.source()).contains("9 LPAR create bodies");
    }

    @Test
    void swappedElementsAreReportedWithTheParentPath() {
        ElementOrder order = order(CapturesForInternal.require());
        Element body = parse("<LogicalPartition xmlns=\"" + Ns.UOM + "\"><PartitionName>x</PartitionName>"
                + "<PartitionMemoryConfiguration><MaximumMemory>1024</MaximumMemory><DesiredMemory>1024</DesiredMemory>"
                + "</PartitionMemoryConfiguration></LogicalPartition>");

        List<String> problems = order.check(body);

        assertThat(problems).containsExactlyInAnyOrder(
                "LogicalPartition: PartitionName before PartitionMemoryConfiguration (the HMC expects "
                        + "PartitionMemoryConfiguration first)",
                "LogicalPartition/PartitionMemoryConfiguration: MaximumMemory before DesiredMemory (the HMC expects "
                        + "DesiredMemory first)");
    }

    @Test
    void unknownElementsAreReported() {
        ElementOrder order = order(CapturesForInternal.require());
        Element body = parse("<LogicalPartition xmlns=\"" + Ns.UOM + "\"><PartitionName>x</PartitionName>"
                + "<CloudInitUserData>y</CloudInitUserData></LogicalPartition>");

        assertThat(order.check(body)).containsExactly("LogicalPartition: unknown element CloudInitUserData");
    }

    @Test
    void insertPutsAnElementWhereTheOrderSays() {
        ElementOrder order = order(CapturesForInternal.require());
        Element body = parse("<LogicalPartition xmlns=\"" + Ns.UOM + "\"><AvailabilityPriority>127</AvailabilityPriority>"
                + "<PartitionType>AIX/Linux</PartitionType></LogicalPartition>");
        Element name = body.getOwnerDocument().createElementNS(Ns.UOM, "PartitionName");

        order.insert(body, name);

        assertThat(Xml.children(body).stream().map(Xml::name)).containsExactly("AvailabilityPriority", "PartitionName",
                "PartitionType");
    }

    @Test
    void aBuilderLearnsOnlyWhatItObserves() {
        ElementOrder.Builder b = ElementOrder.builder();
        b.observe(parse("<P><A/><B/></P>"));
        b.observe(parse("<P><B/><C/></P>"));
        ElementOrder order = b.build(true, "test");

        assertThat(order.mustPrecede("P", "A", "C")).isTrue();
        assertThat(order.mustPrecede("P", "C", "A")).isFalse();
        assertThat(order.check(parse("<P><C/><A/></P>"))).hasSize(1);
        assertThat(order.check(parse("<P><A/><D/></P>"))).containsExactly("P: unknown element D");
        assertThat(b.build(false, "lenient").check(parse("<P><A/><D/></P>"))).isEmpty();
    }

    @Test
    void theBuiltInModelGivesItsOwnLenientOrder() {
        ElementOrder order = Seeds.builtInOrder();

        assertThat(order.strictUnknown()).isFalse();
        assertThat(order.source()).contains("built-in");
        assertThat(order.mustPrecede("LogicalPartition", "PartitionName", "PartitionState")).isTrue();
    }

    static Element parse(String xml) {
        return Xml.parse(xml.getBytes(StandardCharsets.UTF_8)).getDocumentElement();
    }
}
