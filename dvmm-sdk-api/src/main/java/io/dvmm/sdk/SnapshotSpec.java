package io.dvmm.sdk;

/**
 * A snapshot to take.
 *
 * @param name its name: letters, digits, '-' and '_', starting with a letter, at most 40 characters
 * @param description its description, possibly empty
 * @param includeMemory whether to save the running VM's memory too
 */
public record SnapshotSpec(String name, String description, boolean includeMemory) {

    /**

     * Validates the values.

     *

     * @param name see the record component

     * @param description see the record component

     * @param includeMemory see the record component

     */
    public SnapshotSpec {
        if (name == null || !name.matches("[A-Za-z][A-Za-z0-9_-]{0,39}")) {
            throw new InvalidSpecException("snapshot.name",
                    "must start with a letter and hold only letters, digits, '-' and '_', at most 40 characters");
        }
        description = description == null ? "" : description;
        for (int i = 0; i < description.length(); i++) {
            char c = description.charAt(i);
            if (Character.isISOControl(c) && c != '\n' && c != '\t') {
                throw new InvalidSpecException("snapshot.description", "must not contain control characters other than line breaks");
            }
        }
    }

    /**
     * @param name the snapshot's name
     * @return a disk-only snapshot without description
     */
    public static SnapshotSpec named(String name) {
        return new SnapshotSpec(name, "", false);
    }
}
