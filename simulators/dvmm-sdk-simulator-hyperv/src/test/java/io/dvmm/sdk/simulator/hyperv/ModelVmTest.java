package io.dvmm.sdk.simulator.hyperv;

import static io.dvmm.sdk.simulator.hyperv.HostCalls.args;
import static io.dvmm.sdk.simulator.hyperv.HostCalls.linked;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The model through the scripts: creation, settings, disks, metadata, inventory, host facts. */
class ModelVmTest {

    static final ScriptCatalog CATALOG = ScriptCatalog.provider();
    HyperVSimulator sim;
    HostCalls h;

    @BeforeEach
    void start() {
        sim = HyperVSimulator.builder().scripts(CATALOG).build().start();
        h = new HostCalls(sim, CATALOG);
    }

    @AfterEach
    void stop() {
        sim.violations().assertNone();
        sim.close();
    }

    @Test
    void createLinkedMakesAnOffVmOnADifferencingDiskOfTheTemplate() {
        JsonNode vm = h.data("create-linked", linked("web1", "web1"));
        assertThat(vm.path("state").asText()).isEqualTo("Off");
        assertThat(vm.path("id").asText()).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        assertThat(vm.path("cpu").asInt()).isEqualTo(2);
        assertThat(vm.path("memStartup").asLong()).isEqualTo(2L << 30);
        assertThat(vm.path("dynMem").asBoolean()).isFalse();
        assertThat(vm.path("nics").get(0).path("name").asText()).isEqualTo("Network Adapter");
        assertThat(vm.path("nics").get(0).path("switch").isNull()).isTrue();
        assertThat(vm.path("nics").get(0).path("mac").asText()).as("dynamic MAC before first start").isEqualTo("000000000000");
        assertThat(vm.path("disks").get(0).asText()).isEqualTo("D:\\vms\\web1\\os.vhdx");
        JsonNode detail = h.data("get-vm", args("id", vm.path("id").asText()));
        assertThat(detail.path("gen").asInt()).isEqualTo(2);
        assertThat(detail.path("version").asText()).isEqualTo("10.0");
        assertThat(detail.path("vhds").get(0).path("type").asText()).isEqualTo("Differencing");
        assertThat(detail.path("vhds").get(0).path("parent").asText()).isEqualTo(HyperVSimulator.TEMPLATE_VHDX);
        assertThat(detail.path("vhds").get(0).path("sizeBytes").asLong()).isEqualTo(30L << 30);
        assertThat(detail.path("checkpointId").asText()).isEmpty();
        assertThat(sim.vhds()).anyMatch(v -> v.path().equals("D:\\vms\\web1\\os.vhdx") && v.type().equals("Differencing"));
    }

    @Test
    void createFullCopiesTheTemplateAndGrowsTheDisk() {
        JsonNode vm = h.data("create-full", args("name", "db1", "root", "D:\\vms", "folder", "db1", "template",
                HyperVSimulator.TEMPLATE_VHDX, "gen", 2, "memBytes", 4L << 30, "cpu", 4, "diskBytes", 64L << 30,
                "dynamicMemory", true, "memMinBytes", 1L << 30, "memMaxBytes", 8L << 30, "notes", "hello"));
        assertThat(vm.path("dynMem").asBoolean()).isTrue();
        assertThat(vm.path("notes").asText()).isEqualTo("hello");
        JsonNode d = h.data("get-vm", args("id", vm.path("id").asText()));
        assertThat(d.path("vhds").get(0).path("type").asText()).isEqualTo("Dynamic");
        assertThat(d.path("vhds").get(0).path("parent").isNull()).isTrue();
        assertThat(d.path("vhds").get(0).path("sizeBytes").asLong()).isEqualTo(64L << 30);
        assertThat(d.path("memMin").asLong()).isEqualTo(1L << 30);
        assertThat(d.path("memMax").asLong()).isEqualTo(8L << 30);
    }

