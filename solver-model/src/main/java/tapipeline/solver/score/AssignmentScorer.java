package tapipeline.solver.score;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.optaplanner.core.api.score.ScoreExplanation;
import org.optaplanner.core.api.score.buildin.hardmediumsoftlong.HardMediumSoftLongScore;
import org.optaplanner.core.api.score.stream.ConstraintStreamImplType;
import org.optaplanner.core.api.solver.SolutionManager;
import org.optaplanner.core.api.solver.SolverFactory;
import org.optaplanner.core.config.score.director.ScoreDirectorFactoryConfig;
import org.optaplanner.core.config.solver.SolverConfig;
import tapipeline.schemas.assignment.AssignmentProblem;
import tapipeline.schemas.assignment.RunCompleted.ConstraintScore;
import tapipeline.schemas.assignment.SlotAssignment;
import tapipeline.solver.check.HardRuleChecker;
import tapipeline.solver.explain.Explainer;
import tapipeline.solver.constraints.TaConstraintProvider;
import tapipeline.solver.domain.TaApplicant;
import tapipeline.solver.domain.TaAssignmentSolution;
import tapipeline.solver.domain.TaSlot;
import tapipeline.solver.io.ProblemMapper;

/**
 * Scores a given assignment of a problem with the solver's own constraints, without searching: what
 * a coordinator's manual change does to the score, constraint by constraint, and which hard rules it
 * breaks. The same {@link TaConstraintProvider}, weights ({@code settings.constraintWeights}) and
 * {@link Explainer} as a solved run, so the numbers match the run's result.
 */
public final class AssignmentScorer {

    private static final SolverFactory<TaAssignmentSolution> FACTORY = SolverFactory.create(new SolverConfig()
            .withSolutionClass(TaAssignmentSolution.class)
            .withEntityClasses(TaSlot.class)
            .withScoreDirectorFactory(new ScoreDirectorFactoryConfig()
                    .withConstraintProviderClass(TaConstraintProvider.class)
                    .withConstraintStreamImplType(ConstraintStreamImplType.BAVET)));

    private AssignmentScorer() {
    }

    /**
     * An assignment's score and what makes it up.
     *
     * @param score          e.g. {@code -1hard/-40medium/-1200soft}
     * @param breakdown      every constraint's share, in the documented order
     * @param hardViolations every broken hard rule in words (by the independent {@link HardRuleChecker})
     * @param explainer      per-slot explanations of this assignment
     */
    public record Scored(HardMediumSoftLongScore score, List<ConstraintScore> breakdown, List<String> hardViolations,
                         Explainer explainer) {
        public boolean feasible() {
            return score.hardScore() == 0;
        }
    }

    /**
     * Scores {@code assignment} (filled slots; a slot not listed is empty) on {@code problem}. Pinned
     * slots take the value the assignment gives them. Throws {@link IllegalArgumentException} naming a
     * course, slot or applicant the problem does not have.
     */
    public static Scored score(AssignmentProblem problem, List<SlotAssignment> assignment) {
        TaAssignmentSolution solution = ProblemMapper.toSolution(problem);
        Map<String, TaApplicant> applicants = new HashMap<>();
        solution.getApplicants().forEach(a -> applicants.put(a.id(), a));
        Map<String, TaSlot> slots = new HashMap<>();
        for (TaSlot slot : solution.getSlots()) {
            slots.put(slot.getId(), slot);
            slot.setTa(null);
        }
        for (SlotAssignment a : assignment) {
            TaSlot slot = slots.get(a.courseId() + "#" + a.slotIndex());
            if (slot == null) {
                throw new IllegalArgumentException("no slot " + a.slotIndex() + " of course " + a.courseId());
            }
            TaApplicant ta = applicants.get(a.applicantId());
            if (ta == null) {
                throw new IllegalArgumentException("no applicant " + a.applicantId());
            }
            slot.setTa(ta);
        }
        SolutionManager<TaAssignmentSolution, HardMediumSoftLongScore> manager = SolutionManager.create(FACTORY);
        ScoreExplanation<TaAssignmentSolution, HardMediumSoftLongScore> explanation = manager.explain(solution);
        Explainer explainer = new Explainer(solution, explanation);
        return new Scored(explanation.getScore(), explainer.scoreBreakdown(),
                HardRuleChecker.violations(problem, assignment), explainer);
    }
}
