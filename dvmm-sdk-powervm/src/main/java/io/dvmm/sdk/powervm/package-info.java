/**
 * The PowerVM provider ({@code powervm://hmc1:12443/<managed system>}, type {@code powervm}):
 * IBM PowerVM through the HMC REST API (Atom/XML), one managed system per connection.
 *
 * <p>Credentials: {@link io.dvmm.sdk.Credentials#password(String, String)} (an HMC user); the SDK
 * logs on once ({@code X-API-Session}), logs on again once when the session expired, and logs
 * off on close. TLS: system trust by default; the HMC's self-signed certificate is best trusted
 * with {@link io.dvmm.sdk.TlsOptions#pinSha256(String)}.
 *
 * <p>Mapping: VM ids are LPAR UUIDs; a template is a reference LPAR (not activated, by name or
 * UUID; the names that {@code powervm.templateNamePattern} matches are listed as templates, not
 * VMs); CPUs are virtual processors (shared) or processors (dedicated), memory is in MB and whole
 * logical memory blocks; {@code CloneMode.LINKED} clones the template's SSP logical unit with
 * {@code LULinkedClone}, {@code CloneMode.FULL} with {@link io.dvmm.sdk.powervm.PowerVmOptions}
 * {@code emptyBootDisk} makes an empty disk for a network install; a NIC's network is a virtual
 * network (VLAN) by name, such as {@code VLAN1-ETHERNET0}; the placement's datastore is a shared
 * storage pool by name or a volume group ({@code <vios>/<group>}); guest customization is a
 * cloud-init config drive in a VIOS media repository; the guest IP is the RMC IP address. There
 * are no snapshots, no suspend and no metadata on PowerVM. Provider options are in
 * {@link io.dvmm.sdk.powervm.PowerVmOptions}; connection properties in
 * {@link io.dvmm.sdk.powervm.PowerVmProvider}.
 */
package io.dvmm.sdk.powervm;
