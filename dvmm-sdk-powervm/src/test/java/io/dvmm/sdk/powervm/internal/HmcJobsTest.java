package io.dvmm.sdk.powervm.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dvmm.sdk.BusyException;
import io.dvmm.sdk.ConflictException;
import io.dvmm.sdk.ErrorContext;
import io.dvmm.sdk.OperationFailedException;
import io.dvmm.sdk.ResourceExhaustedException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** How a job's end is read: which HSCL results count as done, and which exception the others become. */
class HmcJobsTest {
    private static final ErrorContext CTX = ErrorContext.of("powervm", "startVm");

    private static HmcObjects.JobResponse ended(String status, String result) {
        return new HmcObjects.JobResponse("42", status, new HmcObjects.JobResults(List.of(
                new HmcObjects.JobParameter("returnCode", "1"), new HmcObjects.JobParameter("result", result))), null, null);
    }

    @Test
    void alreadyOnAndAlreadyOffCountAsDoneWhereTheCallerSaysSo() {
        HmcObjects.JobResponse on = ended("COMPLETED_WITH_ERROR", "HSCL3681 The partition vm-1 is already powered on.");
        assertThat(HmcJobs.outcome(on, "42", "PowerOn of X", Set.of(HmcErrors.ALREADY_ON), CTX)).isSameAs(on);
        HmcObjects.JobResponse off = ended("COMPLETED_WITH_ERROR", "HSCL1558 The partition vm-1 is already powered off.");
        assertThat(HmcJobs.outcome(off, "42", "PowerOff of X", Set.of(HmcErrors.ALREADY_OFF), CTX)).isSameAs(off);
        assertThatThrownBy(() -> HmcJobs.outcome(off, "42", "PowerOff of X", Set.of(), CTX))
                .isInstanceOf(OperationFailedException.class);
        HmcObjects.JobResponse ok = ended("COMPLETED_OK", "0");
        assertThat(HmcJobs.outcome(ok, "42", "PowerOn of X", Set.of(), CTX)).isSameAs(ok);
        assertThat(HmcJobs.outcome(ended("COMPLETED_WITH_WARNINGS", "note"), "42", "x", Set.of(), CTX)).isNotNull();
    }

    @Test
    void otherFailuresAreTypedByTheirText() {
        assertThatThrownBy(() -> HmcJobs.outcome(ended("COMPLETED_WITH_ERROR", "HSCL05DF The partition is not in a state "
                + "under which this operation can be performed."), "42", "PowerOff of X", Set.of(), CTX))
                .isInstanceOf(ConflictException.class).hasMessageContaining("job 42");
        assertThatThrownBy(() -> HmcJobs.outcome(ended("COMPLETED_WITH_ERROR", "HSCL0DB4 The operating system shutdown "
                + "cannot be performed"), "42", "PowerOff of X", Set.of(), CTX))
                .isInstanceOfSatisfying(OperationFailedException.class, e -> assertThat(e.serverCode()).contains("HSCL0DB4"));
        assertThatThrownBy(() -> HmcJobs.outcome(ended("FAILED_BEFORE_COMPLETION", "HSCL3205 The Virtual I/O Server is busy"),
                "42", "LULinkedClone", Set.of(), CTX)).isInstanceOf(BusyException.class);
        assertThatThrownBy(() -> HmcJobs.outcome(ended("COMPLETED_WITH_ERROR", "The partition vm cannot be activated: it needs "
                + "4096 MB"), "42", "PowerOn", Set.of(), CTX)).isInstanceOf(ResourceExhaustedException.class);
        HmcObjects.JobResponse noResult = new HmcObjects.JobResponse("43", "FAILED_BEFORE_COMPLETION", null, null,
                new HmcObjects.ResponseException("The job parameter bootmode is not valid"));
        assertThatThrownBy(() -> HmcJobs.outcome(noResult, "43", "PowerOn", Set.of(), CTX))
                .hasMessageContaining("bootmode is not valid");
    }
}
