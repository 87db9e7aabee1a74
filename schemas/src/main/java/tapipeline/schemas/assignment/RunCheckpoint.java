package tapipeline.schemas.assignment;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import tapipeline.schemas.support.Checks;

/**
 * The best solution so far of a run being solved (payload of the compacted
 * {@code assignment.run.checkpoint}, keyed by runId). A run read again after a stop or a rebalance
 * starts from it, with only the time it has left.
 *
 * @param score       the best score so far, e.g. {@code 0hard/-40medium/-1200soft}; {@code null} if none yet
 * @param solveMs     solving time used so far, over every instance that worked on the run
 * @param assignments the filled slots; slots not listed are empty
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunCheckpoint(String runId, String score, long solveMs, List<SlotAssignment> assignments) {

    public RunCheckpoint {
        Checks.id(runId, "RunCheckpoint.runId");
        Checks.optionalText(score, "RunCheckpoint.score");
        Checks.atLeast(solveMs, 0, "RunCheckpoint.solveMs");
        assignments = Checks.list(assignments, "RunCheckpoint.assignments");
    }
}
