package io.dvmm.sdk.simulator.powervm;

/**
 * Snapshots of the simulated HMC's state, for assertions: what a test expects the provider to
 * have left behind (partitions, mappings, disks, media, adapters, jobs, events, uploads).
 * Immutable values; taking one never changes the simulator.
 */
public final class HmcState {

    private HmcState() {
    }

    /** A logical partition (or a VIOS) as the HMC reports it. */
    public record Lpar(String uuid, String name, int partitionId, String type, String state, String rmcState,
                       String ipAddress, long desiredMemoryMb, boolean dedicatedProcessors, double processingUnits,
                       int processors, String sharingMode, String managedSystemUuid, String profileUuid) {
    }

    /**
     * A VSCSI mapping on a VIOS: the client partition, the storage ({@code VirtualDisk},
     * {@code PhysicalVolume}, {@code LogicalUnit} or {@code VirtualOpticalMedia}, or null for an
     * adapter-only mapping), the slots and the names the VIOS gave them.
     */
    public record Mapping(String viosUuid, String lparUuid, String storageType, String storageName, String storageUdid,
                          int serverSlot, int clientSlot, String serverAdapter, String targetDevice,
                          boolean orphaned) {
    }

    /** A logical volume in a volume group of a VIOS. */
    public record VirtualDisk(String viosUuid, String volumeGroupUuid, String volumeGroup, String name,
                              double capacityGb, String udid) {
    }

    /** Virtual optical media in the media repository of a VIOS. */
    public record OpticalMedia(String viosUuid, String name, String mountType, String sizeGb) {
    }

    /** A logical unit of a shared storage pool; {@code clonedFrom} is the source UDID of a linked clone. */
    public record LogicalUnit(String poolUuid, String name, String udid, double capacityGb, boolean thin, String type,
                              String clonedFrom, boolean inUse) {
    }

    /** A client network adapter of a partition. */
    public record NetworkAdapter(String uuid, String partitionUuid, int slot, int vlan, String macAddress,
                                 String virtualSwitchUuid) {
    }

    /** A job and where it stands; {@code result} is the failure text with its HSCL code, or null. */
    public record Job(long id, String operation, String targetUuid, String status, String result) {
    }

    /** An event waiting in a listener's queue. */
    public record Event(String type, String uri, String detail) {
    }

    /** What a File API upload delivered. */
    public record Upload(String fileUuid, String fileName, String fileType, String viosUuid, String targetUdid,
                         long bytes, String sha256) {
    }
}
