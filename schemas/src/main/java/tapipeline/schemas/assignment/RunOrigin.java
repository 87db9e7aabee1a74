package tapipeline.schemas.assignment;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import tapipeline.schemas.support.Checks;

/**
 * Why a run was requested, when it is not an ordinary run of the term's data (v3 of
 * {@code assignment.run.requested}; {@code null} on an ordinary run or re-solve).
 *
 * @param kind          {@link Kind#PROPOSAL}: a minimal-change re-solve after offers were declined or
 *                      expired, for the coordinator to approve; {@link Kind#WHAT_IF}: a solve of a named
 *                      scenario, never approvable
 * @param scenarioId    for WHAT_IF: the scenario's id (key of {@code coordinator.scenarios}); else null
 * @param approvedRunId for PROPOSAL: the approved run the proposal changes; else null
 * @param offerIds      for PROPOSAL: the declined or expired offers that freed the slots
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunOrigin(Kind kind, String scenarioId, String approvedRunId, List<String> offerIds) {

    public enum Kind {
        PROPOSAL, WHAT_IF
    }

    public RunOrigin {
        Checks.nonNull(kind, "RunOrigin.kind");
        Checks.optionalId(scenarioId, "RunOrigin.scenarioId");
        Checks.optionalId(approvedRunId, "RunOrigin.approvedRunId");
        offerIds = Checks.ids(offerIds, "RunOrigin.offerIds");
        if (kind == Kind.WHAT_IF && scenarioId == null) {
            throw new IllegalArgumentException("RunOrigin.scenarioId is required for a WHAT_IF run");
        }
        if (kind == Kind.PROPOSAL && approvedRunId == null) {
            throw new IllegalArgumentException("RunOrigin.approvedRunId is required for a PROPOSAL run");
        }
    }

    public static RunOrigin proposal(String approvedRunId, List<String> offerIds) {
        return new RunOrigin(Kind.PROPOSAL, null, approvedRunId, offerIds);
    }

    public static RunOrigin whatIf(String scenarioId) {
        return new RunOrigin(Kind.WHAT_IF, scenarioId, null, List.of());
    }
}
