package tapipeline.schemas.assignment;

import com.fasterxml.jackson.annotation.JsonInclude;
import tapipeline.schemas.support.Checks;

/**
 * A progress report of a running solve (payload of {@code assignment.run.progress}).
 *
 * @param bestScore best score so far, e.g. {@code 0hard/-40medium/-1200soft}; {@code null} before the
 *                  first solution exists
 * @param feasible  the best solution breaks no hard rule
 * @param assigned   slots filled in the best solution
 * @param unassigned slots still empty in the best solution
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunProgress(
        String runId,
        Phase phase,
        String bestScore,
        boolean feasible,
        long elapsedMs,
        int assigned,
        int unassigned) {

    /** Where the solve is. */
    public enum Phase {
        /** Accepted, waiting for a free solver. */
        QUEUED,
        /** Checking the input and building the model. */
        STARTING,
        /** Construction heuristic: building a first solution. */
        CONSTRUCTION,
        /** Local search: improving the solution. */
        LOCAL_SEARCH,
        /** Solving stopped; explanations and the result are being prepared. */
        FINISHING
    }

    public RunProgress {
        Checks.id(runId, "RunProgress.runId");
        Checks.nonNull(phase, "RunProgress.phase");
        Checks.optionalText(bestScore, "RunProgress.bestScore");
        Checks.atLeast(elapsedMs, 0, "RunProgress.elapsedMs");
        Checks.atLeast(assigned, 0, "RunProgress.assigned");
        Checks.atLeast(unassigned, 0, "RunProgress.unassigned");
    }
}