    @Test
    void aFailedCreateRemovesWhatItMadeAndARetryOfALandedOneIsAConflict() {
        String odd = h.error("create-linked", args("name", "odd", "root", "D:\\vms", "folder", "odd", "template",
                HyperVSimulator.TEMPLATE_VHDX, "gen", 2, "memBytes", (2L << 30) + 1, "cpu", 1));
        assertThat(odd).isEqualTo("InvalidParameter,Microsoft.HyperV.PowerShell.Commands.NewVM");
        assertThat(sim.folderExists("D:\\vms\\odd")).isFalse();
        assertThat(sim.vmsNamed("odd")).isEmpty();
        assertThat(h.error("create-linked", args("name", "g3", "root", "D:\\vms", "folder", "g3", "template",
                HyperVSimulator.TEMPLATE_VHDX, "gen", 3, "memBytes", 2L << 30, "cpu", 1))).startsWith("ParameterArgumentValidationError");
        assertThat(h.error("create-linked", args("name", "nt", "root", "D:\\vms", "folder", "nt", "template",
                "D:\\templates\\missing.vhdx", "gen", 2, "memBytes", 2L << 30, "cpu", 1))).startsWith("ObjectNotFound,");
        h.data("create-linked", linked("twice", "twice"));
        assertThat(h.error("create-linked", linked("twice", "twice"))).isEqualTo("HvsdkConflict");
        assertThat(h.error("create-linked", linked("x", "..\\x"))).isEqualTo("HvsdkInvalidArgument");
        Map<String, Object> driveRoot = linked("y", "y");
        driveRoot.put("root", "D:\\");
        assertThat(h.error("create-linked", driveRoot)).isEqualTo("HvsdkInvalidArgument");
        Map<String, Object> dyn = linked("z", "z");
        dyn.put("dynamicMemory", true);
        assertThat(h.error("create-linked", dyn)).as("memMinBytes is required with dynamic memory").isEqualTo("HvsdkInvalidArgument");
    }

    @Test
    void namesMayRepeatAndFindVmIsExactAndCaseSensitive() {
        h.data("create-linked", linked("app", "app-a"));
        h.data("create-linked", linked("app", "app-b"));
        h.data("create-linked", linked("App", "app-c"));
        assertThat(h.data("find-vm", args("name", "app")).size()).isEqualTo(2);
        assertThat(h.data("find-vm", args("name", "ap*")).size()).isZero();
        assertThat(h.data("list-vms", Map.of()).size()).isEqualTo(4);
        assertThat(h.data("get-vm", args("id", "00000000-0000-0000-0000-000000000000")).isNull()).isTrue();
        assertThat(h.error("get-vm", args("id", "web1"))).startsWith("CannotConvertArgumentNoMessage");
        assertThat(h.error("start", args("id", "00000000-0000-0000-0000-000000000000"))).isEqualTo("HvsdkNotFound");
    }

    @Test
    void cpuAndMemoryChangeWhileOffOnly() {
        String id = h.data("create-linked", linked("cm", "cm")).path("id").asText();
        JsonNode vm = h.data("set-cpu-memory", args("id", id, "cpu", 4, "memBytes", 4L << 30));
        assertThat(vm.path("cpu").asInt()).isEqualTo(4);
        assertThat(vm.path("memStartup").asLong()).isEqualTo(4L << 30);
        assertThat(h.error("set-cpu-memory", args("id", id, "dynamicMemory", true, "memMinBytes", 8L << 30)))
                .isEqualTo("InvalidParameter,Microsoft.HyperV.PowerShell.Commands.SetVMMemory");
        assertThat(h.error("set-cpu-memory", args("id", id, "cpu", 999))).startsWith("InvalidParameter,");
        h.data("start", args("id", id));
        assertThat(h.error("set-cpu-memory", args("id", id, "cpu", 2)))
                .isEqualTo("InvalidState,Microsoft.HyperV.PowerShell.Commands.SetVMProcessor");
        assertThat(h.error("set-cpu-memory", args("id", id, "dynamicMemory", true)))
                .isEqualTo("InvalidState,Microsoft.HyperV.PowerShell.Commands.SetVMMemory");
    }

