package io.dvmm.sdk.vsphere.internal;

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
import com.vmware.vim25.ws.VimStub;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.rmi.RemoteException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One vSphere session: service content, login, the SDK's own property collector, a single
 * re-login when the server says {@code NotAuthenticated}, and logout. Session-scoped objects
 * (collectors, views, filters) are recreated by whoever owns them after a re-login, which this
 * class signals through {@link #generation()}.
 */
final class VimConnection {

    private static final Logger LOG = LoggerFactory.getLogger(VimConnection.class);
    private static final ManagedObjectReference SERVICE_INSTANCE = moRef("ServiceInstance", "ServiceInstance");

    /** A vim25 call that may be repeated once after a re-login. */
    @FunctionalInterface
    interface Call<T> {
        T run(VimStub stub, ServiceContent content) throws RemoteException;
    }

    private final VimSoapClient client;
    private final VimStub stub;
    private final String username;
    private final String password;
    private final Object lock = new Object();
    private volatile ServiceContent content;
    private volatile boolean loggedIn;
    private volatile int generation;
    private volatile boolean closed;

    VimConnection(VimSoapClient client, String username, String password) {
        this.client = client;
        this.stub = new VimStub(client);
        this.username = username;
        this.password = password;
    }

    static ManagedObjectReference moRef(String type, String value) {
        ManagedObjectReference ref = new ManagedObjectReference();
        ref.setType(type);
        ref.setVal(value);
        return ref;
    }

    VimSoapClient client() {
        return client;
    }

    /** The raw stub, for callers that handle {@code NotAuthenticated} themselves (session-scoped collectors). */
    VimStub stub() {
        return stub;
    }

    /** Increments with every login; owners of session-scoped objects rebuild them when it changes. */
    int generation() {
        return generation;
    }

    /** Logs in if no session exists yet and returns the service content. */
    ServiceContent session() throws RemoteException {
        ServiceContent c = content;
        if (loggedIn && c != null) {
            return c;
        }
        synchronized (lock) {
            if (closed) {
                throw new VimCallException(VimCallException.Kind.TRANSPORT, "Login", "connection is closed", null, null, 0, true, null);
            }
            if (!loggedIn) {
                login();
            }
            return content;
        }
    }

    private void login() throws RemoteException {
        if (content == null) {
            content = stub.retrieveServiceContent(SERVICE_INSTANCE);
        }
        client.clearSession();
        stub.login(content.getSessionManager(), username, password, null);
        loggedIn = true;
        generation++;
        LOG.debug("logged in to {} as {}", client.getBaseUrl().getHost(), username);
    }

    /**
     * Runs a call in the session; on {@code NotAuthenticated} logs in again once (unless another
     * thread already did) and repeats it.
     */
    <T> T call(Call<T> call) throws RemoteException {
        ServiceContent c = session();
        int seen = generation;
        try {
            return call.run(stub, c);
        } catch (VimCallException e) {
            if (!e.isFault("NotAuthenticated")) {
                throw e;
            }
            relogin(seen);
            return call.run(stub, content);
        }
    }

    /** Logs in again unless a login newer than {@code seenGeneration} already happened. */
    void relogin(int seenGeneration) throws RemoteException {
        synchronized (lock) {
            if (generation == seenGeneration) {
                LOG.info("vSphere session on {} expired; logging in again", client.getBaseUrl().getHost());
                loggedIn = false;
                login();
            }
        }
    }

    /** Keeps the session from idling out; cheap ({@code CurrentTime}). Does nothing before the first login. */
    void keepAlive() {
        if (!loggedIn || closed) {
            return;
        }
        try {
            call((s, c) -> s.currentTime(SERVICE_INSTANCE));
        } catch (RemoteException e) {
            LOG.debug("keepalive failed: {}", e.getMessage());
        }
    }

    /**
     * Streams every object a filter spec selects, page by page ({@code RetrievePropertiesEx} then
     * {@code ContinueRetrievePropertiesEx}) with the SDK's session collector.
     */
    void retrieve(PropertyFilterSpec spec, int pageSize, Consumer<ObjectContent> sink) throws RemoteException {
        RetrieveOptions options = new RetrieveOptions();
        options.setMaxObjects(pageSize);
        RetrieveResult page = call((s, c) -> s.retrievePropertiesEx(c.getPropertyCollector(), new PropertyFilterSpec[]{spec}, options));
        while (page != null) {
            if (page.getObjects() != null) {
                for (ObjectContent oc : page.getObjects()) {
                    sink.accept(oc);
                }
            }
            String token = page.getToken();
            if (token == null || token.isEmpty()) {
                break;
            }
            page = call((s, c) -> s.continueRetrievePropertiesEx(c.getPropertyCollector(), token));
        }
    }

    /**
     * Retrieves the given properties of every object of the given types below the root folder,
     * through a container view: CreateContainerView, RetrievePropertiesEx (+ Continue per page),
     * DestroyView.
     */
    List<ObjectContent> retrieveByType(int pageSize, List<PropertySpec> props) throws RemoteException {
        session();
        int seen = generation;
        try {
            return retrieveByTypeOnce(pageSize, props);
        } catch (VimCallException e) {
            if (generation == seen) {
                throw e;
            }
            // The session was renewed mid-listing: the view and the page token died with the old one.
            return retrieveByTypeOnce(pageSize, props);
        }
    }

    private List<ObjectContent> retrieveByTypeOnce(int pageSize, List<PropertySpec> props) throws RemoteException {
        List<String> types = new ArrayList<>();
        for (PropertySpec p : props) {
            types.add(p.getType());
        }
        ManagedObjectReference view = call((s, c) -> s.createContainerView(c.getViewManager(), c.getRootFolder(),
                types.toArray(String[]::new), true));
        try {
            List<ObjectContent> out = new ArrayList<>();
            retrieve(viewSpec(view, props), pageSize, out::add);
            return out;
        } finally {
            try {
                call((s, c) -> {
                    s.destroyView(view);
                    return null;
                });
            } catch (RemoteException e) {
                LOG.debug("DestroyView failed: {}", e.getMessage());
            }
        }
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

    /** Logs out (best effort) and refuses further calls. */
    void logout() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            if (loggedIn && content != null) {
                try {
                    stub.logout(content.getSessionManager());
                } catch (RemoteException | RuntimeException e) {
                    LOG.debug("logout failed: {}", e.getMessage());
                }
                loggedIn = false;
            }
        }
    }

    boolean isClosed() {
        return closed;
    }
}
