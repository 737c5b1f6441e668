package io.dvmm.sdk.simulator.hyperv;

import static io.dvmm.sdk.simulator.hyperv.HostCalls.args;
import static io.dvmm.sdk.simulator.hyperv.HostCalls.linked;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Checkpoints (create, list, restore, delete) and delete, which removes only what lies under the owned root. */
class ModelCheckpointDeleteTest {

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
        sim.close();
    }

    @Test
    void aRestoredCheckpointBringsBackProcessorsAndMemory() {
        String id = h.data("create-linked", linked("cp", "cp")).path("id").asText();
        JsonNode c1 = h.data("checkpoint-create", args("id", id, "name", "before"));
        assertThat(c1.path("type").asText()).isEqualTo("Production");
        assertThat(c1.path("parentId").asText()).isEmpty();
        assertThat(c1.path("created").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{7}Z");
        assertThat(sim.vm(id).orElseThrow().disks().get(0)).matches("D:\\\\vms\\\\cp\\\\os_[0-9A-F-]{36}\\.avhdx");
        h.data("set-cpu-memory", args("id", id, "cpu", 6, "memBytes", 6L << 30));
        JsonNode c2 = h.data("checkpoint-create", args("id", id, "name", "after", "type", "Standard"));
        assertThat(c2.path("parentId").asText()).isEqualTo(c1.path("id").asText());
        JsonNode list = h.data("checkpoint-list", args("id", id));
        assertThat(list.path("current").asText()).isEqualTo(c2.path("id").asText());
        assertThat(list.path("checkpoints").size()).isEqualTo(2);
        JsonNode restored = h.data("checkpoint-restore", args("id", id, "checkpoint", "before"));
        assertThat(restored.path("cpu").asInt()).isEqualTo(2);
        assertThat(restored.path("memStartup").asLong()).isEqualTo(2L << 30);
        assertThat(restored.path("state").asText()).isEqualTo("Off");
        assertThat(h.data("checkpoint-list", args("id", id)).path("current").asText()).isEqualTo(c1.path("id").asText());
        h.data("checkpoint-restore", args("id", id, "checkpoint", c2.path("id").asText().toUpperCase()));
        assertThat(h.data("get-vm", args("id", id)).path("cpu").asInt()).isEqualTo(6);
        assertThat(h.error("checkpoint-restore", args("id", id, "checkpoint", "Before"))).as("names are case-sensitive").isEqualTo("HvsdkNotFound");
        h.data("checkpoint-create", args("id", id, "name", "after"));
        assertThat(h.error("checkpoint-delete", args("id", id, "checkpoint", "after"))).isEqualTo("HvsdkAmbiguous");
        assertThat(h.data("checkpoint-delete", args("id", id, "checkpoint", "before", "children", true)).path("deleted").asText())
                .isEqualTo(c1.path("id").asText());
        assertThat(sim.checkpoints(id)).isEmpty();
        sim.violations().assertNone();
    }

    @Test
    void aStandardCheckpointOfARunningVmRestoresToSaved() {
        String id = h.data("create-linked", linked("cs", "cs")).path("id").asText();
        h.data("start", args("id", id));
        h.data("checkpoint-create", args("id", id, "name", "live", "type", "Standard"));
        assertThat(h.data("checkpoint-restore", args("id", id, "checkpoint", "live")).path("state").asText()).isEqualTo("Saved");
        sim.violations().assertNone();
    }

    @Test
    void deleteRemovesTheVmsDisksChainsIsoAndFolderButNothingOutsideTheOwnedRoot() {
        String id = h.data("create-linked", linked("del", "del")).path("id").asText();
        h.data("add-disk", args("id", id, "path", "D:\\vms\\del\\data.vhdx", "root", "D:\\vms", "sizeBytes", 8L << 30));
        h.data("copy-file", args("path", "D:\\vms\\del\\seed.iso", "root", "D:\\vms", "chunk", "AAAA", "offset", 0));
        h.data("reconfigure", args("id", id, "dvd", "D:\\vms\\del\\seed.iso"));
        h.data("checkpoint-create", args("id", id, "name", "c1"));
        h.data("start", args("id", id));
        int vhdsBefore = sim.vhds().size();
        JsonNode removed = h.data("delete", args("id", id, "ownedRoot", "D:\\vms"));
        List<String> files = new java.util.ArrayList<>();
        removed.path("files").forEach(f -> files.add(f.asText()));
        assertThat(files).hasSize(5).contains("D:\\vms\\del\\os.vhdx", "D:\\vms\\del\\data.vhdx", "D:\\vms\\del\\seed.iso")
                .anyMatch(f -> f.endsWith(".avhdx"));
        assertThat(sim.vhds()).hasSize(vhdsBefore - 4);
        assertThat(sim.file(HyperVSimulator.TEMPLATE_VHDX)).as("the template parent is never deleted").isPresent();
        assertThat(sim.folderExists("D:\\vms\\del")).isFalse();
        assertThat(sim.folderExists("D:\\vms")).isTrue();
        assertThat(sim.vm(id)).isEmpty();
        assertThat(h.error("delete", args("id", id, "ownedRoot", "D:\\vms"))).isEqualTo("HvsdkNotFound");
        sim.violations().assertNone();
    }

    @Test
    void deleteLeavesFilesOutsideTheOwnedRootAndRefusesADriveRoot() {
        String id = sim.addVm("legacy", "D:\\existing\\legacy", HyperVSimulator.DEFAULT_SWITCH, false);
        assertThat(h.error("delete", args("id", id, "ownedRoot", "D:\\"))).isEqualTo("HvsdkInvalidArgument");
        JsonNode removed = h.data("delete", args("id", id, "ownedRoot", "D:\\vms"));
        assertThat(removed.path("files").size()).isZero();
        assertThat(sim.file("D:\\existing\\legacy\\os.vhdx")).isPresent();
        assertThat(sim.vm(id)).isEmpty();
        sim.violations().assertNone();
    }

    @Test
    void deletingAVhdOthersDependOnIsAViolation() {
        String legacy = sim.addVm("legacy", "D:\\vms\\legacy", null, false);
        java.util.Map<String, Object> child = linked("child", "child");
        child.put("template", "D:\\vms\\legacy\\os.vhdx");
        h.data("create-linked", child);
        h.data("delete", args("id", legacy, "ownedRoot", "D:\\vms"));
        assertThat(sim.violations().list()).anyMatch(v -> v.contains("is the parent of D:\\vms\\child\\os.vhdx"));
    }
}
