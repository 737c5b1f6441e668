package io.dvmm.sdk.simulator.powervm.internal;

import io.dvmm.sdk.simulator.SimRequest;
import io.dvmm.sdk.simulator.SimResponse;
import java.util.List;
import java.util.function.Function;

/** The HMC REST API of one simulated HMC: every route, behind one dispatcher. */
public final class HmcApi {

    private final Router router = new Router();
    private final Responses responses;
    private final HmcDispatcher dispatcher;

    public HmcApi(Hmc hmc) {
        this.responses = new Responses(hmc);
        Reads reads = new Reads(hmc, responses);
        BodyReader bodies = new BodyReader(hmc);
        SystemRoutes systems = new SystemRoutes(hmc, reads);
        new LogonRoutes(hmc, responses, bodies).register(router);
        new EventRoutes(hmc, responses).register(router);
        new JobRoutes(hmc, reads, bodies).register(router);
        new NetworkRoutes(hmc, reads, bodies).register(router);
        new PartitionRoutes(hmc, reads, bodies, systems).register(router);
        new ViosRoutes(hmc, reads, bodies, systems).register(router);
        new StorageRoutes(hmc, reads, bodies).register(router);
        new FileRoutes(hmc, reads, bodies).register(router);
        systems.register(router);
        this.dispatcher = new HmcDispatcher(hmc, router, responses);
    }

    public Function<SimRequest, SimResponse> dispatcher() {
        return dispatcher;
    }

    public Responses responses() {
        return responses;
    }

    /** Every route as {@code "METHOD /template"}. */
    public List<String> routes() {
        return router.keys();
    }
}
