package io.dvmm.sdk.simulator.powervm.internal;

import java.util.Map;
import org.w3c.dom.Element;

/**
 * The web-namespace documents of jobs, in the element order of the captures
 * ({@code job_response_completed_ok.xml}, {@code cluster_LULinkedClone_job_template.xml}):
 * the {@code JobRequest} template a GET on {@code do/<Op>} returns, and the {@code JobResponse}
 * of a submitted job.
 */
public final class JobWriter {

    private final ContentFactory factory;
    private final ContentEditor editor;

    public JobWriter(ContentFactory factory, ContentEditor editor) {
        this.factory = factory;
        this.editor = editor;
    }

    /** The template: the operation and group, and no parameters. */
    public Element template(String operation, String group) {
        Element root = factory.root("JobRequest", Ns.WEB, "V1_0");
        emptyMetadata(root);
        requestBody(root, operation, group, Map.of());
        return root;
    }

    public Element response(Job job) {
        Element root = factory.root("JobResponse", Ns.WEB, "V1_0");
        emptyMetadata(root);
        Element url = add(root, "RequestURL", null);
        url.setAttribute("href", job.requestPath());
        url.setAttribute("rel", "via");
        url.setAttribute("title", "The URL to which the JobRequest was submitted.");
        add(root, "TargetUuid", job.targetUuid());
        add(root, "JobID", Long.toString(job.id()));
        add(root, "TimeStarted", Long.toString(job.started()));
        add(root, "TimeCompleted", Long.toString(job.completed()));
        add(root, "Status", job.status());
        Element instance = complex(root, "JobRequestInstance");
        requestBody(instance, job.operation(), job.group(), job.parameters());
        Element progress = complex(root, "Progress");
        Element tasks = complex(progress, "CompletedTasks");
        message(tasks, "Started", "STARTED", job.started() > 0);
        message(tasks, "Complete", "COMPLETE", job.done());
        Element results = complex(root, "Results");
        for (String[] r : job.results()) {
            parameter(results, r[0], r[1]);
        }
        return root;
    }

    private void message(Element tasks, String text, String key, boolean reached) {
        if (!reached) {
            return;
        }
        Element m = complex(tasks, "NLSMessage");
        m.removeAttribute("kb");
        m.removeAttribute("kxe");
        add(m, "UntranslatedMessage", text);
        add(m, "MessageKey", key);
    }

    private void requestBody(Element parent, String operation, String group, Map<String, String> parameters) {
        Element op = complex(parent, "RequestedOperation");
        add(op, "OperationName", operation);
        add(op, "GroupName", group);
        Element params = complex(parent, "JobParameters");
        parameters.forEach((k, v) -> parameter(params, k, v));
    }

    private void parameter(Element parent, String name, String value) {
        Element p = complex(parent, "JobParameter");
        p.removeAttribute("kb");
        p.removeAttribute("kxe");
        add(p, "ParameterName", name);
        add(p, "ParameterValue", value);
    }

    private void emptyMetadata(Element root) {
        Element md = root.getOwnerDocument().createElementNS(Ns.WEB, "Metadata");
        md.appendChild(root.getOwnerDocument().createElementNS(Ns.WEB, "Atom"));
        root.appendChild(md);
    }

    private Element complex(Element parent, String name) {
        Element e = editor.createComplex(parent, name, "V1_0");
        parent.appendChild(e);
        return e;
    }

    private Element add(Element parent, String name, String text) {
        Element e = editor.create(parent, name);
        if (text != null) {
            e.setTextContent(text);
        }
        parent.appendChild(e);
        return e;
    }
}
