package io.dvmm.sdk.simulator.proxmox.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The simulated cluster: nodes, storages, bridges, guests and tasks, plus the semantics of each
 * endpoint (locks, VMIDs, task outcomes, guest agent). Handlers return the value of
 * {@code data} or throw {@link PveError}. One monitor guards all state; it is never held while
 * sleeping.
 */
public final class PveCluster {

    public static final int TEMPLATE_VMID = 9000;
    public static final String TEMPLATE_NAME = "ubuntu-22.04-template";
    public static final String BRIDGE = "vmbr0";
    public static final String STORAGE = "local-lvm";
    public static final String POOL = "dvmm";

    private static final Pattern SIZE = Pattern.compile("^(\\+)?(\\d+(?:\\.\\d+)?)([KMGT])?$");
    private static final Pattern NET = Pattern.compile("^net\\d+$");
    private static final Pattern URLENCODED = Pattern.compile("^[-%a-zA-Z0-9_.!~*'()]*$");
    private static final Set<String> CONFIG_META = Set.of("node", "vmid", "digest", "background_delay", "skiplock",
            "delete", "revert", "force");

    /** A guest. Mutable, guarded by the cluster monitor. */
    static final class Vm {
        final int vmid;
        String node;
        String name;
        boolean template;
        String status = "stopped";
        boolean paused;
        String lock;
        String pool;
        long bootedAtMillis;
        final Map<String, String> config = new LinkedHashMap<>();
        final Map<String, Snapshot> snapshots = new LinkedHashMap<>();
        String parentSnapshot;

        Vm(int vmid) {
            this.vmid = vmid;
        }
    }

    record Snapshot(String name, String description, long snaptime, String parent, boolean vmstate,
                    Map<String, String> config, String status) {
    }

    /** A worker task (UPID). */
    static final class Task {
        final String upid;
        final String node;
        final String type;
        final String id;
        final String user;
        final long startSeconds;
        final long dueMillis;
        final List<String> log = new ArrayList<>();
        Runnable onSuccess = () -> { };
        Runnable onFailure = () -> { };
        String failure;
        String exitstatus;

        Task(String upid, String node, String type, String id, String user, long startSeconds, long dueMillis) {
            this.upid = upid;
            this.node = node;
            this.type = type;
            this.id = id;
            this.user = user;
            this.startSeconds = startSeconds;
            this.dueMillis = dueMillis;
        }
    }

    /** An HA resource ({@code vm:N}) as the HA stack's resources.cfg holds it. Guarded by the cluster monitor. */
    static final class HaResource {
        final int vmid;
        String state = "started";
        String comment;
        String group;
        Integer maxRestart;
        Integer maxRelocate;
        Boolean failback;