    @Test
    void reconfigureConnectsAdaptersSetsMacVlanFirmwareAndDvd() {
        String id = h.data("create-linked", linked("rc", "rc")).path("id").asText();
        h.data("copy-file", args("path", "D:\\vms\\rc\\seed.iso", "root", "D:\\vms", "chunk", "AAAA", "offset", 0, "last", true));
        JsonNode vm = h.data("reconfigure", args("id", id, "sbTemplate", "MicrosoftUEFICertificateAuthority",
                "nics", List.of(args("name", "Network Adapter", "switch", "Default Switch", "vlan", 12),
                        args("name", "storage", "switch", "Isolated", "mac", "00155D0000AA")),
                "dvd", "D:\\vms\\rc\\seed.iso"));
        assertThat(vm.path("nics").size()).isEqualTo(2);
        assertThat(vm.path("nics").get(0).path("switch").asText()).isEqualTo("Default Switch");
        assertThat(vm.path("nics").get(1).path("mac").asText()).isEqualTo("00155D0000AA");
        JsonNode d = h.data("get-vm", args("id", id));
        assertThat(d.path("vlans").get(0).asInt()).isEqualTo(12);
        assertThat(d.path("vlans").get(1).asInt()).isZero();
        assertThat(d.path("dvds").get(0).asText()).isEqualTo("D:\\vms\\rc\\seed.iso");
        assertThat(sim.vm(id).orElseThrow().secureBootTemplate()).isEqualTo("MicrosoftUEFICertificateAuthority");
        JsonNode ejected = h.data("reconfigure", args("id", id, "dvd", null, "nics", List.of(args("name", "storage"))));
        assertThat(ejected.path("nics").get(1).path("switch").isNull()).as("no switch disconnects").isTrue();
        assertThat(sim.vm(id).orElseThrow().dvds()).containsExactly((String) null);
        assertThat(h.error("reconfigure", args("id", id, "nics", List.of(args("name", "x", "switch", "Nope")))))
                .startsWith("ObjectNotFound,");
        assertThat(h.error("reconfigure", args("id", id, "dvd", "D:\\vms\\rc\\missing.iso"))).startsWith("ObjectNotFound,");
        assertThat(h.error("reconfigure", args("id", id, "sbTemplate", "Nope"))).startsWith("InvalidParameter,");
        assertThat(h.error("reconfigure", args("id", id, "nics", List.of(args("name", "Network Adapter", "mac", "01155D0000AA")))))
                .startsWith("InvalidParameter,");
        JsonNode added = h.data("reconfigure", args("id", id, "nics", List.of(args("switch", "External"))));
        assertThat(added.path("nics").findValuesAsText("name")).as("an unnamed adapter gets the default name")
                .containsExactly("Network Adapter", "storage", "Network Adapter");
        assertThat(h.error("reconfigure", args("id", id, "nics", List.of(args("name", "Network Adapter", "switch", "External")))))
                .isEqualTo("HvsdkAmbiguous");
        h.data("start", args("id", id));
        assertThat(h.error("reconfigure", args("id", id, "secureBoot", false))).startsWith("InvalidState,");
    }

    @Test
    void generationOneHasIdeAndADvdDriveAndNoFirmware() {
        Map<String, Object> a = linked("g1", "g1");
        a.put("gen", 1);
        String id = h.data("create-linked", a).path("id").asText();
        assertThat(h.data("get-vm", args("id", id)).path("dvds").size()).isEqualTo(1);
        assertThat(h.error("reconfigure", args("id", id, "sbTemplate", "MicrosoftWindows")))
                .isEqualTo("InvalidParameter,Microsoft.HyperV.PowerShell.Commands.SetVMFirmware");
        h.data("start", args("id", id));
        assertThat(h.error("resize-disk", args("id", id, "path", "D:\\vms\\g1\\os.vhdx", "sizeBytes", 40L << 30)))
                .as("IDE disks do not grow while running").startsWith("InvalidOperation,");
    }

    @Test
    void disksAreAddedAndGrownButNeverShrunk() {
        String id = h.data("create-linked", linked("dk", "dk")).path("id").asText();
        JsonNode vm = h.data("add-disk", args("id", id, "path", "D:\\vms\\dk\\data.vhdx", "root", "D:\\vms", "sizeBytes", 10L << 30));
        assertThat(vm.path("disks").size()).isEqualTo(2);
        assertThat(h.error("add-disk", args("id", id, "path", "D:\\vms\\dk\\data.vhdx", "root", "D:\\vms", "sizeBytes", 10L << 30)))
                .isEqualTo("HvsdkConflict");
        assertThat(h.error("add-disk", args("id", id, "path", "C:\\elsewhere\\d.vhdx", "root", "D:\\vms", "sizeBytes", 10L << 30)))
                .isEqualTo("HvsdkInvalidArgument");
        h.data("resize-disk", args("id", id, "path", "d:\\VMS\\dk\\data.vhdx", "sizeBytes", 20L << 30));
        assertThat(sim.vhds()).anyMatch(v -> v.path().endsWith("data.vhdx") && v.sizeBytes() == 20L << 30);
        assertThat(h.error("resize-disk", args("id", id, "path", "D:\\vms\\dk\\data.vhdx", "sizeBytes", 1L << 30)))
                .isEqualTo("HvsdkInvalidArgument");
        assertThat(h.error("resize-disk", args("id", id, "path", "D:\\vms\\dk\\none.vhdx", "sizeBytes", 1L << 30)))
                .isEqualTo("HvsdkNotFound");
    }

    @Test
    void metadataIsTheWholeNotesTextWithAnOptimisticCheck() {
        String id = h.data("create-linked", linked("md", "md")).path("id").asText();
        String notes = "user text\r\n[hvsdk-meta:eyJhIjoiYiJ9]";
        assertThat(h.data("set-metadata", args("id", id, "notes", notes, "expected", "")).path("notes").asText()).isEqualTo(notes);
        assertThat(h.error("set-metadata", args("id", id, "notes", "x", "expected", "stale"))).isEqualTo("HvsdkConflict");
        assertThat(sim.vm(id).orElseThrow().notes()).isEqualTo(notes);
    }

