package io.dvmm.sdk.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives each test method a fresh in-memory hypervisor: declare a {@link io.dvmm.sdk.Hypervisor}
 * parameter (and, to inject faults, an {@link io.dvmm.sdk.inmemory.InMemoryCloud} one).
 *
 * <pre>{@code
 * @WithInMemoryHypervisor
 * class MyServiceTest {
 *     @Test
 *     void provisions(Hypervisor hv, InMemoryCloud cloud) {
 *         cloud.faults().failNext("createVm", 1, op -> new BusyException("locked", ErrorContext.EMPTY));
 *         ...
 *     }
 * }
 * }</pre>
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@ExtendWith(HypervisorExtension.class)
public @interface WithInMemoryHypervisor {
    /** @return how long a simulated task takes, in milliseconds */
    long taskMillis() default 50;

    /** @return how long after power-on the guest reports an IP, in milliseconds */
    long ipDelayMillis() default 100;

    /** @return capabilities the connection lacks, comma-separated, to test degraded paths */
    String disabledCapabilities() default "";
}
