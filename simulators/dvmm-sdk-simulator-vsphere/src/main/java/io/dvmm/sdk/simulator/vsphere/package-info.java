/**
 * The govmomi vSphere simulator (vcsim) for tests: {@link io.dvmm.sdk.simulator.vsphere.Vcsim}
 * (one running simulator), {@link io.dvmm.sdk.simulator.vsphere.VcsimModel} (its inventory) and
 * {@link io.dvmm.sdk.simulator.vsphere.WithVcsim} (one per test class, with one annotation).
 * The launcher is Go source shipped in this jar and built on first use in GOPATH mode against
 * Debian's {@code golang-github-vmware-govmomi-dev}; it adds what vcsim 0.24 lacks and the SDK's
 * tests need: simulated DHCP, vCenter-like paging, a template with a snapshot, crash-free
 * concurrent clones. No dependency on the SDK's vSphere provider.
 */
package io.dvmm.sdk.simulator.vsphere;
