package io.dvmm.sdk.spi.support;

import io.dvmm.sdk.BusyException;
import io.dvmm.sdk.ConflictException;
import io.dvmm.sdk.ErrorContext;
import io.dvmm.sdk.HypervisorException;
import io.dvmm.sdk.PowerState;
import io.dvmm.sdk.VmId;

/**
 * The one answer every provider gives to each power operation in each state (the table in
 * {@link io.dvmm.sdk.Hypervisor}'s documentation):
 *
 * <table>
 *   <caption>power operation by current state</caption>
 *   <tr><th></th><th>powered off</th><th>powered on</th><th>suspended</th><th>unknown / in transition</th></tr>
 *   <tr><td>start</td><td>power on</td><td>nothing</td><td>resume</td><td>busy</td></tr>
 *   <tr><td>stop</td><td>nothing</td><td>shut down or power off</td><td>power off</td><td>busy</td></tr>
 *   <tr><td>restart</td><td>conflict</td><td>restart</td><td>conflict</td><td>busy</td></tr>
 *   <tr><td>suspend</td><td>conflict</td><td>suspend</td><td>nothing</td><td>busy</td></tr>
 *   <tr><td>resume</td><td>conflict</td><td>nothing</td><td>resume</td><td>busy</td></tr>
 * </table>
 *
 * <p>"Conflict" is {@link ConflictException} (not retryable: the state will not change by
 * itself); "busy" is {@link BusyException} (retryable: the VM is between states).
 */
public final class PowerTransitions {
    private PowerTransitions() {
    }

    /** The power operations of the API. */
    public enum Operation {
        /** {@code startVm}. */
        START("startVm"),
        /** {@code stopVm}. */
        STOP("stopVm"),
        /** {@code restartVm}. */
        RESTART("restartVm"),
        /** {@code suspendVm}. */
        SUSPEND("suspendVm"),
        /** {@code resumeVm}. */
        RESUME("resumeVm");

        private final String method;

        Operation(String method) {
            this.method = method;
        }

        /** @return the API method's name */
        public String method() {
            return method;
        }
    }

    /** What a provider does for an operation in a state. */
    public enum Action {
        /** The VM is already where the operation leads: answer with it as it is. */
        NOTHING,
        /** Power the VM on. */
        POWER_ON,
        /** Resume a suspended VM. */
        RESUME,
        /** Ask the guest to shut down (then power off if the stop spec says so). */
        SHUT_DOWN,
        /** Cut the power. */
        POWER_OFF,
        /** Restart the running VM. */
        RESTART,
        /** Suspend the running VM. */
        SUSPEND
    }

    /**
     * @param op the operation
     * @param state the VM's current state
     * @param graceful for {@link Operation#STOP}: whether the stop spec asks the guest first
     * @param vm the VM, for the error
     * @param context provider and operation, for the error
     * @return what to do
     * @throws HypervisorException {@link ConflictException} or {@link BusyException} as the table says
     */
    public static Action plan(Operation op, PowerState state, boolean graceful, VmId vm, ErrorContext context) {
        if (state == PowerState.UNKNOWN) {
            throw new BusyException("VM " + vm + " is between power states (or its state is unknown); "
                    + op.method() + " can run once it settles", context);
        }
        return switch (op) {
            case START -> switch (state) {
                case POWERED_OFF -> Action.POWER_ON;
                case SUSPENDED -> Action.RESUME;
                default -> Action.NOTHING;
            };
            case STOP -> switch (state) {
                case POWERED_ON -> graceful ? Action.SHUT_DOWN : Action.POWER_OFF;
                case SUSPENDED -> Action.POWER_OFF;
                default -> Action.NOTHING;
            };
            case RESTART -> state == PowerState.POWERED_ON ? Action.RESTART : conflict(op, state, PowerState.POWERED_ON, vm, context);
            case SUSPEND -> switch (state) {
                case POWERED_ON -> Action.SUSPEND;
                case SUSPENDED -> Action.NOTHING;
                default -> conflict(op, state, PowerState.POWERED_ON, vm, context);
            };
            case RESUME -> switch (state) {
                case SUSPENDED -> Action.RESUME;
                case POWERED_ON -> Action.NOTHING;
                default -> conflict(op, state, PowerState.SUSPENDED, vm, context);
            };
        };
    }

    private static Action conflict(Operation op, PowerState state, PowerState needed, VmId vm, ErrorContext context) {
        throw new ConflictException("VM " + vm + " is " + describe(state) + "; " + op.method() + " needs it "
                + describe(needed), context);
    }

    private static String describe(PowerState s) {
        return switch (s) {
            case POWERED_ON -> "powered on";
            case POWERED_OFF -> "powered off";
            case SUSPENDED -> "suspended";
            case UNKNOWN -> "in an unknown state";
        };
    }
}
