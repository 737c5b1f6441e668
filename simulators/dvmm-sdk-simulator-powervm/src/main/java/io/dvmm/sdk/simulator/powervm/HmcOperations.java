package io.dvmm.sdk.simulator.powervm;

/**
 * The operation keys the simulator counts requests under ({@link PowerVmSimulator#requestCount})
 * and fault rules match on: {@code "METHOD template"}, the template as the client addressed it
 * (under the HMC root or under the managed system), with {@code {op}} and {@code {prop}} filled
 * in. The most used ones are named here; {@link PowerVmSimulator#routes()} lists every template.
 */
public final class HmcOperations {

    /** Log on: a session token (and its cookie) for user and password. */
    public static final String LOGON = "PUT /rest/api/web/Logon";
    /** Log off: ends the session. */
    public static final String LOGOFF = "DELETE /rest/api/web/Logon";
    /** The feed of managed systems (the servers the HMC manages). */
    public static final String MANAGED_SYSTEMS = "GET /rest/api/uom/ManagedSystem";
    /** One managed system. */
    public static final String MANAGED_SYSTEM = "GET /rest/api/uom/ManagedSystem/{ms}";
    /** Managed systems found by a search such as {@code (SystemName==sys1)}. */
    public static final String MANAGED_SYSTEM_SEARCH = "GET /rest/api/uom/ManagedSystem/search/{query}";
    /** Every managed system's quick properties, as JSON. */
    public static final String MANAGED_SYSTEMS_QUICK = "GET /rest/api/uom/ManagedSystem/quick/All";
    /** The feed of a managed system's logical partitions. */
    public static final String LPAR_FEED = "GET /rest/api/uom/ManagedSystem/{ms}/LogicalPartition";
    /** Quick properties (JSON) of every logical partition of a managed system: the cheap listing. */
    public static final String LPAR_QUICK_ALL = "GET /rest/api/uom/ManagedSystem/{ms}/LogicalPartition/quick/All";
    /** A managed system's logical partitions found by a search such as {@code (PartitionName==web-1)}. */
    public static final String LPAR_SEARCH = "GET /rest/api/uom/ManagedSystem/{ms}/LogicalPartition/search/{query}";
    /** Creates a logical partition on a managed system. */
    public static final String LPAR_CREATE = "PUT /rest/api/uom/ManagedSystem/{ms}/LogicalPartition";
    /** One logical partition. */
    public static final String LPAR = "GET /rest/api/uom/LogicalPartition/{lpar}";
    /** Updates a logical partition (processors, memory, name), guarded by its ETag. */
    public static final String LPAR_UPDATE = "POST /rest/api/uom/LogicalPartition/{lpar}";
    /** Deletes a logical partition. */
    public static final String LPAR_DELETE = "DELETE /rest/api/uom/LogicalPartition/{lpar}";
    /** A logical partition's profiles. */
    public static final String LPAR_PROFILES = "GET /rest/api/uom/LogicalPartition/{lpar}/LogicalPartitionProfile";
    /** The PowerOn job's request template (its parameters), read before the job is run. */
    public static final String POWER_ON_TEMPLATE = "GET /rest/api/uom/LogicalPartition/{target}/do/PowerOn";
    /** Runs the PowerOn job on a logical partition. */
    public static final String POWER_ON = "PUT /rest/api/uom/LogicalPartition/{target}/do/PowerOn";
    /** The PowerOff job's request template, read before the job is run. */
    public static final String POWER_OFF_TEMPLATE = "GET /rest/api/uom/LogicalPartition/{target}/do/PowerOff";
    /** Runs the PowerOff job on a logical partition. */
    public static final String POWER_OFF = "PUT /rest/api/uom/LogicalPartition/{target}/do/PowerOff";
    /** The feed of a managed system's Virtual I/O Servers. */
    public static final String VIOS_FEED = "GET /rest/api/uom/ManagedSystem/{ms}/VirtualIOServer";
    /** Quick properties (JSON) of every Virtual I/O Server of a managed system. */
    public static final String VIOS_QUICK_ALL = "GET /rest/api/uom/ManagedSystem/{ms}/VirtualIOServer/quick/All";
    /** One Virtual I/O Server, with its SCSI mappings and storage. */
    public static final String VIOS = "GET /rest/api/uom/VirtualIOServer/{vios}";
    /** Updates a Virtual I/O Server (adds or removes SCSI mappings), guarded by its ETag. */
    public static final String VIOS_UPDATE = "POST /rest/api/uom/VirtualIOServer/{vios}";
    /** A Virtual I/O Server's volume groups. */
    public static final String VOLUME_GROUPS = "GET /rest/api/uom/VirtualIOServer/{vios}/VolumeGroup";
    /** One volume group, with its logical volumes and media repository. */
    public static final String VOLUME_GROUP = "GET /rest/api/uom/VirtualIOServer/{vios}/VolumeGroup/{vg}";
    /** Updates a volume group (adds or removes logical volumes and media), guarded by its ETag. */
    public static final String VOLUME_GROUP_UPDATE = "POST /rest/api/uom/VirtualIOServer/{vios}/VolumeGroup/{vg}";
    /** One shared storage pool, with its logical units. */
    public static final String SSP = "GET /rest/api/uom/SharedStoragePool/{ssp}";
    /** Updates a shared storage pool (adds or removes logical units), guarded by its ETag. */
    public static final String SSP_UPDATE = "POST /rest/api/uom/SharedStoragePool/{ssp}";
    /** The feed of VIOS clusters (each with its shared storage pool). */
    public static final String CLUSTERS = "GET /rest/api/uom/Cluster";
    /** The LULinkedClone job's request template. */
    public static final String LINKED_CLONE_TEMPLATE = "GET /rest/api/uom/Cluster/do/LULinkedClone";
    /** Runs the LULinkedClone job on a cluster: a thin logical unit cloned from another. */
    public static final String LINKED_CLONE = "PUT /rest/api/uom/Cluster/{target}/do/LULinkedClone";
    /** A managed system's virtual switches. */
    public static final String VIRTUAL_SWITCHES = "GET /rest/api/uom/ManagedSystem/{ms}/VirtualSwitch";
    /** A managed system's virtual networks (a switch and a VLAN each). */
    public static final String VIRTUAL_NETWORKS = "GET /rest/api/uom/ManagedSystem/{ms}/VirtualNetwork";
    /** A managed system's shared processor pools. */
    public static final String PROCESSOR_POOLS = "GET /rest/api/uom/ManagedSystem/{ms}/SharedProcessorPool";
    /** Adds a client network adapter to a logical partition. */
    public static final String CNA_CREATE = "PUT /rest/api/uom/LogicalPartition/{lpar}/ClientNetworkAdapter";
    /** A logical partition's client network adapters. */
    public static final String CNAS = "GET /rest/api/uom/LogicalPartition/{lpar}/ClientNetworkAdapter";
    /** A job's status (polled until it ends). */
    public static final String JOB = "GET /rest/api/uom/jobs/{job}";
    /** Deletes an ended job. */
    public static final String JOB_DELETE = "DELETE /rest/api/uom/jobs/{job}";
    /** Cancels a running job. */
    public static final String JOB_CANCEL = "PUT /rest/api/uom/jobs/{job}/cancel";
    /** The session's pending events (a long poll). */
    public static final String EVENTS = "GET /rest/api/uom/Event";
    /** Creates a File API entry to upload into (an ISO or a disk image for a VIOS). */
    public static final String FILE_CREATE = "PUT /rest/api/web/File";
    /** Uploads a File API entry's bytes. */
    public static final String FILE_UPLOAD = "PUT /rest/api/web/File/contents/{file}";
    /** Deletes a File API entry. */
    public static final String FILE_DELETE = "DELETE /rest/api/web/File/{file}";

    private HmcOperations() {
    }
}
