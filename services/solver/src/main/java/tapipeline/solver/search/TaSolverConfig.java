package tapipeline.solver.search;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.optaplanner.core.api.score.stream.ConstraintStreamImplType;
import org.optaplanner.core.config.constructionheuristic.ConstructionHeuristicPhaseConfig;
import org.optaplanner.core.config.constructionheuristic.ConstructionHeuristicType;
import org.optaplanner.core.config.heuristic.selector.move.composite.UnionMoveSelectorConfig;
import org.optaplanner.core.config.heuristic.selector.move.factory.MoveIteratorFactoryConfig;
import org.optaplanner.core.config.heuristic.selector.move.generic.ChangeMoveSelectorConfig;
import org.optaplanner.core.config.heuristic.selector.move.generic.SwapMoveSelectorConfig;
import org.optaplanner.core.config.phase.PhaseConfig;
import org.optaplanner.core.config.phase.custom.CustomPhaseConfig;
import org.optaplanner.core.config.localsearch.LocalSearchPhaseConfig;
import org.optaplanner.core.config.localsearch.decider.acceptor.LocalSearchAcceptorConfig;
import org.optaplanner.core.config.localsearch.decider.forager.LocalSearchForagerConfig;
import org.optaplanner.core.config.score.director.ScoreDirectorFactoryConfig;
import org.optaplanner.core.config.solver.EnvironmentMode;
import org.optaplanner.core.config.solver.SolverConfig;
import org.optaplanner.core.config.solver.termination.TerminationConfig;
import tapipeline.schemas.assignment.SolverSettings;
import tapipeline.solver.constraints.TaConstraintProvider;
import tapipeline.solver.domain.TaAssignmentSolution;
import tapipeline.solver.domain.TaSlot;

/**
 * Builds the solver configuration in code, so the service, the CLI, tests and benchmarks share it.
 *
 * <ul>
 *   <li>Construction: a greedy start ({@link GreedyConstruction}), then, on problems up to
 *       {@link #FIRST_FIT_UP_TO_PAIRS}, OptaPlanner's first fit decreasing for the slots still empty.
 *       Slots go hardest first ({@link tapipeline.solver.domain.TaSlotDifficultyComparator}); each
 *       slot only considers the applicants no static rule forbids, listed best first.</li>
 *   <li>Local search: late acceptance over OptaPlanner's change and swap moves plus three moves of
 *       this domain ({@link #moves()}): fill by ejection, trades of equal hours between two TAs, and
 *       ejection chains. History 50 for a department of about 60 courses, 20 for a few hundred
 *       courses, 400 for a whole university ({@link #lateAcceptanceSize(long)}).</li>
 *   <li>Reproducible: {@link EnvironmentMode#REPRODUCIBLE} and the settings' seed, so the same input,
 *       seed and score calculation limit ({@code settings.scoreCalculationLimit}) give the same
 *       assignment. A time limit stops at a different step on each run, so runs that end on time can
 *       differ.</li>
 * </ul>
 */
public final class TaSolverConfig {

    /**
     * Late acceptance history length up to {@link #FIRST_FIT_UP_TO_PAIRS} (a 60-course department has
     * about 20,000 pairs). With the custom moves, 10 s runs
     * at 60 courses over four solver seeds: 50 ended 0.54–1.41 % above the optimum's soft level; 30,
     * 70 and 100 were no better, 5 slightly worse, 200 clearly worse (3.8–4.3 %); simulated annealing
     * and step counting hill climbing came no closer (bench/results/solver-notes.md).
     */
    public static final int LATE_ACCEPTANCE_SIZE = 50;
    /**
     * Late acceptance history length between {@link #FIRST_FIT_UP_TO_PAIRS} and {@link #LARGE_ABOVE_PAIRS}
     * (a 300-course department has about 0.5 million pairs): there OptaPlanner's benchmarker ranked 20
     * well ahead of 50 and 400 after 20 s (bench/results/solver-configs.md).
     */
    public static final int LATE_ACCEPTANCE_SIZE_MEDIUM = 20;
    /**
     * Late acceptance history length above {@link #LARGE_ABOVE_PAIRS}: at 1,500 courses a short history
     * left slots empty that 400 filled (2.5 million score calculations each).
     */
    public static final int LATE_ACCEPTANCE_SIZE_LARGE = 400;
    /** Above this many (slot, candidate) pairs a problem counts as large (a 300-course department has about 0.5 million). */
    public static final long LARGE_ABOVE_PAIRS = 1_000_000L;

    private TaSolverConfig() {
    }

    /**
     * Up to this many (slot, candidate) pairs, first fit decreasing runs after the greedy start to
     * weigh every candidate of the slots still empty; above it, that would take too long and local
     * search takes over straight away.
     */
    public static final long FIRST_FIT_UP_TO_PAIRS = 200_000L;

    /** The configuration for a problem of this size: settings' time limits, seed, move threads. */
    public static SolverConfig create(SolverSettings settings, long slotCandidatePairs) {
        return create(settings, termination(settings), slotCandidatePairs);
    }

    /** The configuration for a small problem (construction weighs every candidate). */
    public static SolverConfig create(SolverSettings settings) {
        return create(settings, termination(settings), 0);
    }

