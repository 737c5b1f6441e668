package io.dvmm.sdk.simulator.proxmox.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HA: {@code /cluster/ha/resources} (list, add, read, update, remove), the instant
 * {@code hastart}/{@code hastop} tasks that start and stop of an HA-managed guest become, and the
 * simulated HA manager that brings a guest into its requested state after the HA delay.
 */
final class PveHa {

    /** An HA resource ({@code vm:N}) as the HA stack's resources.cfg holds it. */
    static final class Resource {
        final int vmid;
        String state = "started";
        String comment;
        String group;
        Integer maxRestart;
        Integer maxRelocate;
        Boolean failback;

        Resource(int vmid) {
            this.vmid = vmid;
        }

        String sid() {
            return "vm:" + vmid;
        }

        /** Whether API calls on the guest go through the HA stack ({@code ignored} bypasses it). */
        boolean managing() {
            return !"ignored".equals(state);
        }
    }

    private static final Pattern SID = Pattern.compile("^(?:(vm|ct):)?(\\d+)$");

    private final PveCluster cluster;
    private final Map<Integer, Resource> resources = new TreeMap<>();

    PveHa(PveCluster cluster) {
        this.cluster = cluster;
    }

    Resource resource(int vmid) {
        return resources.get(vmid);
    }

    /** Forgets the resource of a destroyed guest. */
    void forget(int vmid) {
        resources.remove(vmid);
    }

    void manage(int vmid, String state) {
        if (!cluster.vms.containsKey(vmid)) {
            throw new IllegalArgumentException("no VM " + vmid);
        }
        Resource r = resources.computeIfAbsent(vmid, Resource::new);
        r.state = normalizeState(state);
        scheduleManager(r);
    }

    String state(int vmid) {
        Resource r = resources.get(vmid);
        return r == null ? null : r.state;
    }

    private static String normalizeState(String state) {
        return "enabled".equals(state) ? "started" : state;
    }

    /** Parses {@code vm:N}, {@code ct:N} or plain {@code N} (a VM). */
    private static int vmid(String sid) {
        Matcher m = SID.matcher(sid == null ? "" : sid);
        if (!m.matches()) {
            throw PveError.param("sid", "unable to parse HA resource id '" + sid + "'");
        }
        if ("ct".equals(m.group(1))) {
            throw new PveError(500, "no such CT " + m.group(2) + " - this simulator has no containers");
        }
        return Integer.parseInt(m.group(2));
    }

    private Map<String, Object> view(Resource r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sid", r.sid());
        m.put("type", "vm");
        m.put("state", r.state);
        if (r.comment != null) {
            m.put("comment", r.comment);
        }
        if (r.group != null) {
            m.put("group", r.group);
        }
        if (r.maxRestart != null) {
            m.put("max_restart", r.maxRestart);
        }
        if (r.maxRelocate != null) {
            m.put("max_relocate", r.maxRelocate);
        }
        if (r.failback != null) {
            m.put("failback", r.failback ? 1 : 0);
        }
        m.put("digest", Integer.toHexString(resources.keySet().hashCode()) + "00000000000000000000000000000000");
        return m;
    }

    List<Map<String, Object>> list(String type) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (type != null && !"vm".equals(type)) {
            return out;
        }
        for (Resource r : resources.values()) {
            out.add(view(r));
        }
        return out;
    }

    Map<String, Object> read(String sid) {
        int vmid = vmid(sid);
        Resource r = resources.get(vmid);
        if (r == null) {
            throw new PveError(500, "no such resource 'vm:" + vmid + "'");
        }
        return view(r);
    }

    void add(Map<String, String> p) {
        int vmid = vmid(p.get("sid"));
        if (p.containsKey("type") && !"vm".equals(p.get("type"))) {
            throw PveError.param("type", "resource type '" + p.get("type") + "' does not match the sid");
        }
        if (resources.containsKey(vmid)) {
            throw new PveError(500, "resource ID 'vm:" + vmid + "' already defined");
        }
        PveVm vm = cluster.vms.get(vmid);
        if (vm == null) {
            throw new PveError(500, "unable to create resource 'vm:" + vmid + "' - no such VM");
        }
        if (vm.template) {
            throw new PveError(500, "unable to create resource 'vm:" + vmid + "' - VM is a template");
        }
        Resource r = new Resource(vmid);
        apply(r, p);
        resources.put(vmid, r);
        scheduleManager(r);
    }

    void update(String sid, Map<String, String> p) {
        int vmid = vmid(sid);
        Resource r = resources.get(vmid);
        if (r == null) {
            throw new PveError(500, "no such resource 'vm:" + vmid + "'");
        }
        if (p.containsKey("delete")) {
            for (String k : p.get("delete").split("[,;\\s]+")) {
                switch (k) {
                    case "comment" -> r.comment = null;
                    case "group" -> r.group = null;
                    case "max_restart" -> r.maxRestart = null;
                    case "max_relocate" -> r.maxRelocate = null;
                    case "failback" -> r.failback = null;
                    case "state" -> r.state = "started";
                    default -> throw PveError.param("delete", "unknown setting '" + k + "'");
                }
            }
        }
        apply(r, p);
        scheduleManager(r);
    }

    void remove(String sid) {
        int vmid = vmid(sid);
        if (resources.remove(vmid) == null) {
            throw new PveError(500, "cannot delete service 'vm:" + vmid + "', not HA managed!");
        }
    }

    private static void apply(Resource r, Map<String, String> p) {
        if (p.containsKey("state")) {
            r.state = normalizeState(p.get("state"));
        }
        if (p.containsKey("comment")) {
            r.comment = p.get("comment");
        }
        if (p.containsKey("group")) {
            r.group = p.get("group");
        }
        if (p.containsKey("max_restart")) {
            r.maxRestart = Integer.parseInt(p.get("max_restart"));
        }
        if (p.containsKey("max_relocate")) {
            r.maxRelocate = Integer.parseInt(p.get("max_relocate"));
        }
        if (p.containsKey("failback")) {
            r.failback = Boolean.TRUE.equals(PveSchema.parseBoolean(p.get("failback")));
        }
    }

    /** The HA manager acts a little later, on whatever state is requested by then. */
    private void scheduleManager(Resource r) {
        cluster.scheduler.schedule(() -> managerRound(r.vmid), Math.max(0, cluster.haDelayMillis), TimeUnit.MILLISECONDS);
    }

    private void managerRound(int vmid) {
        synchronized (cluster) {
            Resource r = resources.get(vmid);
            PveVm vm = cluster.vms.get(vmid);
            if (r == null || vm == null) {
                return;
            }
            if (vm.lock != null) {
                scheduleManager(r);
                return;
            }
            switch (r.state) {
                case "started" -> {
                    if (!vm.running()) {
                        vm.boot();
                    }
                }
                case "stopped", "disabled" -> vm.halt();
                default -> {
                    // ignored: the HA stack leaves the guest alone
                }
            }
        }
    }

    /** {@code qm start/stop/shutdown} of an HA-managed guest: an instant {@code hastart}/{@code hastop} task. */
    String power(Resource r, String node, String vmid, String action, String user) {
        boolean start = "start".equals(action);
        r.state = start ? "started" : "stopped";
        PveTask t = cluster.tasks.start(node, start ? "hastart" : "hastop", vmid, user, 0);
        t.log.add("Requesting HA " + (start ? "start" : "stop") + " for VM " + vmid);
        scheduleManager(r);
        return t.upid;
    }
}
