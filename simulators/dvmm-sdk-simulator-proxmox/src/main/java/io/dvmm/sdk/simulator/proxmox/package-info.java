/**
 * A Proxmox VE API simulator on loopback: {@link io.dvmm.sdk.simulator.proxmox.ProxmoxSimulator}
 * and its JUnit 5 extension. It speaks {@code /api2/json} over real HTTP(S), checks every request
 * against the official schema when {@code shared/data/proxmox/pve-apidoc.json} is found above the
 * working directory, and never depends on the SDK's Proxmox provider: it is an independent copy
 * of the rules, which is what makes it a check.
 */
package io.dvmm.sdk.simulator.proxmox;
