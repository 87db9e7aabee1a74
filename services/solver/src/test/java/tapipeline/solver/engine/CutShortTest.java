package tapipeline.solver.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.optaplanner.core.api.solver.SolverFactory;
import org.optaplanner.core.config.solver.SolverConfig;
import org.optaplanner.core.config.solver.termination.TerminationConfig;
import tapipeline.schemas.assignment.AssignmentProblem;
import tapipeline.schemas.assignment.RunCompleted;
import tapipeline.schemas.assignment.SolverSettings;
import tapipeline.solver.domain.TaAssignmentSolution;
import tapipeline.solver.domain.TaSlot;
import tapipeline.solver.explain.Explainer;
import tapipeline.solver.generator.DepartmentGenerator;
import tapipeline.solver.io.ProblemMapper;
import tapipeline.solver.search.TaSolverConfig;
import tapipeline.solver.search.TimeBox;

/**
 * The stages that can be cut short stop when their time is over and say what they left undone:
 * construction leaves the rest of the slots empty, explanations give the rest of the slots a short
 * note. Their time boxes are set already over here, so nothing depends on the machine's speed.
 */
class CutShortTest {

    private static final AssignmentProblem PROBLEM = DepartmentGenerator.generate(40, 120, 4);

    @Test
    void constructionWhoseTimeIsOverFillsNothingAndSaysSo() {
        TimeBox over = TimeBox.until(System.nanoTime() - 1);
        SolverConfig config = TaSolverConfig.withConstructionTimeBox(
                TaSolverConfig.create(PROBLEM.settings(), new TerminationConfig().withSpentLimit(Duration.ofSeconds(60))), over);
        config.setPhaseConfigList(List.of(config.getPhaseConfigList().get(0)));   // the greedy start only

        TaAssignmentSolution solved = SolverFactory.<TaAssignmentSolution>create(config).buildSolver()
                .solve(ProblemMapper.toSolution(PROBLEM));

        assertThat(solved.getSlots()).allSatisfy(s -> assertThat(s.getTa()).isNull());
        assertThat(over.cut()).startsWith("construction: the greedy start reached 0 of the");

        TimeBox plenty = TimeBox.until(System.nanoTime() + 60_000_000_000L);
        SolverConfig unhurried = TaSolverConfig.withConstructionTimeBox(
                TaSolverConfig.create(PROBLEM.settings(), new TerminationConfig().withSpentLimit(Duration.ofSeconds(60))), plenty);
        unhurried.setPhaseConfigList(List.of(unhurried.getPhaseConfigList().get(0)));
        TaAssignmentSolution built = SolverFactory.<TaAssignmentSolution>create(unhurried).buildSolver()
                .solve(ProblemMapper.toSolution(PROBLEM));
        assertThat(built.getSlots()).anySatisfy(s -> assertThat(s.getTa()).isNotNull());
        assertThat(plenty.cut()).isNull();
    }

    @Test
    void explanationsWhoseTimeIsOverGiveEverySlotAShortNote() {
        RunCompleted solved = new SolverEngine().solve(PROBLEM.withSettings(new SolverSettings(2, 0, 4, null, Map.of())));
        TaAssignmentSolution solution = ProblemMapper.toSolution(PROBLEM);
        int i = 0;
        for (TaSlot slot : solution.getSlots()) {
            RunCompleted.Assignment a = solved.assignments().get(i++);
            slot.setTa(a.applicantId() == null ? null
                    : solution.getApplicants().stream().filter(x -> x.id().equals(a.applicantId())).findFirst().orElseThrow());
        }

        Explainer explainer = new Explainer(solution).until(System.nanoTime() - 1);
        List<RunCompleted.Assignment> assignments = explainer.assignments();
        List<RunCompleted.UnassignedSlot> unassigned = explainer.unassigned();

        assertThat(assignments).hasSize(solution.getSlots().size())
                .allSatisfy(a -> assertThat(a.explanation().summary()).contains(Explainer.LEFT_OUT));
        assertThat(explainer.leftOutCount()).isEqualTo(solution.getSlots().size());
        assertThat(unassigned).allSatisfy(u -> assertThat(u.summary()).contains(Explainer.LEFT_OUT));
        assertThat(explainer.scoreBreakdown()).isEmpty();

        Explainer unhurried = new Explainer(solution).until(System.nanoTime() + 60_000_000_000L);
        assertThat(unhurried.assignments()).noneSatisfy(a -> assertThat(a.explanation().summary()).contains(Explainer.LEFT_OUT));
        assertThat(unhurried.leftOutCount()).isZero();
    }
}
