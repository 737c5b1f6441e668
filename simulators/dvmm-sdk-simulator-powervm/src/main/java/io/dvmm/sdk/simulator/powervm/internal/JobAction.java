package io.dvmm.sdk.simulator.powervm.internal;

/**
 * What a job does to the model. Each step runs under the model lock on the {@link Clock}.
 */
public interface JobAction {

    /** When the job starts running: null to go on, or the outcome that ends it at once (e.g. HSCL3681). */
    JobOutcome start(Job job);

    /** When the run time is over: the final outcome. */
    JobOutcome finish(Job job);

    /** The job was cancelled while running: undo what {@link #start} did. */
    default void cancelled(Job job) {
    }
}
