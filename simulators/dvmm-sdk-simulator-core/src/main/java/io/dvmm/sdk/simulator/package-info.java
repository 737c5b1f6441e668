/**
 * What every DVMM SDK protocol simulator shares.
 *
 * <ul>
 *   <li>{@link io.dvmm.sdk.simulator.LoopbackServer}: HTTP or HTTPS on 127.0.0.1, one dispatcher
 *       function from {@link io.dvmm.sdk.simulator.SimRequest} to {@link io.dvmm.sdk.simulator.SimResponse};
 *   <li>{@link io.dvmm.sdk.simulator.SimulatorCertificate}: its self-signed certificate, SHA-256 pin, trust store;
 *   <li>{@link io.dvmm.sdk.simulator.FaultPlan}, {@link io.dvmm.sdk.simulator.FaultRule},
 *       {@link io.dvmm.sdk.simulator.Fault}: which requests get which wrong answer, and whether they took effect;
 *   <li>{@link io.dvmm.sdk.simulator.RequestLog}: every request (secrets redacted) and exact counts per operation;
 *   <li>{@link io.dvmm.sdk.simulator.Violations}: protocol rules the client broke;
 *   <li>{@link io.dvmm.sdk.simulator.SimulatorExtension}: the base of each simulator's JUnit 5 extension.
 * </ul>
 *
 * <p>The server is OkHttp's {@code mockwebserver3}, kept because it sends any status line verbatim
 * (pveproxy's {@code 500 VM 123 does not exist}), serves each connection on its own thread (so a
 * dispatcher can keep per-connection state, as NTLM needs, and may block) and already knows the
 * socket misbehaviours the faults need. Certificates come from okhttp-tls's {@code HeldCertificate},
 * in process. Where mockwebserver3 falls short, this package works around it narrowly:
 *
 * <ul>
 *   <li>a "reset" is an orderly close (FIN) before the first byte of the answer, not a TCP RST:
 *       mockwebserver3 does not expose {@code SO_LINGER}; to a client both mean "the request went
 *       out and no answer came";
 *   <li>"no answer" and "stalled body" hold the connection's thread until the server closes
 *       (mockwebserver3 notices its own close, not the client's), so a test with many of them
 *       holds as many threads until it stops the simulator;
 *   <li>a truncated body needs at least two bytes (half of it is sent);
 *   <li>it flushes headers and body separately, so accepted sockets get {@code TCP_NODELAY}
 *       (otherwise Nagle's algorithm and delayed ACKs add about 40 ms to every answer);
 *   <li>mockwebserver3 queues every request for {@code takeRequest()}; the bridge drains that queue,
 *       since {@code RequestLog} is the record here and a soak must not keep every request.
 * </ul>
 */
package io.dvmm.sdk.simulator;
