/**
 * Proxmox VE provider ({@code proxmox://host:8006}, type {@code proxmox}) over the PVE REST API.
 *
 * <p>Credentials: {@link io.dvmm.sdk.Credentials#apiToken(String, String)} ({@code user@realm!tokenid},
 * preferred; no CSRF, no session) or {@link io.dvmm.sdk.Credentials#password(String, String)}
 * ({@code user@realm}; a ticket, renewed before its two-hour lifetime). TLS: system trust by
 * default; PVE's self-signed certificate is best trusted with
 * {@link io.dvmm.sdk.TlsOptions#pinSha256(String)}.
 *
 * <p>Mapping: VM ids are VMIDs; {@code placement.host} is the target node,
 * {@code placement.datastore} the storage of a full clone, {@code placement.resourcePool} the
 * pool; metadata is kept in PVE tags; the first {@link io.dvmm.sdk.DiskSpec} resizes the boot
 * disk, further ones are added on their datastore; cloud-init gets user, SSH keys, DNS and one
 * {@code ipconfigN} per NIC. The hostname is the VM name. Custom cloud-init user data needs a
 * snippet volume and is refused with {@link io.dvmm.sdk.InvalidSpecException}.
 *
 * <p>HA-managed VMs ({@code ha.managed} in {@code status/current}, state other than
 * {@code ignored}) are started and stopped by setting the HA resource's requested state
 * ({@code PUT /cluster/ha/resources/vm:N}) and waiting for the VM's actual state; the HA manager
 * stops a VM by a shutdown with its own timeout. Deleting an HA VM removes its HA resource first.
 * Cancelling the future of a power operation, delete, reconfigure or snapshot operation stops the
 * running PVE task ({@code DELETE /nodes/{node}/tasks/{upid}}) and the polling.
 *
 * <p>Connection properties ({@link io.dvmm.sdk.HypervisorConfig#property(String)}):
 * {@code proxmox.vmidMin}/{@code proxmox.vmidMax} (VMID range, default 100000-999999),
 * {@code proxmox.taskPollInitialMillis} (100), {@code proxmox.taskPollMaxMillis} (2000),
 * {@code proxmox.maxParallelClonesPerStorage} (4), {@code proxmox.ticketRenewMinutes} (60).
 * Provider options that have no portable field are in {@link io.dvmm.sdk.proxmox.ProxmoxOptions}.
 */
package io.dvmm.sdk.proxmox;
