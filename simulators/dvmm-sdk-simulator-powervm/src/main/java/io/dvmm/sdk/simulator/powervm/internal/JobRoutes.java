package io.dvmm.sdk.simulator.powervm.internal;

import io.dvmm.sdk.simulator.SimResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.w3c.dom.Element;

/**
 * Jobs: {@code GET …/do/<Operation>} returns the {@code JobRequest} template, {@code PUT} with a
 * filled-in {@code JobRequest} starts a job and answers its {@code JobResponse}; the job is read
 * at {@code /rest/api/uom/jobs/{id}}, cancelled at {@code …/cancel} and deleted when done.
 * Operations: {@code PowerOn} and {@code PowerOff} of partitions and VIOSes,
 * {@code LULinkedClone} of clusters.
 */
final class JobRoutes {

    static final String JOBS = SystemRoutes.UOM + "/jobs";
    private static final Set<String> PARTITION_OPS = Set.of("PowerOn", "PowerOff");
    private static final Map<String, Set<String>> CHOICES = Map.of(
            "bootmode", Set.of("norm", "sms", "dd", "ds", "of"),
            "operation", Set.of("osshutdown", "shutdown", "dumprestart"),
            "immediate", Set.of("true", "false"),
            "restart", Set.of("true", "false"),
            "force", Set.of("true", "false"),
            "novsi", Set.of("true", "false"));

    private final Hmc hmc;
    private final Reads reads;
    private final BodyReader bodies;

    JobRoutes(Hmc hmc, Reads reads, BodyReader bodies) {
        this.hmc = hmc;
        this.reads = reads;
        this.bodies = bodies;
    }

    void register(Router r) {
        String uom = SystemRoutes.UOM;
        for (String type : List.of("LogicalPartition", "VirtualIOServer")) {
            for (String base : List.of(uom + "/" + type + "/{target}", uom + "/ManagedSystem/{ms}/" + type + "/{target}")) {
                r.get(base + "/do/{op}", (q, p) -> template(q, type, p));
                r.put(base + "/do/{op}", (q, p) -> submit(q, type, p));
            }
        }
        r.get(uom + "/Cluster/do/{op}", (q, p) -> template(q, "Cluster", p));
        r.get(uom + "/Cluster/{target}/do/{op}", (q, p) -> template(q, "Cluster", p));
        r.put(uom + "/Cluster/{target}/do/{op}", (q, p) -> submit(q, "Cluster", p));
        r.get(JOBS + "/{job}", (q, p) -> job(q, job(p)));
        r.delete(JOBS + "/{job}", (q, p) -> {
            hmc.jobs.delete(job(p));
            return reads.responses().status(204);
        });
        for (String method : List.of("PUT", "POST")) {
            r.add(method, JOBS + "/{job}/cancel", (q, p) -> {
                hmc.jobs.cancel(job(p));
                return reads.responses().status(204);
            }, true, true);
        }
    }

    private static void checkOperation(String type, String op) {
        boolean known = type.equals("Cluster") ? op.equals("LULinkedClone") : PARTITION_OPS.contains(op);
        if (!known) {
            throw HmcError.notFound("operation " + op + " of " + type);
        }
    }

    private UomObject target(String type, Map<String, String> p) {
        return reads.child(type, p.get("target"), p.get("ms"));
    }

    private SimResponse template(HmcRequest req, String type, Map<String, String> p) {
        checkOperation(type, p.get("op"));
        if (p.containsKey("target")) {
            target(type, p);
        }
        Element content = hmc.jobWriter.template(p.get("op"), type);
        String id = UUID.nameUUIDFromBytes((type + "/" + p.get("op")).getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .toString();
        return reads.responses().atom(200, hmc.atom.entry(id, content, req.path() + "/" + UUID.randomUUID()))
                .withHeader("ETag", Integer.toString(id.hashCode()));
    }

    private SimResponse submit(HmcRequest req, String type, Map<String, String> p) {
        String op = p.get("op");
        checkOperation(type, op);
        UomObject target = target(type, p);
        Element body = bodies.read(req, Ns.WEB, "JobRequest");
        String name = Xml.text(body, "RequestedOperation/OperationName");
        String group = Xml.text(body, "RequestedOperation/GroupName");
        if (!op.equals(name) || !type.equals(group)) {
            throw HmcError.badRequest("The JobRequest names " + name + "/" + group + " but was sent to " + op + " of "
                    + type + ".");
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (Element jp : Xml.path(body, "JobParameters").map(e -> Xml.children(e, "JobParameter")).orElse(List.of())) {
            params.put(Xml.text(jp, "ParameterName"), Xml.text(jp, "ParameterValue"));
        }
        JobAction action = switch (op) {
            case "PowerOn" -> hmc.power.powerOn(target);
            case "PowerOff" -> hmc.power.powerOff(target);
            default -> hmc.storagePools.linkedClone(target);
        };
        String requestPath = type + "/" + target.uuid() + "/do/" + op;
        Job job = hmc.jobs.submit(op, type, target.uuid(), requestPath, params, validated(action));
        return job(req, job);
    }

    /** Parameter values the HMC checks before it runs a job (FAILED_BEFORE_COMPLETION otherwise). */
    private static JobAction validated(JobAction action) {
        return new JobAction() {
            @Override
            public JobOutcome start(Job job) {
                for (Map.Entry<String, String> e : job.parameters().entrySet()) {
                    Set<String> allowed = CHOICES.get(e.getKey());
                    if (allowed != null && !allowed.contains(e.getValue())) {
                        return JobOutcome.failedBefore("The value " + e.getValue() + " of job parameter " + e.getKey()
                                + " is not valid; use one of " + allowed + ".");
                    }
                }
                return action.start(job);
            }

            @Override
            public JobOutcome finish(Job job) {
                return action.finish(job);
            }

            @Override
            public void cancelled(Job job) {
                action.cancelled(job);
            }
        };
    }

    private Job job(Map<String, String> p) {
        long id;
        try {
            id = Long.parseLong(p.get("job"));
        } catch (NumberFormatException e) {
            throw HmcError.notFound("job " + p.get("job"));
        }
        return hmc.jobs.get(id).orElseThrow(() -> HmcError.notFound("job " + id));
    }

    private SimResponse job(HmcRequest req, Job job) {
        Element content = hmc.jobWriter.response(job);
        String id = UUID.nameUUIDFromBytes(Long.toString(job.id()).getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .toString();
        String xml = hmc.atom.entry(id, content, JOBS + "/" + job.id());
        return reads.responses().atom(200, xml).withHeader("ETag",
                Integer.toString((job.id() + job.status()).hashCode()));
    }
}
