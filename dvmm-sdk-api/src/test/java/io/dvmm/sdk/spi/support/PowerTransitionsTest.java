package io.dvmm.sdk.spi.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dvmm.sdk.BusyException;
import io.dvmm.sdk.ConflictException;
import io.dvmm.sdk.ErrorContext;
import io.dvmm.sdk.HypervisorException;
import io.dvmm.sdk.PowerState;
import io.dvmm.sdk.VmId;
import io.dvmm.sdk.spi.support.PowerTransitions.Action;
import io.dvmm.sdk.spi.support.PowerTransitions.Operation;
import org.junit.jupiter.api.Test;

class PowerTransitionsTest {
    private static final VmId VM = VmId.of("vm-1");
    private static final ErrorContext CTX = ErrorContext.of("t", "op");

    private static Action plan(Operation op, PowerState s) {
        return PowerTransitions.plan(op, s, true, VM, CTX);
    }

    @Test
    void theTableAnswersEveryOperationInEveryState() {
        assertThat(plan(Operation.START, PowerState.POWERED_OFF)).isEqualTo(Action.POWER_ON);
        assertThat(plan(Operation.START, PowerState.POWERED_ON)).isEqualTo(Action.NOTHING);
        assertThat(plan(Operation.START, PowerState.SUSPENDED)).isEqualTo(Action.RESUME);
        assertThat(plan(Operation.STOP, PowerState.POWERED_OFF)).isEqualTo(Action.NOTHING);
        assertThat(plan(Operation.STOP, PowerState.POWERED_ON)).isEqualTo(Action.SHUT_DOWN);
        assertThat(PowerTransitions.plan(Operation.STOP, PowerState.POWERED_ON, false, VM, CTX)).isEqualTo(Action.POWER_OFF);
        assertThat(plan(Operation.STOP, PowerState.SUSPENDED)).isEqualTo(Action.POWER_OFF);
        assertThat(plan(Operation.RESTART, PowerState.POWERED_ON)).isEqualTo(Action.RESTART);
        assertThat(plan(Operation.SUSPEND, PowerState.POWERED_ON)).isEqualTo(Action.SUSPEND);
        assertThat(plan(Operation.SUSPEND, PowerState.SUSPENDED)).isEqualTo(Action.NOTHING);
        assertThat(plan(Operation.RESUME, PowerState.SUSPENDED)).isEqualTo(Action.RESUME);
        assertThat(plan(Operation.RESUME, PowerState.POWERED_ON)).isEqualTo(Action.NOTHING);
        for (Operation op : new Operation[] {Operation.RESTART, Operation.SUSPEND, Operation.RESUME}) {
            assertThatThrownBy(() -> plan(op, PowerState.POWERED_OFF)).isInstanceOf(ConflictException.class)
                    .matches(e -> !((HypervisorException) e).retryable(), "not retryable");
        }
        assertThatThrownBy(() -> plan(Operation.RESTART, PowerState.SUSPENDED)).isInstanceOf(ConflictException.class);
        for (Operation op : Operation.values()) {
            assertThatThrownBy(() -> plan(op, PowerState.UNKNOWN)).isInstanceOf(BusyException.class)
                    .matches(e -> ((HypervisorException) e).retryable(), "retryable");
        }
    }
}
