package tapipeline.bench.solver;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.IdentityHashMap;
import java.util.function.Function;
import java.util.stream.Stream;
import org.optaplanner.benchmark.api.PlannerBenchmark;
import org.optaplanner.benchmark.api.PlannerBenchmarkFactory;
import org.optaplanner.benchmark.config.PlannerBenchmarkConfig;
import org.optaplanner.benchmark.config.ProblemBenchmarksConfig;
import org.optaplanner.benchmark.config.SolverBenchmarkConfig;
import org.optaplanner.benchmark.config.statistic.ProblemStatisticType;
import org.optaplanner.benchmark.impl.DefaultPlannerBenchmark;
import org.optaplanner.benchmark.impl.result.SingleBenchmarkResult;
import org.optaplanner.benchmark.impl.result.SolverBenchmarkResult;
import org.optaplanner.core.api.score.director.ScoreDirector;
import org.optaplanner.core.config.heuristic.selector.entity.EntitySelectorConfig;
import org.optaplanner.core.config.heuristic.selector.move.MoveSelectorConfig;
import org.optaplanner.core.config.heuristic.selector.move.composite.CartesianProductMoveSelectorConfig;
import org.optaplanner.core.config.heuristic.selector.move.composite.UnionMoveSelectorConfig;
import org.optaplanner.core.config.heuristic.selector.move.generic.ChangeMoveSelectorConfig;
import org.optaplanner.core.config.heuristic.selector.move.generic.SwapMoveSelectorConfig;
import org.optaplanner.core.config.localsearch.LocalSearchPhaseConfig;
import org.optaplanner.core.impl.heuristic.selector.common.decorator.SelectionFilter;
import org.optaplanner.core.impl.heuristic.selector.common.decorator.SelectionProbabilityWeightFactory;
import org.optaplanner.core.impl.heuristic.selector.move.MoveSelector;
import org.optaplanner.core.impl.heuristic.selector.move.composite.CartesianProductMoveSelector;
import org.optaplanner.core.config.localsearch.decider.acceptor.LocalSearchAcceptorConfig;
import org.optaplanner.core.config.localsearch.decider.forager.LocalSearchForagerConfig;
import org.optaplanner.core.config.phase.PhaseConfig;
import org.optaplanner.core.config.solver.SolverConfig;
import org.optaplanner.core.config.solver.termination.TerminationConfig;
import tapipeline.bench.BenchTable;
import tapipeline.schemas.assignment.SolverSettings;
import tapipeline.solver.domain.TaAssignmentSolution;
import tapipeline.solver.domain.TaCourse;
import tapipeline.solver.domain.TaSlot;
import tapipeline.solver.solver.TaSolverConfig;

/**
 * OptaPlanner's benchmarker on the 60- and 300-course instances, comparing the production local
 * search (late acceptance) with tabu search and simulated annealing. Every variant is the
 * production {@link TaSolverConfig} with only the local search acceptor and forager replaced, so the
 * construction phases are the same. Writes the benchmarker's HTML report (index.html and the
 * summary) under {@code bench/results/optaplanner-benchmark/<size>/} and a markdown summary to
 * {@code bench/results/solver-configs.md}.
 *
 * <pre>  ConfigBench [--seconds 20] [--sizes 60,300] [--results bench/results]</pre>
 */
public final class ConfigBench {

    private ConfigBench() {
    }

    public static void main(String[] args) throws IOException {
        SolverBench.quietLogging();
        Map<String, String> opts = SolverBench.options(args);
        int seconds = Integer.parseInt(opts.getOrDefault("seconds", "20"));
        run(seconds, Path.of(opts.getOrDefault("results", "bench/results")),
                List.of(opts.getOrDefault("sizes", "60,300").split(",")));
    }

    static void run(int seconds, Path results) throws IOException {
        run(seconds, results, List.of("60", "300"));
    }

    /** The variants: name (letters, digits, spaces, -()._ only: it becomes a file name) to the change. */
    static Map<String, Function<LocalSearchPhaseConfig, LocalSearchPhaseConfig>> variants(int productionLateAcceptance) {
        Map<String, Function<LocalSearchPhaseConfig, LocalSearchPhaseConfig>> v = new LinkedHashMap<>();
        v.put("production - late acceptance " + productionLateAcceptance, ls -> ls);
        v.put("tabu search (entity tabu 7 - 1000 accepted)", ls -> ls
                .withAcceptorConfig(new LocalSearchAcceptorConfig().withEntityTabuSize(7))
                .withForagerConfig(new LocalSearchForagerConfig().withAcceptedCountLimit(1000)));
        v.put("simulated annealing (T0 50soft - 4 accepted)", ls -> ls
                .withAcceptorConfig(new LocalSearchAcceptorConfig()
                        .withSimulatedAnnealingStartingTemperature("0hard/0medium/50soft"))
                .withForagerConfig(new LocalSearchForagerConfig().withAcceptedCountLimit(4)));
        int other = productionLateAcceptance == 400 ? 20 : 400;
        v.put("late acceptance " + other, ls -> ls
                .withAcceptorConfig(new LocalSearchAcceptorConfig().withLateAcceptanceSize(other))
                .withForagerConfig(new LocalSearchForagerConfig().withAcceptedCountLimit(1)));
        v.put("production with fill-by-ejection moves", ls -> ls.withMoveSelectorConfig(withEjectionMoves()));
        v.put("late acceptance " + other + " with fill-by-ejection moves", ls -> ls.withMoveSelectorConfig(withEjectionMoves())
                .withAcceptorConfig(new LocalSearchAcceptorConfig().withLateAcceptanceSize(other))
                .withForagerConfig(new LocalSearchForagerConfig().withAcceptedCountLimit(1)));
        return v;
    }

