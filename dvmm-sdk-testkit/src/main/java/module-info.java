/**
 * DVMM SDK testkit: the provider contract suite and a JUnit 5 extension that gives tests an
 * in-memory hypervisor. The in-memory provider ({@code dvmm-sdk-inmemory}) and the protocol
 * simulators ({@code dvmm-sdk-simulator-*}) are artifacts of their own.
 */
module io.dvmm.sdk.testkit {
    requires transitive io.dvmm.sdk.api;
    requires transitive io.dvmm.sdk.inmemory;
    requires org.slf4j;
    requires transitive org.junit.jupiter.api;

    exports io.dvmm.sdk.testkit;
    exports io.dvmm.sdk.testkit.contract;

    opens io.dvmm.sdk.testkit.contract to org.junit.platform.commons;
}
