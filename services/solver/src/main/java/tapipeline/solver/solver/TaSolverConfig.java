package tapipeline.solver.solver;

import java.time.Duration;
import org.optaplanner.core.api.score.stream.ConstraintStreamImplType;
import org.optaplanner.core.config.constructionheuristic.ConstructionHeuristicPhaseConfig;
import org.optaplanner.core.config.constructionheuristic.ConstructionHeuristicType;
import org.optaplanner.core.config.localsearch.LocalSearchPhaseConfig;
import org.optaplanner.core.config.localsearch.decider.acceptor.LocalSearchAcceptorConfig;
import org.optaplanner.core.config.localsearch.decider.forager.LocalSearchForagerConfig;
import org.optaplanner.core.config.score.director.ScoreDirectorFactoryConfig;
import org.optaplanner.core.config.solver.EnvironmentMode;
import org.optaplanner.core.config.solver.SolverConfig;
import org.optaplanner.core.config.solver.termination.TerminationConfig;
import tapipeline.schemas.assignment.SolverSettings;
import tapipeline.solver.domain.TaAssignmentSolution;
import tapipeline.solver.domain.TaSlot;

/**
 * Builds the solver configuration in code, so the service, the CLI, tests and benchmarks share it.
 *
 * <ul>
 *   <li>Construction: first fit decreasing. Slots go hardest first ({@link
 *       tapipeline.solver.domain.TaSlotDifficultyComparator}); each slot only considers the applicants
 *       no static rule forbids, listed best first.</li>
 *   <li>Local search: late acceptance over change and swap moves (OptaPlanner's default move set).</li>
 *   <li>Reproducible: {@link EnvironmentMode#REPRODUCIBLE} and the settings' seed, so the same input,
 *       seed and step (or score calculation) limit give the same assignment. A time limit stops at a
 *       different step on each run, so time-limited runs can differ.</li>
 * </ul>
 */
public final class TaSolverConfig {

    /** Late acceptance history length; measured as a good size on department-size problems. */
    public static final int LATE_ACCEPTANCE_SIZE = 400;

    private TaSolverConfig() {
    }

    /** The configuration for these settings: time limit, unimproved limit, seed, move threads. */
    public static SolverConfig create(SolverSettings settings) {
        return create(settings, termination(settings));
    }

    /** The configuration with a termination of your own (e.g. a step count for reproducibility tests). */
    public static SolverConfig create(SolverSettings settings, TerminationConfig termination) {
        SolverConfig config = new SolverConfig()
                .withSolutionClass(TaAssignmentSolution.class)
                .withEntityClasses(TaSlot.class)
                .withScoreDirectorFactory(new ScoreDirectorFactoryConfig()
                        .withConstraintProviderClass(TaConstraintProvider.class)
                        .withConstraintStreamImplType(ConstraintStreamImplType.BAVET))
                .withEnvironmentMode(EnvironmentMode.REPRODUCIBLE)
                .withRandomSeed(settings.randomSeed())
                .withTerminationConfig(termination)
                .withPhases(
                        new ConstructionHeuristicPhaseConfig()
                                .withConstructionHeuristicType(ConstructionHeuristicType.FIRST_FIT_DECREASING),
                        new LocalSearchPhaseConfig()
                                .withAcceptorConfig(new LocalSearchAcceptorConfig()
                                        .withLateAcceptanceSize(LATE_ACCEPTANCE_SIZE))
                                .withForagerConfig(new LocalSearchForagerConfig().withAcceptedCountLimit(1)));
        if (settings.moveThreadCount() != null && settings.moveThreadCount() > 1) {
            config.setMoveThreadCount(String.valueOf(settings.moveThreadCount()));
        }
        return config;
    }

    /** Stop at the time limit, or earlier after the unimproved limit (when set). */
    public static TerminationConfig termination(SolverSettings settings) {
        TerminationConfig limit = new TerminationConfig()
                .withSpentLimit(Duration.ofSeconds(settings.timeLimitSeconds()));
        if (settings.unimprovedSecondsLimit() > 0) {
            limit.setUnimprovedSpentLimit(Duration.ofSeconds(settings.unimprovedSecondsLimit()));
        }
        return limit;
    }

    /**
     * Stop after a number of score calculations: unlike a time limit this is deterministic, for tests
     * and benchmarks that compare runs.
     */
    public static TerminationConfig scoreCalculations(long count) {
        return new TerminationConfig().withScoreCalculationCountLimit(count);
    }
}