    /** The production late acceptance history for a problem of this size (as TaSolverConfig builds it). */
    static int productionLateAcceptance(SolverSettings settings, long pairs) {
        SolverConfig config = TaSolverConfig.create(settings, new TerminationConfig().withSpentLimit(Duration.ofSeconds(1)), pairs);
        LocalSearchPhaseConfig ls = (LocalSearchPhaseConfig) config.getPhaseConfigList().get(config.getPhaseConfigList().size() - 1);
        Integer size = ls.getAcceptorConfig() == null ? null : ls.getAcceptorConfig().getLateAcceptanceSize();
        return size == null ? -1 : size;
    }

    /**
     * OptaPlanner's default moves (change, swap) plus a two-step composite move that fills an empty
     * slot with a TA who holds another slot and refills that slot at once: swap(empty slot S, slot A)
     * gives S the TA of A and leaves A empty; a change on the same A (mimicked) then gives A another
     * candidate. Plain change and swap moves cannot make that step without first losing a filled
     * slot, which late acceptance rarely accepts on the medium level.
     */
    static MoveSelectorConfig withEjectionMoves() {
        return new UnionMoveSelectorConfig().withSelectorProbabilityWeightFactoryClass(EjectionWeight.class).withMoveSelectors(
                new ChangeMoveSelectorConfig(),
                new SwapMoveSelectorConfig(),
                new CartesianProductMoveSelectorConfig().withIgnoreEmptyChildIterators(true).withMoveSelectors(
                        new SwapMoveSelectorConfig()
                                .withEntitySelectorConfig(new EntitySelectorConfig().withFilterClass(EmptySlot.class))
                                .withSecondaryEntitySelectorConfig(new EntitySelectorConfig().withId("ejected")),
                        new ChangeMoveSelectorConfig()
                                .withEntitySelectorConfig(new EntitySelectorConfig().withMimicSelectorRef("ejected"))));
    }

    /**
     * Whether the union may pick the ejection move, re-evaluated every step: as often as the other moves
     * while some slot is empty and its course still has a candidate it does not hold; never once every
     * slot is filled or only slots that cannot be filled are left (more candidates wanted than exist),
     * where the moves would be wasted. A weight in proportion to the share of empty slots was tried and
     * filled slots far more slowly.
     */
    public static final class EjectionWeight
            implements SelectionProbabilityWeightFactory<TaAssignmentSolution, MoveSelector<TaAssignmentSolution>> {
        @Override
        public double createProbabilityWeight(ScoreDirector<TaAssignmentSolution> scoreDirector,
                MoveSelector<TaAssignmentSolution> selector) {
            if (!(selector instanceof CartesianProductMoveSelector)) {
                return 1.0;
            }
            // per course: filled slots, empty unpinned slots, candidates
            Map<TaCourse, int[]> courses = new IdentityHashMap<>();
            for (TaSlot slot : scoreDirector.getWorkingSolution().getSlots()) {
                int[] c = courses.computeIfAbsent(slot.getCourse(), k -> new int[3]);
                if (slot.getTa() != null) {
                    c[0]++;
                } else if (!slot.isPinned()) {
                    c[1]++;
                }
                c[2] = Math.max(c[2], slot.getCandidates().size());
            }
            for (int[] c : courses.values()) {
                if (c[1] > 0 && c[0] < c[2]) {
                    return 1.0;   // an empty slot whose course still has a candidate it does not hold
                }
            }
            return 0.0;
        }
    }

    /** Selects only slots without a TA. */
    public static final class EmptySlot implements SelectionFilter<TaAssignmentSolution, TaSlot> {
        @Override
        public boolean accept(ScoreDirector<TaAssignmentSolution> scoreDirector, TaSlot slot) {
            return slot.getTa() == null && !slot.isPinned();
        }
    }

    static SolverConfig variant(SolverSettings settings, int seconds, long pairs,
            Function<LocalSearchPhaseConfig, LocalSearchPhaseConfig> change) {
        SolverConfig config = TaSolverConfig.create(settings,
                new TerminationConfig().withSpentLimit(Duration.ofSeconds(seconds)), pairs);
        List<PhaseConfig> phases = new ArrayList<>(config.getPhaseConfigList());
        int last = phases.size() - 1;
        phases.set(last, change.apply((LocalSearchPhaseConfig) phases.get(last)));
        config.setPhaseConfigList(phases);
        return config;
    }

