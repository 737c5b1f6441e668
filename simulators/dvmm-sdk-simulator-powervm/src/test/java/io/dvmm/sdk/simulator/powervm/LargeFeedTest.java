package io.dvmm.sdk.simulator.powervm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A thousand LPARs are listed in one request, whatever the seed. */
class LargeFeedTest {

    @Test
    void aThousandLparFeedIsOneRequest() {
        try (PowerVmSimulator hmc = PowerVmSimulator.builder().builtInModel().start()) {
            long t0 = System.nanoTime();
            List<String> added = hmc.addLpars(1000, "bulk");
            long seedMs = (System.nanoTime() - t0) / 1_000_000;
            HmcClient client = new HmcClient(hmc).logon();
            hmc.resetCounters();

            HmcClient.Answer feed = client.get("/rest/api/uom/ManagedSystem/" + hmc.managedSystemUuid() + "/LogicalPartition");

            assertThat(added).hasSize(1000).doesNotHaveDuplicates();
            assertThat(HmcClient.entries(feed.xml())).hasSizeGreaterThanOrEqualTo(1000);
            assertThat(hmc.requestCount(HmcOperations.LPAR_FEED)).isEqualTo(1);
            assertThat(hmc.totalRequests()).isEqualTo(1);
            assertThat(seedMs).as("seeding 1,000 LPARs (ms)").isLessThan(60_000);
            System.out.println("seeded 1000 LPARs in " + seedMs + " ms; feed " + feed.body().length() + " chars");
            assertThat(client.get("/rest/api/uom/ManagedSystem/" + hmc.managedSystemUuid()
                    + "/LogicalPartition/quick/All", "*/*").body()).contains("\"bulk-1000\"");
        }
    }
}