    @Test
    void inventoryListsSwitchesStorageAndBothKindsOfTemplates() {
        JsonNode inv = h.data("inventory", args("templates", HyperVSimulator.TEMPLATES_FOLDER, "roots", List.of("D:\\vms", "D:\\vms")));
        assertThat(inv.path("host").asText()).isEqualTo("HV01");
        assertThat(inv.path("switches").size()).isEqualTo(3);
        assertThat(inv.path("switches").findValuesAsText("type")).containsExactly("Internal", "External", "Private");
        assertThat(inv.path("datastores").size()).isEqualTo(3);
        JsonNode d = inv.path("datastores").get(2);
        assertThat(d.path("path").asText()).isEqualTo("D:\\vms");
        assertThat(d.path("fs").asText()).isEqualTo("ReFS");
        assertThat(d.path("volume").asText()).startsWith("\\\\?\\Volume{");
        assertThat(d.path("capacityBytes").asLong()).isEqualTo(2L << 40);
        assertThat(inv.path("templates").findValuesAsText("kind")).containsExactly("vhdx", "vhdx", "vm");
        assertThat(inv.path("templates").get(0).path("name").asText()).isEqualTo("ubuntu-24.04");
        assertThat(h.error("inventory", args("templates", "D:\\nowhere"))).isEqualTo("PathNotFound,Microsoft.PowerShell.Commands.GetChildItemCommand");
        JsonNode missingRoot = h.data("inventory", args("roots", List.of("E:\\vms")));
        assertThat(missingRoot.path("datastores").get(2).path("volume").isNull()).isTrue();
    }

    @Test
    void copyFileWritesChunksAndRecognisesARetriedOne() throws Exception {
        byte[] a = "first-".getBytes();
        byte[] b = "second".getBytes();
        String b64a = java.util.Base64.getEncoder().encodeToString(a);
        String b64b = java.util.Base64.getEncoder().encodeToString(b);
        JsonNode one = h.data("copy-file", args("path", "D:\\vms\\seed\\cidata.iso", "root", "D:\\vms", "chunk", b64a, "offset", 0));
        assertThat(one.path("written").asBoolean()).isTrue();
        assertThat(one.path("sha256").isNull()).isTrue();
        JsonNode two = h.data("copy-file", args("path", "D:\\vms\\seed\\cidata.iso", "root", "D:\\vms", "chunk", b64b,
                "offset", a.length, "last", true));
        JsonNode retry = h.data("copy-file", args("path", "D:\\vms\\seed\\cidata.iso", "root", "D:\\vms", "chunk", b64b,
                "offset", a.length, "last", true));
        assertThat(retry.path("written").asBoolean()).isFalse();
        assertThat(two.path("length").asLong()).isEqualTo(12);
        byte[] all = "first-second".getBytes();
        assertThat(two.path("sha256").asText()).isEqualTo(java.util.HexFormat.of().withUpperCase()
                .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(all)));
        assertThat(sim.file("D:\\vms\\seed\\cidata.iso").orElseThrow().content().orElseThrow()).isEqualTo(all);
        assertThat(h.error("copy-file", args("path", "D:\\vms\\seed\\cidata.iso", "root", "D:\\vms", "chunk", b64b, "offset", 3)))
                .isEqualTo("HvsdkConflict");
        assertThat(h.error("copy-file", args("path", "C:\\Windows\\x", "root", "D:\\vms", "chunk", b64b, "offset", 0)))
                .isEqualTo("HvsdkInvalidArgument");
        java.io.ByteArrayOutputStream z = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream g = new java.util.zip.GZIPOutputStream(z)) {
            g.write(new byte[4096]);
        }
        JsonNode gz = h.data("copy-file", args("path", "D:\\vms\\seed\\zeros.bin", "root", "D:\\vms",
                "chunk", java.util.Base64.getEncoder().encodeToString(z.toByteArray()), "gzip", true, "offset", 0, "last", true));
        assertThat(gz.path("length").asLong()).isEqualTo(4096);
    }

    @Test
    void hostFactsFollowTheWindowsRelease() {
        try (HyperVSimulator old = HyperVSimulator.builder().scripts(CATALOG).windowsServer(2016).build().start()) {
            HostCalls o = new HostCalls(old, CATALOG);
            JsonNode t = o.data("test-connection", Map.of());
            assertThat(t.path("os").asText()).isEqualTo("Microsoft Windows Server 2016 Datacenter");
            assertThat(t.path("osBuild").asText()).isEqualTo("14393");
            assertThat(t.path("vmVersionDefault").asText()).isEqualTo("8.0");
            Map<String, Object> v10 = linked("new", "new");
            v10.put("version", "10.0");
            assertThat(o.error("create-linked", v10)).isEqualTo("InvalidParameter,Microsoft.HyperV.PowerShell.Commands.NewVM");
        }
    }
}
