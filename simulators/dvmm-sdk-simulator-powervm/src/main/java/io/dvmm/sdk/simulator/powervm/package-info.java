/**
 * A simulator of the IBM HMC REST API (the PowerVM management console), seeded from real HMC
 * captures: {@link io.dvmm.sdk.simulator.powervm.PowerVmSimulator} (the server, its knobs and its
 * state), {@link io.dvmm.sdk.simulator.powervm.PowerVmSimulatorExtension} (JUnit 5),
 * {@link io.dvmm.sdk.simulator.powervm.HmcOperations} (operation keys for request counts) and
 * {@link io.dvmm.sdk.simulator.powervm.HmcState} (state snapshots).
 *
 * <p>The simulator keeps each object's content as a DOM taken from the captures, because the
 * point is to serve what a real HMC serves, unknown-to-the-client elements included; the
 * element order it enforces on writes is derived from the same captures at run time.
 */
package io.dvmm.sdk.simulator.powervm;
