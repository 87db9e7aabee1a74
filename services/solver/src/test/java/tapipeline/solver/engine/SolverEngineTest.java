package tapipeline.solver.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import tapipeline.schemas.assignment.AssignmentProblem;
import tapipeline.schemas.assignment.Pin;
import tapipeline.schemas.assignment.RunCompleted;
import tapipeline.schemas.assignment.RunProgress;
import tapipeline.schemas.assignment.SlotAssignment;
import tapipeline.schemas.assignment.SolverSettings;
import tapipeline.solver.check.HardRuleChecker;
import tapipeline.solver.generator.DepartmentGenerator;
import tapipeline.solver.search.TaSolverConfig;

class SolverEngineTest {

    private static SolverSettings quick(long seed) {
        return new SolverSettings(3, 1, seed, null, Map.of());
    }

    static List<SlotAssignment> filled(RunCompleted result) {
        List<SlotAssignment> out = new ArrayList<>();
        result.assignments().stream().filter(a -> a.applicantId() != null)
                .forEach(a -> out.add(new SlotAssignment(a.courseId(), a.slotIndex(), a.applicantId())));
        return out;
    }

    @Test
    void smallGeneratedDepartmentSolvesWithNoHardViolationByTheIndependentChecker() {
        AssignmentProblem problem = DepartmentGenerator.generate(30, 90, 7).withSettings(quick(7));
        List<RunProgress> progress = new CopyOnWriteArrayList<>();

        RunCompleted result = new SolverEngine().solve(problem, progress::add, CancellationToken.none());

        assertThat(result.status()).isEqualTo(RunCompleted.Status.SOLVED);
        assertThat(result.score()).startsWith("0hard/");
        assertThat(HardRuleChecker.violations(problem, filled(result))).isEmpty();
        assertThat(result.assignments()).hasSize(problem.courses().stream().mapToInt(c -> c.slots()).sum());
        assertThat(result.assignments()).allSatisfy(a -> assertThat(a.explanation().summary()).isNotBlank());
        assertThat(result.scoreBreakdown()).extracting(RunCompleted.ConstraintScore::constraint)
                .contains("Unfilled slot", "TA preference", "No overlapping meetings");
        assertThat(progress).extracting(RunProgress::phase).containsSubsequence(RunProgress.Phase.STARTING,
                RunProgress.Phase.CONSTRUCTION, RunProgress.Phase.LOCAL_SEARCH, RunProgress.Phase.FINISHING);
        System.out.println("score " + result.score() + " in " + result.solveMs() + " ms, progress " + progress.size());
    }

    @Test
    void solvesWithSeveralMoveThreads() {
        AssignmentProblem problem = DepartmentGenerator.generate(20, 60, 13)
                .withSettings(new SolverSettings(2, 0, 13, 2, Map.of()));

        RunCompleted result = new SolverEngine().solve(problem);

        assertThat(result.status()).isEqualTo(RunCompleted.Status.SOLVED);
        assertThat(HardRuleChecker.violations(problem, filled(result))).isEmpty();
    }

    @Test
    void sameInputAndSeedGiveTheSameAssignment() {
        // a time limit far beyond the work limit: the work, not the clock, ends both runs (the time limit
        // covers the whole run, so on a loaded machine a short one could end them first)
        AssignmentProblem problem = DepartmentGenerator.generate(25, 70, 11)
                .withSettings(new SolverSettings(120, 0, 11, null, Map.of()));
        SolverEngine engine = new SolverEngine((p, pairs) -> TaSolverConfig.create(p.settings(),
                TaSolverConfig.scoreCalculations(30_000), pairs));

        RunCompleted first = engine.solve(problem);
        RunCompleted second = engine.solve(problem);

        assertThat(first.status()).isEqualTo(RunCompleted.Status.SOLVED);
        assertThat(filled(second)).isEqualTo(filled(first));
        assertThat(second.score()).isEqualTo(first.score());
    }
}