        HaResource(int vmid) {
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

    private static final Pattern HA_SID = Pattern.compile("^(?:(vm|ct):)?(\\d+)$");

    private final List<String> nodes = new ArrayList<>();
    private final Map<Integer, HaResource> ha = new java.util.TreeMap<>();
    private final NavigableMap<Integer, Vm> vms = new ConcurrentSkipListMap<>();
    private final Map<String, Task> tasks = new ConcurrentHashMap<>();
    private final ScheduledExecutorService scheduler;
    private final AtomicInteger pid = new AtomicInteger(100_000);
    private final Map<String, Integer> taskFailures = new HashMap<>();
    private final Map<String, String> taskFailureText = new HashMap<>();
    private volatile long taskDurationMillis;
    private volatile long agentDelayMillis;
    private volatile long haDelayMillis = 100;
    private int lockTimeouts;
    private int vmidRaces;

    public PveCluster(int nodeCount, int vmCount, Duration taskDuration, Duration agentDelay) {
        this.taskDurationMillis = taskDuration.toMillis();
        this.agentDelayMillis = agentDelay.toMillis();
        ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "pve-sim-tasks");
            t.setDaemon(true);
            return t;
        });
        s.setRemoveOnCancelPolicy(true);
        this.scheduler = s;
        for (int i = 1; i <= Math.max(1, nodeCount); i++) {
            nodes.add("pve" + i);
        }
        Vm tpl = new Vm(TEMPLATE_VMID);
        tpl.node = nodes.get(0);
        tpl.name = TEMPLATE_NAME;
        tpl.template = true;
        tpl.config.putAll(baseConfig(TEMPLATE_VMID, TEMPLATE_NAME));
        tpl.config.put("template", "1");
        tpl.config.put("scsi0", STORAGE + ":base-9000-disk-0,size=10G");
        vms.put(TEMPLATE_VMID, tpl);
        for (int i = 0; i < vmCount; i++) {
            int id = 10_000 + i;
            Vm vm = new Vm(id);
            vm.node = nodes.get(i % nodes.size());
            vm.name = "vm-" + id;
            vm.config.putAll(baseConfig(id, vm.name));
            if (i % 2 == 0) {
                vm.status = "running";
                vm.bootedAtMillis = System.currentTimeMillis() - 3_600_000L;
            }
            vms.put(id, vm);
        }
    }

    private static Map<String, String> baseConfig(int vmid, String name) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("name", name);
        c.put("cores", "2");
        c.put("sockets", "1");
        c.put("memory", "2048");
        c.put("ostype", "l26");
        c.put("agent", "1");
        c.put("scsihw", "virtio-scsi-single");
        c.put("boot", "order=scsi0");
        c.put("net0", "virtio=" + mac(vmid) + ",bridge=" + BRIDGE);
        c.put("scsi0", STORAGE + ":vm-" + vmid + "-disk-0,size=10G");
        c.put("ide2", STORAGE + ":vm-" + vmid + "-cloudinit,media=cdrom");
        return c;
    }

    static String mac(int seed) {
        int r = ThreadLocalRandom.current().nextInt(256);
        return String.format("BC:24:11:%02X:%02X:%02X", (seed >> 8) & 0xff, seed & 0xff, r);
    }

    // ---- settings (fault injection) -------------------------------------------------------

    public void taskDuration(Duration d) {
        taskDurationMillis = d.toMillis();
    }

    public void agentDelay(Duration d) {
        agentDelayMillis = d.toMillis();
    }

    /** How long the simulated HA manager (CRM/LRM) takes to act on a changed requested state. */
    public void haDelay(Duration d) {
        haDelayMillis = d.toMillis();
    }

    public synchronized void lockTimeoutNext(int count) {
        lockTimeouts += count;
    }

    public synchronized void vmidRaceNext(int count) {
        vmidRaces += count;
    }

    public synchronized void failNextTask(String type, int count, String exitstatus) {
        taskFailures.merge(type, count, Integer::sum);
        taskFailureText.put(type, exitstatus);
    }

    public List<String> nodes() {
        return List.copyOf(nodes);
    }

    public boolean hasNode(String node) {
        return nodes.contains(node);
    }

    public synchronized int vmCount() {
        return vms.size();
    }

    public synchronized boolean vmExists(int vmid) {
        return vms.containsKey(vmid);
    }

    /** Adds a guest directly, e.g. to stage a VMID clash. */
    public synchronized void addVm(String node, int vmid, String name, boolean running) {
        Vm vm = new Vm(vmid);
        vm.node = node;
        vm.name = name;
        vm.config.putAll(baseConfig(vmid, name));
        if (running) {
            vm.status = "running";
            vm.bootedAtMillis = System.currentTimeMillis();
        }
        vms.put(vmid, vm);
    }

    public void close() {
        scheduler.shutdownNow();
    }

    // ---- tasks ------------------------------------------------------------------------------

    private Task newTask(String node, String type, String id, String user, long durationMillis) {
        long now = System.currentTimeMillis();
        String upid = String.format("UPID:%s:%08X:%08X:%08X:%s:%s:%s:", node, pid.incrementAndGet(),
                (now / 10) & 0xffffffffL, now / 1000, type, id, user);
        Task t = new Task(upid, node, type, id, user, now / 1000, now + durationMillis);
        Integer pending = taskFailures.get(type);
        if (pending != null && pending > 0) {
            taskFailures.put(type, pending - 1);
            String text = taskFailureText.get(type);
            if (text.startsWith("WARNINGS")) {
                t.log.add("WARN: simulated warning");
            } else {
                t.failure = text;
            }
        }
        tasks.put(upid, t);
        scheduler.schedule(() -> finish(t, null), Math.max(0, durationMillis), TimeUnit.MILLISECONDS);
        return t;
    }

    private long taskMillis() {
        return taskDurationMillis;
    }

    private synchronized void finish(Task t, String forcedExit) {
        if (t.exitstatus != null) {
            return;
        }
        if (forcedExit != null) {
            t.log.add("received interrupt");
            t.log.add("TASK ERROR: " + forcedExit);
            t.exitstatus = forcedExit;
            t.onFailure.run();
            return;
        }
        if (t.failure != null) {
            t.log.add("TASK ERROR: " + t.failure);
            t.exitstatus = t.failure;
            t.onFailure.run();
            return;
        }
        try {
            t.onSuccess.run();
            long warnings = t.log.stream().filter(l -> l.startsWith("WARN:")).count();
            if (warnings > 0) {
                t.log.add("TASK WARNINGS: " + warnings);
                t.exitstatus = "WARNINGS: " + warnings;
            } else {
                t.log.add("TASK OK");
                t.exitstatus = "OK";
            }
        } catch (PveError e) {
            t.log.add("TASK ERROR: " + e.getMessage());
            t.exitstatus = e.getMessage();
            t.onFailure.run();
        }
    }

    private Task task(String node, String upid) {
        Task t = tasks.get(upid);
        if (t == null || !t.node.equals(node)) {
            throw PveError.param("upid", "no such task");
        }
        if (t.exitstatus == null && System.currentTimeMillis() >= t.dueMillis) {
            finish(t, null);
        }
        return t;
    }

    public synchronized Map<String, Object> taskStatus(String node, String upid) {
        Task t = task(node, upid);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("upid", t.upid);
        m.put("node", t.node);
        m.put("pid", Integer.parseInt(t.upid.split(":")[2], 16));
        m.put("pstart", Long.parseLong(t.upid.split(":")[3], 16));
        m.put("starttime", t.startSeconds);
        m.put("type", t.type);
        m.put("id", t.id);
        m.put("user", t.user);
        if (t.exitstatus == null) {
            m.put("status", "running");
        } else {
            m.put("status", "stopped");
            m.put("exitstatus", t.exitstatus);
        }
        return m;
    }

    public synchronized List<Map<String, Object>> taskLog(String node, String upid, int start, int limit) {
        Task t = task(node, upid);
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = start; i < t.log.size() && out.size() < limit; i++) {
            out.add(Map.of("n", i + 1, "t", t.log.get(i)));
        }
        if (out.isEmpty() && t.log.isEmpty() && start == 0) {
            out.add(Map.of("n", 1, "t", "no content"));
        }
        return out;
    }

    public synchronized int taskLogTotal(String node, String upid) {
        return task(node, upid).log.size();
    }

    public synchronized void stopTask(String node, String upid) {
        Task t = task(node, upid);
        if (t.exitstatus == null) {
            finish(t, "interrupted by signal");
        }
    }

    // ---- HA (/cluster/ha/resources) and the simulated HA manager -----------------------------

    /** Puts a guest under HA directly, as a test fixture; the HA manager then acts on {@code state}. */
    public synchronized void haManage(int vmid, String state) {
        if (!vms.containsKey(vmid)) {
            throw new IllegalArgumentException("no VM " + vmid);
        }
        HaResource r = ha.computeIfAbsent(vmid, HaResource::new);
        r.state = normalizeHaState(state);
        scheduleHaManager(r);
    }

    /** The requested HA state of a guest, or null when it is not an HA resource. */
    public synchronized String haState(int vmid) {
        HaResource r = ha.get(vmid);
        return r == null ? null : r.state;
    }

    /** The status ({@code running}/{@code stopped}) of a guest, or null when it does not exist. */
    public synchronized String vmStatus(int vmid) {
        Vm vm = vms.get(vmid);
        return vm == null ? null : vm.status;
    }

    private static String normalizeHaState(String state) {
        return "enabled".equals(state) ? "started" : state;
    }

    /** Parses {@code vm:N}, {@code ct:N} or plain {@code N} (a VM). */
    private int haVmid(String sid) {
        Matcher m = HA_SID.matcher(sid == null ? "" : sid);
        if (!m.matches()) {
            throw PveError.param("sid", "unable to parse HA resource id '" + sid + "'");
        }
        if ("ct".equals(m.group(1))) {
            throw new PveError(500, "no such CT " + m.group(2) + " - this simulator has no containers");
        }
        return Integer.parseInt(m.group(2));
    }

    private Map<String, Object> haView(HaResource r) {
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
        m.put("digest", Integer.toHexString(ha.keySet().hashCode()) + "00000000000000000000000000000000");
        return m;
    }

    public synchronized List<Map<String, Object>> haResources(String type) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (type != null && !"vm".equals(type)) {
            return out;
        }
        for (HaResource r : ha.values()) {
            out.add(haView(r));
        }
        return out;
    }

    public synchronized Map<String, Object> haResource(String sid) {
        int vmid = haVmid(sid);
        HaResource r = ha.get(vmid);
        if (r == null) {
            throw new PveError(500, "no such resource 'vm:" + vmid + "'");
        }
        return haView(r);
    }

    public synchronized void addHaResource(Map<String, String> p) {
        int vmid = haVmid(p.get("sid"));
        if (p.containsKey("type") && !"vm".equals(p.get("type"))) {
            throw PveError.param("type", "resource type '" + p.get("type") + "' does not match the sid");
        }
        if (ha.containsKey(vmid)) {
            throw new PveError(500, "resource ID 'vm:" + vmid + "' already defined");
        }
        Vm vm = vms.get(vmid);
        if (vm == null) {
            throw new PveError(500, "unable to create resource 'vm:" + vmid + "' - no such VM");
        }
        if (vm.template) {
            throw new PveError(500, "unable to create resource 'vm:" + vmid + "' - VM is a template");
        }
        HaResource r = new HaResource(vmid);
        applyHa(r, p);
        ha.put(vmid, r);
        scheduleHaManager(r);
    }

    public synchronized void updateHaResource(String sid, Map<String, String> p) {
        int vmid = haVmid(sid);
        HaResource r = ha.get(vmid);
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
        applyHa(r, p);
        scheduleHaManager(r);
    }

    public synchronized void deleteHaResource(String sid) {
        int vmid = haVmid(sid);
        if (ha.remove(vmid) == null) {
            throw new PveError(500, "cannot delete service 'vm:" + vmid + "', not HA managed!");
        }
    }

    private static void applyHa(HaResource r, Map<String, String> p) {
        if (p.containsKey("state")) {
            r.state = normalizeHaState(p.get("state"));
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
    private void scheduleHaManager(HaResource r) {
        scheduler.schedule(() -> haManagerRound(r.vmid), Math.max(0, haDelayMillis), TimeUnit.MILLISECONDS);
    }

    private synchronized void haManagerRound(int vmid) {
        HaResource r = ha.get(vmid);
        Vm vm = vms.get(vmid);
        if (r == null || vm == null) {
            return;
        }
        if (vm.lock != null) {
            scheduleHaManager(r);
            return;
        }
        switch (r.state) {
            case "started" -> {
                if (!"running".equals(vm.status)) {
                    vm.status = "running";
                    vm.paused = false;
                    vm.bootedAtMillis = System.currentTimeMillis();
                }
            }
            case "stopped", "disabled" -> {
                vm.status = "stopped";
                vm.paused = false;
            }
            default -> {
                // ignored: the HA stack leaves the guest alone
            }
        }
    }

    /** {@code qm start/stop/shutdown} of an HA-managed guest: an instant {@code hastart}/{@code hastop} task. */
    private String haPower(HaResource r, String node, String vmid, String action, String user) {
        boolean start = "start".equals(action);
        r.state = start ? "started" : "stopped";
        Task t = newTask(node, start ? "hastart" : "hastop", vmid, user, 0);
        t.log.add("Requesting HA " + (start ? "start" : "stop") + " for VM " + vmid);
        scheduleHaManager(r);
        return t.upid;
    }

    // ---- inventory ---------------------------------------------------------------------------

    public synchronized List<Map<String, Object>> clusterResources(String type) {
        List<Map<String, Object>> out = new ArrayList<>(vms.size() + nodes.size() * 3);
        if (type == null || "node".equals(type)) {
            for (String n : nodes) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", "node/" + n);
                m.put("type", "node");
                m.put("node", n);
                m.put("status", "online");
                m.put("maxcpu", 32);
                m.put("maxmem", 137_438_953_472L);
                m.put("mem", 34_359_738_368L);
                m.put("cpu", 0.0731);
                m.put("maxdisk", 1_000_000_000_000L);
                m.put("disk", 10_000_000_000L);
                m.put("uptime", 864_000);
                m.put("level", "");
                m.put("cgroup-mode", 2);
                out.add(m);
            }
        }
        if (type == null || "storage".equals(type)) {
            for (String n : nodes) {
                for (String s : List.of("local", STORAGE)) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("id", "storage/" + n + "/" + s);
                    m.put("type", "storage");
                    m.put("storage", s);
                    m.put("node", n);
                    m.put("status", "available");
                    m.put("plugintype", s.equals(STORAGE) ? "lvmthin" : "dir");
                    m.put("content", s.equals(STORAGE) ? "rootdir,images" : "iso,vztmpl,backup");
                    m.put("shared", 0);
                    m.put("maxdisk", 900_000_000_000L);
                    m.put("disk", 100_000_000_000L);
                    out.add(m);
                }
            }
        }
        if (type == null || "vm".equals(type)) {
            long now = System.currentTimeMillis();
            for (Vm vm : vms.values()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", "qemu/" + vm.vmid);
                m.put("type", "qemu");
                m.put("vmid", vm.vmid);
                m.put("name", vm.name);
                m.put("node", vm.node);
                m.put("status", vm.status);
                m.put("template", vm.template ? 1 : 0);
                m.put("maxcpu", intOf(vm.config.get("cores"), 1) * intOf(vm.config.get("sockets"), 1));
                m.put("maxmem", memoryMib(vm) * 1024L * 1024L);
                m.put("maxdisk", diskBytes(vm.config.get("scsi0")));
                m.put("mem", "running".equals(vm.status) ? memoryMib(vm) * 512L * 1024L : 0);
                m.put("cpu", "running".equals(vm.status) ? 0.0123 : 0);
                m.put("uptime", uptime(vm, now));
                m.put("disk", 0);
                m.put("diskread", 0);
                m.put("diskwrite", 0);
                m.put("netin", 0);
                m.put("netout", 0);
                if (vm.lock != null) {
                    m.put("lock", vm.lock);
                }
                HaResource hr = ha.get(vm.vmid);
                if (hr != null) {
                    m.put("hastate", hr.state);
                }
                if (vm.pool != null) {
                    m.put("pool", vm.pool);
                }
                if (vm.config.containsKey("tags")) {
                    m.put("tags", vm.config.get("tags"));
                }
                out.add(m);
            }
        }
        return out;
    }

    private static long uptime(Vm vm, long now) {
        return "running".equals(vm.status) ? Math.max(0, (now - vm.bootedAtMillis) / 1000) : 0;
    }

    private static int intOf(String v, int dflt) {
        if (v == null) {
            return dflt;
        }
        try {
            return Integer.parseInt(v.startsWith("current=") ? v.substring(8) : v.split(",")[0]);
        } catch (NumberFormatException e) {
            return dflt;
        }
    }

    private static long memoryMib(Vm vm) {
        return intOf(vm.config.get("memory"), 512);
    }

    private static long diskBytes(String drive) {
        if (drive == null) {
            return 0;
        }
        for (String part : drive.split(",")) {
            if (part.startsWith("size=")) {
                return sizeBytes(part.substring(5));
            }
        }
        return 0;
    }

    private static long sizeBytes(String s) {
        Matcher m = SIZE.matcher(s);
        if (!m.matches()) {
            return 0;
        }
        double v = Double.parseDouble(m.group(2));
        String unit = m.group(3) == null ? "" : m.group(3);
        long mult = switch (unit) {
            case "K" -> 1L << 10;
            case "M" -> 1L << 20;
            case "G" -> 1L << 30;
            case "T" -> 1L << 40;
            default -> 1L;
        };
        return (long) (v * mult);
    }

    private static String sizeText(long bytes) {
        if (bytes % (1L << 30) == 0) {
            return (bytes >> 30) + "G";
        }
        return (bytes >> 20) + "M";
    }

    public synchronized String nextId(String requested) {
        if (requested != null) {
            int id = Integer.parseInt(requested);
            if (vms.containsKey(id)) {
                throw PveError.param("vmid", "VM " + id + " already exists");
            }
            return requested;
        }
        int id = 100;
        while (vms.containsKey(id)) {
            id++;
        }
        return Integer.toString(id);
    }

    public List<Map<String, Object>> nodeList() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String n : nodes) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("node", n);
            m.put("id", "node/" + n);
            m.put("type", "node");
            m.put("status", "online");
            m.put("maxcpu", 32);
            m.put("maxmem", 137_438_953_472L);
            m.put("mem", 34_359_738_368L);
            m.put("cpu", 0.0731);
            m.put("uptime", 864_000);
            m.put("level", "");
            m.put("ssl_fingerprint", "AA:BB");
            out.add(m);
        }
        return out;
    }

    public List<Map<String, Object>> network(String node, String type) {
        requireNode(node);
        List<Map<String, Object>> out = new ArrayList<>();
        Map<String, Object> bridge = new LinkedHashMap<>();
        bridge.put("iface", BRIDGE);
        bridge.put("type", "bridge");
        bridge.put("active", 1);
        bridge.put("autostart", 1);
        bridge.put("bridge_ports", "eno1");
        bridge.put("bridge_stp", "off");
        bridge.put("bridge_fd", "0");
        bridge.put("method", "static");
        bridge.put("families", List.of("inet"));
        bridge.put("cidr", "192.168.100." + (10 + nodes.indexOf(node)) + "/24");
        bridge.put("priority", 3);
        out.add(bridge);
        Map<String, Object> eth = new LinkedHashMap<>();
        eth.put("iface", "eno1");
        eth.put("type", "eth");
        eth.put("active", 1);
        eth.put("exists", 1);
        eth.put("method", "manual");
        eth.put("families", List.of("inet"));
        eth.put("priority", 2);
        out.add(eth);
        if (type == null || "any".equals(type)) {
            return out;
        }
        String wanted = "any_bridge".equals(type) ? "bridge" : type;
        out.removeIf(m -> !wanted.equals(m.get("type")));
        return out;
    }

    public List<Map<String, Object>> storage(String node) {
        requireNode(node);
        List<Map<String, Object>> out = new ArrayList<>();
        for (String s : List.of("local", STORAGE)) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("storage", s);
            m.put("type", s.equals(STORAGE) ? "lvmthin" : "dir");
            m.put("content", s.equals(STORAGE) ? "rootdir,images" : "iso,vztmpl,backup");
            m.put("active", 1);
            m.put("enabled", 1);
            m.put("shared", 0);
            m.put("total", 900_000_000_000L);
            m.put("used", 100_000_000_000L);
            m.put("avail", 800_000_000_000L);
            m.put("used_fraction", 0.111);
            out.add(m);
        }
        return out;
    }

    public synchronized List<Map<String, Object>> qemuList(String node) {
        requireNode(node);
        List<Map<String, Object>> out = new ArrayList<>();
        long now = System.currentTimeMillis();
        for (Vm vm : vms.values()) {
            if (!vm.node.equals(node)) {
                continue;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("vmid", vm.vmid);
            m.put("name", vm.name);
            m.put("status", vm.status);
            m.put("cpus", intOf(vm.config.get("cores"), 1));
            m.put("maxmem", memoryMib(vm) * 1024L * 1024L);
            m.put("maxdisk", diskBytes(vm.config.get("scsi0")));
            m.put("uptime", uptime(vm, now));
            if (vm.template) {
                m.put("template", 1);
            }
            if (vm.lock != null) {
                m.put("lock", vm.lock);
            }
            out.add(m);
        }
        return out;
    }

    public List<Map<String, Object>> pools() {
        return List.of(Map.of("poolid", POOL, "comment", "DVMM SDK test pool"));
    }

    public List<Map<String, Object>> storageConfig() {
        return List.of(Map.of("storage", "local", "type", "dir", "content", "iso,vztmpl,backup", "path", "/var/lib/vz"),
                Map.of("storage", STORAGE, "type", "lvmthin", "content", "rootdir,images", "thinpool", "data",
                        "vgname", "pve"));
    }

    private void requireNode(String node) {
        if (!nodes.contains(node)) {
            throw new PveError(500, "hostname lookup '" + node + "' failed - failed to get address info for: "
                    + node + ": Name or service not known");
        }
    }

    private Vm vm(String node, String vmidText) {
        requireNode(node);
        int vmid = Integer.parseInt(vmidText);
        Vm vm = vms.get(vmid);
        if (vm == null || !vm.node.equals(node)) {
            throw new PveError(500, "Configuration file 'nodes/" + node + "/qemu-server/" + vmid + ".conf' does not exist");
        }
        return vm;
    }

    private static void checkLock(Vm vm, Map<String, String> p) {
        if (vm.lock != null && !"1".equals(p.get("skiplock"))) {
            throw new PveError(500, "VM is locked (" + vm.lock + ")");
        }
    }

    // ---- guests -------------------------------------------------------------------------------

    public synchronized String cloneVm(String node, String vmidText, Map<String, String> p, String user) {
        Vm src = vm(node, vmidText);
        int newid = Integer.parseInt(p.get("newid"));
        String target = p.getOrDefault("target", node);
        requireNode(target);
        boolean full = p.containsKey("full") ? Boolean.TRUE.equals(PveSchema.parseBoolean(p.get("full"))) : !src.template;
        if (!full && p.containsKey("storage")) {
            throw PveError.param("storage", "parameter 'storage' not allowed for linked clones");
        }
        if (!full && !src.template) {
            throw PveError.param("full", "linked clone only possible for templates");
        }
        if (p.containsKey("storage") && !List.of("local", STORAGE).contains(p.get("storage"))) {
            throw new PveError(500, "storage '" + p.get("storage") + "' does not exist");
        }
        if (p.containsKey("pool") && !POOL.equals(p.get("pool"))) {
            throw new PveError(500, "pool '" + p.get("pool") + "' does not exist");
        }
        if (lockTimeouts > 0) {
            lockTimeouts--;
            throw new PveError(500, "can't lock file '/var/lock/qemu-server/lock-" + newid + ".conf' - got timeout");
        }
        Vm existing = vms.get(newid);
        if (existing != null) {
            throw new PveError(500, "VM " + newid + " already exists on node '" + existing.node + "'");
        }
        if (!src.template && src.lock != null) {
            throw new PveError(500, "VM is locked (" + src.lock + ")");
        }
        Task t = newTask(node, "qmclone", Integer.toString(src.vmid), user, taskMillis());
        if (vmidRaces > 0) {
            vmidRaces--;
            // Another client took the VMID between our check and the worker's config creation.
            String other = nodes.get(nodes.size() - 1);
            addVm(other, newid, "foreign-" + newid, false);
            t.failure = "clone failed: unable to create VM " + newid + ": config file already exists";
            return t.upid;
        }
        Vm vm = new Vm(newid);
        vm.node = target;
        vm.name = p.getOrDefault("name", "Copy-of-VM-" + src.name);
        vm.lock = "clone";
        vm.pool = p.get("pool");
        for (Map.Entry<String, String> e : src.config.entrySet()) {
            String k = e.getKey();
            if (k.equals("template") || k.equals("name")) {
                continue;
            }
            String v = e.getValue();
            if (NET.matcher(k).matches()) {
                v = v.replaceFirst("=([0-9A-Fa-f]{2}:){5}[0-9A-Fa-f]{2}", "=" + mac(newid));
            } else if (k.startsWith("scsi") || k.startsWith("ide") || k.startsWith("virtio") || k.startsWith("sata")) {
                String storage = p.getOrDefault("storage", STORAGE);
                v = v.replaceFirst("^[^:]+:(base|vm)-\\d+-", storage + ":vm-" + newid + "-");
            }
            vm.config.put(k, v);
        }
        vm.config.put("name", vm.name);
        if (p.containsKey("description")) {
            vm.config.put("description", p.get("description"));
        }
        vms.put(newid, vm);
        t.log.add("create " + (full ? "full" : "linked") + " clone of drive scsi0 (" + src.config.get("scsi0").split(",")[0] + ")");
        t.log.add("transferred 10.0 GiB of 10.0 GiB (100.00%)");
        t.onSuccess = () -> vm.lock = null;
        t.onFailure = () -> vms.remove(newid, vm);
        return t.upid;
    }

    public synchronized Map<String, Object> config(String node, String vmid) {
        Vm vm = vm(node, vmid);
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : vm.config.entrySet()) {
            String k = e.getKey();
            if (k.equals("cores") || k.equals("sockets") || k.equals("template")) {
                out.put(k, Integer.parseInt(e.getValue()));
            } else {
                out.put(k, e.getValue());
            }
        }
        if (vm.lock != null) {
            out.put("lock", vm.lock);
        }
        if (vm.parentSnapshot != null) {
            out.put("parent", vm.parentSnapshot);
        }
        out.put("digest", Integer.toHexString(vm.config.hashCode()) + "0000000000000000000000000000000");
        return out;
    }

    /** POST (async) and PUT (sync) config. Returns a UPID, or null when finished synchronously. */
    public synchronized String updateConfig(String node, String vmid, Map<String, String> p, boolean async, String user) {
        Vm vm = vm(node, vmid);
        checkLock(vm, p);
        if (p.containsKey("sshkeys") && !URLENCODED.matcher(p.get("sshkeys")).matches()) {
            throw PveError.param("sshkeys", "invalid urlencoded string: " + p.get("sshkeys"));
        }
        if (p.containsKey("delete")) {
            for (String k : p.get("delete").split("[,;\\s]+")) {
                vm.config.remove(k);
            }
        }
        for (Map.Entry<String, String> e : p.entrySet()) {
            String k = e.getKey();
            if (CONFIG_META.contains(k)) {
                continue;
            }
            String v = e.getValue();
            if (NET.matcher(k).matches()) {
                v = normalizeNet(vm.vmid, v);
            }
            if (k.equals("name")) {
                vm.name = v;
            }
            vm.config.put(k, v);
        }
        if (!async || p.containsKey("background_delay")) {
            return null;
        }
        Task t = newTask(node, "qmconfig", vmid, user, Math.min(taskMillis(), 50));
        return t.upid;
    }

    private static String normalizeNet(int vmid, String v) {
        String[] parts = v.split(",");
        String first = parts[0];
        if (!first.contains("=")) {
            parts[0] = first + "=" + mac(vmid);
        } else if (first.startsWith("model=")) {
            parts[0] = first.substring(6) + "=" + mac(vmid);
        }
        return String.join(",", parts);
    }

    public synchronized String resize(String node, String vmid, Map<String, String> p, String user) {
        Vm vm = vm(node, vmid);
        checkLock(vm, p);
        String disk = p.get("disk");
        String drive = vm.config.get(disk);
        if (drive == null) {
            throw new PveError(500, "disk '" + disk + "' does not exist");
        }
        Matcher m = SIZE.matcher(p.get("size"));
        if (!m.matches()) {
            throw PveError.param("size", "value does not match the regex pattern");
        }
        long current = diskBytes(drive);
        long requested = sizeBytes(m.group(2) + (m.group(3) == null ? "" : m.group(3)));
        long newSize = m.group(1) != null ? current + requested : requested;
        if (newSize < current) {
            throw new PveError(500, "shrinking disks is not supported");
        }
        Task t = newTask(node, "resize", vmid, user, Math.min(taskMillis(), 100));
        t.log.add("  Size of logical volume pve/vm-" + vmid + "-disk-0 changed to " + sizeText(newSize));
        t.onSuccess = () -> vm.config.put(disk, drive.replaceFirst("size=[^,]+", "size=" + sizeText(newSize)));
        return t.upid;
    }

    public synchronized Map<String, Object> statusCurrent(String node, String vmid) {
        Vm vm = vm(node, vmid);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("vmid", vm.vmid);
        m.put("name", vm.name);
        m.put("status", vm.status);
        m.put("qmpstatus", vm.paused ? "paused" : vm.status);
        m.put("cpus", intOf(vm.config.get("cores"), 1) * intOf(vm.config.get("sockets"), 1));
        m.put("maxmem", memoryMib(vm) * 1024L * 1024L);
        m.put("maxdisk", diskBytes(vm.config.get("scsi0")));
        m.put("mem", "running".equals(vm.status) ? memoryMib(vm) * 512L * 1024L : 0);
        m.put("uptime", uptime(vm, System.currentTimeMillis()));
        m.put("cpu", 0);
        HaResource hr = ha.get(vm.vmid);
        if (hr == null) {
            m.put("ha", Map.of("managed", 0));
        } else {
            Map<String, Object> h = new LinkedHashMap<>();
            h.put("managed", 1);
            h.put("state", hr.state);
            if (hr.group != null) {
                h.put("group", hr.group);
            }
            m.put("ha", h);
        }
        if ("1".equals(vm.config.get("agent")) || String.valueOf(vm.config.get("agent")).startsWith("enabled=1")) {
            m.put("agent", 1);
        }
        if ("running".equals(vm.status)) {
            m.put("pid", 4242 + vm.vmid);
            m.put("running-qemu", "9.2.0");
            m.put("running-machine", "pc-i440fx-9.2+pve1");
        }
        if (vm.template) {
            m.put("template", 1);
        }
        if (vm.lock != null) {
            m.put("lock", vm.lock);
        }
        if (vm.config.containsKey("tags")) {
            m.put("tags", vm.config.get("tags"));
        }
        return m;
    }

    public synchronized String power(String node, String vmid, String action, Map<String, String> p, String user) {
        Vm vm = vm(node, vmid);
        checkLock(vm, p);
        if (vm.template && "start".equals(action)) {
            throw new PveError(500, "you can't start a vm if it's a template");
        }
        HaResource hr = ha.get(vm.vmid);
        if (hr != null && hr.managing() && (action.equals("start") || action.equals("stop") || action.equals("shutdown"))) {
            return haPower(hr, node, vmid, action, user);
        }
        String type = "qm" + action;
        Task t = newTask(node, type, vmid, user, taskMillis());
        switch (action) {
            case "start" -> {
                t.log.add("generating cloud-init ISO");
                t.onSuccess = () -> {
                    if ("running".equals(vm.status)) {
                        throw new PveError(500, "VM " + vm.vmid + " already running");
                    }
                    vm.status = "running";
                    vm.paused = false;
                    vm.bootedAtMillis = System.currentTimeMillis();
                };
            }
            case "stop" -> t.onSuccess = () -> {
                vm.status = "stopped";
                vm.paused = false;
            };
            case "shutdown", "reboot", "suspend" -> t.onSuccess = () -> {
                if (!"running".equals(vm.status)) {
                    throw new PveError(500, "VM " + vm.vmid + " not running");
                }
                if (action.equals("shutdown")) {
                    vm.status = "stopped";
                    vm.paused = false;
                } else if (action.equals("reboot")) {
                    vm.bootedAtMillis = System.currentTimeMillis();
                } else {
                    vm.paused = true;
                }
            };
            case "resume" -> t.onSuccess = () -> {
                if (!"running".equals(vm.status)) {
                    throw new PveError(500, "VM " + vm.vmid + " not running");
                }
                vm.paused = false;
            };
            default -> throw new PveError(501, "Method not implemented");
        }
        return t.upid;
    }

    public synchronized Map<String, Object> agentInterfaces(String node, String vmid) {
        Vm vm = vm(node, vmid);
        String agent = vm.config.get("agent");
        if (agent == null || !(agent.equals("1") || agent.startsWith("enabled=1") || agent.startsWith("1,"))) {
            throw new PveError(500, "No QEMU guest agent configured");
        }
        if (!"running".equals(vm.status)) {
            throw new PveError(500, "VM " + vm.vmid + " is not running");
        }
        if (System.currentTimeMillis() - vm.bootedAtMillis < agentDelayMillis) {
            throw new PveError(500, "QEMU guest agent is not running");
        }
        List<Object> result = new ArrayList<>();
        result.add(Map.of("name", "lo", "hardware-address", "00:00:00:00:00:00", "ip-addresses", List.of(
                Map.of("ip-address-type", "ipv4", "ip-address", "127.0.0.1", "prefix", 8),
                Map.of("ip-address-type", "ipv6", "ip-address", "::1", "prefix", 128)),
                "statistics", Map.of("rx-bytes", 1234, "rx-packets", 12, "tx-bytes", 1234, "tx-packets", 12)));
        result.add(Map.of("name", "docker0", "hardware-address", "02:42:ac:11:00:01", "ip-addresses", List.of(
                Map.of("ip-address-type", "ipv4", "ip-address", "172.17.0.1", "prefix", 16))));
        Pattern macPattern = Pattern.compile("=(([0-9A-Fa-f]{2}:){5}[0-9A-Fa-f]{2})");
        Pattern ip4 = Pattern.compile("(?:^|,)ip=([0-9.]+)/(\\d+)");
        Pattern ip6 = Pattern.compile("(?:^|,)ip6=([0-9a-fA-F:]+)/(\\d+)");
        for (int n = 0; n < 32; n++) {
            String net = vm.config.get("net" + n);
            if (net == null) {
                continue;
            }
            Matcher mac = macPattern.matcher(net);
            String hw = mac.find() ? mac.group(1).toLowerCase() : "bc:24:11:00:00:00";
            String ipconfig = vm.config.getOrDefault("ipconfig" + n, "ip=dhcp");
            List<Object> addresses = new ArrayList<>();
            addresses.add(Map.of("ip-address-type", "ipv6", "ip-address", "fe80::be24:11ff:fe00:" + Integer.toHexString(n + 1),
                    "prefix", 64));
            Matcher v4 = ip4.matcher(ipconfig);
            if (v4.find()) {
                addresses.add(Map.of("ip-address-type", "ipv4", "ip-address", v4.group(1), "prefix", Integer.parseInt(v4.group(2))));
            } else if (ipconfig.contains("ip=dhcp") || !ipconfig.contains("ip6=")) {
                String dhcp = "10." + (n + ((vm.vmid >> 16) & 0xff)) % 256 + "." + ((vm.vmid >> 8) & 0xff) + "." + (vm.vmid & 0xff);
                addresses.add(Map.of("ip-address-type", "ipv4", "ip-address", dhcp, "prefix", 24));
            }
            Matcher v6 = ip6.matcher(ipconfig);
            if (v6.find()) {
                addresses.add(Map.of("ip-address-type", "ipv6", "ip-address", v6.group(1), "prefix", Integer.parseInt(v6.group(2))));
            }
            result.add(Map.of("name", "eth" + n, "hardware-address", hw, "ip-addresses", addresses));
        }
        return Map.of("result", result);
    }

    public synchronized List<Map<String, Object>> snapshots(String node, String vmid) {
        Vm vm = vm(node, vmid);
        List<Map<String, Object>> out = new ArrayList<>();
        for (Snapshot s : vm.snapshots.values()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", s.name());
            m.put("description", s.description());
            m.put("snaptime", s.snaptime());
            if (s.parent() != null) {
                m.put("parent", s.parent());
            }
            if (s.vmstate()) {
                m.put("vmstate", 1);
            }
            out.add(m);
        }
        Map<String, Object> current = new LinkedHashMap<>();
        current.put("name", "current");
        current.put("description", "You are here!");
        current.put("digest", "0000");
        current.put("running", "running".equals(vm.status) ? 1 : 0);
        if (vm.parentSnapshot != null) {
            current.put("parent", vm.parentSnapshot);
        }
        out.add(current);
        return out;
    }

    public synchronized String snapshot(String node, String vmid, Map<String, String> p, String user) {
        Vm vm = vm(node, vmid);
        checkLock(vm, p);
        String name = p.get("snapname");
        if (vm.snapshots.containsKey(name) || "current".equals(name)) {
            throw new PveError(500, "snapshot name '" + name + "' already used");
        }
        boolean vmstate = Boolean.TRUE.equals(PveSchema.parseBoolean(p.getOrDefault("vmstate", "0")));
        Snapshot s = new Snapshot(name, p.getOrDefault("description", ""), System.currentTimeMillis() / 1000,
                vm.parentSnapshot, vmstate && "running".equals(vm.status), new LinkedHashMap<>(vm.config), vm.status);
        vm.lock = "snapshot";
        Task t = newTask(node, "qmsnapshot", vmid, user, taskMillis());
        t.log.add("snapshotting 'drive-scsi0' (" + vm.config.get("scsi0").split(",")[0] + ")");
        t.onSuccess = () -> {
            vm.snapshots.put(name, s);
            vm.parentSnapshot = name;
            vm.lock = null;
        };
        t.onFailure = () -> vm.lock = null;
        return t.upid;
    }

    private static Snapshot existingSnapshot(Vm vm, String name) {
        Snapshot s = vm.snapshots.get(name);
        if (s == null) {
            throw new PveError(500, "snapshot '" + name + "' does not exist");
        }
        return s;
    }

    public synchronized String rollback(String node, String vmid, String name, String user) {
        Vm vm = vm(node, vmid);
        checkLock(vm, Map.of());
        Snapshot s = existingSnapshot(vm, name);
        vm.lock = "rollback";
        Task t = newTask(node, "qmrollback", vmid, user, taskMillis());
        t.onSuccess = () -> {
            vm.config.clear();
            vm.config.putAll(s.config());
            vm.name = vm.config.getOrDefault("name", vm.name);
            vm.parentSnapshot = name;
            vm.status = s.vmstate() ? "running" : "stopped";
            vm.lock = null;
        };
        t.onFailure = () -> vm.lock = null;
        return t.upid;
    }

    public synchronized String deleteSnapshot(String node, String vmid, String name, String user) {
        Vm vm = vm(node, vmid);
        checkLock(vm, Map.of());
        Snapshot s = existingSnapshot(vm, name);
        Task t = newTask(node, "qmdelsnapshot", vmid, user, taskMillis());
        t.onSuccess = () -> {
            vm.snapshots.remove(name);
            for (Map.Entry<String, Snapshot> e : vm.snapshots.entrySet()) {
                Snapshot c = e.getValue();
                if (name.equals(c.parent())) {
                    e.setValue(new Snapshot(c.name(), c.description(), c.snaptime(), s.parent(), c.vmstate(), c.config(),
                            c.status()));
                }
            }
            if (name.equals(vm.parentSnapshot)) {
                vm.parentSnapshot = s.parent();
            }
        };
        return t.upid;
    }

    public synchronized String destroy(String node, String vmid, Map<String, String> p, String user) {
        Vm vm = vm(node, vmid);
        checkLock(vm, p);
        if ("running".equals(vm.status)) {
            throw new PveError(500, "VM " + vm.vmid + " is running - destroy failed");
        }
        boolean purge = Boolean.TRUE.equals(PveSchema.parseBoolean(p.getOrDefault("purge", "0")));
        if (ha.containsKey(vm.vmid) && !purge) {
            throw new PveError(500, "unable to remove VM " + vm.vmid + " - used in HA resources and purge parameter not set.");
        }
        vm.lock = "destroyed";
        Task t = newTask(node, "qmdestroy", vmid, user, Math.min(taskMillis(), 200));
        t.log.add("  Logical volume \"vm-" + vmid + "-disk-0\" successfully removed.");
        t.onSuccess = () -> {
            vms.remove(vm.vmid, vm);
            ha.remove(vm.vmid);
        };
        t.onFailure = () -> vm.lock = null;
        return t.upid;
    }
}
