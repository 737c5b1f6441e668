/**
 * Helpers a provider uses to implement the SPI, shared so that every provider behaves the same:
 * the create skeleton ({@link io.dvmm.sdk.spi.support.ProvisioningFlow} over a provider's
 * {@link io.dvmm.sdk.spi.support.ProvisioningSteps}), one run of a long operation with its
 * deadline, cancellation and rollback ({@link io.dvmm.sdk.spi.support.OperationRun}), the
 * power-state rules ({@link io.dvmm.sdk.spi.support.PowerTransitions}), the one retry path per
 * request ({@link io.dvmm.sdk.spi.support.CallPolicy}), the wait loop, back-off, TLS material and
 * progress delivery. Not for applications: nothing here is needed to use the SDK.
 */
package io.dvmm.sdk.spi.support;
