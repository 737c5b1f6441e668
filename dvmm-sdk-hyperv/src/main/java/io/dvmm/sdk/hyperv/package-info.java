/**
 * Hyper-V provider ({@code hyperv://host:5986}, type {@code hyperv}): PowerShell scripts over WinRM, through
 * winrm4j's WS-Management client.
 *
 * <p>Connection: HTTPS on 5986 by default, with the connection's {@link io.dvmm.sdk.TlsOptions} (a self-signed
 * WinRM certificate is best trusted with {@link io.dvmm.sdk.TlsOptions#pinSha256(String)}). Plain HTTP
 * ({@code hyperv://host:5985}) only with {@code hyperv.allowUnencryptedHttp=true}, logged as a WARN: winrm4j's NTLM
 * message encryption does not link against CXF 3.6, so nothing but TLS protects the messages. Credentials:
 * {@link io.dvmm.sdk.Credentials#password(String, String)} with {@code user}, <code>DOMAIN&#92;user</code> or
 * {@code user@domain}; NTLM by default, Basic with {@code hyperv.auth=basic}. Kerberos is refused with
 * {@link io.dvmm.sdk.InvalidSpecException}: winrm4j takes it from JVM-wide JAAS/krb5 settings.
 *
 * <p>Mapping: VM ids are Hyper-V VMIds (GUIDs); virtual switches are networks, storage paths datastores; templates
 * are VHDX files of {@code hyperv.templatesPath} and VMs whose Notes hold {@code [hvsdk-template]}. A linked clone
 * is a differencing disk on the template's VHDX, a full clone a standalone copy. Metadata lives in one framed line of
 * the VM's Notes, the user's own notes kept. Guest customization is a cloud-init NoCloud seed
 * ({@link io.dvmm.sdk.spi.support.CloudInitSeed}) attached as a DVD: Linux guests with cloud-init only. Options
 * without a portable field (generation, secure boot, dynamic memory, VLANs, configuration version) are in
 * {@link io.dvmm.sdk.hyperv.HyperVOptions}; the connection properties are declared by
 * {@link io.dvmm.sdk.hyperv.HyperVProvider}.
 */
package io.dvmm.sdk.hyperv;
