package io.dvmm.sdk;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A VM snapshot.
 *
 * @param name its name, unique per VM
 * @param description its description, possibly empty
 * @param createdAt when it was taken, or {@code null} when the hypervisor does not say
 * @param includesMemory whether the VM's memory was saved with it
 * @param parent the name of the snapshot it was taken after, or {@code null}
 */
public record Snapshot(String name, String description, Instant createdAt, boolean includesMemory, String parent) {
    /**
     * Validates the values.
     *
     * @param name see the record component
     * @param description see the record component
     * @param createdAt see the record component
     * @param includesMemory see the record component
     * @param parent see the record component
     */
    public Snapshot {
        Objects.requireNonNull(name, "name");
        description = description == null ? "" : description;
    }

    /** @return when it was taken, if the hypervisor says */
    public Optional<Instant> created() {
        return Optional.ofNullable(createdAt);
    }

    /** @return the snapshot it was taken after, if any */
    public Optional<String> parentName() {
        return Optional.ofNullable(parent);
    }
}
