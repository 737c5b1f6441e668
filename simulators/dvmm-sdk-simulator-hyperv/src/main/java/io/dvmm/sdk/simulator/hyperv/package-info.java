/**
 * A Windows Hyper-V host behind WinRM, for the Hyper-V provider's tests: {@link io.dvmm.sdk.simulator.hyperv.HyperVSimulator}
 * (with its builder), {@link io.dvmm.sdk.simulator.hyperv.HyperVSimulatorExtension} for JUnit 5,
 * {@link io.dvmm.sdk.simulator.hyperv.ScriptCatalog} (the only scripts the host runs, given as data), and the
 * snapshot records a test inspects ({@link io.dvmm.sdk.simulator.hyperv.SimVm} and its parts, VHDs, switches, files,
 * shells).
 *
 * <p>It depends on the simulator core, the JDK's XML (DOM and StAX, DTDs refused) and Jackson; never on winrm4j, CXF
 * or the provider, so what the provider sends is checked by something it does not share code with. A second client,
 * pywinrm, is run against it in this module's tests.
 */
package io.dvmm.sdk.simulator.hyperv;
