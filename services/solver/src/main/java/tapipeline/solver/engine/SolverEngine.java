package tapipeline.solver.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import org.optaplanner.core.api.score.ScoreExplanation;
import org.optaplanner.core.api.score.buildin.hardmediumsoftlong.HardMediumSoftLongScore;
import org.optaplanner.core.api.solver.SolutionManager;
import org.optaplanner.core.api.solver.Solver;
import org.optaplanner.core.api.solver.SolverFactory;
import org.optaplanner.core.config.solver.SolverConfig;
import org.optaplanner.core.config.solver.termination.TerminationConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tapipeline.schemas.assignment.AssignmentProblem;
import tapipeline.schemas.assignment.RunCompleted;
import tapipeline.schemas.assignment.RunCompleted.Problem;
import tapipeline.schemas.assignment.RunCheckpoint;
import tapipeline.schemas.assignment.RunProgress;
import tapipeline.schemas.assignment.SlotAssignment;
import tapipeline.solver.check.ProblemValidator;
import tapipeline.solver.domain.TaApplicant;
import tapipeline.solver.domain.TaAssignmentSolution;
import tapipeline.solver.domain.TaSlot;
import tapipeline.solver.explain.Explainer;
import tapipeline.solver.io.ProblemMapper;
import tapipeline.solver.search.TaSolverConfig;
import tapipeline.solver.search.TimeBox;

/**
 * Solves one {@link AssignmentProblem} into a {@link RunCompleted}: checks the input, solves with
 * OptaPlanner, and explains the result. Thread-safe; each call builds its own solver, so several
 * runs may go at once (see {@link SolveScheduler} to bound them).
 *
 * <p>Never throws for bad input or a solver failure: those come back as {@code INVALID_INPUT} or
 * {@code FAILED} with plain-words {@link Problem}s.
 */
public final class SolverEngine {

    /** At most this many progress reports per second (the last one is always sent). */
    public static final int PROGRESS_PER_SECOND = 4;

    private static final Logger LOG = LoggerFactory.getLogger(SolverEngine.class);

    /** Builds the solver configuration; replaceable for tests and benchmarks (e.g. a fixed work limit). */
    public interface ConfigFactory {
        /**
         * @param slotCandidatePairs size of the model: the sum over slots of their eligible candidates
         */
        SolverConfig create(AssignmentProblem problem, long slotCandidatePairs);
    }

    private final ConfigFactory configFactory;

    /** An engine configured from each problem's own settings. */
    public SolverEngine() {
        this((problem, pairs) -> TaSolverConfig.create(problem.settings(), pairs));
    }

    public SolverEngine(ConfigFactory configFactory) {
        this.configFactory = Objects.requireNonNull(configFactory, "configFactory");
    }

    /** Solves without progress reports or cancellation. */
    public RunCompleted solve(AssignmentProblem problem) {
        return solve(problem, progress -> { }, CancellationToken.none());
    }

    /** Solves from scratch without checkpoints; see {@link #solve(AssignmentProblem, Consumer, CancellationToken, Checkpointing)}. */
    public RunCompleted solve(AssignmentProblem problem, Consumer<RunProgress> progress, CancellationToken cancel) {
        return solve(problem, progress, cancel, Checkpointing.none());
    }

    /**
     * Solves the problem.
     *
     * @param progress    receives new best scores, at most {@value #PROGRESS_PER_SECOND} per second, on the
     *                    solving thread: keep it quick
     * @param cancel      cancelling stops the solve early; the result then has status {@code CANCELLED} and
     *                    the best assignment found so far. Interrupting it ends the solve with
     *                    {@link RunInterruptedException} after a last checkpoint
     * @param checkpoints where to start from and where to write the best solution so far
     * @throws RunInterruptedException when {@code cancel} was interrupted: there is no result
     */
    public RunCompleted solve(AssignmentProblem problem, Consumer<RunProgress> progress, CancellationToken cancel,
                              Checkpointing checkpoints) {
        return solve(problem, progress, cancel, checkpoints, 0);
    }

