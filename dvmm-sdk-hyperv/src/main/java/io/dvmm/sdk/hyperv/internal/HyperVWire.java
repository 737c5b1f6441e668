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

    /**
     * Refuses an object without a member every script writes: the binder reports it as unexpected data (a
     * {@code ProtocolException}), so a garbled answer never reaches the mapper half-made.
     */
    static void required(String value, String member) {
        if (value == null) {
            throw new IllegalArgumentException("the answer has no '" + member + "'");
        }
    }

    /** A list member: empty when absent, without the {@code null} items a garbled answer may hold. */
    static <T> List<T> present(List<T> items) {
        return items == null ? List.of() : items.stream().filter(java.util.Objects::nonNull).toList();
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
        Vhd {
            required(path, "path");
        }
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
            required(id, "id");
            required(name, "name");
            nics = present(nics);
            disks = present(disks);
            dvds = present(dvds);
            vlans = present(vlans);
            vhds = present(vhds);
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
        Switch {
            required(name, "name");
        }
    }

    /** A storage path and the volume it is on. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Datastore(String path, String volume, String fs, Long capacityBytes, Long freeBytes) {
        Datastore {
            required(path, "path");
        }
    }

    /** A template: a VHDX of the templates folder ({@code kind = vhdx}) or a VM marked as template ({@code kind = vm}). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Template(String kind, String name, String path, Long sizeBytes, String type, String parent, String id) {
        Template {
            required(name, "name");
        }
    }

    /** {@code inventory}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Inventory(String host, String vmPath, String vhdPath, List<Switch> switches, List<Datastore> datastores,
                     List<Template> templates) {
        Inventory {
            switches = present(switches);
            datastores = present(datastores);
            templates = present(templates);
        }
    }

    /** A checkpoint. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Checkpoint(String id, String name, String parentId, String created, String type) {
        Checkpoint {
            required(name, "name");
        }
    }

    /** {@code checkpoint-list}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Checkpoints(String current, List<Checkpoint> checkpoints) {
        Checkpoints {
            checkpoints = present(checkpoints);
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
            files = present(files);
        }
    }

    /** The failure members of a result line ({@code ok=false}). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Failure(String msg, String type, String id) {
    }
}
