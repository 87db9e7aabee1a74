package tapipeline.solver.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.optaplanner.core.api.score.buildin.hardmediumsoftlong.HardMediumSoftLongScore;
import org.optaplanner.core.api.solver.SolverFactory;
import org.optaplanner.core.config.heuristic.selector.move.factory.MoveIteratorFactoryConfig;
import org.optaplanner.core.config.localsearch.LocalSearchPhaseConfig;
import org.optaplanner.core.config.phase.PhaseConfig;
import org.optaplanner.core.config.solver.EnvironmentMode;
import org.optaplanner.core.config.solver.SolverConfig;
import org.optaplanner.core.config.solver.termination.TerminationConfig;
import tapipeline.schemas.assignment.AssignmentProblem;
import tapipeline.schemas.assignment.SlotAssignment;
import tapipeline.schemas.assignment.SolverSettings;
import tapipeline.solver.check.HardRuleChecker;
import tapipeline.solver.domain.TaAssignmentSolution;
import tapipeline.solver.domain.TaSlot;
import tapipeline.solver.generator.DepartmentGenerator;
import tapipeline.solver.io.ProblemMapper;

/**
 * The custom moves on their own: from the construction's result, a local search made only of one
 * factory's moves must keep every hard rule (by the independent checker), improve the score, and
 * pass OptaPlanner's FULL_ASSERT checks (each move's undo restores the score exactly and the
 * incremental score equals a fresh calculation after every move).
 */
class DomainMovesTest {

    private static final SolverSettings SETTINGS = new SolverSettings(60, 0, 5, null, Map.of());

    @ParameterizedTest
    @ValueSource(classes = {TradeMoveFactory.class, ChainMoveFactory.class})
    void movesAloneImproveTheConstructionAndBreakNoRule(Class<? extends HeldSlotsMoveFactory> factory) {
        AssignmentProblem problem = DepartmentGenerator.generate(15, 45, 5);
        TaAssignmentSolution constructed = solve(problem, null);
        TaAssignmentSolution improved = solve(problem, factory);

        HardMediumSoftLongScore start = constructed.getScore();
        HardMediumSoftLongScore end = improved.getScore();
        assertThat(start.hardScore()).isZero();
        assertThat(end).isGreaterThan(start);
        assertThat(HardRuleChecker.violations(problem, assignment(improved))).isEmpty();
    }

    /** Construction only (factory null), or construction then local search with that factory's moves alone. */
    private static TaAssignmentSolution solve(AssignmentProblem problem, Class<? extends HeldSlotsMoveFactory> factory) {
        TaAssignmentSolution solution = ProblemMapper.toSolution(problem);
        // a move that changes nothing is skipped without a score calculation: the time limit ends a
        // search whose factory finds no doable move, which then fails the test instead of hanging
        TerminationConfig termination = TaSolverConfig.scoreCalculations(4_000).withSpentLimit(Duration.ofSeconds(20));
        SolverConfig config = TaSolverConfig.create(SETTINGS, termination, 0).withEnvironmentMode(EnvironmentMode.FULL_ASSERT);
        List<PhaseConfig> phases = new ArrayList<>(config.getPhaseConfigList());
        LocalSearchPhaseConfig localSearch = (LocalSearchPhaseConfig) phases.remove(phases.size() - 1);
        if (factory != null) {
            phases.add(localSearch.withMoveSelectorConfig(
                    new MoveIteratorFactoryConfig().withMoveIteratorFactoryClass(factory)));
        }
        config.setPhaseConfigList(phases);
        return SolverFactory.<TaAssignmentSolution>create(config).buildSolver().solve(solution);
    }

    private static List<SlotAssignment> assignment(TaAssignmentSolution solution) {
        List<SlotAssignment> list = new ArrayList<>();
        for (TaSlot slot : solution.getSlots()) {
            if (slot.getTa() != null) {
                list.add(new SlotAssignment(slot.getCourse().id(), slot.getSlotIndex(), slot.getTa().id()));
            }
        }
        return list;
    }
}
