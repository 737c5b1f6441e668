package io.dvmm.sdk.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FaultPlanTest {

    private static SimRequest request(String method, String target) {
        return SimRequest.of(method, target, Map.of("Authorization", List.of("PVEAPIToken=root@pam!x=secret"),
                "Cookie", List.of("PVEAuthCookie=ticket"), "Accept", List.of("application/json")), new byte[0], 1, 0, true);
    }

    @Test
    void aRuleFiresItsNumberOfTimesThenIsGone() {
        FaultPlan plan = new FaultPlan().add(FaultRule.onOperation("POST /clone").times(2).then(Fault.reset()));
        SimRequest r = request("POST", "/api2/json/nodes/pve1/qemu/9000/clone");
        assertThat(plan.match(r, "GET /config").isNone()).isTrue();
        assertThat(plan.match(r, "POST /clone").kind()).isEqualTo(Fault.Kind.RESET);
        assertThat(plan.match(r, "POST /clone").requestApplied()).as("reset: the answer was lost").isTrue();
        assertThat(plan.match(r, "POST /clone").isNone()).isTrue();
        assertThat(plan.rules()).isEmpty();
        assertThat(plan.injected()).hasSize(2).allSatisfy(i -> assertThat(i.operation()).isEqualTo("POST /clone"));
    }

    @Test
    void rulesMatchMethodAndPathPatterns() {
        FaultPlan plan = new FaultPlan().add(FaultRule.onRequest("post", "/api2/json/nodes/*/qemu/*/clone").always()
                .then(Fault.status(596, "Connection timed out")));
        assertThat(plan.match(request("POST", "/api2/json/nodes/pve1/qemu/9000/clone?x=1"), null).status()).isEqualTo(596);
        assertThat(plan.match(request("GET", "/api2/json/nodes/pve1/qemu/9000/clone"), null).isNone()).isTrue();
        assertThat(plan.match(request("POST", "/api2/json/nodes/pve1/qemu/9000/sub/clone"), null).isNone()).isTrue();
        FaultPlan deep = new FaultPlan().add(FaultRule.onRequest("*", "/api2/**").always().then(Fault.noAnswer()));
        assertThat(deep.match(request("DELETE", "/api2/json/a/b/c"), null).kind()).isEqualTo(Fault.Kind.NO_ANSWER);
        assertThat(FaultRule.onAnyRequest().then(Fault.truncatedBody()).matches(request("GET", "/"), null)).isTrue();
    }

    @Test
    void probabilitiesAreSeededAndRepeatable() {
        List<Boolean> first = draws(42);
        assertThat(draws(42)).isEqualTo(first);
        long hits = first.stream().filter(b -> b).count();
        assertThat(hits).isBetween(60L, 140L); // 10 % of 1,000
    }

    private static List<Boolean> draws(long seed) {
        FaultPlan plan = new FaultPlan(seed).add(FaultRule.onAnyRequest().always().withProbability(0.1).then(Fault.malformedBody()));
        List<Boolean> out = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            out.add(!plan.match(request("GET", "/x"), null).isNone());
        }
        return out;
    }

    @Test
    void whetherTheRequestTakesEffectIsExplicit() {
        assertThat(Fault.reset().notApplied().requestApplied()).isFalse();
        assertThat(Fault.noAnswer().requestApplied()).isTrue();
        assertThat(Fault.status(503, "busy").requestApplied()).isFalse();
        assertThat(Fault.status(596, "Connection timed out").applied().requestApplied()).isTrue();
        assertThatThrownBy(() -> Fault.delay(java.time.Duration.ofSeconds(1)).notApplied()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> Fault.reset().retryAfter(java.time.Duration.ofSeconds(1))).isInstanceOf(IllegalStateException.class);
        assertThat(Fault.reset().notApplied().toString()).isEqualTo("reset (request not applied)");
    }

    @Test
    void theRequestLogRedactsCredentialsAndCountsExactly() {
        RequestLog log = new RequestLog(2, Set.of("X-Secret"));
        log.record(request("GET", "/a?x=1"), "GET /a");
        log.record(request("GET", "/a"), "GET /a");
        log.record(request("POST", "/b").withBody("password=hunter2".getBytes()), null);
        assertThat(log.count("GET /a")).isEqualTo(2);
        assertThat(log.counts()).containsExactly(Map.entry("GET /a", 2L));
        assertThat(log.total()).isEqualTo(3);
        List<RequestLog.Entry> kept = log.snapshot();
        assertThat(kept).hasSize(2).extracting(RequestLog.Entry::method).containsExactly("GET", "POST");
        assertThat(kept.get(0).headers().get("authorization")).containsExactly(RequestLog.REDACTED);
        assertThat(kept.get(0).headers().get("cookie")).containsExactly(RequestLog.REDACTED);
        assertThat(kept.get(0).headers().get("accept")).containsExactly("application/json");
        assertThat(kept.toString()).doesNotContain("secret").doesNotContain("ticket");
        log.reset();
        assertThat(log.total()).isZero();
        assertThat(log.snapshot()).isEmpty();
    }

    @Test
    void violationsFailTheTestThatAssertsNone() {
        Violations v = new Violations("the PVE API schema");
        v.assertNone();
        v.add("POST /x: {colour=unknown}");
        assertThatThrownBy(v::assertNone).isInstanceOf(AssertionError.class)
                .hasMessage("1 request(s) violated the PVE API schema: [POST /x: {colour=unknown}]");
        v.clear();
        assertThat(v.isEmpty()).isTrue();
    }
}
