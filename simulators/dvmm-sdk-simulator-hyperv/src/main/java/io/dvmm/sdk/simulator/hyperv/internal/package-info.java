/**
 * The rooms of the simulated host; not API.
 *
 * <ul>
 *   <li>HTTP and security: {@code WinRmService} (listener, AllowUnencrypted, counts, fault plan), {@code WinRmAuth}
 *       (Basic, NTLM per connection), {@code NtlmMessages}, {@code NtlmCrypto}, {@code Md4}, {@code NtlmSession}
 *       (sealing), {@code EncryptedMessage} (MS-WSMV multipart/encrypted);
 *   <li>WS-Management: {@code WsManReader}, {@code WsManRules}, {@code WsManWriter}, {@code WsManFault},
 *       {@code WsManEndpoint}, {@code ShellTable}, {@code Shell}, {@code ShellCommand} (output streams);
 *   <li>PowerShell: {@code PowerShellHost}, {@code PowerShellCommandLine}, {@code ScriptCheck} (only the placeholder
 *       may differ), {@code Args}, {@code ScriptReply}, {@code ScriptError}, {@code CliXml};
 *   <li>the model: {@code HyperVHost} with {@code HostFiles} (files, VHD chains, volumes), {@code Vm},
 *       {@code GuestNetwork}, and the operation rooms {@code VmQueries}, {@code VmCreation}, {@code VmSettings},
 *       {@code VmPower}, {@code VmCheckpoints}, {@code VmDeletion}, {@code HostOperations}, mapped by
 *       {@code ScriptOperations}.
 * </ul>
 *
 * <p>Why hand-written rather than a kept library: no Java library serves WS-Management (winrm4j and CXF are clients,
 * and the simulator must not share the provider's stack), and the JDK has MD4 only as an unregistered internal class,
 * so {@code Md4} follows RFC 1320; HMAC-MD5, MD5 and RC4 are the JDK's. The NTLM code is checked against the
 * MS-NLMP §4.2.4 example and against pywinrm's ntlm-auth.
 */
package io.dvmm.sdk.simulator.hyperv.internal;
