package io.dvmm.sdk.powervm.internal;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;

/**
 * The HMC objects the provider reads, as typed records bound by {@link HmcXml}: each holds only
 * the elements the provider uses (the rest is ignored, so newer schema versions parse). A record
 * named after an HMC type ({@code LogicalPartition}) binds the content of that type; the others
 * are the elements inside. Element names are the HMC's; lists of the HMC's wrapper style
 * ({@code <VirtualSCSIMappings><VirtualSCSIMapping/>...}) are a wrapper record.
 */
final class HmcObjects {
    private HmcObjects() {
    }

    private static <T> List<T> list(List<T> l) {
        return l == null ? List.of() : l;
    }

    /** A reference: {@code <X href="…" rel="related"/>} or {@code <link href="…"/>}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Link(@JacksonXmlProperty(isAttribute = true, localName = "href") String href) {
        /** @return the last path segment of the href (the object's UUID), or null */
        String uuid() {
            if (href == null) {
                return null;
            }
            String h = href;
            int q = h.indexOf('?');
            if (q >= 0) {
                h = h.substring(0, q);
            }
            return h.substring(h.lastIndexOf('/') + 1);
        }
    }

    /** A wrapper of {@code <link>} children. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Links(@JsonProperty("link") List<Link> links) {
        Links {
            links = list(links);
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Atom(@JsonProperty("AtomID") String atomId, @JsonProperty("AtomCreated") Long created) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Metadata(@JsonProperty("Atom") Atom atom) {
        Optional<Long> created() {
            return atom == null ? Optional.empty() : Optional.ofNullable(atom.created());
        }
    }

    // ---- logon and console ----------------------------------------------------------------------------

    @JsonIgnoreProperties(ignoreUnknown = true)
    record LogonResponse(@JsonProperty("X-API-Session") String session) {
        @Override
        public String toString() {
            return "LogonResponse[****]";
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Mtms(@JsonProperty("MachineType") String machineType, @JsonProperty("Model") String model,
                @JsonProperty("SerialNumber") String serialNumber) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record VersionInfo(@JsonProperty("Version") String version, @JsonProperty("Release") String release,
                       @JsonProperty("Maintenance") String maintenance, @JsonProperty("ServicePackName") String servicePack) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record ManagementConsole(@JsonProperty("ManagementConsoleName") String name,
                             @JsonProperty("MachineTypeModelAndSerialNumber") Mtms mtms,
                             @JsonProperty("VersionInfo") VersionInfo versionInfo,
                             @JsonProperty("BaseVersion") String baseVersion) {
    }

    // ---- managed system ---------------------------------------------------------------------------------

    @JsonIgnoreProperties(ignoreUnknown = true)
    record SystemMemory(@JsonProperty("MemoryRegionSize") Long memoryRegionSize,
                        @JsonProperty("CurrentAvailableSystemMemory") Long availableMemory,
                        @JsonProperty("InstalledSystemMemory") Long installedMemory) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record SystemProcessors(@JsonProperty("CurrentAvailableSystemProcessorUnits") BigDecimal availableUnits,
                            @JsonProperty("InstalledSystemProcessorUnits") BigDecimal installedUnits,
                            @JsonProperty("MinimumProcessorUnitsPerVirtualProcessor") BigDecimal minUnitsPerVirtualProcessor) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record ManagedSystem(@JsonProperty("SystemName") String name, @JsonProperty("State") String state,
                         @JsonProperty("AssociatedSystemMemoryConfiguration") SystemMemory memory,
                         @JsonProperty("AssociatedSystemProcessorConfiguration") SystemProcessors processors,
                         @JsonProperty("MachineTypeModelAndSerialNumber") Mtms mtms) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record SharedProcessorPool(@JsonProperty("PoolID") Integer poolId, @JsonProperty("PoolName") String name,
                               @JsonProperty("AvailableProcUnits") BigDecimal availableUnits) {
    }

    // ---- partitions -------------------------------------------------------------------------------------

    @JsonIgnoreProperties(ignoreUnknown = true)
    record MemoryConfiguration(@JsonProperty("DesiredMemory") Long desired, @JsonProperty("MaximumMemory") Long maximum,
                               @JsonProperty("MinimumMemory") Long minimum, @JsonProperty("CurrentMemory") Long current) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record DedicatedProcessors(@JsonProperty("DesiredProcessors") Integer desired,
                               @JsonProperty("MaximumProcessors") Integer maximum,
                               @JsonProperty("MinimumProcessors") Integer minimum) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record SharedProcessors(@JsonProperty("DesiredProcessingUnits") BigDecimal desiredUnits,
                            @JsonProperty("DesiredVirtualProcessors") Integer desiredVirtual,
                            @JsonProperty("MaximumProcessingUnits") BigDecimal maximumUnits,
                            @JsonProperty("MaximumVirtualProcessors") Integer maximumVirtual,
                            @JsonProperty("MinimumProcessingUnits") BigDecimal minimumUnits,
                            @JsonProperty("MinimumVirtualProcessors") Integer minimumVirtual,
                            @JsonProperty("SharedProcessorPoolID") Integer poolId,
                            @JsonProperty("UncappedWeight") Integer uncappedWeight) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record ProcessorConfiguration(@JsonProperty("DedicatedProcessorConfiguration") DedicatedProcessors dedicated,
                                  @JsonProperty("HasDedicatedProcessors") Boolean hasDedicated,
                                  @JsonProperty("SharedProcessorConfiguration") SharedProcessors shared,
                                  @JsonProperty("SharingMode") String sharingMode) {
        boolean isDedicated() {
            return Boolean.TRUE.equals(hasDedicated);
        }

        /** @return what the guest sees as CPUs: dedicated processors or desired virtual processors */
        int cpus() {
            if (isDedicated()) {
                return dedicated == null || dedicated.desired() == null ? 0 : dedicated.desired();
            }
            return shared == null || shared.desiredVirtual() == null ? 0 : shared.desiredVirtual();
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record IoConfiguration(@JsonProperty("MaximumVirtualIOSlots") Integer maximumVirtualIoSlots) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record LogicalPartition(@JsonProperty("Metadata") Metadata metadata,
                            @JsonProperty("AssociatedPartitionProfile") Link profile,
                            @JsonProperty("AvailabilityPriority") Integer availabilityPriority,
                            @JsonProperty("PartitionID") Integer id,
                            @JsonProperty("PartitionIOConfiguration") IoConfiguration io,
                            @JsonProperty("PartitionMemoryConfiguration") MemoryConfiguration memory,
                            @JsonProperty("PartitionName") String name,
                            @JsonProperty("PartitionProcessorConfiguration") ProcessorConfiguration processors,
                            @JsonProperty("PartitionState") String state,
                            @JsonProperty("PartitionType") String type,
                            @JsonProperty("PartitionUUID") String uuid,
                            @JsonProperty("PendingProcessorCompatibilityMode") String compatibilityMode,
                            @JsonProperty("ResourceMonitoringControlState") String rmcState,
                            @JsonProperty("ResourceMonitoringIPAddress") String rmcIp,
                            @JsonProperty("AssociatedManagedSystem") Link managedSystem,
                            @JsonProperty("ReferenceCode") String referenceCode,
                            @JsonProperty("ClientNetworkAdapters") Links networkAdapters) {
    }

    // ---- VIOS, storage and mappings ---------------------------------------------------------------------

    @JsonIgnoreProperties(ignoreUnknown = true)
    record LogicalUnit(@JsonProperty("ThinDevice") Boolean thin, @JsonProperty("UniqueDeviceID") String udid,
                       @JsonProperty("UnitCapacity") BigDecimal capacityGb, @JsonProperty("LogicalUnitType") String type,
                       @JsonProperty("ClonedFrom") String clonedFrom, @JsonProperty("InUse") Boolean inUse,
                       @JsonProperty("UnitName") String name) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record VirtualDisk(@JsonProperty("DiskCapacity") BigDecimal capacityGb, @JsonProperty("DiskLabel") String label,
                       @JsonProperty("DiskName") String name, @JsonProperty("VolumeGroup") Link volumeGroup,
                       @JsonProperty("UniqueDeviceID") String udid) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record PhysicalVolume(@JsonProperty("UniqueDeviceID") String udid, @JsonProperty("VolumeCapacity") Long capacityMb,
                          @JsonProperty("VolumeName") String name) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record VirtualOpticalMedia(@JsonProperty("MediaName") String name, @JsonProperty("MediaUDID") String udid,
                               @JsonProperty("MountType") String mountType, @JsonProperty("Size") String sizeGb) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Storage(@JsonProperty("LogicalUnit") LogicalUnit logicalUnit, @JsonProperty("VirtualDisk") VirtualDisk virtualDisk,
                   @JsonProperty("PhysicalVolume") PhysicalVolume physicalVolume,
                   @JsonProperty("VirtualOpticalMedia") VirtualOpticalMedia opticalMedia) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Adapter(@JsonProperty("AdapterType") String type, @JsonProperty("VirtualSlotNumber") Integer slot,
                   @JsonProperty("AdapterName") String name) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record ScsiMapping(@JsonProperty("AssociatedLogicalPartition") Link client,
                       @JsonProperty("ClientAdapter") Adapter clientAdapter,
                       @JsonProperty("ServerAdapter") Adapter serverAdapter,
                       @JsonProperty("Storage") Storage storage) {
        String clientUuid() {
            return client == null ? null : client.uuid();
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record ScsiMappings(@JsonProperty("VirtualSCSIMapping") List<ScsiMapping> mappings) {
        ScsiMappings {
            mappings = list(mappings);
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record FcMapping(@JsonProperty("AssociatedLogicalPartition") Link client) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record FcMappings(@JsonProperty("VirtualFibreChannelMapping") List<FcMapping> mappings) {
        FcMappings {
            mappings = list(mappings);
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record OpticalMedia(@JsonProperty("VirtualOpticalMedia") List<VirtualOpticalMedia> media) {
        OpticalMedia {
            media = list(media);
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record VirtualMediaRepository(@JsonProperty("OpticalMedia") OpticalMedia opticalMedia,
                                  @JsonProperty("RepositoryName") String name) {
        List<VirtualOpticalMedia> media() {
            return opticalMedia == null ? List.of() : opticalMedia.media();
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record MediaRepositories(@JsonProperty("VirtualMediaRepository") List<VirtualMediaRepository> repositories) {
        MediaRepositories {
            repositories = list(repositories);
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record VirtualIOServer(@JsonProperty("PartitionID") Integer id, @JsonProperty("PartitionName") String name,
                           @JsonProperty("PartitionState") String state,
                           @JsonProperty("ResourceMonitoringControlState") String rmcState,
                           @JsonProperty("MediaRepositories") MediaRepositories mediaRepositories,
                           @JsonProperty("VirtualFibreChannelMappings") FcMappings fcMappings,
                           @JsonProperty("VirtualSCSIMappings") ScsiMappings scsiMappings) {
        List<ScsiMapping> mappings() {
            return scsiMappings == null ? List.of() : scsiMappings.mappings();
        }

        List<FcMapping> fibreChannelMappings() {
            return fcMappings == null ? List.of() : fcMappings.mappings();
        }

        boolean hasMediaRepository() {
            return mediaRepositories != null && !mediaRepositories.repositories().isEmpty();
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record VirtualDisks(@JsonProperty("VirtualDisk") List<VirtualDisk> disks) {
        VirtualDisks {
            disks = list(disks);
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record VolumeGroup(@JsonProperty("AvailableSize") BigDecimal availableGb, @JsonProperty("FreeSpace") BigDecimal freeGb,
                       @JsonProperty("GroupCapacity") BigDecimal capacityGb, @JsonProperty("GroupName") String name,
                       @JsonProperty("MediaRepositories") MediaRepositories mediaRepositories,
                       @JsonProperty("VirtualDisks") VirtualDisks virtualDisks) {
        List<VirtualDisk> disks() {
            return virtualDisks == null ? List.of() : virtualDisks.disks();
        }

        List<VirtualMediaRepository> repositories() {
            return mediaRepositories == null ? List.of() : mediaRepositories.repositories();
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record LogicalUnits(@JsonProperty("LogicalUnit") List<LogicalUnit> units) {
        LogicalUnits {
            units = list(units);
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record SharedStoragePool(@JsonProperty("LogicalUnits") LogicalUnits logicalUnits,
                             @JsonProperty("Capacity") BigDecimal capacityGb, @JsonProperty("FreeSpace") BigDecimal freeGb,
                             @JsonProperty("StoragePoolName") String name, @JsonProperty("UniqueDeviceID") String udid) {
        List<LogicalUnit> units() {
            return logicalUnits == null ? List.of() : logicalUnits.units();
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record ClusterNode(@JsonProperty("VirtualIOServer") Link vios, @JsonProperty("State") String state) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record ClusterNodes(@JsonProperty("Node") List<ClusterNode> nodes) {
        ClusterNodes {
            nodes = list(nodes);
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Cluster(@JsonProperty("ClusterName") String name, @JsonProperty("ClusterSharedStoragePool") Link pool,
                   @JsonProperty("Node") ClusterNodes nodes) {
        List<ClusterNode> members() {
            return nodes == null ? List.of() : nodes.nodes();
        }
    }

    // ---- network ----------------------------------------------------------------------------------------

    @JsonIgnoreProperties(ignoreUnknown = true)
    record VirtualNetwork(@JsonProperty("AssociatedSwitch") Link vswitch, @JsonProperty("NetworkName") String name,
                          @JsonProperty("NetworkVLANID") Integer vlan, @JsonProperty("VswitchID") Integer vswitchId,
                          @JsonProperty("TaggedNetwork") Boolean tagged) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record ClientNetworkAdapter(@JsonProperty("LocationCode") String locationCode,
                                @JsonProperty("VirtualSlotNumber") Integer slot,
                                @JsonProperty("MACAddress") String mac, @JsonProperty("PortVLANID") Integer vlan,
                                @JsonProperty("AssociatedVirtualSwitch") Links vswitch,
                                @JsonProperty("VirtualSwitchID") Integer vswitchId) {
    }

    // ---- jobs, files, errors ----------------------------------------------------------------------------

    @JsonIgnoreProperties(ignoreUnknown = true)
    record JobParameter(@JsonProperty("ParameterName") String name, @JsonProperty("ParameterValue") String value) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record JobResults(@JsonProperty("JobParameter") List<JobParameter> parameters) {
        JobResults {
            parameters = list(parameters);
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record ResponseException(@JsonProperty("Message") String message) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record JobResponse(@JsonProperty("JobID") String id, @JsonProperty("Status") String status,
                       @JsonProperty("Results") JobResults results,
                       @JsonProperty("ExceptionText") String exceptionText,
                       @JsonProperty("ResponseException") ResponseException responseException) {
        Optional<String> result(String name) {
            if (results == null) {
                return Optional.empty();
            }
            return results.parameters().stream().filter(p -> name.equals(p.name())).map(JobParameter::value)
                    .filter(v -> v != null && !v.isBlank()).map(String::strip).findFirst();
        }

        /** @return the failure text: the {@code result} parameter, the exception text or the exception message */
        String failure() {
            return result("result").or(() -> Optional.ofNullable(exceptionText).filter(s -> !s.isBlank()))
                    .or(() -> Optional.ofNullable(responseException).map(ResponseException::message))
                    .orElse(status);
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record File(@JsonProperty("Filename") String name, @JsonProperty("FileUUID") String uuid,
                @JsonProperty("AssetLink") Link assetLink) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record HttpErrorResponse(@JsonProperty("HTTPStatus") Integer status, @JsonProperty("RequestURI") String requestUri,
                             @JsonProperty("ReasonCode") String reasonCode, @JsonProperty("Message") String message) {
    }
}
