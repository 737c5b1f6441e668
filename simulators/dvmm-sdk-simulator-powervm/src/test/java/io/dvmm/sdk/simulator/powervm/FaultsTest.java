package io.dvmm.sdk.simulator.powervm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dvmm.sdk.simulator.Fault;
import io.dvmm.sdk.simulator.FaultRule;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/** VIOS-busy answers per operation and the core's generic faults, keyed by the same operation keys. */
class FaultsTest {

    private PowerVmSimulator hmc;
    private HmcClient client;

    @BeforeEach
    void start() {
        hmc = PowerVmSimulator.builder().builtInModel().start();
        client = new HmcClient(hmc).logon();
    }

    @AfterEach
    void stop() {
        hmc.close();
    }

    @Test
    void viosBusyAnswersInEachShapeAndThenRecovers() {
        String vios = "/rest/api/uom/VirtualIOServer/" + hmc.vioses().get(0).uuid();
        hmc.viosBusy(HmcOperations.VIOS, 1, PowerVmSimulator.Busy.HSCL3205)
                .viosBusy(HmcOperations.VIOS, 1, PowerVmSimulator.Busy.VIOS0014)
                .viosBusy(HmcOperations.VIOS, 1, PowerVmSimulator.Busy.BUSY_MESSAGE)
                .viosBusy(HmcOperations.VIOS, 1, PowerVmSimulator.Busy.HTTP_503);

        HmcClient.Answer a = client.get(vios);
        assertThat(a.status()).isEqualTo(500);
        Element error = a.content();
        assertThat(HmcClient.name(error)).isEqualTo("HttpErrorResponse");
        assertThat(HmcClient.text(error, "Message")).startsWith("HSCL3205");
        assertThat(HmcClient.text(client.get(vios).content(), "Message")).startsWith("VIOS0014");
        assertThat(HmcClient.text(client.get(vios).content(), "Message")).contains("is busy processing some other request");
        assertThat(client.get(vios).status()).isEqualTo(503);
        assertThat(client.get(vios).status()).isEqualTo(200);
        assertThat(hmc.requestCount(HmcOperations.VIOS)).isEqualTo(5);
    }

    @Test
    void aLostAnswerAfterTheCreateWasAppliedLeavesTheLpar() {
        hmc.faults().add(FaultRule.onOperation(HmcOperations.LPAR_CREATE).times(1).then(Fault.reset()));
        String feed = "/rest/api/uom/ManagedSystem/" + hmc.managedSystemUuid() + "/LogicalPartition";

        assertThatThrownBy(() -> client.put(feed, HmcClient.UOM + "LogicalPartition", ProvisioningFlowTest.createBody("vm-lost")))
                .isInstanceOf(IllegalStateException.class);

        assertThat(hmc.lpar("vm-lost")).isPresent();
        assertThat(hmc.faults().injected()).hasSize(1);
    }

    @Test
    void aStatusFaultIsNotAppliedAndCarriesTheHmcErrorBody() {
        hmc.faults().add(FaultRule.onOperation(HmcOperations.LPAR_CREATE).times(1).then(Fault.status(503,
                "Service Unavailable")));
        String feed = "/rest/api/uom/ManagedSystem/" + hmc.managedSystemUuid() + "/LogicalPartition";

        HmcClient.Answer a = client.put(feed, HmcClient.UOM + "LogicalPartition", ProvisioningFlowTest.createBody("vm-503"));

        assertThat(a.status()).isEqualTo(503);
        assertThat(HmcClient.name(a.content())).isEqualTo("HttpErrorResponse");
        assertThat(hmc.lpar("vm-503")).isEmpty();
    }

    @Test
    void aTruncatedFeedCannotBeParsed() {
        hmc.faults().add(FaultRule.onOperation(HmcOperations.LPAR_FEED).times(1).then(Fault.truncatedBody()));

        assertThatThrownBy(() -> client.get("/rest/api/uom/ManagedSystem/" + hmc.managedSystemUuid() + "/LogicalPartition"))
                .isInstanceOf(IllegalStateException.class);
        assertThat(client.get("/rest/api/uom/ManagedSystem/" + hmc.managedSystemUuid() + "/LogicalPartition").status())
                .isEqualTo(200);
    }
}
