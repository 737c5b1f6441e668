/**
 * The Hyper-V (PowerShell over WinRM) provider of DVMM SDK. Not implemented in this release: this module registers no
 * provider yet, so {@code Hypervisors.connect} with the {@code hyperv} type fails with an error that
 * lists the providers found. Its own issue fills it; the README's capability matrix shows its state.
 */
package io.dvmm.sdk.hyperv;
