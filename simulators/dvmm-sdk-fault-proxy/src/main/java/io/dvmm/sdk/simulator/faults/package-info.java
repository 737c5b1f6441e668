/**
 * A fault-injecting HTTP(S) proxy for tests, on WireMock (a well-kept library rather than a
 * hand-written proxy): it forwards every request to a target (a protocol simulator, vcsim) and,
 * for the requests a {@link io.dvmm.sdk.simulator.faults.FaultProxy.Rule} picks, loses, delays,
 * truncates or garbles the answer — after the target acted on the request, which is the failure
 * that duplicates and leaks VMs — or refuses the request before it is forwarded (resets, 5xx with
 * {@code Retry-After}, PVE's 596, an answer that never comes). Every injected fault is recorded.
 */
package io.dvmm.sdk.simulator.faults;
