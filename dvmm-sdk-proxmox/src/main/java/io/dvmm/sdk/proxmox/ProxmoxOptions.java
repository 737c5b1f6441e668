package io.dvmm.sdk.proxmox;

import io.dvmm.sdk.InvalidSpecException;
import io.dvmm.sdk.ProviderOptions;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * Proxmox VE options for {@link io.dvmm.sdk.VmProvisionSpec#providerOptions()}: what has no
 * portable field. Placement maps as follows: {@code host} is the target node, {@code datastore}
 * the storage of a full clone, {@code resourcePool} the PVE pool.
 *
 * <pre>{@code
 * spec.toBuilder().providerOptions(ProxmoxOptions.builder().vmid(4242).cloudInitDrive("local-lvm").build())
 * }</pre>
 */
public final class ProxmoxOptions implements ProviderOptions {

    /** The provider type these options belong to. */
    public static final String TYPE = "proxmox";

    private static final Pattern DISK = Pattern.compile("(scsi|virtio|sata|ide)\\d{1,2}");
    private static final Pattern STORAGE = Pattern.compile("[a-zA-Z][a-zA-Z0-9\\-_.]*[a-zA-Z0-9]");

    private final Integer vmid;
    private final String bootDisk;
    private final String nicModel;
    private final String cloudInitDrive;

    private ProxmoxOptions(Builder b) {
        this.vmid = b.vmid;
        this.bootDisk = b.bootDisk;
        this.nicModel = b.nicModel;
        this.cloudInitDrive = b.cloudInitDrive;
    }

    /** @return a builder with the defaults: VMID chosen by the SDK, boot disk {@code scsi0}, NIC model {@code virtio} */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String providerType() {
        return TYPE;
    }

    /** @return the VMID to use instead of one chosen by the SDK */
    public OptionalInt vmid() {
        return vmid == null ? OptionalInt.empty() : OptionalInt.of(vmid);
    }

    /** @return the template disk that the spec's first disk resizes; {@code scsi0} by default */
    public String bootDisk() {
        return bootDisk;
    }

    /** @return the NIC model; {@code virtio} by default */
    public String nicModel() {
        return nicModel;
    }

    /** @return the storage on which to add a cloud-init drive ({@code ide2}), for templates without one */
    public Optional<String> cloudInitDrive() {
        return Optional.ofNullable(cloudInitDrive);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProxmoxOptions p && Objects.equals(vmid, p.vmid) && bootDisk.equals(p.bootDisk)
                && nicModel.equals(p.nicModel) && Objects.equals(cloudInitDrive, p.cloudInitDrive);
    }

    @Override
    public int hashCode() {
        return Objects.hash(vmid, bootDisk, nicModel, cloudInitDrive);
    }

    @Override
    public String toString() {
        return "ProxmoxOptions[vmid=" + vmid + ", bootDisk=" + bootDisk + ", nicModel=" + nicModel
                + ", cloudInitDrive=" + cloudInitDrive + "]";
    }

    /** Builds {@link ProxmoxOptions}; validated in {@link #build()}. */
    public static final class Builder {
        private Integer vmid;
        private String bootDisk = "scsi0";
        private String nicModel = "virtio";
        private String cloudInitDrive;

        private Builder() {
        }

        /**
         * @param value the VMID, 100 to 999999999
         * @return this builder
         */
        public Builder vmid(int value) {
            this.vmid = value;
            return this;
        }

        /**
         * @param value the disk to resize, such as {@code scsi0} or {@code virtio0}
         * @return this builder
         */
        public Builder bootDisk(String value) {
            this.bootDisk = value;
            return this;
        }

        /**
         * @param value the NIC model, such as {@code virtio} or {@code e1000}
         * @return this builder
         */
        public Builder nicModel(String value) {
            this.nicModel = value;
            return this;
        }

        /**
         * @param storage where to add a cloud-init drive, for templates that lack one
         * @return this builder
         */
        public Builder cloudInitDrive(String storage) {
            this.cloudInitDrive = storage;
            return this;
        }

        /**
         * @return the options
         * @throws InvalidSpecException naming the field that breaks a rule
         */
        public ProxmoxOptions build() {
            if (vmid != null && (vmid < 100 || vmid > 999_999_999)) {
                throw new InvalidSpecException("providerOptions.proxmox.vmid", "must be between 100 and 999999999");
            }
            if (bootDisk == null || !DISK.matcher(bootDisk).matches()) {
                throw new InvalidSpecException("providerOptions.proxmox.bootDisk", "must name a disk such as scsi0 or virtio0");
            }
            if (nicModel == null || !nicModel.matches("[a-z0-9-]+")) {
                throw new InvalidSpecException("providerOptions.proxmox.nicModel", "must be a model such as virtio or e1000");
            }
            if (cloudInitDrive != null && !STORAGE.matcher(cloudInitDrive).matches()) {
                throw new InvalidSpecException("providerOptions.proxmox.cloudInitDrive", "must be a storage id");
            }
            return new ProxmoxOptions(this);
        }
    }
}
