package io.dvmm.sdk.powervm.internal;

import io.dvmm.sdk.GuestCustomization;
import io.dvmm.sdk.NicInfo;
import io.dvmm.sdk.NicSpec;
import io.dvmm.sdk.spi.support.CloudInitSeed;
import io.dvmm.sdk.spi.support.Futures;
import io.dvmm.sdk.spi.support.OperationRun;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Guest customization as nova-powervm does it: a cloud-init NoCloud {@code cidata} ISO
 * ({@link CloudInitSeed}: host name, user, SSH keys, user data, one {@code network-config} entry
 * per NIC matched by the MAC the HMC gave it) uploaded with the HMC File API
 * ({@code PUT /rest/api/web/File}, then the bytes to {@code File/contents/{uuid}}) into the media
 * repository of a VIOS, which holds it as virtual optical media, mapped to the LPAR through that
 * VIOS. The medium is named after the LPAR ({@code dv<12 hex of its UUID>_cidata.iso}), so that
 * deleting the LPAR finds and removes it.
 */
final class ConfigDrive {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigDrive.class);
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");

    private final PowerVmHypervisor hv;

    ConfigDrive(PowerVmHypervisor hv) {
        this.hv = hv;
    }

    /**
     * @param lparUuid an LPAR
     * @return the name of its config drive medium
     */
    static String mediaName(String lparUuid) {
        return PowerVmProvisioning.Made.token(lparUuid) + "_cidata.iso";
    }

    /**
     * @param plan the resolved plan, with the NICs made
     * @param made the LPAR
     * @return the seed for it
     */
    static CloudInitSeed seed(PowerVmProvisioning.Plan plan, PowerVmProvisioning.Made made) {
        GuestCustomization g = plan.spec.guest();
        CloudInitSeed.Builder b = CloudInitSeed.builder().instanceId(made.uuid());
        String first = plan.spec.name().split("\\.", 2)[0];
        String hostname = g.hostname().orElse(LABEL.matcher(first).matches() ? first : null);
        if (hostname != null) {
            b.hostname(hostname);
        }
        g.domain().ifPresent(b::domain);
        g.username().ifPresent(b::user);
        b.sshKeys(g.sshKeys());
        g.userData().ifPresent(b::userData);
        List<NicInfo> nics = new ArrayList<>(plan.madeNics);
        for (int i = 0; i < plan.nics.size() && i < nics.size(); i++) {
            NicSpec spec = plan.nics.get(i).spec();
            NicInfo nic = nics.get(i);
            List<String> addresses = spec == null || spec.ip().isDhcp() ? List.of()
                    : List.of(spec.ip().address().orElseThrow() + "/" + spec.ip().prefixLength());
            b.ethernet(new CloudInitSeed.Ethernet(nic.macAddress(), addresses,
                    spec == null ? null : spec.ip().gateway().orElse(null)));
        }
        b.dns(g.dnsServers(), g.searchDomains());
        return b.build();
    }

    /**
     * Builds, uploads and maps the config drive; registers its removal with the run.
     *
     * @param plan the resolved plan
     * @param made the LPAR
     * @param run the run
     * @return completes when the medium is mapped
     */
    CompletableFuture<Void> attach(PowerVmProvisioning.Plan plan, PowerVmProvisioning.Made made, OperationRun run) {
        run.check();
        VirtualStorage.Vios vios = plan.mediaVios;
        byte[] iso = seed(plan, made).toIso();
        String name = mediaName(made.uuid());
        run.progress(10, "uploading the cloud-init config drive " + name + " (" + iso.length + " bytes) to VIOS " + vios.name());
        run.undo("virtual optical media " + name + " in the media repository of VIOS " + vios.name(),
                () -> hv.storage.deleteDisksAndMedia(vios.uuid(), Set.of(), Set.of(name), run.forCleanup(hv.cleanupBudget())));
        return hv.client.put(run.operation(), HmcPath.web("File"), HmcXml.WEB_TYPE + "File",
                RequestBodies.mediaFile(name, iso.length, vios.uuid()), HmcClient.Resend.REFUSED_ONLY, run.deadline())
                .thenCompose(a -> {
                    HmcObjects.File file = HmcXml.entry(a.body(), HmcObjects.File.class, a.etag(), a.what(), run.context())
                            .content();
                    String uuid = file.uuid();
                    return hv.client.upload(run.operation(), HmcPath.web("File", "contents", uuid), iso, run.deadline())
                            .thenCompose(x -> hv.client.delete(run.operation(), HmcPath.web("File", uuid), run.deadline())
                                    .handle((d, e) -> {
                                        if (e != null) {
                                            LOG.debug("could not delete File {} after its upload: {}", uuid,
                                                    Futures.unwrap(e).getMessage());
                                        }
                                        return null;
                                    }));
                })
                .thenCompose(x -> {
                    run.check();
                    run.progress(60, "mapping " + name + " as virtual optical media through VIOS " + vios.name());
                    run.undo("virtual optical mapping of " + name + " on VIOS " + vios.name(), () -> hv.storage.unmap(vios,
                            made.uuid(), d -> d != null && d.kind() == VirtualStorage.Kind.OPTICAL && name.equals(d.name()),
                            run.forCleanup(hv.cleanupBudget())));
                    return hv.storage.map(vios, made.uuid(), made.href(), List.of(new VirtualStorage.Device(
                            VirtualStorage.Kind.OPTICAL, name, null, null)), run);
                }).thenApply(x -> null);
    }
}
