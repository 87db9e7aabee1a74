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
import org.optaplanner.core.config.heuristic.selector.move.MoveSelectorConfig;
import org.optaplanner.core.config.heuristic.selector.move.composite.UnionMoveSelectorConfig;
import org.optaplanner.core.config.heuristic.selector.move.generic.ChangeMoveSelectorConfig;
import org.optaplanner.core.config.heuristic.selector.move.generic.SwapMoveSelectorConfig;
import org.optaplanner.core.config.heuristic.selector.move.factory.MoveIteratorFactoryConfig;
import org.optaplanner.core.config.localsearch.LocalSearchPhaseConfig;
import org.optaplanner.core.impl.heuristic.selector.move.factory.MoveIteratorFactory;
import org.optaplanner.core.config.localsearch.decider.acceptor.LocalSearchAcceptorConfig;
import org.optaplanner.core.config.localsearch.decider.forager.LocalSearchForagerConfig;
import org.optaplanner.core.config.phase.PhaseConfig;
import org.optaplanner.core.config.solver.SolverConfig;
import org.optaplanner.core.config.solver.termination.TerminationConfig;
import tapipeline.bench.BenchTable;
import tapipeline.schemas.assignment.SolverSettings;
import tapipeline.solver.domain.TaAssignmentSolution;
import tapipeline.solver.search.ChainMoveFactory;
import tapipeline.solver.search.TaSolverConfig;
import tapipeline.solver.search.TradeMoveFactory;

/**
 * OptaPlanner's benchmarker on the 60- and 300-course instances: the production local search against
 * the same without its custom moves (an ablation) and with other acceptors (late acceptance of other
 * lengths, tabu search, simulated annealing). Every variant is the production {@link TaSolverConfig}
 * with only its local search phase changed, so the construction phases are the same. Writes the benchmarker's HTML report (index.html and the
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

    /** The ablation: the production acceptor over OptaPlanner's change and swap moves only. */
    static final Function<LocalSearchPhaseConfig, LocalSearchPhaseConfig> GENERIC_MOVES_ONLY = ls -> ls.withMoveSelectorConfig(
            new UnionMoveSelectorConfig().withMoveSelectors(new ChangeMoveSelectorConfig(), new SwapMoveSelectorConfig()));

    /** The variants: name (letters, digits, spaces, -()._ only: it becomes a file name) to the change. */
    static Map<String, Function<LocalSearchPhaseConfig, LocalSearchPhaseConfig>> variants(int productionLateAcceptance) {
        Map<String, Function<LocalSearchPhaseConfig, LocalSearchPhaseConfig>> v = new LinkedHashMap<>();
        v.put("production - late acceptance " + productionLateAcceptance, ls -> ls);
        v.put("without chain moves", ls -> ls.withMoveSelectorConfig(without(ChainMoveFactory.class)));
        v.put("without trade moves", ls -> ls.withMoveSelectorConfig(without(TradeMoveFactory.class)));
        v.put("without chain and trade moves", ls -> ls.withMoveSelectorConfig(
                without(ChainMoveFactory.class, TradeMoveFactory.class)));
        v.put("change and swap moves only", GENERIC_MOVES_ONLY);
        for (int other : new int[] {20, 50, 400}) {
            if (other != productionLateAcceptance) {
                v.put("late acceptance " + other, ls -> ls
                        .withAcceptorConfig(new LocalSearchAcceptorConfig().withLateAcceptanceSize(other))
                        .withForagerConfig(new LocalSearchForagerConfig().withAcceptedCountLimit(1)));
            }
        }
        v.put("tabu search (entity tabu 7 - 1000 accepted)", ls -> ls
                .withAcceptorConfig(new LocalSearchAcceptorConfig().withEntityTabuSize(7))
                .withForagerConfig(new LocalSearchForagerConfig().withAcceptedCountLimit(1000)));
        v.put("simulated annealing (T0 5soft - 1 accepted)", ls -> ls
                .withAcceptorConfig(new LocalSearchAcceptorConfig()
                        .withSimulatedAnnealingStartingTemperature("0hard/0medium/5soft"))
                .withForagerConfig(new LocalSearchForagerConfig().withAcceptedCountLimit(1)));
        return v;
    }

    /** The production moves without the given custom move factories. */
    @SafeVarargs
    static MoveSelectorConfig<?> without(Class<? extends MoveIteratorFactory>... factories) {
        UnionMoveSelectorConfig moves = TaSolverConfig.moves();
        List<MoveSelectorConfig> kept = new ArrayList<>();
        for (MoveSelectorConfig m : moves.getMoveSelectorList()) {
            if (!(m instanceof MoveIteratorFactoryConfig f && List.of(factories).contains(f.getMoveIteratorFactoryClass()))) {
                kept.add(m);
            }
        }
        moves.setMoveSelectorList(kept);
        return moves;
    }

    /** The production late acceptance history for a problem of this size (as TaSolverConfig builds it). */
    static int productionLateAcceptance(SolverSettings settings, long pairs) {
        SolverConfig config = TaSolverConfig.create(settings, new TerminationConfig().withSpentLimit(Duration.ofSeconds(1)), pairs);
        LocalSearchPhaseConfig ls = (LocalSearchPhaseConfig) config.getPhaseConfigList().get(config.getPhaseConfigList().size() - 1);
        Integer size = ls.getAcceptorConfig() == null ? null : ls.getAcceptorConfig().getLateAcceptanceSize();
        return size == null ? -1 : size;
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
                + "over change, swap, fill-by-ejection, trade and ejection-chain moves; its history length is in the "
                + "'production' name) with one thing changed: 'without ...' and 'change and swap moves only' drop "
                + "custom moves (an ablation), the others replace the acceptor and forager; seed 42, " + seconds
                + " s per run, 5 s warm-up, one run at a time, one sample each — a single run's soft level varies with the "
                + "seed (at 60 courses after 10 s from 0.07% to 1.34% above the optimum, solver.md), so small differences are noise.");
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
