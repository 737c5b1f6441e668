package io.dvmm.sdk.simulator.powervm;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/** The event long-poll: NEW_CLIENT first, 204 when idle, URI events on changes, REST026C when polled wrongly. */
class EventsTest {

    private static final String EVENT = "/rest/api/uom/Event";

    private PowerVmSimulator hmc;
    private HmcClient client;

    @BeforeEach
    void start() {
        hmc = PowerVmSimulator.builder().builtInModel().eventIdleWait(Duration.ofMillis(300))
                .jobDurations(Duration.ofMillis(10), Duration.ofMillis(20)).rmcDelay(Duration.ofMillis(50),
                        Duration.ofMillis(50)).start();
        client = new HmcClient(hmc).logon();
    }

    @AfterEach
    void stop() {
        hmc.close();
    }

    private static List<String[]> events(HmcClient.Answer a) {
        return HmcClient.entries(a.xml()).stream().map(HmcClient::content)
                .map(e -> new String[] {HmcClient.text(e, "EventType"), HmcClient.text(e, "EventData"),
                        HmcClient.text(e, "EventDetail")}).toList();
    }

    @Test
    void theFirstPollIsNewClientThenIdlePollsAre204AfterTheWait() {
        HmcClient.Answer first = client.get(EVENT);
        assertThat(first.status()).isEqualTo(200);
        Element entry = HmcClient.entries(first.xml()).get(0);
        assertThat(HmcClient.child(entry, "content").orElseThrow().getAttribute("type")).isEqualTo(HmcClient.UOM + "Event");
        assertThat(HmcClient.etagElement(entry)).matches("-?\\d+");
        assertThat(events(first)).singleElement().satisfies(e -> assertThat(e[0]).isEqualTo("NEW_CLIENT"));

        long t0 = System.nanoTime();
        HmcClient.Answer idle = client.get(EVENT);
        long waited = (System.nanoTime() - t0) / 1_000_000;
        assertThat(idle.status()).isEqualTo(204);
        assertThat(waited).isGreaterThanOrEqualTo(250);
    }

    @Test
    void changesArriveAsUriEvents() {
        client.get(EVENT);
        String lpar = hmc.lpar("sim-aix").orElseThrow().uuid();
        client.runJob("/rest/api/uom/LogicalPartition/" + lpar + "/do/PowerOn", "PowerOn", "LogicalPartition", Map.of());

        List<String[]> events = events(client.get(EVENT));

        assertThat(events).isNotEmpty().allSatisfy(e -> assertThat(e[0]).isIn("ADD_URI", "MODIFY_URI", "DELETE_URI"));
        assertThat(events).anySatisfy(e -> {
            assertThat(e[0]).isEqualTo("MODIFY_URI");
            assertThat(e[1]).isEqualTo(hmc.url() + "/rest/api/uom/ManagedSystem/" + hmc.managedSystemUuid()
                    + "/LogicalPartition/" + lpar);
            assertThat(e[2]).contains("PartitionState");
        });
        String created = HmcClient.text(client.put("/rest/api/uom/ManagedSystem/" + hmc.managedSystemUuid()
                + "/LogicalPartition", HmcClient.UOM + "LogicalPartition", ProvisioningFlowTest.createBody("vm-ev")).xml(), "id");
        JobsTest.await("the ADD_URI", () -> hmc.pendingEvents().stream().anyMatch(e -> e.type().equals("ADD_URI")));
        assertThat(events(client.get(EVENT))).anySatisfy(e -> {
            assertThat(e[0]).isEqualTo("ADD_URI");
            assertThat(e[1]).endsWith("/LogicalPartition/" + created);
        });
    }

    @Test
    void aSecondPollWhileOneIsOpenGetsRest026c() throws Exception {
        client.get(EVENT);
        hmc.eventIdleWait(Duration.ofSeconds(2));
        CompletableFuture<HmcClient.Answer> open = CompletableFuture.supplyAsync(() -> client.get(EVENT));
        JobsTest.await("the first poll to be open", () -> hmc.requestCount(HmcOperations.EVENTS) >= 2);
        HmcClient.sleep(100);

        HmcClient.Answer second = client.get(EVENT);

        assertThat(second.status()).isEqualTo(500);
        assertThat(HmcClient.text(second.content(), "Message")).startsWith("REST026C");
        hmc.injectEvent("CACHE_CLEARED");
        assertThat(events(open.get())).singleElement().satisfies(e -> assertThat(e[0]).isEqualTo("CACHE_CLEARED"));
    }

    @Test
    void pollingTooOftenGetsRest026c() {
        hmc.eventPollLimit(3, Duration.ofSeconds(10));
        client.get(EVENT);
        hmc.injectEvent("MISSING_EVENTS");
        assertThat(client.get(EVENT).status()).isEqualTo(200);
        hmc.injectEvent("MISSING_EVENTS");
        assertThat(client.get(EVENT).status()).isEqualTo(200);

        HmcClient.Answer tooMany = client.get(EVENT);

        assertThat(tooMany.status()).isEqualTo(500);
        assertThat(HmcClient.text(tooMany.content(), "Message")).contains("REST026C");
    }

    @Test
    void eachSessionAndApplicationIdIsItsOwnListener() {
        HmcClient other = new HmcClient(hmc).logon();
        assertThat(events(client.get(EVENT)).get(0)[0]).isEqualTo("NEW_CLIENT");
        assertThat(events(other.get(EVENT)).get(0)[0]).isEqualTo("NEW_CLIENT");
        assertThat(events(client.get(EVENT + "?QUEUE_CLIENTKEY_METHOD=USE_APPLICATIONID&QUEUE_APPLICATIONID=a1")).get(0)[0])
                .isEqualTo("NEW_CLIENT");
        hmc.injectEvent("CACHE_CLEARED");

        assertThat(events(other.get(EVENT)).get(0)[0]).isEqualTo("CACHE_CLEARED");
        assertThat(hmc.pendingEvents()).hasSize(2);
    }
}