    static void run(int seconds, Path results, List<String> sizes) throws IOException {
        BenchTable table = new BenchTable("OptaPlanner benchmarker: local search configurations",
                "Instance", "Configuration", "Best score after " + seconds + " s", "Rank", "Score calculations/s");
        Map<String, Integer> wins = new LinkedHashMap<>();
        String load = SolverBench.loadAverage();
        for (Instance instance : Instance.SIZES) {
            if (!sizes.contains(String.valueOf(instance.courses()))) {
                continue;
            }
            TaAssignmentSolution problem = instance.solution();
            long pairs = Instance.slotCandidatePairs(problem);
            SolverSettings settings = instance.problem().settings();
            List<SolverBenchmarkConfig> configs = new ArrayList<>();
            String only = System.getProperty("configbench.only");
            variants(productionLateAcceptance(settings, pairs)).forEach((name, change) -> {
                if (only == null || List.of(only.split(",")).stream().anyMatch(name::startsWith)) {
                    configs.add(new SolverBenchmarkConfig().withName(name)
                    .withSolverConfig(variant(settings, seconds, pairs, change))
                    .withProblemBenchmarksConfig(new ProblemBenchmarksConfig()
                            .withProblemStatisticTypes(ProblemStatisticType.BEST_SCORE)));
                }
            });
            Path work = Files.createTempDirectory("optaplanner-benchmark-");
            PlannerBenchmarkConfig config = new PlannerBenchmarkConfig()
                    .withName("TA assignment - " + instance.courses() + " courses and " + instance.applicants() + " TAs")
                    .withBenchmarkDirectory(work.toFile())
                    .withParallelBenchmarkCount("1")
                    .withWarmUpSecondsSpentLimit(5L)
                    .withSolverBenchmarkConfigList(configs);
            PlannerBenchmark benchmark = PlannerBenchmarkFactory.create(config).buildPlannerBenchmark(problem);
            File reportDir = benchmark.benchmark();
            for (SolverBenchmarkResult r : ((DefaultPlannerBenchmark) benchmark).getPlannerBenchmarkResult()
                    .getSolverBenchmarkResultList()) {
                SingleBenchmarkResult single = r.getSingleBenchmarkResultList().get(0);
                table.row(instance.label(), r.getName(), single.getAverageScore(), r.getRanking(),
                        String.format("%,d", single.getScoreCalculationSpeed()));
                if (r.getRanking() != null && r.getRanking() == 0) {
                    wins.put(instance.label(), 0);
                    table.note("Winner on " + instance.label() + ": " + r.getName() + " (" + single.getAverageScore() + ")");
                }
            }
            keepReport(reportDir.toPath(), results.resolve("optaplanner-benchmark").resolve(instance.courses() + "-courses"));
            deleteTree(work);
        }
        table.note("Each configuration is the production TaSolverConfig as the solver module builds it for the "
                + "size (greedy start, first fit decreasing up to 200,000 slot-candidate pairs, then late acceptance "
                + "over OptaPlanner's default change and swap moves; its history length is in the 'production' name) "
                + "with only the local search changed: acceptor and forager, and for the 'fill-by-ejection' "
                + "variants also the move selector (default moves plus a composite move that gives an empty slot "
                + "the TA of another slot and that slot another candidate, see withEjectionMoves); seed 42, " + seconds + " s per run, "
                + "5 s warm-up, one run at a time, one sample each — differences of a few soft points are noise.");
        table.note("Rank 0 is the benchmarker's favourite (best total score). Machine load before: " + load
                + "; after: " + SolverBench.loadAverage() + ".");
        table.note("The benchmarker's HTML reports (index.html and the summary) are in "
                + "bench/results/optaplanner-benchmark/<size>-courses/.");
        table.publish(results.resolve("solver-configs.md"));
    }

    /**
     * Copies index.html, the summary charts and the best-score charts of the report; the styles, the
     * per-run folders and the result XML are left out (the page still reads, its styling does not load).
     */
    static void keepReport(Path benchmarkDir, Path target) throws IOException {
        Path reportDir;
        try (Stream<Path> found = Files.walk(benchmarkDir, 2)) {
            // the benchmarker writes into a time-stamped folder below the benchmark directory
            reportDir = found.filter(p -> p.getFileName().toString().equals("index.html")).findFirst()
                    .orElseThrow(() -> new IOException("no index.html under " + benchmarkDir)).getParent();
        }
        deleteTree(target);
        Files.createDirectories(target);
        Files.copy(reportDir.resolve("index.html"), target.resolve("index.html"), StandardCopyOption.REPLACE_EXISTING);
        // the summary charts, and the problem's best-score-over-time charts (a few small PNGs)
        try (Stream<Path> files = Files.walk(reportDir)) {
            for (Path p : files.toList()) {
                String rel = reportDir.relativize(p).toString();
                boolean keep = rel.startsWith("summary") || rel.matches("Problem_\\d+(/Problem_\\d+BestScoreStatistic.*\\.png)?");
                if (keep) {
                    Path to = target.resolve(rel);
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(to);
                    } else {
                        Files.copy(p, to, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
