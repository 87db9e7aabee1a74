package tapipeline.bench.solver;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.optaplanner.core.api.score.buildin.hardmediumsoftlong.HardMediumSoftLongScore;
import tapipeline.bench.BenchTable;
import tapipeline.solver.domain.TaAssignmentSolution;

/**
 * The solver benchmark: OptaPlanner (production configuration) against an exact CP-SAT model and a
 * greedy baseline on seeded instances of 60, 300 and 1,500 courses, every result scored by
 * OptaPlanner's own score calculator. Each OptaPlanner and CP-SAT run happens in a child JVM of its
 * own (OptaPlanner with {@code -Xmx1g}), so heap figures and timings don't mix.
 *
 * <pre>
 *   SolverBench [--quick] [--sizes 60,300,1500] [--seconds 60] [--snapshot 10] [--out file.md]
 *               [--configs | --no-configs] [--configs-seconds 20]
 *   SolverBench --scale [--sizes 5000x10000,10000x20000] [--seconds 60]   (see {@link ScaleBench})
 * </pre>
 * {@code --quick}: the 60-course instance only, 10 s runs, no benchmarker, written to
 * {@code bench/results/solver-quick.md}.
 */
public final class SolverBench {

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    static final String OPTAPLANNER_HEAP = "-Xmx1g";
    static final String CPSAT_HEAP = "-Xmx6g";
    static final int CPSAT_WORKERS = 2;
    /** Time limit of each of the two LP stages (GLOP); the bound does not depend on time, only needs to finish. */
    static final int LP_SECONDS_PER_STAGE = 150;
    /** Above this many course-candidate pairs the LP is skipped (1,500 courses: ~2 million columns, no answer in 150 s). */
    static final long LP_UP_TO_PAIRS = 500_000;
    /** Up to this many courses the production configuration also runs with other solver seeds (CP-SAT proves the optimum there). */
    static final int SEED_SPREAD_UP_TO_COURSES = 60;
    static final long[] SOLVER_SEEDS = {1, 2, 3, 4, 5, 6, 7, 8, 9};

    private SolverBench() {
    }

