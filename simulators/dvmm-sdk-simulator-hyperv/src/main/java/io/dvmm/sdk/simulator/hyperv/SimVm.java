package io.dvmm.sdk.simulator.hyperv;

import java.util.List;

/**
 * A VM of the simulated host as it is now: what a test inspects after the provider ran.
 *
 * @param state the Hyper-V state name ({@code Running}, {@code Off}, {@code Starting}, ...)
 * @param dvds ISO paths of the DVD drives, null for an empty drive
 * @param currentCheckpoint the checkpoint the VM runs from, "" if none
 */
public record SimVm(String id, String name, String state, int generation, String version, int cpu, long memoryStartupBytes,
                    boolean dynamicMemory, long memoryMinimumBytes, long memoryMaximumBytes, String notes, String path,
                    boolean secureBoot, String secureBootTemplate, List<SimNic> nics, List<String> disks, List<String> dvds,
                    List<SimCheckpoint> checkpoints, String currentCheckpoint) {
}
