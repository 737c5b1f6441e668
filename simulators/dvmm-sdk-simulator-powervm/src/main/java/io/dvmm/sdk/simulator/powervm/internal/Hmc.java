package io.dvmm.sdk.simulator.powervm.internal;

import io.dvmm.sdk.simulator.FaultPlan;
import io.dvmm.sdk.simulator.RequestLog;
import io.dvmm.sdk.simulator.Violations;

/**
 * One simulated HMC: the model and everything that acts on it (sessions, jobs, events, the
 * services per resource), wired once. Handlers and services reach each other through it.
 */
public final class Hmc implements AutoCloseable {

    public final Settings settings;
    public final HmcModel model;
    public final ContentEditor editor;
    public final ContentFactory factory;
    public final AtomWriter atom;
    public final JobWriter jobWriter;
    public final Clock clock;
    public final Jobs jobs;
    public final EventQueue events;
    public final Sessions sessions;
    public final Violations violations = new Violations("the HMC REST API rules (element order from the captures, "
            + "media types, API sessions)");
    public final RequestLog log = new RequestLog();
    public final FaultPlan faults = new FaultPlan();
    public final BusyFaults busy = new BusyFaults();
    public final Partitions partitions;
    public final PowerActions power;
    public final ScsiMappings mappings;
    public final VolumeGroups volumeGroups;
    public final StoragePools storagePools;
    public final NetworkAdapters adapters;
    public final Files files;
    private volatile String baseUrl = "https://127.0.0.1";

    public Hmc(Settings settings, ElementOrder order, AttributeHints hints, String origin, String user, String password) {
        this.settings = settings;
        this.editor = new ContentEditor(order, hints);
        this.model = new HmcModel(editor, origin);
        this.factory = new ContentFactory(editor);
        this.atom = new AtomWriter(() -> baseUrl, model::consoleUuid);
        this.jobWriter = new JobWriter(factory, editor);
        this.clock = new Clock(model.lock());
        this.jobs = new Jobs(clock, settings);
        this.events = new EventQueue(settings);
        this.sessions = new Sessions(settings, user, password);
        this.partitions = new Partitions(this);
        this.power = new PowerActions(this);
        this.mappings = new ScsiMappings(this);
        this.volumeGroups = new VolumeGroups(this);
        this.storagePools = new StoragePools(this);
        this.adapters = new NetworkAdapters(this);
        this.files = new Files(this);
    }

    public String baseUrl() {
        return baseUrl;
    }

    public void baseUrl(String url) {
        this.baseUrl = url;
    }

    /** Announces a change to event listeners, the object's ETag included. */
    public void modified(UomObject o, String detail) {
        o.touch();
        events.publish("MODIFY_URI", model.href(o), detail);
    }

    public void added(UomObject o) {
        events.publish("ADD_URI", model.href(o), "");
    }

    public void deleted(UomObject o) {
        events.publish("DELETE_URI", model.href(o), "");
    }

    @Override
    public void close() {
        clock.close();
        events.close();
    }
}
