/**
 * DVMM SDK testkit: the provider contract suite and a JUnit 5 extension that gives tests an
 * in-memory hypervisor.
 */
module io.dvmm.sdk.testkit {
    requires transitive io.dvmm.sdk.api;
    requires transitive io.dvmm.sdk.inmemory;
    requires org.slf4j;
    requires transitive org.junit.jupiter.api;
    requires org.junit.jupiter.params;
    requires com.fasterxml.jackson.databind;

    exports io.dvmm.sdk.testkit;
    exports io.dvmm.sdk.testkit.contract;
    exports io.dvmm.sdk.testkit.proxmox;

    opens io.dvmm.sdk.testkit.contract to org.junit.platform.commons;
}
