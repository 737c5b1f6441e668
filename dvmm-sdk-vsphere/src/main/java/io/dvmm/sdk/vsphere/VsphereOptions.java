package io.dvmm.sdk.vsphere;

import io.dvmm.sdk.InvalidSpecException;
import io.dvmm.sdk.ProviderOptions;

import java.util.Objects;
import java.util.Optional;

/**
 * vSphere-specific options of a {@link io.dvmm.sdk.VmProvisionSpec}: the annotation (notes).
 * The VM folder is named once, by its inventory path, in {@link io.dvmm.sdk.Placement.Builder#folder(String)}.
 * Attach with {@code spec.providerOptions(VsphereOptions.builder()...build())}.
 * Immutable.
 */
public final class VsphereOptions implements ProviderOptions {

    /** The provider type these options apply to. */
    public static final String TYPE = "vsphere";

    private final String annotation;

    private VsphereOptions(Builder b) {
        this.annotation = b.annotation;
    }

    /** @return a builder with no option set */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding these options */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.annotation = annotation;
        return b;
    }

    @Override
    public String providerType() {
        return TYPE;
    }

    /** @return the VM's annotation (the "Notes" field) */
    public Optional<String> annotation() {
        return Optional.ofNullable(annotation);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VsphereOptions v && Objects.equals(annotation, v.annotation);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(annotation);
    }

    @Override
    public String toString() {
        return "VsphereOptions[annotation=" + (annotation == null ? null : annotation.length() + " chars") + "]";
    }

    /** Builds {@link VsphereOptions}. Not thread-safe. */
    public static final class Builder {
        private String annotation;

        private Builder() {
        }

        /**
         * Sets the VM's notes (the "Notes" field, vSphere's {@code config.annotation}).
         *
         * @param value the notes, at most 65535 characters; {@code null} leaves the template's
         * @return this builder
         */
        public Builder annotation(String value) {
            this.annotation = value;
            return this;
        }

        /**
         * @return the options
         * @throws InvalidSpecException if a value breaks a rule
         */
        public VsphereOptions build() {
            if (annotation != null && annotation.length() > 65535) {
                throw new InvalidSpecException("providerOptions.annotation", "must be at most 65535 characters");
            }
            return new VsphereOptions(this);
        }
    }
}