    /** Selects the bench's own logging configuration; call before anything logs. */
    static void quietLogging() {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "bench-logback.xml");
        }
    }

    public static void main(String[] args) throws Exception {
        quietLogging();
        Map<String, String> opts = options(args);
        if (opts.containsKey("child")) {
            if ("scale".equals(opts.get("child"))) {
                ScaleBench.runChild(opts);
            }
            child(opts);
            return;
        }
        if (opts.containsKey("scale")) {
            ScaleBench.main(opts);
            return;
        }
        boolean quick = opts.containsKey("quick");
        int seconds = Integer.parseInt(opts.getOrDefault("seconds", quick ? "10" : "60"));
        int snapshot = Integer.parseInt(opts.getOrDefault("snapshot", "10"));
        List<Instance> sizes = new ArrayList<>();
        for (Instance i : Instance.SIZES) {
            String wanted = opts.getOrDefault("sizes", quick ? "60" : "60,300,1500");
            if (List.of(wanted.split(",")).contains(String.valueOf(i.courses()))) {
                sizes.add(i);
            }
        }
        Path out = Path.of(opts.getOrDefault("out", quick ? "bench/results/solver-quick.md" : "bench/results/solver.md"));
        boolean configs = opts.containsKey("configs") || !quick && !opts.containsKey("no-configs");

        String loadBefore = loadAverage();
        List<Result> results = new ArrayList<>();
        for (Instance instance : sizes) {
            results.add(runInstance(instance, seconds, snapshot));
        }
        String loadAfter = loadAverage();
        String md = report(results, seconds, snapshot, loadBefore, loadAfter);
        System.out.println(md);
        String scale = ScaleBench.existingSection(out);   // the --scale rows, measured on their own
        if (!scale.isEmpty()) {
            md = md + "\n" + scale;
        }
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, md, StandardCharsets.UTF_8);
        System.out.println("written to " + out);

        if (configs) {
            int configSeconds = Integer.parseInt(opts.getOrDefault("configs-seconds", "20"));
            ConfigBench.run(configSeconds, Path.of("bench/results"));
        }
    }

    /** Everything measured on one instance. */
    record Result(Instance instance, RunRecord optaplanner, RunRecord candidate, List<RunRecord> seedRuns, RunRecord cpsat, RunRecord cpsatHint,
            RunRecord lp, String greedyScore, long greedyMillis, List<String> greedyViolations, HardMediumSoftLongScore simpleBound,
            long slotPairs, long coursePairs) {
    }

    static Result runInstance(Instance instance, int seconds, int snapshot) throws Exception {
        System.err.printf("== %s, seed %d%n", instance.label(), instance.seed());
        TaAssignmentSolution fresh = instance.solution();
        long slotPairs = Instance.slotCandidatePairs(fresh);
        long coursePairs = Instance.courseCandidatePairs(fresh);
        HardMediumSoftLongScore simpleBound = new Objective(fresh).simpleBound();

        long g0 = System.nanoTime();
        TaAssignmentSolution greedy = GreedyBaseline.solve(instance.solution());
        long greedyMillis = (System.nanoTime() - g0) / 1_000_000;
        HardMediumSoftLongScore greedyScore = Yardstick.score(greedy);
        List<String> greedyViolations = Yardstick.violations(instance.problem(), greedy);
        System.err.printf("greedy: %s in %d ms%n", greedyScore, greedyMillis);

        RunRecord opta = child("optaplanner", instance, seconds, snapshot, OPTAPLANNER_HEAP);
        if (opta.error != null && opta.error.contains("OutOfMemoryError")) {
            RunRecord again = child("optaplanner", instance, seconds, snapshot, "-Xmx4g");
            again.error = "OutOfMemoryError with " + OPTAPLANNER_HEAP + "; these figures are from a rerun with -Xmx4g";
            opta = again;
        }
        System.err.printf("OptaPlanner: %s @%d s, %s @end%n", opta.scoreAtSnapshot, snapshot, opta.scoreAtEnd);
        RunRecord candidate = child("optaplanner-generic", instance, seconds, snapshot, OPTAPLANNER_HEAP);
        System.err.printf("OptaPlanner, change and swap only: %s @%d s, %s @end%n", candidate.scoreAtSnapshot, snapshot,
                candidate.scoreAtEnd);
        // where CP-SAT proves the optimum (60 courses), the 10 s goal over several solver seeds too: one run's
        // gap varies with the seed by more than the goal itself (0.07-1.34% at 10 s)
        List<RunRecord> seedRuns = new ArrayList<>();
        if (instance.courses() <= SEED_SPREAD_UP_TO_COURSES) {
            for (long solverSeed : SOLVER_SEEDS) {
                RunRecord r = child("optaplanner-seed-" + solverSeed, instance, snapshot, snapshot, OPTAPLANNER_HEAP);
                System.err.printf("OptaPlanner, solver seed %d: %s @%d s%n", solverSeed, r.scoreAtSnapshot, snapshot);
                seedRuns.add(r);
            }
        }
        RunRecord cpsat = child("cpsat", instance, seconds, snapshot, CPSAT_HEAP);
        System.err.printf("CP-SAT: %s @%d s, %s @end, bound %s, %s%n", cpsat.scoreAtSnapshot, snapshot,
                cpsat.scoreAtEnd, cpsat.boundAtEnd, cpsat.status);
        RunRecord hinted = child("cpsat-hint", instance, seconds, snapshot, CPSAT_HEAP);
        System.err.printf("CP-SAT + hint: %s @%d s, %s @end, bound %s, %s%n", hinted.scoreAtSnapshot, snapshot,
                hinted.scoreAtEnd, hinted.boundAtEnd, hinted.status);
        RunRecord lp;
        if (coursePairs <= LP_UP_TO_PAIRS) {
            lp = child("lp", instance, LP_SECONDS_PER_STAGE, 0, CPSAT_HEAP);
        } else {
            lp = new RunRecord();
            lp.status = "not run: GLOP did not finish the medium stage of this size in 150 s on this machine";
        }
        System.err.printf("LP bound: %s (%s, %d ms)%n", lp.boundAtEnd, lp.status, lp.solveMillis);
        return new Result(instance, opta, candidate, seedRuns, cpsat, hinted, lp, greedyScore.toString(), greedyMillis, greedyViolations,
                simpleBound, slotPairs, coursePairs);
    }

    // ---------------------------------------------------------------- child JVMs

    static RunRecord child(String method, Instance instance, int seconds, int snapshot, String heap)
            throws IOException, InterruptedException {
        Path json = Files.createTempFile("solverbench-" + method + "-", ".json");
        Path log = Files.createTempFile("solverbench-" + method + "-", ".log");
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), heap,
                "-Dlogback.configurationFile=bench-logback.xml",
                "-cp", System.getProperty("java.class.path"), SolverBench.class.getName(),
                "--child", method, "--courses", String.valueOf(instance.courses()),
                "--applicants", String.valueOf(instance.applicants()), "--seed", String.valueOf(instance.seed()),
                "--seconds", String.valueOf(seconds), "--snapshot", String.valueOf(snapshot), "--out", json.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean done = p.waitFor(seconds + 300L, TimeUnit.SECONDS);
        RunRecord r;
        if (!done) {
            p.destroyForcibly().waitFor();
            r = failed(method, instance, seconds, heap, "did not finish within " + (seconds + 300) + " s", log);
        } else if (p.exitValue() != 0 || Files.size(json) == 0) {
            r = failed(method, instance, seconds, heap, "child JVM exited with " + p.exitValue(), log);
        } else {
            r = JSON.readValue(json.toFile(), RunRecord.class);
        }
        Files.deleteIfExists(json);
        if (r.error == null) {
            Files.deleteIfExists(log);
        } else {
            System.err.println(method + " failed, log kept at " + log);
        }
        return r;
    }

    private static RunRecord failed(String method, Instance instance, int seconds, String heap, String why, Path log)
            throws IOException {
        RunRecord r = new RunRecord();
        r.method = method;
        r.courses = instance.courses();
        r.seconds = seconds;
        r.jvm = heap;
        String text = Files.readString(log, StandardCharsets.UTF_8);
        r.error = why + (text.contains("OutOfMemoryError") ? " (OutOfMemoryError)" : "");
        return r;
    }

    static void child(Map<String, String> opts) throws IOException {
        HeapProbe probe = new HeapProbe();
        Instance instance = new Instance(Integer.parseInt(opts.get("courses")), Integer.parseInt(opts.get("applicants")),
                Long.parseLong(opts.get("seed")));
        int seconds = Integer.parseInt(opts.get("seconds"));
        int snapshot = Integer.parseInt(opts.get("snapshot"));
        RunRecord r = switch (opts.get("child")) {
            case "optaplanner" -> OptaPlannerRun.run(instance, seconds, snapshot, false, null);
            case "optaplanner-generic" -> OptaPlannerRun.run(instance, seconds, snapshot, true, null);
            case "cpsat" -> CpSatPeer.run(instance, seconds, snapshot, CPSAT_WORKERS, false);
            case "cpsat-hint" -> CpSatPeer.run(instance, seconds, snapshot, CPSAT_WORKERS, true);
            case "lp" -> LpBound.run(instance, seconds);
            default -> {
                if (!opts.get("child").startsWith("optaplanner-seed-")) {
                    throw new IllegalArgumentException("unknown method " + opts.get("child"));
                }
                yield OptaPlannerRun.run(instance, seconds, snapshot, false,
                        Long.parseLong(opts.get("child").substring("optaplanner-seed-".length())));
            }
        };
        r.courses = instance.courses();
        r.applicants = instance.applicants();
        r.seed = instance.seed();
        r.seconds = seconds;
        r.jvm = String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments());
        r.peakHeapBytes = probe.peakHeapBytes();
        r.maxHeapAfterGcBytes = probe.maxAfterGcBytes();
        r.peakRssBytes = HeapProbe.peakRssBytes();
        JSON.writeValue(new File(opts.get("out")), r);
        System.exit(0);   // CP-SAT's and OptaPlanner's threads are done; don't wait on anything else
    }

    // ---------------------------------------------------------------- report

    static String report(List<Result> results, int seconds, int snapshot, String loadBefore, String loadAfter) {
        String at1 = "@" + snapshot + " s";
        String at2 = seconds == snapshot ? "@end (" + seconds + " s)" : "@" + seconds + " s";
        BenchTable main = new BenchTable("Solver benchmark: OptaPlanner vs CP-SAT vs greedy",
                "Instance", "Method", "First feasible", "Beats greedy at", "Score " + at1, "Gap " + at1,
                "Score " + at2, "Gap " + at2, "Gap to simple bound " + at2, "Heap peak / max after GC / RSS");
        BenchTable refs = new BenchTable("Bounds and model sizes", "Instance", "Slots / slot-candidate pairs",
                "CP-SAT model", "CP-SAT status " + at2 + " (plain / hinted)", "CP-SAT bound " + at1 + " (plain / hinted)",
                "CP-SAT bound " + at2 + " (plain / hinted)",
                "LP bound", "Simple bound", "Gap reference");
        List<String> goals = new ArrayList<>();
        List<String> checks = new ArrayList<>();
        StringBuilder seeds = new StringBuilder();
        for (Result res : results) {
            String label = res.instance().label();
            HardMediumSoftLongScore reference = res.simpleBound();
            String refName = "simple bound";
            for (RunRecord cp : List.of(res.cpsat(), res.cpsatHint(), res.lp())) {
                HardMediumSoftLongScore cpBound = Yardstick.parse(cp.boundAtEnd);
                if (cpBound != null && cpBound.compareTo(reference) < 0) {
                    reference = cpBound;
                    refName = cp == res.lp() ? "LP bound" : "OPTIMAL".equals(cp.status) ? "CP-SAT optimum"
                            : "CP-SAT bound " + at2;
                }
            }
            HardMediumSoftLongScore greedy = Yardstick.parse(res.greedyScore());
            for (RunRecord r : List.of(res.optaplanner(), res.candidate(), res.cpsat(), res.cpsatHint())) {
                HardMediumSoftLongScore s1 = Yardstick.parse(r.scoreAtSnapshot);
                HardMediumSoftLongScore s2 = Yardstick.parse(r.scoreAtEnd);
                main.row(label, r.method + (r.error == null ? "" : " ⚠"), millis(r.firstFeasibleMillis),
                        millis(beats(r, greedy)), orNone(r.scoreAtSnapshot), Yardstick.gap(s1, reference),
                        orNone(r.scoreAtEnd), Yardstick.gap(s2, reference), Yardstick.gap(s2, res.simpleBound()),
                        memory(r));
                if (r.error != null) {
                    checks.add(label + ", " + r.method + ": " + r.error);
                }
                if (!r.violationsAtEnd.isEmpty() || !r.violationsAtSnapshot.isEmpty()) {
                    checks.add(label + ", " + r.method + ": the independent hard-rule checker found "
                            + (r.violationsAtSnapshot.size() + r.violationsAtEnd.size()) + " violations, e.g. "
                            + (r.violationsAtEnd.isEmpty() ? r.violationsAtSnapshot : r.violationsAtEnd).get(0));
                }
                if (r.objectiveCheck != null) {
                    checks.add(label + ", " + r.method + ": " + r.objectiveCheck);
                }
            }
            main.row(label, "greedy", res.greedyMillis() + " ms", "–", res.greedyScore(),
                    Yardstick.gap(greedy, reference), "(same)", "", Yardstick.gap(greedy, res.simpleBound()), "–");
            if (!res.greedyViolations().isEmpty()) {
                checks.add(label + ", greedy: hard-rule checker: " + res.greedyViolations().get(0));
            }
            refs.row(label, res.optaplanner().modelSize == null ? res.slotPairs() + " pairs" : res.optaplanner().modelSize,
                    orNone(res.cpsat().modelSize) + ", built in " + res.cpsat().buildMillis + " ms",
                    orNone(res.cpsat().status) + " / " + orNone(res.cpsatHint().status),
                    orNone(res.cpsat().boundAtSnapshot) + " / " + orNone(res.cpsatHint().boundAtSnapshot),
                    orNone(res.cpsat().boundAtEnd) + " / " + orNone(res.cpsatHint().boundAtEnd),
                    orNone(res.lp().boundAtEnd) + " (" + orNone(res.lp().status) + ", " + orNone(res.lp().modelSize)
                            + ", " + res.lp().solveMillis + " ms)", res.simpleBound(), refName);
            goals.addAll(goals(res, res.optaplanner(), reference, refName, snapshot, seconds));
            goals.addAll(goals(res, res.candidate(), reference, refName, snapshot, seconds));
            if (!res.seedRuns().isEmpty()) {
                List<RunRecord> all = new ArrayList<>(List.of(res.optaplanner()));
                all.addAll(res.seedRuns());
                List<Double> gaps = new ArrayList<>();
                int within = 0;
                seeds.append("| ").append(label).append(" | ").append(res.instance().seed()).append(" (the problem's) | ")
                        .append(orNone(res.optaplanner().scoreAtSnapshot)).append(" | ")
                        .append(Yardstick.gap(Yardstick.parse(res.optaplanner().scoreAtSnapshot), reference)).append(" |\n");
                for (RunRecord r : res.seedRuns()) {
                    seeds.append("| ").append(label).append(" | ").append(r.solverSeed).append(" | ").append(orNone(r.scoreAtSnapshot))
                            .append(" | ").append(Yardstick.gap(Yardstick.parse(r.scoreAtSnapshot), reference)).append(" |\n");
                    if (!r.violationsAtSnapshot.isEmpty() || r.error != null) {
                        checks.add(label + ", " + r.method + ": " + (r.error != null ? r.error
                                : "the independent hard-rule checker found " + r.violationsAtSnapshot.size() + " violations"));
                    }
                }
                for (RunRecord r : all) {
                    HardMediumSoftLongScore sc = Yardstick.parse(r.scoreAtSnapshot);
                    boolean sameMedium = sc != null && sc.mediumScore() >= reference.mediumScore();
                    gaps.add(sameMedium ? Yardstick.softGapPercent(sc, reference) : Double.POSITIVE_INFINITY);
                    within += within(sc, reference, 0.5) ? 1 : 0;
                }
                List<Double> sorted = gaps.stream().sorted().toList();
                double median = sorted.size() % 2 == 1 ? sorted.get(sorted.size() / 2)
                        : (sorted.get(sorted.size() / 2 - 1) + sorted.get(sorted.size() / 2)) / 2;
                goals.add(String.format(Locale.ROOT, "OptaPlanner over %d solver seeds (the problem's and %s), %s, within "
                        + "0.5%% of %s in %d s: %s — within it in %d of %d runs; median gap %.3f%%, worst %.2f%%", all.size(),
                        java.util.Arrays.toString(SOLVER_SEEDS), label, refName, snapshot,
                        within == all.size() ? "MET" : within * 2 > all.size() ? "MET IN MOST RUNS" : "MISSED",
                        within, all.size(), median, sorted.get(sorted.size() - 1)));
            }
        }

        main.note("Instances: the solver module's DepartmentGenerator with seed 42 (60/180, 300/900, 1,500/2,500"
                + " courses/applicants), mapped by its ProblemMapper; all methods get the same eligible candidates.");
        main.note("OptaPlanner: the production TaSolverConfig as the solver module builds it for each size ("
                + configurations(results) + "), seed 42, one run of " + seconds + " s with a "
                + "plain time limit (the production default would also stop after 10 s without improvement); "
                + "the score " + at1 + " is the best solution reported by then (best-solution listener, time from "
                + "solve start). One JVM per run with " + OPTAPLANNER_HEAP + ", one solver thread.");
        main.note("OptaPlanner, change and swap moves only (ablation): the production configuration without the "
                + "domain's moves (fill by ejection, trades of equal hours, ejection chains), i.e. late acceptance "
                + "over OptaPlanner's generic change and swap moves: what those moves are worth.");
        main.note("CP-SAT: OR-Tools 9.14.6206, " + CPSAT_WORKERS + " workers, seed 42, one run of " + seconds
                + " s from scratch, and one more ('+ greedy hint') given the greedy baseline's assignment as a "
                + "solution hint, since OptaPlanner also starts from a greedy construction; the score " + at1 + " is the last improving solution CP-SAT reported by then (its wall "
                + "clock, which starts after the Java model is built — building time is in the second table). "
                + "Every CP-SAT solution is mapped back (slot numbers filled lowest first) and re-scored with "
                + "OptaPlanner's score calculator; the checks below confirm the model's objective equals that score.");
        main.note("Greedy: slots by course priority (below-minimum slots first, then fewest candidates), each "
                + "given the best-rated candidate that still fits; scored the same way. Its time is the whole run.");
        main.note("First feasible: time of the first reported solution with every hard rule met. Both models "
                + "start from the empty assignment, which already breaks no hard rule, so this is the first "
                + "solution each method *reports* (OptaPlanner: after its greedy start; CP-SAT: its first "
                + "solution, often a poor one). 'Beats greedy at' is the first time a method's best score is at "
                + "least the greedy baseline's, a more useful notion of a first usable answer.");
        main.note("Gap: lexicographic like the score. Where the medium level falls short of the reference the "
                + "cell shows that shortfall; where the medium levels are equal it shows (reference soft − soft) / "
                + "|reference soft| in percent. The reference per instance (second table) is CP-SAT's optimum, or "
                + "the tightest of CP-SAT's best bounds after " + seconds + " s, the LP bound and the simple bound; "
                + "the " + at1 + " gaps use the same reference. The LP bound: the linear relaxation of the CP-SAT "
                + "model (GLOP; clashes as clique rows, the count and hours tables as their convex envelopes), "
                + "minimizing the medium level, then the soft level at that medium level rounded up. The simple bound: every course gets its best candidates, no TA "
                + "owed hours, every experience wish met where possible, and only the fair-load cost the spare "
                + "capacity forces (Cauchy-Schwarz) — weak, but it exists where CP-SAT has no bound.");
        main.note("Memory: heap peak = highest heap use seen just before a garbage collection (GC notifications; "
                + "includes garbage, so it follows the -Xmx the JVM was given); max after GC = highest heap use "
                + "right after a collection, an upper bound on what the solve keeps live; RSS = the process's peak "
                + "resident memory (VmHWM), which for CP-SAT includes its native memory.");
        main.note("Not modelled in CP-SAT: pins and distance from a previous assignment (the benchmark instances "
                + "have neither; the model refuses instances that do). Everything else in the score is exact: "
                + "unfilled slots by count (element table), hours owed and the squared fair load by a TA's hours "
                + "(element tables, plus secant cuts of the convex tables), experience as a 0/1 'none chosen' "
                + "variable, requests/preferences/continuity linear. The medium level is weighted by a factor "
                + "above the soft level's whole range, which makes one minimization exactly lexicographic.");
        main.note("Machine load (uptime) before: " + loadBefore + "; after: " + loadAfter + ". 2 cores shared with "
                + "other builds: single runs, so expect a few percent of noise; CP-SAT with several workers is not "
                + "deterministic either.");
        StringBuilder md = new StringBuilder(main.markdown());
        md.append("\n").append(refs.markdown().replaceFirst("^# ", "## ").replaceFirst("(?s)Run [^\n]*\n\n", ""));
        md.append("\n## Goals of the issue\n\n");
        goals.forEach(g -> md.append("- ").append(g).append("\n"));
        if (seeds.length() > 0) {
            md.append("\n## The production configuration over solver seeds (" + snapshot + " s runs)\n\n")
                    .append("Same instance, same configuration, the solver's random seed changed; each run in a fresh JVM "
                            + "(cold start, like the main table). The seed-42 row is the main table's run at " + snapshot + " s.\n\n")
                    .append("| Instance | Solver seed | Score @" + snapshot + " s | Gap @" + snapshot + " s |\n|---|---|---|---|\n")
                    .append(seeds);
        }
        md.append("\n## Checks\n\n");
        checks.forEach(c -> md.append("- ").append(c).append("\n"));
        md.append("\n## Timelines (new best scores, time from solve start)\n\n");
        for (Result res : results) {
            for (RunRecord r : List.of(res.optaplanner(), res.candidate(), res.cpsat(), res.cpsatHint())) {
                md.append("- ").append(res.instance().label()).append(", ").append(r.method)
                        .append(r.configuration == null ? "" : " (" + r.configuration + ")").append(": ")
                        .append(timeline(r.timeline)).append("\n");
                // CP-SAT's first bounds can be trivial (a positive soft level): leave those out
                List<RunRecord.Point> useful = r.bounds.stream()
                        .filter(p -> HardMediumSoftLongScore.parseScore(p.score()).softScore() <= 0).toList();
                if (!useful.isEmpty()) {
                    md.append("  - bound").append(useful.size() < r.bounds.size() ? " (trivial first bounds left out)" : "")
                            .append(": ").append(timeline(useful)).append("\n");
                }
                if (r.scoreCalculationsPerSecond > 0) {
                    md.append("  - ").append(String.format(Locale.ROOT, "%,d", r.scoreCalculationsPerSecond))
                            .append(" score calculations per second\n");
                }
            }
        }
        return md.toString();
    }

    private static String configurations(List<Result> results) {
        List<String> parts = new ArrayList<>();
        for (Result res : results) {
            parts.add(res.instance().courses() + " courses: " + orNone(res.optaplanner().configuration));
        }
        return String.join("; ", parts);
    }

    static List<String> goals(Result res, RunRecord opta, HardMediumSoftLongScore reference, String refName,
            int snapshot, int seconds) {
        List<String> goals = new ArrayList<>();
        String who = opta.method + ": ";
        RunRecord cp = res.cpsat();
        HardMediumSoftLongScore o1 = Yardstick.parse(opta.scoreAtSnapshot);
        HardMediumSoftLongScore o2 = Yardstick.parse(opta.scoreAtEnd);
        // the better of the two CP-SAT runs at each time
        HardMediumSoftLongScore c1 = best(Yardstick.parse(cp.scoreAtSnapshot), Yardstick.parse(res.cpsatHint().scoreAtSnapshot));
        HardMediumSoftLongScore c2 = best(Yardstick.parse(cp.scoreAtEnd), Yardstick.parse(res.cpsatHint().scoreAtEnd));
        int courses = res.instance().courses();
        if (courses == 60) {
            // the optimum lies between the best solution anyone found and the best bound
            HardMediumSoftLongScore bestKnown = Yardstick.parse(res.greedyScore());
            for (HardMediumSoftLongScore s : new HardMediumSoftLongScore[] {c2, Yardstick.parse(res.optaplanner().scoreAtEnd),
                    Yardstick.parse(res.candidate().scoreAtEnd)}) {
                if (s != null && s.isFeasible() && s.compareTo(bestKnown) > 0) {
                    bestKnown = s;
                }
            }
            String verdict;
            if (within(o1, reference, 0.5)) {
                verdict = "MET — within 0.5% of " + refName + " " + reference + ", so of the optimum too";
            } else if (!within(o1, bestKnown, 0.5)) {
                verdict = "MISSED — not within 0.5% of the best solution found (" + bestKnown + "; gap "
                        + Yardstick.gap(o1, bestKnown) + "), so not of the optimum either";
            } else {
                verdict = "NOT DECIDED — within 0.5% of the best solution found (" + bestKnown + ") but not of "
                        + refName + " " + reference + "; CP-SAT did not prove the optimum";
            }
            goals.add(who + "60 courses, within 0.5% of the CP-SAT optimum in " + snapshot + " s: " + verdict
                    + ". Score at " + snapshot + " s: " + o1 + "; CP-SAT status " + cp.status + ".");
        }
        if (courses == 1500) {
            boolean feasible = opta.firstFeasibleMillis != null && opta.firstFeasibleMillis <= snapshot * 1000L
                    && o1 != null && o1.isFeasible() && opta.violationsAtSnapshot.isEmpty();
            goals.add(who + "1,500 courses, feasible within " + snapshot + " s: " + (feasible ? "MET" : "MISSED")
                    + " — first feasible at " + millis(opta.firstFeasibleMillis) + ", " + snapshot + " s score " + o1
                    + (opta.violationsAtSnapshot.isEmpty() ? ", no violations per the independent checker" : ""));
            goals.add(who + "1,500 courses, better than CP-SAT at equal time: " + (better(o1, c1) && better(o2, c2)
                    ? "MET" : "MISSED") + " — OptaPlanner vs the better CP-SAT run, " + snapshot + " s: " + o1
                    + " vs " + orNone(c1) + "; " + seconds + " s: " + o2 + " vs " + orNone(c2));
            boolean heap = opta.error == null && opta.jvm != null && opta.jvm.contains(OPTAPLANNER_HEAP);
            goals.add(who + "1,500 courses, under 1 GB heap: " + (heap ? "MET" : "MISSED") + " — the run "
                    + (heap ? "completed" : "did not complete") + " with " + OPTAPLANNER_HEAP + "; at most "
                    + mb(opta.maxHeapAfterGcBytes) + " stayed after a collection (peak before GC "
                    + mb(opta.peakHeapBytes) + ", RSS " + mb(opta.peakRssBytes) + ")");
        }
        return goals;
    }

    private static HardMediumSoftLongScore best(HardMediumSoftLongScore a, HardMediumSoftLongScore b) {
        if (a == null || !a.isFeasible()) {
            return b;
        }
        return b == null || !b.isFeasible() || a.compareTo(b) >= 0 ? a : b;
    }

    /** Feasible, the same medium level as the reference (or better) and within pct percent on soft. */
    private static boolean within(HardMediumSoftLongScore s, HardMediumSoftLongScore ref, double pct) {
        return s != null && s.isFeasible() && (s.mediumScore() > ref.mediumScore()
                || s.mediumScore() == ref.mediumScore() && Yardstick.softGapPercent(s, ref) <= pct);
    }

    private static boolean better(HardMediumSoftLongScore a, HardMediumSoftLongScore b) {
        return a != null && a.isFeasible() && (b == null || a.compareTo(b) > 0);
    }

    static Long beats(RunRecord r, HardMediumSoftLongScore greedy) {
        for (RunRecord.Point p : r.timeline) {
            if (HardMediumSoftLongScore.parseScore(p.score()).compareTo(greedy) >= 0) {
                return p.millis();
            }
        }
        return null;
    }

    private static String timeline(List<RunRecord.Point> points) {
        if (points.isEmpty()) {
            return "none";
        }
        // keep it short: the first few, then at most one per second, and the last
        List<String> parts = new ArrayList<>();
        long lastSecond = -1;
        for (int i = 0; i < points.size(); i++) {
            RunRecord.Point p = points.get(i);
            long second = p.millis() / (p.millis() < 10_000 ? 1000 : 5000);
            if (i < 3 || i == points.size() - 1 || second != lastSecond) {
                parts.add(String.format(Locale.ROOT, "%.1f s %s", p.millis() / 1000.0, p.score()));
                lastSecond = second;
            }
        }
        return String.join(" → ", parts);
    }

    private static String memory(RunRecord r) {
        if (r.peakRssBytes == 0) {
            return "–";
        }
        return mb(r.peakHeapBytes) + " / " + mb(r.maxHeapAfterGcBytes) + " / " + mb(r.peakRssBytes) + " ("
                + r.jvm.replaceAll(".*(-Xmx\\S+).*", "$1") + ")";
    }

    private static String mb(long bytes) {
        return bytes <= 0 ? "–" : (bytes / (1024 * 1024)) + " MB";
    }

    private static String millis(Long ms) {
        return ms == null ? "never" : ms < 1000 ? ms + " ms" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }

    private static String orNone(Object o) {
        return o == null ? "none" : o.toString();
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim().replaceAll("^(\\S+ \\S+ \\S+).*", "$1");
        } catch (IOException e) {
            return "unknown";
        }
    }

    static Map<String, String> options(String[] args) {
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + args[i]);
            }
            String key = args[i].substring(2);
            if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                opts.put(key, args[++i]);
            } else {
                opts.put(key, "true");
            }
        }
        return opts;
    }
}