    /**
     * Solves the problem, counting {@code alreadySpentMs} (e.g. reading and decoding the problem
     * before this call) against its time limit, as if the run had started that much earlier.
     */
    public RunCompleted solve(AssignmentProblem problem, Consumer<RunProgress> progress, CancellationToken cancel,
                              Checkpointing checkpoints, long alreadySpentMs) {
        RunCheckpoint from = checkpoints.from();
        long usedBefore = (from == null ? 0 : from.solveMs()) + Math.max(0, alreadySpentMs);
        // the run's clock: time used by earlier instances (and before this call) counts
        long start = System.currentTimeMillis() - usedBefore;
        RunBudget budget = new RunBudget(System.nanoTime() - usedBefore * 1_000_000L,
                problem.settings().timeLimitSeconds() * 1000L);
        long seed = problem.settings().randomSeed();
        String runId = problem.runId();
        List<String> cuts = new ArrayList<>();
        try {
            progress.accept(new RunProgress(runId, RunProgress.Phase.STARTING, null, false, elapsed(start), 0, 0));
            ProblemValidator.Result validation = ProblemValidator.validate(problem);
            if (!validation.ok()) {
                return RunCompleted.rejected(runId, RunCompleted.Status.INVALID_INPUT, validation.errors(),
                        elapsed(start), seed);
            }
            long validated = budget.elapsedMillis();
            TaAssignmentSolution input = ProblemMapper.toSolution(problem);
            if (from != null) {
                int kept = resume(input, from);
                LOG.info("Run {} resumes from its checkpoint: {} of {} slots kept, {} ms of solving already done",
                        runId, kept, from.assignments().size(), usedBefore);
            }
            long pairs = pairs(input);
            long mapped = budget.elapsedMillis();
            int slotCount = input.getSlots().size();
            SolverConfig config = configFactory.create(problem, pairs);
            long searchMs = budget.searchMillis(slotCount, from != null);
            limitSearch(config, searchMs);
            TimeBox construction = budget.construction(searchMs);
            TaSolverConfig.withConstructionTimeBox(config, construction);
            SolverFactory<TaAssignmentSolution> factory = SolverFactory.create(config);
            TaAssignmentSolution best = input;
            CheckpointThrottle checkpointThrottle = new CheckpointThrottle(runId, checkpoints, start);
            long searchStart = budget.elapsedMillis();
            if (searchMs == 0) {
                cuts.add("construction and search: no time was left after checking and mapping the problem");
            } else if (!cancel.isCancelled()) {
                Solver<TaAssignmentSolution> solver = factory.buildSolver();
                ProgressThrottle throttle = new ProgressThrottle(runId, progress, start);
                solver.addEventListener(event -> {
                    throttle.offer(event.getNewBestSolution(), false);
                    checkpointThrottle.offer(event.getNewBestSolution(), false);
                    if (cancel.isCancelled()) {
                        solver.terminateEarly();
                    }
                });
                cancel.onCancel(solver::terminateEarly);
                progress.accept(new RunProgress(runId, RunProgress.Phase.CONSTRUCTION, null, false, elapsed(start),
                        assigned(input), input.getSlots().size() - assigned(input)));
                best = solver.solve(input);
                if (!cancel.isInterrupted()) {
                    throttle.offer(best, true);
                }
            }
            if (construction.cut() != null) {
                cuts.add(construction.cut());
            }
            if (cancel.isInterrupted()) {
                if (best != input || from != null) {
                    checkpointThrottle.offer(best, true);
                }
                throw new RunInterruptedException(runId, cancel.reason());
            }
            long searched = budget.elapsedMillis();
            progress.accept(new RunProgress(runId, RunProgress.Phase.FINISHING, scoreText(best), isFeasible(best),
                    elapsed(start), assigned(best), best.getSlots().size() - assigned(best)));
            SolutionManager<TaAssignmentSolution, HardMediumSoftLongScore> manager = SolutionManager.create(factory);
            Explainer explainer;
            HardMediumSoftLongScore score;
            if (budget.timeToExplainScore(slotCount)) {
                ScoreExplanation<TaAssignmentSolution, HardMediumSoftLongScore> explanation = manager.explain(best);
                score = explanation.getScore();
                explainer = new Explainer(best, explanation);
            } else {
                // no time for the score's explanation: the score alone (the search's, or a plain calculation)
                score = best.getScore() != null ? best.getScore() : manager.update(best);
                explainer = new Explainer(best);
                cuts.add("the score breakdown by constraint (left out; the score itself is exact)");
            }
            long scored = budget.elapsedMillis();
            explainer.until(budget.explanationsEndNanos(slotCount));
            List<RunCompleted.Assignment> assignments = explainer.assignments();
            List<RunCompleted.UnassignedSlot> unassigned = explainer.unassigned();
            if (explainer.leftOutCount() > 0) {
                cuts.add(String.format(Locale.ROOT, "explanations: %,d of %,d slots got a short note instead of an"
                        + " explanation", explainer.leftOutCount(), slotCount));
            }
            List<Problem> problems = new ArrayList<>(validation.warnings());
            if (!cuts.isEmpty()) {
                String message = "The time limit of " + problem.settings().timeLimitSeconds() + " s cut short "
                        + String.join("; ", cuts) + ".";
                LOG.warn("Run {}: {}", runId, message);
                problems.add(new Problem(CUT_SHORT, message, List.of()));
            }
            RunCompleted.Status status = cancel.isCancelled() ? RunCompleted.Status.CANCELLED : RunCompleted.Status.SOLVED;
            RunCompleted result = new RunCompleted(runId, status, score.toString(),
                    explainer.scoreBreakdown(), assignments, unassigned, problems, elapsed(start), seed);
            LOG.info("Run {} stages (ms from start, limit {} ms): validated {}, mapped {} ({} slots, {} pairs), "
                    + "search {} from {} (given {}), scored {}, explained {}", runId, budget.limitMillis(), validated,
                    mapped, slotCount, pairs, searched, searchStart, searchMs, scored, budget.elapsedMillis());
            return result;
        } catch (RunInterruptedException e) {
            throw e;
        } catch (RuntimeException e) {
            if (cancel.isInterrupted()) {
                // a failure while stopping (e.g. the producer closing) is not the run's failure: hand it back
                LOG.warn("Run {} failed while being interrupted; handing it back", runId, e);
                throw new RunInterruptedException(runId, cancel.reason());
            }
            LOG.error("Run {} failed", runId, e);
            String message = "The solver failed: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            return RunCompleted.rejected(runId, RunCompleted.Status.FAILED,
                    List.of(new Problem(Problem.SOLVER_ERROR, message, List.of())), elapsed(start), seed);
        }
    }

    /** Code of the problem (a warning on a solved run) that says which stages the time limit cut short. */
    public static final String CUT_SHORT = "CUT_SHORT";

    /**
     * Puts the checkpoint's assignment on the model as initial, not pinned, values. Pinned slots keep
     * their pin; an entry for an unknown slot or TA, a TA no longer eligible, or a TA already in the
     * course is dropped (its slot starts empty). Returns how many entries were kept.
     */
    static int resume(TaAssignmentSolution solution, RunCheckpoint checkpoint) {
        Map<String, String> byslot = new HashMap<>();
        for (SlotAssignment a : checkpoint.assignments()) {
            byslot.put(a.courseId() + "#" + a.slotIndex(), a.applicantId());
        }
        Map<String, TaApplicant> applicants = new HashMap<>();
        for (TaApplicant a : solution.getApplicants()) {
            applicants.put(a.id(), a);
        }
        Map<Object, Set<TaApplicant>> inCourse = new HashMap<>();
        for (TaSlot slot : solution.getSlots()) {
            if (slot.isPinned() && slot.getTa() != null) {
                inCourse.computeIfAbsent(slot.getCourse(), k -> new HashSet<>()).add(slot.getTa());
            }
        }
        int kept = 0;
        for (TaSlot slot : solution.getSlots()) {
            if (slot.isPinned()) {
                continue;
            }
            TaApplicant ta = applicants.get(byslot.get(slot.getId()));
            if (ta != null && slot.getCandidates().contains(ta)
                    && inCourse.computeIfAbsent(slot.getCourse(), k -> new HashSet<>()).add(ta)) {
                slot.setTa(ta);
                kept++;
            } else {
                slot.setTa(null);
            }
        }
        return kept;
    }

    /**
     * The search stops after {@code searchMs} (from the solver's start), or earlier if the
     * configuration's own termination says so.
     */
    private static void limitSearch(SolverConfig config, long searchMs) {
        TerminationConfig termination = config.getTerminationConfig();
        if (termination == null) {
            termination = new TerminationConfig();
            config.setTerminationConfig(termination);
        }
        Long limitMs = termination.getSpentLimit() != null ? Long.valueOf(termination.getSpentLimit().toMillis())
                : termination.getMillisecondsSpentLimit();
        termination.setSpentLimit(Duration.ofMillis(limitMs == null ? searchMs : Math.min(limitMs, searchMs)));
        termination.setMillisecondsSpentLimit(null);
    }

    private static long elapsed(long start) {
        return Math.max(0, System.currentTimeMillis() - start);
    }

    static long pairs(TaAssignmentSolution solution) {
        long pairs = 0;
        for (TaSlot slot : solution.getSlots()) {
            pairs += slot.getCandidates().size();
        }
        return pairs;
    }

    static int assigned(TaAssignmentSolution solution) {
        int n = 0;
        for (TaSlot slot : solution.getSlots()) {
            if (slot.getTa() != null) {
                n++;
            }
        }
        return n;
    }

    static String scoreText(TaAssignmentSolution solution) {
        return solution.getScore() == null ? null : solution.getScore().toString();
    }

    static boolean isFeasible(TaAssignmentSolution solution) {
        return solution.getScore() != null && solution.getScore().isSolutionInitialized()
                && solution.getScore().isFeasible();
    }

    /** Passes on new best solutions at most {@value #PROGRESS_PER_SECOND} times a second. */
    private static final class ProgressThrottle {
        private final String runId;
        private final Consumer<RunProgress> progress;
        private final long start;
        private long lastSent;
        private String lastScore;

        ProgressThrottle(String runId, Consumer<RunProgress> progress, long start) {
            this.runId = runId;
            this.progress = progress;
            this.start = start;
        }

        synchronized void offer(TaAssignmentSolution best, boolean last) {
            long now = System.currentTimeMillis();
            String score = scoreText(best);
            if (Objects.equals(score, lastScore) || !last && now - lastSent < 1000 / PROGRESS_PER_SECOND) {
                return;
            }
            lastSent = now;
            lastScore = score;
            boolean initialized = best.getScore() != null && best.getScore().isSolutionInitialized();
            int assigned = assigned(best);
            try {
                progress.accept(new RunProgress(runId,
                        initialized ? RunProgress.Phase.LOCAL_SEARCH : RunProgress.Phase.CONSTRUCTION,
                        score, isFeasible(best), Math.max(0, now - start), assigned, best.getSlots().size() - assigned));
            } catch (RuntimeException e) {
                LOG.warn("Progress listener of run {} failed; solving goes on", runId, e);
            }
        }
    }

    /** Writes the best solution so far at most once per {@link Checkpointing#every()} (and always when last). */
    private static final class CheckpointThrottle {
        private final String runId;
        private final Checkpointing checkpoints;
        private final long start;
        private long lastSent = System.currentTimeMillis();

        CheckpointThrottle(String runId, Checkpointing checkpoints, long start) {
            this.runId = runId;
            this.checkpoints = checkpoints;
            this.start = start;
        }

        synchronized void offer(TaAssignmentSolution best, boolean last) {
            long now = System.currentTimeMillis();
            if (!last && now - lastSent < checkpoints.every().toMillis()) {
                return;
            }
            lastSent = now;
            List<SlotAssignment> filled = new ArrayList<>();
            for (TaSlot slot : best.getSlots()) {
                if (slot.getTa() != null) {
                    filled.add(new SlotAssignment(slot.getCourse().id(), slot.getSlotIndex(), slot.getTa().id()));
                }
            }
            try {
                checkpoints.sink().accept(new RunCheckpoint(runId, scoreText(best), Math.max(0, now - start), filled));
            } catch (RuntimeException e) {
                LOG.warn("Checkpoint of run {} could not be written; solving goes on", runId, e);
            }
        }
    }
}
