package io.dvmm.sdk.simulator.vsphere;

import io.dvmm.sdk.simulator.SimulatorExtension;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The extension behind {@link WithVcsim}: one {@link Vcsim} per test class, built from the
 * annotation found on the class or an enclosing class, injected into {@link Vcsim} parameters.
 * Register an instance with {@code @RegisterExtension} to pass a {@link VcsimModel} instead.
 */
public final class VcsimExtension extends SimulatorExtension<Vcsim> {

    private final VcsimModel model;

    /** Takes the model from {@link WithVcsim}. */
    public VcsimExtension() {
        this(null);
    }

    /**
     * An extension that starts vcsim with {@code model}, whatever {@link WithVcsim} says; for
     * {@code @RegisterExtension}.
     *
     * @param model the inventory and behaviour to simulate; null to take them from {@link WithVcsim}
     */
    public VcsimExtension(VcsimModel model) {
        super(Vcsim.class);
        this.model = model;
    }

    @Override
    protected Vcsim start(ExtensionContext context) {
        return Vcsim.start(model != null ? model : model(context == null ? Optional.empty() : find(context)));
    }

    private static Optional<WithVcsim> find(ExtensionContext context) {
        for (Optional<ExtensionContext> c = Optional.of(context); c.isPresent(); c = c.get().getParent()) {
            Optional<Class<?>> type = c.get().getTestClass();
            if (type.isPresent()) {
                Optional<WithVcsim> a = AnnotationSupport.findAnnotation(type.get(), WithVcsim.class);
                if (a.isPresent()) {
                    return a;
                }
            }
        }
        return Optional.empty();
    }

    static VcsimModel model(Optional<WithVcsim> annotation) {
        if (annotation.isEmpty()) {
            return VcsimModel.vcenter().build();
        }
        WithVcsim a = annotation.get();
        VcsimModel.Builder b = a.esx() ? VcsimModel.esx()
                : VcsimModel.vcenter().clusters(a.clusters()).hostsPerCluster(a.hostsPerCluster())
                        .standaloneHosts(a.standaloneHosts()).template(a.template()).templateDiskGiB(a.templateDiskGiB());
        return b.vmsPerPool(a.vmsPerPool()).datastores(a.datastores()).dhcp(Duration.ofMillis(a.dhcpMillis()))
                .pageCap(a.pageCap()).delay(Duration.ofMillis(a.delayMillis())).build();
    }
}
