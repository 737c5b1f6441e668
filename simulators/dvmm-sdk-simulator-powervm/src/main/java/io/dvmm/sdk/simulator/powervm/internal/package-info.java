/**
 * The HMC simulator's inside: the model ({@code HmcModel}, {@code UomObject}), its seeds, the
 * element order derived from the captures ({@code ElementOrder}), the Atom writer, one route
 * class and one service class per resource, jobs, events, sessions and files. Not API.
 *
 * <p>XML is read with the JDK's DOM parser, hardened in {@code Xml} (no DOCTYPE, no external
 * entities): the simulator must hold documents it does not understand element by element, which
 * a binding library would drop.
 */
package io.dvmm.sdk.simulator.powervm.internal;
