package tapipeline.schemas.assignment;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;
import tapipeline.schemas.support.Checks;

/**
 * A completed run in a few fields (payload of the compacted {@code assignment.run.status}, keyed by
 * runId): what a solver needs to know at start, and where the full {@code assignment.run.completed}
 * event is.
 *
 * @param completedPartition partition of {@code assignment.run.completed} holding the full result
 * @param completedOffset    its offset there
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunStatus(
        String runId,
        RunCompleted.Status status,
        String score,
        int assigned,
        int unassigned,
        int problems,
        long solveMs,
        Instant completedAt,
        int completedPartition,
        long completedOffset) {

    public RunStatus {
        Checks.id(runId, "RunStatus.runId");
        Checks.nonNull(status, "RunStatus.status");
        Checks.optionalText(score, "RunStatus.score");
        Checks.atLeast(assigned, 0, "RunStatus.assigned");
        Checks.atLeast(unassigned, 0, "RunStatus.unassigned");
        Checks.atLeast(problems, 0, "RunStatus.problems");
        Checks.atLeast(solveMs, 0, "RunStatus.solveMs");
        Checks.nonNull(completedAt, "RunStatus.completedAt");
        Checks.atLeast(completedPartition, 0, "RunStatus.completedPartition");
        Checks.atLeast(completedOffset, 0L, "RunStatus.completedOffset");
    }

    /** The status of a completed run whose full event is at this partition and offset. */
    public static RunStatus of(RunCompleted done, Instant completedAt, int partition, long offset) {
        int assigned = (int) done.assignments().stream().filter(a -> a.applicantId() != null).count();
        return new RunStatus(done.runId(), done.status(), done.score(), assigned, done.unassigned().size(),
                done.problems().size(), done.solveMs(), completedAt, partition, offset);
    }
}
