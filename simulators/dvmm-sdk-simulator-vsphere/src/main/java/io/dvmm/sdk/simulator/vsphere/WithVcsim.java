package io.dvmm.sdk.simulator.vsphere;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Starts one vcsim for the annotated test class and injects it into any {@link Vcsim} parameter;
 * it stops after the class. The attributes are those of {@link VcsimModel}.
 *
 * <pre>{@code
 * @WithVcsim(vmsPerPool = 3)
 * class MyVsphereTest {
 *     @Test void lists(Vcsim vc) { ... vc.vsphereUri() ... vc.sha256() ... }
 * }
 * }</pre>
 *
 * Without Go or govmomi the tests are skipped with the install command (failed under {@code CI=true}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(VcsimExtension.class)
public @interface WithVcsim {

    /**
     * A standalone ESXi host instead of a vCenter.
     *
     * @return true for ESXi; the vCenter-only attributes (clusters, hosts, template) are then ignored
     */
    boolean esx() default false;

    /**
     * Clusters in the vCenter's datacenter ({@link VcsimModel.Builder#clusters}).
     *
     * @return the number of clusters, zero or more
     */
    int clusters() default 1;

    /**
     * Hosts in each cluster ({@link VcsimModel.Builder#hostsPerCluster}).
     *
     * @return the number of hosts per cluster, zero or more
     */
    int hostsPerCluster() default 2;

    /**
     * Hosts outside any cluster ({@link VcsimModel.Builder#standaloneHosts}).
     *
     * @return the number of standalone hosts, zero or more
     */
    int standaloneHosts() default 1;

    /**
     * VMs per resource pool (vCenter) or on the host (ESXi).
     *
     * @return the number of VMs, zero or more
     */
    int vmsPerPool() default 2;

    /**
     * Datastores ({@link VcsimModel.Builder#datastores}).
     *
     * @return the number of datastores, at least 1
     */
    int datastores() default 1;

    /**
     * The vCenter template's name ({@link VcsimModel.Builder#template}).
     *
     * @return the name; empty for none
     */
    String template() default VcsimModel.DEFAULT_TEMPLATE;

    /**
     * The size the template's boot disk is grown to ({@link VcsimModel.Builder#templateDiskGiB}).
     *
     * @return GiB; 0 keeps vcsim's 1 MiB disk
     */
    int templateDiskGiB() default 0;

    /**
     * Simulated DHCP: how long until a powered-on VM gets an address.
     *
     * @return milliseconds; 0 for never
     */
    long dhcpMillis() default 300;

    /**
     * Objects per {@code RetrievePropertiesEx} page, like vCenter's cap.
     *
     * @return the page size; 0 for no paging
     */
    int pageCap() default 100;

    /**
     * A delay on every SOAP call.
     *
     * @return milliseconds; 0 for none
     */
    long delayMillis() default 0;
}
