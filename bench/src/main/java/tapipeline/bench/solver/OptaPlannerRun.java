package tapipeline.bench.solver;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.optaplanner.core.api.score.buildin.hardmediumsoftlong.HardMediumSoftLongScore;
import org.optaplanner.core.api.solver.Solver;
import org.optaplanner.core.api.solver.SolverFactory;
import org.optaplanner.core.config.constructionheuristic.ConstructionHeuristicPhaseConfig;
import org.optaplanner.core.config.heuristic.selector.move.composite.UnionMoveSelectorConfig;
import org.optaplanner.core.config.localsearch.LocalSearchPhaseConfig;
import org.optaplanner.core.config.localsearch.decider.acceptor.LocalSearchAcceptorConfig;
import org.optaplanner.core.config.phase.PhaseConfig;
import org.optaplanner.core.config.phase.custom.CustomPhaseConfig;
import org.optaplanner.core.config.solver.SolverConfig;
import org.optaplanner.core.config.solver.termination.TerminationConfig;
import org.optaplanner.core.impl.solver.DefaultSolver;
import tapipeline.schemas.assignment.AssignmentProblem;
import tapipeline.solver.domain.TaAssignmentSolution;
import tapipeline.solver.search.TaSolverConfig;

/**
 * One OptaPlanner run with the production configuration ({@link TaSolverConfig}, sized by the
 * problem like {@code SolverEngine} does) and a plain time limit, recording every new best
 * solution with its time. The best solution at or before the snapshot time is kept and re-scored.
 */
final class OptaPlannerRun {

    private OptaPlannerRun() {
    }

    /**
     * @param genericMovesOnly the ablation: OptaPlanner's change and swap moves only, without the
     *                         domain's moves (fill by ejection, trades, ejection chains)
     * @param solverSeed       the solver's random seed instead of the problem's (null: the problem's)
     */
    static RunRecord run(Instance instance, int seconds, int snapshotSeconds, boolean genericMovesOnly, Long solverSeed) {
        RunRecord r = new RunRecord();
        r.method = genericMovesOnly ? "OptaPlanner, change and swap moves only (ablation)"
                : solverSeed == null ? "OptaPlanner" : "OptaPlanner, solver seed " + solverSeed;
        r.solverSeed = solverSeed;
        long t0 = System.nanoTime();
        AssignmentProblem problem = instance.problem();
        if (solverSeed != null) {
            problem = problem.withSettings(problem.settings().withRandomSeed(solverSeed));
        }
        TaAssignmentSolution input = instance.solution();
        long pairs = Instance.slotCandidatePairs(input);
        // the production configuration, with the benchmark's time limit instead of the settings'
        // time and unimproved limits, so the score at 10 s and at the end come from one run
        SolverConfig config = TaSolverConfig.create(problem.settings(),
                new TerminationConfig().withSpentLimit(Duration.ofSeconds(seconds)), pairs);
        if (genericMovesOnly) {
            config = ConfigBench.variant(problem.settings(), seconds, pairs, ConfigBench.GENERIC_MOVES_ONLY);
        }
        r.configuration = describe(config);
        Solver<TaAssignmentSolution> solver = SolverFactory.<TaAssignmentSolution>create(config).buildSolver();
        r.modelSize = input.getSlots().size() + " slots, " + pairs + " slot-candidate pairs";
        r.buildMillis = (System.nanoTime() - t0) / 1_000_000;

        long snapshotMillis = snapshotSeconds * 1000L;
        List<TaAssignmentSolution> atSnapshot = new ArrayList<>(1);
        atSnapshot.add(null);
        solver.addEventListener(event -> {
            HardMediumSoftLongScore score = (HardMediumSoftLongScore) event.getNewBestScore();
            long ms = event.getTimeMillisSpent();
            r.timeline.add(new RunRecord.Point(ms, score.toString()));
            if (r.firstFeasibleMillis == null && score.isSolutionInitialized() && score.isFeasible()) {
                r.firstFeasibleMillis = ms;
            }
            if (ms <= snapshotMillis) {
                atSnapshot.set(0, event.getNewBestSolution()); // already a clone made for the event
            }
        });
        long s0 = System.nanoTime();
        TaAssignmentSolution best = solver.solve(input);
        r.solveMillis = (System.nanoTime() - s0) / 1_000_000;
        r.scoreCalculationsPerSecond = ((DefaultSolver<TaAssignmentSolution>) solver).getSolverScope()
                .getScoreCalculationSpeed();
        r.status = "time limit";

        HardMediumSoftLongScore end = Yardstick.score(best);
        r.scoreAtEnd = end.toString();
        r.violationsAtEnd = Yardstick.violations(problem, best);
        TaAssignmentSolution snap = atSnapshot.get(0);
        if (snap == null && r.solveMillis <= snapshotMillis + 500) {
            snap = best;   // a run no longer than the snapshot time: its end is the snapshot
        }
        if (snap != null) {
            r.scoreAtSnapshot = Yardstick.score(snap).toString();
            r.violationsAtSnapshot = Yardstick.violations(problem, snap);
        }
        if (!end.toString().equals(best.getScore().toString())) {
            r.objectiveCheck = "solver's own score " + best.getScore() + " differs from a fresh calculation " + end;
        }
        return r;
    }

    /** The phases of a configuration in words, e.g. "greedy start → first fit decreasing → late acceptance 20". */
    static String describe(SolverConfig config) {
        List<String> parts = new ArrayList<>();
        for (PhaseConfig<?> phase : config.getPhaseConfigList()) {
            if (phase instanceof CustomPhaseConfig) {
                parts.add("greedy start");
            } else if (phase instanceof ConstructionHeuristicPhaseConfig ch) {
                parts.add(String.valueOf(ch.getConstructionHeuristicType()).toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
            } else if (phase instanceof LocalSearchPhaseConfig ls) {
                LocalSearchAcceptorConfig a = ls.getAcceptorConfig();
                String acceptor = a == null ? "default acceptor"
                        : a.getLateAcceptanceSize() != null ? "late acceptance " + a.getLateAcceptanceSize()
                        : a.getEntityTabuSize() != null ? "tabu search (entity tabu " + a.getEntityTabuSize() + ")"
                        : a.getSimulatedAnnealingStartingTemperature() != null
                                ? "simulated annealing (T0 " + a.getSimulatedAnnealingStartingTemperature() + ")"
                        : "acceptor " + a;
                parts.add(acceptor + (ls.getMoveSelectorConfig() instanceof UnionMoveSelectorConfig u
                        && u.getMoveSelectorList().size() > 2 ? " over change, swap, fill-by-ejection, trade and chain moves"
                        : " over change and swap moves"));
            } else {
                parts.add(phase.getClass().getSimpleName());
            }
        }
        return String.join(" → ", parts);
    }
}