    /** The configuration with a termination of your own (e.g. a score calculation count for reproducibility tests). */
    public static SolverConfig create(SolverSettings settings, TerminationConfig termination) {
        return create(settings, termination, 0);
    }

    /**
     * The configuration with a termination of your own.
     *
     * @param slotCandidatePairs the sum over slots of their candidate counts; see {@link #FIRST_FIT_UP_TO_PAIRS}
     */
    public static SolverConfig create(SolverSettings settings, TerminationConfig termination, long slotCandidatePairs) {
        List<PhaseConfig> phases = new ArrayList<>();
        phases.add(new CustomPhaseConfig().withCustomPhaseCommandClassList(List.of(GreedyConstruction.class)));
        if (slotCandidatePairs <= FIRST_FIT_UP_TO_PAIRS) {
            // weighs every candidate of the slots the greedy start left empty
            phases.add(new ConstructionHeuristicPhaseConfig()
                    .withConstructionHeuristicType(ConstructionHeuristicType.FIRST_FIT_DECREASING));
        }
        phases.add(new LocalSearchPhaseConfig()
                .withMoveSelectorConfig(moves())
                .withAcceptorConfig(new LocalSearchAcceptorConfig().withLateAcceptanceSize(
                        lateAcceptanceSize(slotCandidatePairs)))
                .withForagerConfig(new LocalSearchForagerConfig().withAcceptedCountLimit(1)));
        SolverConfig config = new SolverConfig()
                .withSolutionClass(TaAssignmentSolution.class)
                .withEntityClasses(TaSlot.class)
                .withScoreDirectorFactory(new ScoreDirectorFactoryConfig()
                        .withConstraintProviderClass(TaConstraintProvider.class)
                        .withConstraintStreamImplType(ConstraintStreamImplType.BAVET))
                .withEnvironmentMode(EnvironmentMode.REPRODUCIBLE)
                .withRandomSeed(settings.randomSeed())
                .withTerminationConfig(termination)
                .withPhaseList(phases);
        if (settings.moveThreadCount() != null && settings.moveThreadCount() > 1) {
            config.setMoveThreadCount(String.valueOf(settings.moveThreadCount()));
        }
        return config;
    }

    /**
     * The configuration with its greedy start bounded by {@code construction}: the custom phases that
     * name {@link GreedyConstruction} by class get an instance that stops when the time box is over.
     * Changes and returns {@code config}.
     */
    public static SolverConfig withConstructionTimeBox(SolverConfig config, TimeBox construction) {
        for (PhaseConfig<?> phase : config.getPhaseConfigList()) {
            if (phase instanceof CustomPhaseConfig custom && custom.getCustomPhaseCommandClassList() != null
                    && custom.getCustomPhaseCommandClassList().contains(GreedyConstruction.class)) {
                List<org.optaplanner.core.impl.phase.custom.CustomPhaseCommand> commands = new ArrayList<>();
                for (Class<?> type : custom.getCustomPhaseCommandClassList()) {
                    if (type != GreedyConstruction.class) {
                        throw new IllegalArgumentException("a custom phase mixes the greedy start with " + type);
                    }
                    commands.add(new GreedyConstruction(construction));
                }
                custom.setCustomPhaseCommandClassList(null);
                custom.setCustomPhaseCommandList(commands);
            }
        }
        return config;
    }

    /** The late acceptance history for a problem of this many slot-candidate pairs. */
    public static int lateAcceptanceSize(long slotCandidatePairs) {
        return slotCandidatePairs > LARGE_ABOVE_PAIRS ? LATE_ACCEPTANCE_SIZE_LARGE
                : slotCandidatePairs > FIRST_FIT_UP_TO_PAIRS ? LATE_ACCEPTANCE_SIZE_MEDIUM : LATE_ACCEPTANCE_SIZE;
    }

    /**
     * OptaPlanner's change and swap moves, plus three of this domain's: fill by ejection
     * ({@link EjectionMoves}), trades of equal hours between two TAs ({@link TradeMoveFactory}) and
     * ejection chains ({@link ChainMoveFactory}). Picked at random, each as often as the others
     * ({@link EjectionMoves.Weight}).
     */
    public static UnionMoveSelectorConfig moves() {
        return new UnionMoveSelectorConfig()
                .withSelectorProbabilityWeightFactoryClass(EjectionMoves.Weight.class)
                .withMoveSelectors(
                        new ChangeMoveSelectorConfig(),
                        new SwapMoveSelectorConfig(),
                        EjectionMoves.selector(),
                        new MoveIteratorFactoryConfig().withMoveIteratorFactoryClass(TradeMoveFactory.class),
                        new MoveIteratorFactoryConfig().withMoveIteratorFactoryClass(ChainMoveFactory.class));
    }

    /**
     * Stop at the time limit, or earlier after the unimproved limit or the score calculation limit
     * (when set), whichever comes first.
     */
    public static TerminationConfig termination(SolverSettings settings) {
        TerminationConfig limit = new TerminationConfig()
                .withSpentLimit(Duration.ofSeconds(settings.timeLimitSeconds()));
        if (settings.unimprovedSecondsLimit() > 0) {
            limit.setUnimprovedSpentLimit(Duration.ofSeconds(settings.unimprovedSecondsLimit()));
        }
        if (settings.scoreCalculationLimit() != null) {
            limit.setScoreCalculationCountLimit(settings.scoreCalculationLimit());
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
