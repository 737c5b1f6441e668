/**
 * The PowerShell scripts of the Hyper-V provider: constant resources, one per operation, sent with their arguments
 * as one base64 JSON literal so that no user value ever becomes script text. The contract of each script (input,
 * output, error ids) is the {@code README.md} beside the resources; {@link io.dvmm.sdk.hyperv.internal.scripts.HyperVScript}
 * builds what is sent.
 */
package io.dvmm.sdk.hyperv.internal.scripts;
