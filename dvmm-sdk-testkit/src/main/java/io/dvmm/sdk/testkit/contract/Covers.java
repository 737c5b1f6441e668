package io.dvmm.sdk.testkit.contract;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the {@link io.dvmm.sdk.Hypervisor} methods a contract case exercises. The suite checks
 * that every method of the interface is named by at least one case, and reports method → cases.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Covers {
    /** @return the names of the {@code Hypervisor} methods exercised */
    String[] value();
}
