/**
 * DVMM SDK public API: one CompletableFuture-based interface to provision and operate VMs on
 * vSphere, Proxmox VE, Hyper-V and PowerVM, with providers found through {@link java.util.ServiceLoader}.
 */
module io.dvmm.sdk.api {
    requires org.slf4j;
    requires io.github.resilience4j.retry;
    requires io.github.resilience4j.circuitbreaker;
    requires io.github.resilience4j.core;

    exports io.dvmm.sdk;
    exports io.dvmm.sdk.spi;
    exports io.dvmm.sdk.spi.support;

    uses io.dvmm.sdk.spi.HypervisorProvider;
}
