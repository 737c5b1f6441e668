package io.dvmm.sdk.hyperv.internal;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * The objects the scripts answer with (the shapes in the scripts' {@code README.md}), as typed records: the
 * {@code data} of a result line is bound to one of these, never walked as a tree. Optional members are boxed and
 * may be {@code null}; unknown members are ignored, so a newer script may add some.
 */
final class HyperVWire {
    private HyperVWire() {
    }

    /** A network adapter of a VM. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Nic(String name, @JsonProperty("switch") String switchName, String mac, List<String> ips) {
        Nic {
            ips = ips == null ? List.of() : ips;
        }
    }

    /** A virtual disk as {@code Get-VHD} reports it. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Vhd(String path, Long sizeBytes, Long fileBytes, String type, String parent) {
    }

    /**
     * The VM projection ({@code P} in the prelude); {@code get-vm} adds the detail members, {@code guest-ips}
     * {@code heartbeat} and {@code kvp}; {@code get-vm}, {@code start} and {@code guest-ips} add {@code vhds}.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Vm(String id, String name, String state, Integer cpu, Long memStartup, Boolean dynMem, String notes, List<Nic> nics,
              List<String> disks, Integer gen, String version, Long memMin, Long memMax, Long memAssigned, Long uptimeSec,
              String path, String checkpointId, List<String> dvds, List<Integer> vlans, List<Vhd> vhds, String heartbeat,
              Map<String, String> kvp) {
        Vm {
            nics = nics == null ? List.of() : nics;
            disks = disks == null ? List.of() : disks;
            dvds = dvds == null ? List.of() : dvds;
            vlans = vlans == null ? List.of() : vlans;
            vhds = vhds == null ? List.of() : vhds;
            kvp = kvp == null ? Map.of() : kvp;
            notes = notes == null ? "" : notes;
        }
    }

    /** {@code test-connection}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Host(String host, String fqdn, String os, String osVersion, String osBuild, String hypervVersion,
                String vmVersionDefault, Integer cpus, Long memBytes) {
    }

    /** A virtual switch. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Switch(String id, String name, String type) {
    }

    /** A storage path and the volume it is on. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Datastore(String path, String volume, String fs, Long capacityBytes, Long freeBytes) {
    }

    /** A template: a VHDX of the templates folder ({@code kind = vhdx}) or a VM marked as template ({@code kind = vm}). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Template(String kind, String name, String path, Long sizeBytes, String type, String parent, String id) {
    }

    /** {@code inventory}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Inventory(String host, String vmPath, String vhdPath, List<Switch> switches, List<Datastore> datastores,
                     List<Template> templates) {
        Inventory {
            switches = switches == null ? List.of() : switches;
            datastores = datastores == null ? List.of() : datastores;
            templates = templates == null ? List.of() : templates;
        }
    }

    /** A checkpoint. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Checkpoint(String id, String name, String parentId, String created, String type) {
    }

    /** {@code checkpoint-list}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Checkpoints(String current, List<Checkpoint> checkpoints) {
        Checkpoints {
            checkpoints = checkpoints == null ? List.of() : checkpoints;
        }
    }

    /** {@code copy-file}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Copied(String path, Long length, Boolean written, String sha256) {
    }

    /** {@code delete}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Deleted(List<String> files) {
        Deleted {
            files = files == null ? List.of() : files;
        }
    }

    /** The failure members of a result line ({@code ok=false}). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Failure(String msg, String type, String id) {
    }
}
