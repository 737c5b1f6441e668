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

    /** A standalone ESXi host instead of a vCenter. */
    boolean esx() default false;

    int clusters() default 1;

    int hostsPerCluster() default 2;

    int standaloneHosts() default 1;

    /** VMs per resource pool (vCenter) or on the host (ESXi). */
    int vmsPerPool() default 2;

    int datastores() default 1;

    /** The vCenter template's name; empty for none. */
    String template() default VcsimModel.DEFAULT_TEMPLATE;

    int templateDiskGiB() default 0;

    /** Simulated DHCP: milliseconds until a powered-on VM gets an address (0: never). */
    long dhcpMillis() default 300;

    /** Objects per {@code RetrievePropertiesEx} page (0: no paging). */
    int pageCap() default 100;

    /** Milliseconds of delay on every SOAP call. */
    long delayMillis() default 0;
}
