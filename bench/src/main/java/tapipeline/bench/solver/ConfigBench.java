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
import org.optaplanner.core.config.localsearch.LocalSearchPhaseConfig;
import org.optaplanner.core.config.localsearch.decider.acceptor.LocalSearchAcceptorConfig;
import org.optaplanner.core.config.localsearch.decider.forager.LocalSearchForagerConfig;
import org.optaplanner.core.config.phase.PhaseConfig;
import org.optaplanner.core.config.solver.SolverConfig;
import org.optaplanner.core.config.solver.termination.TerminationConfig;
import tapipeline.bench.BenchTable;
import tapipeline.schemas.assignment.SolverSettings;
import tapipeline.solver.domain.TaAssignmentSolution;
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

    /** The variants: name to how the production local search phase is changed. */
    static Map<String, Function<LocalSearchPhaseConfig, LocalSearchPhaseConfig>> variants() {
        Map<String, Function<LocalSearchPhaseConfig, LocalSearchPhaseConfig>> v = new LinkedHashMap<>();
        v.put("late-acceptance-400 (production)", ls -> ls);
        v.put("tabu-search (entity tabu 7, 1000 accepted)", ls -> ls
                .withAcceptorConfig(new LocalSearchAcceptorConfig().withEntityTabuSize(7))
                .withForagerConfig(new LocalSearchForagerConfig().withAcceptedCountLimit(1000)));
        v.put("simulated-annealing (T0 0/0/50, 4 accepted)", ls -> ls
                .withAcceptorConfig(new LocalSearchAcceptorConfig()
                        .withSimulatedAnnealingStartingTemperature("0hard/0medium/50soft"))
                .withForagerConfig(new LocalSearchForagerConfig().withAcceptedCountLimit(4)));
        v.put("late-acceptance-50 (1 accepted)", ls -> ls
                .withAcceptorConfig(new LocalSearchAcceptorConfig().withLateAcceptanceSize(50))
                .withForagerConfig(new LocalSearchForagerConfig().withAcceptedCountLimit(1)));
        return v;
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
            variants().forEach((name, change) -> configs.add(new SolverBenchmarkConfig().withName(name)
                    .withSolverConfig(variant(settings, seconds, pairs, change))
                    .withProblemBenchmarksConfig(new ProblemBenchmarksConfig()
                            .withProblemStatisticTypes(ProblemStatisticType.BEST_SCORE))));
            Path work = Files.createTempDirectory("optaplanner-benchmark-");
            PlannerBenchmarkConfig config = new PlannerBenchmarkConfig()
                    .withName("TA assignment, " + instance.label())
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
        table.note("Each configuration is the production TaSolverConfig (greedy start, first fit decreasing up to "
                + "200,000 slot-candidate pairs, then local search over OptaPlanner's default change and swap moves) "
                + "with only the local search acceptor and forager replaced; seed 42, " + seconds + " s per run, "
                + "5 s warm-up, one run at a time, one sample each — differences of a few soft points are noise.");
        table.note("Rank 0 is the benchmarker's favourite (best total score). Machine load before: " + load
                + "; after: " + SolverBench.loadAverage() + ".");
        table.note("The benchmarker's HTML reports (index.html and the summary) are in "
                + "bench/results/optaplanner-benchmark/<size>-courses/.");
        table.publish(results.resolve("solver-configs.md"));
    }

    /** Copies index.html and the summary folder of the report; the per-run folders are left out. */
    static void keepReport(Path reportDir, Path target) throws IOException {
        deleteTree(target);
        Files.createDirectories(target);
        Files.copy(reportDir.resolve("index.html"), target.resolve("index.html"), StandardCopyOption.REPLACE_EXISTING);
        Path summary = reportDir.resolve("summary");
        if (Files.isDirectory(summary)) {
            try (Stream<Path> files = Files.walk(summary)) {
                for (Path p : files.toList()) {
                    Path to = target.resolve(reportDir.relativize(p).toString());
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
