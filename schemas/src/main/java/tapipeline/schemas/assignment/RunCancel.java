package tapipeline.schemas.assignment;

import tapipeline.schemas.support.Checks;

/** Asks the solver to stop a run early and report its best solution (payload of {@code assignment.run.cancel}). */
public record RunCancel(String runId, String reason, String requestedBy) {

    public RunCancel {
        Checks.id(runId, "RunCancel.runId");
        Checks.text(reason, "RunCancel.reason");
        Checks.text(requestedBy, "RunCancel.requestedBy");
    }
}
