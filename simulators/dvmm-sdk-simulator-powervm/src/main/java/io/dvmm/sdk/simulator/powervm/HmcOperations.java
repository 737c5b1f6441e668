package io.dvmm.sdk.simulator.powervm;

/**
 * The operation keys the simulator counts requests under ({@link PowerVmSimulator#requestCount})
 * and fault rules match on: {@code "METHOD template"}, the template as the client addressed it
 * (under the HMC root or under the managed system), with {@code {op}} and {@code {prop}} filled
 * in. The most used ones are named here; {@link PowerVmSimulator#routes()} lists every template.
 */
public final class HmcOperations {

    public static final String LOGON = "PUT /rest/api/web/Logon";
    public static final String LOGOFF = "DELETE /rest/api/web/Logon";
    public static final String MANAGED_SYSTEMS = "GET /rest/api/uom/ManagedSystem";
    public static final String MANAGED_SYSTEM = "GET /rest/api/uom/ManagedSystem/{ms}";
    public static final String MANAGED_SYSTEM_SEARCH = "GET /rest/api/uom/ManagedSystem/search/{query}";
    public static final String MANAGED_SYSTEMS_QUICK = "GET /rest/api/uom/ManagedSystem/quick/All";
    public static final String LPAR_FEED = "GET /rest/api/uom/ManagedSystem/{ms}/LogicalPartition";
    public static final String LPAR_QUICK_ALL = "GET /rest/api/uom/ManagedSystem/{ms}/LogicalPartition/quick/All";
    public static final String LPAR_SEARCH = "GET /rest/api/uom/ManagedSystem/{ms}/LogicalPartition/search/{query}";
    public static final String LPAR_CREATE = "PUT /rest/api/uom/ManagedSystem/{ms}/LogicalPartition";
    public static final String LPAR = "GET /rest/api/uom/LogicalPartition/{lpar}";
    public static final String LPAR_UPDATE = "POST /rest/api/uom/LogicalPartition/{lpar}";
    public static final String LPAR_DELETE = "DELETE /rest/api/uom/LogicalPartition/{lpar}";
    public static final String LPAR_PROFILES = "GET /rest/api/uom/LogicalPartition/{lpar}/LogicalPartitionProfile";
    public static final String POWER_ON_TEMPLATE = "GET /rest/api/uom/LogicalPartition/{target}/do/PowerOn";
    public static final String POWER_ON = "PUT /rest/api/uom/LogicalPartition/{target}/do/PowerOn";
    public static final String POWER_OFF_TEMPLATE = "GET /rest/api/uom/LogicalPartition/{target}/do/PowerOff";
    public static final String POWER_OFF = "PUT /rest/api/uom/LogicalPartition/{target}/do/PowerOff";
    public static final String VIOS_FEED = "GET /rest/api/uom/ManagedSystem/{ms}/VirtualIOServer";
    public static final String VIOS_QUICK_ALL = "GET /rest/api/uom/ManagedSystem/{ms}/VirtualIOServer/quick/All";
    public static final String VIOS = "GET /rest/api/uom/VirtualIOServer/{vios}";
    public static final String VIOS_UPDATE = "POST /rest/api/uom/VirtualIOServer/{vios}";
    public static final String VOLUME_GROUPS = "GET /rest/api/uom/VirtualIOServer/{vios}/VolumeGroup";
    public static final String VOLUME_GROUP = "GET /rest/api/uom/VirtualIOServer/{vios}/VolumeGroup/{vg}";
    public static final String VOLUME_GROUP_UPDATE = "POST /rest/api/uom/VirtualIOServer/{vios}/VolumeGroup/{vg}";
    public static final String SSP = "GET /rest/api/uom/SharedStoragePool/{ssp}";
    public static final String SSP_UPDATE = "POST /rest/api/uom/SharedStoragePool/{ssp}";
    public static final String CLUSTERS = "GET /rest/api/uom/Cluster";
    public static final String LINKED_CLONE_TEMPLATE = "GET /rest/api/uom/Cluster/do/LULinkedClone";
    public static final String LINKED_CLONE = "PUT /rest/api/uom/Cluster/{target}/do/LULinkedClone";
    public static final String VIRTUAL_SWITCHES = "GET /rest/api/uom/ManagedSystem/{ms}/VirtualSwitch";
    public static final String VIRTUAL_NETWORKS = "GET /rest/api/uom/ManagedSystem/{ms}/VirtualNetwork";
    public static final String PROCESSOR_POOLS = "GET /rest/api/uom/ManagedSystem/{ms}/SharedProcessorPool";
    public static final String CNA_CREATE = "PUT /rest/api/uom/LogicalPartition/{lpar}/ClientNetworkAdapter";
    public static final String CNAS = "GET /rest/api/uom/LogicalPartition/{lpar}/ClientNetworkAdapter";
    public static final String JOB = "GET /rest/api/uom/jobs/{job}";
    public static final String JOB_DELETE = "DELETE /rest/api/uom/jobs/{job}";
    public static final String JOB_CANCEL = "PUT /rest/api/uom/jobs/{job}/cancel";
    public static final String EVENTS = "GET /rest/api/uom/Event";
    public static final String FILE_CREATE = "PUT /rest/api/web/File";
    public static final String FILE_UPLOAD = "PUT /rest/api/web/File/contents/{file}";
    public static final String FILE_DELETE = "DELETE /rest/api/web/File/{file}";

    private HmcOperations() {
    }
}
