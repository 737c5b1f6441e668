/**
 * DVMM SDK testkit: the in-memory provider, the provider contract suite and a JUnit 5 extension.
 * The protocol simulators are their own artifacts ({@code dvmm-sdk-simulator-*}).
 */
module io.dvmm.sdk.testkit {
    requires transitive io.dvmm.sdk.api;
    requires org.slf4j;
    requires transitive org.junit.jupiter.api;

    exports io.dvmm.sdk.testkit;
    exports io.dvmm.sdk.testkit.inmemory;
    exports io.dvmm.sdk.testkit.contract;

    opens io.dvmm.sdk.testkit.contract to org.junit.platform.commons;

    provides io.dvmm.sdk.spi.HypervisorProvider with io.dvmm.sdk.testkit.inmemory.InMemoryProvider;
}
