/**
 * DVMM SDK testkit: the in-memory provider, protocol simulators, the provider contract suite and
 * a JUnit 5 extension.
 */
module io.dvmm.sdk.testkit {
    requires transitive io.dvmm.sdk.api;
    requires org.slf4j;
    requires transitive org.junit.jupiter.api;
    requires org.junit.jupiter.params;
    requires com.fasterxml.jackson.databind;

    exports io.dvmm.sdk.testkit;
    exports io.dvmm.sdk.testkit.inmemory;
    exports io.dvmm.sdk.testkit.contract;
    exports io.dvmm.sdk.testkit.proxmox;

    opens io.dvmm.sdk.testkit.contract to org.junit.platform.commons;

    provides io.dvmm.sdk.spi.HypervisorProvider with io.dvmm.sdk.testkit.inmemory.InMemoryProvider;
}
