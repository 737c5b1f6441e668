package io.dvmm.sdk.vsphere.internal;

import com.vmware.vim25.CustomizationSpec;
import com.vmware.vim25.ManagedObjectReference;
import com.vmware.vim25.ObjectContent;
import com.vmware.vim25.ObjectSpec;
import com.vmware.vim25.PropertyFilterSpec;
import com.vmware.vim25.PropertySpec;
import com.vmware.vim25.RetrieveOptions;
import com.vmware.vim25.RetrieveResult;
import com.vmware.vim25.SelectionSpec;
import com.vmware.vim25.ServiceContent;
import com.vmware.vim25.TraversalSpec;
import com.vmware.vim25.UpdateSet;
import com.vmware.vim25.VirtualMachineCloneSpec;
import com.vmware.vim25.VirtualMachineConfigSpec;
import com.vmware.vim25.WaitOptions;
import io.dvmm.sdk.spi.support.Futures;
import io.dvmm.sdk.vsphere.internal.VimSession.Scope;
import io.dvmm.sdk.vsphere.internal.VimXmlWriter.Arg;

import java.util.ArrayList;
import java.util.Calendar;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The vim25 methods the provider uses, as asynchronous methods with their WSDL argument names
 * and types (as yavijava's {@code VimStub} declares them), each one request through
 * {@link VimSession}. Which ones are idempotent (may be sent again after a lost answer) is decided
 * here, once: reads, session-scoped helpers whose duplicate is harmless, and {@code CancelTask};
 * never a task that changes a VM.
 */
final class VimPort {

    private final VimSession session;

    VimPort(VimSession session) {
        this.session = session;
    }

    VimSession session() {
        return session;
    }

    private static Arg arg(String name, Class<?> type, Object value) {
        return new Arg(name, type, value);
    }

    private <T> CompletableFuture<T> call(Scope scope, Function<ServiceContent, VimClient.Call> call) {
        return session.content().thenCompose(c -> session.call(scope, call.apply(c))).thenApply(VimPort::<T>cast);
    }

    private <T> CompletableFuture<T> scoped(Scope scope, VimClient.Call call) {
        return session.callScoped(scope, call).thenApply(VimPort::<T>cast);
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object o) {
        return (T) o;
    }

    private static VimClient.Call read(String method, ManagedObjectReference target, String returnType, Arg... args) {
        return new VimClient.Call(method, target, List.of(args), returnType, true, false);
    }

    private static VimClient.Call task(String method, ManagedObjectReference target, Arg... args) {
        return new VimClient.Call(method, target, List.of(args), "ManagedObjectReference", false, false);
    }

    // ---- session and service

    CompletableFuture<ServiceContent> content() {
        return session.content();
    }

    CompletableFuture<Calendar> currentTime(Scope scope) {
        return call(scope, c -> read("CurrentTime", VimSession.SERVICE_INSTANCE, "Calendar"));
    }

    // ---- the session's own property collector: reads

    /** One page of a retrieval; {@code listing} lets it be as large as a listing may be. */
    CompletableFuture<RetrieveResult> retrievePropertiesEx(Scope scope, PropertyFilterSpec spec, int maxObjects, boolean listing) {
        RetrieveOptions options = new RetrieveOptions();
        options.setMaxObjects(maxObjects);
        return call(scope, c -> new VimClient.Call("RetrievePropertiesEx", c.getPropertyCollector(), List.of(
                arg("specSet", PropertyFilterSpec[].class, new PropertyFilterSpec[]{spec}),
                arg("options", RetrieveOptions.class, options)), "RetrieveResult", true, listing));
    }

    CompletableFuture<RetrieveResult> continueRetrievePropertiesEx(Scope scope, String token, boolean listing) {
        return call(scope, c -> new VimClient.Call("ContinueRetrievePropertiesEx", c.getPropertyCollector(), List.of(
                arg("token", String.class, token)), "RetrieveResult", true, listing));
    }

    /** Every object a spec selects, all pages (paging tokens are session-bound: a re-login mid-way starts over). */
    CompletableFuture<List<ObjectContent>> retrieveAll(Scope scope, PropertyFilterSpec spec, int pageSize, boolean listing) {
        List<ObjectContent> out = new ArrayList<>();
        return retrievePropertiesEx(scope, spec, pageSize, listing).thenCompose(page -> pages(scope, page, out, listing));
    }

    private CompletableFuture<List<ObjectContent>> pages(Scope scope, RetrieveResult page, List<ObjectContent> out, boolean listing) {
        if (page == null) {
            return CompletableFuture.completedFuture(out);
        }
        if (page.getObjects() != null) {
            out.addAll(List.of(page.getObjects()));
        }
        String token = page.getToken();
        if (token == null || token.isEmpty()) {
            return CompletableFuture.completedFuture(out);
        }
        return continueRetrievePropertiesEx(scope, token, listing).thenCompose(next -> pages(scope, next, out, listing));
    }

    /**
     * Retrieves properties of every object of the given types below the root folder through a
     * container view: CreateContainerView, RetrievePropertiesEx (+ one Continue per page),
     * DestroyView. A re-login mid-way (the view and tokens died with the session) starts over once.
     */
    CompletableFuture<List<ObjectContent>> retrieveByType(Scope scope, int pageSize, List<PropertySpec> props) {
        return session.content().thenCompose(c -> {
            int seen = session.generation();
            return byTypeOnce(scope, c, pageSize, props).exceptionallyCompose(e -> session.generation() != seen
                    ? byTypeOnce(scope, c, pageSize, props) : Futures.failed(Futures.unwrap(e)));
        });
    }

    private CompletableFuture<List<ObjectContent>> byTypeOnce(Scope scope, ServiceContent c, int pageSize, List<PropertySpec> props) {
        String[] types = props.stream().map(PropertySpec::getType).distinct().toArray(String[]::new);
        return this.<ManagedObjectReference>scoped(scope, new VimClient.Call("CreateContainerView", c.getViewManager(), List.of(
                        arg("container", ManagedObjectReference.class, c.getRootFolder()),
                        arg("type", String[].class, types),
                        arg("recursive", Boolean.class, Boolean.TRUE)), "ManagedObjectReference", true, false))
                .thenCompose(view -> {
                    List<ObjectContent> out = new ArrayList<>();
                    CompletableFuture<List<ObjectContent>> listed = this.<RetrieveResult>scoped(scope, listingCall(c, viewSpec(view, props), pageSize))
                            .thenCompose(page -> pages(scope, page, out, true));
                    // The view is destroyed before the listing answers (its failure does not fail the listing).
                    return listed.handle((v, e) -> null)
                            .thenCompose(x -> scoped(scope, new VimClient.Call("DestroyView", view, List.of(), "void", true, false))
                                    .handle((v, e) -> null))
                            .thenCompose(x -> listed);
                });
    }

    private static VimClient.Call listingCall(ServiceContent c, PropertyFilterSpec spec, int pageSize) {
        RetrieveOptions options = new RetrieveOptions();
        options.setMaxObjects(pageSize);
        return new VimClient.Call("RetrievePropertiesEx", c.getPropertyCollector(), List.of(
                arg("specSet", PropertyFilterSpec[].class, new PropertyFilterSpec[]{spec}),
                arg("options", RetrieveOptions.class, options)), "RetrieveResult", true, true);
    }

    /** Fire and forget: a session-scoped helper that is no longer needed (it dies with the session anyway). */
    void destroy(Scope scope, String method, ManagedObjectReference obj) {
        scoped(scope, new VimClient.Call(method, obj, List.of(), "void", true, false)).whenComplete((v, e) -> { });
    }

    CompletableFuture<ManagedObjectReference> findChild(Scope scope, ManagedObjectReference folder, String name) {
        return call(scope, c -> read("FindChild", c.getSearchIndex(), "ManagedObjectReference",
                arg("entity", ManagedObjectReference.class, folder), arg("name", String.class, name)));
    }

    // ---- the dispatcher's collector (session-scoped: never resent after a re-login)

    CompletableFuture<ManagedObjectReference> createPropertyCollector(Scope scope) {
        return session.content().thenCompose(c -> scoped(scope, read("CreatePropertyCollector", c.getPropertyCollector(),
                "ManagedObjectReference")));
    }

    CompletableFuture<ManagedObjectReference> createFilter(Scope scope, ManagedObjectReference collector, PropertyFilterSpec spec) {
        return scoped(scope, read("CreateFilter", collector, "ManagedObjectReference",
                arg("spec", PropertyFilterSpec.class, spec), arg("partialUpdates", Boolean.class, Boolean.FALSE)));
    }

    /** A long poll: holds one request slot while it is on the wire, never longer. */
    CompletableFuture<UpdateSet> waitForUpdatesEx(Scope scope, ManagedObjectReference collector, String version, int maxWaitSeconds) {
        WaitOptions options = new WaitOptions();
        options.setMaxWaitSeconds(maxWaitSeconds);
        return scoped(scope, new VimClient.Call("WaitForUpdatesEx", collector, List.of(
                arg("version", String.class, version), arg("options", WaitOptions.class, options)), "UpdateSet", true, true));
    }

    // ---- tasks

    CompletableFuture<ManagedObjectReference> cloneVmTask(Scope scope, ManagedObjectReference template, ManagedObjectReference folder,
                                                          String name, VirtualMachineCloneSpec spec) {
        return call(scope, c -> task("CloneVM_Task", template, arg("folder", ManagedObjectReference.class, folder),
                arg("name", String.class, name), arg("spec", VirtualMachineCloneSpec.class, spec)));
    }

    CompletableFuture<ManagedObjectReference> reconfigVmTask(Scope scope, ManagedObjectReference vm, VirtualMachineConfigSpec spec) {
        return call(scope, c -> task("ReconfigVM_Task", vm, arg("spec", VirtualMachineConfigSpec.class, spec)));
    }

    CompletableFuture<ManagedObjectReference> customizeVmTask(Scope scope, ManagedObjectReference vm, CustomizationSpec spec) {
        return call(scope, c -> task("CustomizeVM_Task", vm, arg("spec", CustomizationSpec.class, spec)));
    }

    CompletableFuture<ManagedObjectReference> powerOnVmTask(Scope scope, ManagedObjectReference vm) {
        return call(scope, c -> task("PowerOnVM_Task", vm));
    }

    CompletableFuture<ManagedObjectReference> powerOffVmTask(Scope scope, ManagedObjectReference vm) {
        return call(scope, c -> task("PowerOffVM_Task", vm));
    }

    CompletableFuture<ManagedObjectReference> resetVmTask(Scope scope, ManagedObjectReference vm) {
        return call(scope, c -> task("ResetVM_Task", vm));
    }

    CompletableFuture<ManagedObjectReference> suspendVmTask(Scope scope, ManagedObjectReference vm) {
        return call(scope, c -> task("SuspendVM_Task", vm));
    }

    CompletableFuture<ManagedObjectReference> destroyTask(Scope scope, ManagedObjectReference vm) {
        return call(scope, c -> task("Destroy_Task", vm));
    }

    CompletableFuture<ManagedObjectReference> createSnapshotTask(Scope scope, ManagedObjectReference vm, String name,
                                                                 String description, boolean memory) {
        return call(scope, c -> task("CreateSnapshot_Task", vm, arg("name", String.class, name),
                arg("description", String.class, description), arg("memory", Boolean.class, memory),
                arg("quiesce", Boolean.class, Boolean.FALSE)));
    }

    CompletableFuture<ManagedObjectReference> revertToSnapshotTask(Scope scope, ManagedObjectReference snapshot) {
        return call(scope, c -> task("RevertToSnapshot_Task", snapshot));
    }

    CompletableFuture<ManagedObjectReference> removeSnapshotTask(Scope scope, ManagedObjectReference snapshot) {
        return call(scope, c -> task("RemoveSnapshot_Task", snapshot, arg("removeChildren", Boolean.class, Boolean.FALSE),
                arg("consolidate", Boolean.class, Boolean.TRUE)));
    }

    /** Not a task, and not idempotent: asking a guest twice to shut down is harmless but not what was sent. */
    CompletableFuture<Void> shutdownGuest(Scope scope, ManagedObjectReference vm) {
        return call(scope, c -> new VimClient.Call("ShutdownGuest", vm, List.of(), "void", false, false));
    }

    /** Idempotent: cancelling a task twice changes nothing the first did not. */
    CompletableFuture<Void> cancelTask(Scope scope, ManagedObjectReference task) {
        return call(scope, c -> new VimClient.Call("CancelTask", task, List.of(), "void", true, false));
    }

    // ---- specs

    static PropertySpec props(String type, String... paths) {
        PropertySpec ps = new PropertySpec();
        ps.setType(type);
        ps.setAll(Boolean.FALSE);
        ps.setPathSet(paths);
        return ps;
    }

    static PropertyFilterSpec objectSpec(ManagedObjectReference obj, String... paths) {
        ObjectSpec os = new ObjectSpec();
        os.setObj(obj);
        os.setSkip(false);
        PropertyFilterSpec spec = new PropertyFilterSpec();
        spec.setObjectSet(new ObjectSpec[]{os});
        spec.setPropSet(new PropertySpec[]{props(obj.getType(), paths)});
        return spec;
    }

    static PropertyFilterSpec viewSpec(ManagedObjectReference view, List<PropertySpec> props) {
        TraversalSpec traverse = new TraversalSpec();
        traverse.setName("view");
        traverse.setType("ContainerView");
        traverse.setPath("view");
        traverse.setSkip(false);
        ObjectSpec os = new ObjectSpec();
        os.setObj(view);
        os.setSkip(true);
        os.setSelectSet(new SelectionSpec[]{traverse});
        PropertyFilterSpec spec = new PropertyFilterSpec();
        spec.setObjectSet(new ObjectSpec[]{os});
        spec.setPropSet(props.toArray(PropertySpec[]::new));
        return spec;
    }
}
