package tapipeline.bench.solver;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.optaplanner.core.api.score.buildin.hardmediumsoftlong.HardMediumSoftLongScore;
import org.optaplanner.core.api.solver.SolutionManager;
import org.optaplanner.core.api.solver.SolutionUpdatePolicy;
import org.optaplanner.core.api.solver.SolverFactory;
import tapipeline.schemas.assignment.AssignmentProblem;
import tapipeline.schemas.assignment.SlotAssignment;
import tapipeline.schemas.assignment.SolverSettings;
import tapipeline.solver.check.HardRuleChecker;
import tapipeline.solver.domain.TaAssignmentSolution;
import tapipeline.solver.domain.TaSlot;
import tapipeline.solver.search.TaSolverConfig;

/**
 * One yardstick for every method: OptaPlanner's own score calculator (the production constraint
 * provider through {@link SolutionManager}), plus the solver module's independent
 * {@link HardRuleChecker} on the raw problem records.
 */
final class Yardstick {

    private static final SolutionManager<TaAssignmentSolution, HardMediumSoftLongScore> MANAGER =
            SolutionManager.create(SolverFactory.create(TaSolverConfig.create(SolverSettings.defaults())));

    private Yardstick() {
    }

    /** The production score of an assignment, computed from scratch. */
    static HardMediumSoftLongScore score(TaAssignmentSolution solution) {
        return MANAGER.update(solution, SolutionUpdatePolicy.UPDATE_SCORE_ONLY);
    }

    static List<SlotAssignment> assignment(TaAssignmentSolution solution) {
        List<SlotAssignment> list = new ArrayList<>();
        for (TaSlot slot : solution.getSlots()) {
            if (slot.getTa() != null) {
                list.add(new SlotAssignment(slot.getCourse().id(), slot.getSlotIndex(), slot.getTa().id()));
            }
        }
        return list;
    }

    /** Broken hard rules according to the independent checker (empty = feasible). */
    static List<String> violations(AssignmentProblem problem, TaAssignmentSolution solution) {
        return HardRuleChecker.violations(problem, assignment(solution));
    }

    static HardMediumSoftLongScore parse(String score) {
        return score == null ? null : HardMediumSoftLongScore.parseScore(score);
    }

    /**
     * The gap of a feasible score to a reference (an optimum or a bound), lexicographic like the score:
     * when the medium level falls short, the shortfall on that level (points and percent); when it is
     * equal, the soft gap in percent of the reference's soft level. Negative when the score beats a
     * reference that is not a bound.
     */
    static String gap(HardMediumSoftLongScore score, HardMediumSoftLongScore ref) {
        if (score == null || ref == null) {
            return "–";
        }
        if (!score.isFeasible()) {
            return "infeasible";
        }
        if (score.mediumScore() != ref.mediumScore()) {
            long d = ref.mediumScore() - score.mediumScore();
            String pct = ref.mediumScore() == 0 ? "" : String.format(Locale.ROOT, " (%.1f%%)",
                    100.0 * d / Math.abs(ref.mediumScore()));
            return (d > 0 ? "medium −" + d : "medium +" + (-d)) + pct;
        }
        return String.format(Locale.ROOT, "%.2f%%", softGapPercent(score, ref));
    }

    /** Soft gap in percent (meaningful when the medium levels are equal). */
    static double softGapPercent(HardMediumSoftLongScore score, HardMediumSoftLongScore ref) {
        return 100.0 * (ref.softScore() - score.softScore()) / Math.max(1, Math.abs(ref.softScore()));
    }
}
