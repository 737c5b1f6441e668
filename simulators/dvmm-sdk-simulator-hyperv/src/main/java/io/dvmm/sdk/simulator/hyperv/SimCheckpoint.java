package io.dvmm.sdk.simulator.hyperv;

import java.time.Instant;

/** A checkpoint: parent id ("" for a first one), type ({@code Standard} or {@code Production}), and what it restores. */
public record SimCheckpoint(String id, String name, String parentId, Instant created, String type, int cpu,
                            long memoryStartupBytes) {
}
