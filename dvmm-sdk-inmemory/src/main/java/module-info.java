/**
 * DVMM SDK in-memory provider: a stateful simulated hypervisor inside the JVM, with fault
 * injection. The embedded default of the samples and the reference behaviour of the contract.
 */
module io.dvmm.sdk.inmemory {
    requires transitive io.dvmm.sdk.api;
    requires org.slf4j;

    exports io.dvmm.sdk.inmemory;

    provides io.dvmm.sdk.spi.HypervisorProvider with io.dvmm.sdk.inmemory.InMemoryProvider;
}
