package tapipeline.bench.solver;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import tapipeline.bench.BenchTable;
import tapipeline.schemas.EventCodec;
import tapipeline.schemas.EventTypes;
import tapipeline.schemas.assignment.AssignmentProblem;
import tapipeline.schemas.assignment.Course;
import tapipeline.schemas.assignment.RunCompleted;
import tapipeline.schemas.assignment.SlotAssignment;
import tapipeline.schemas.assignment.SolverSettings;
import tapipeline.solver.check.HardRuleChecker;
import tapipeline.solver.domain.CandidateList;
import tapipeline.solver.domain.TaAssignmentSolution;
import tapipeline.solver.domain.TaSlot;
import tapipeline.solver.engine.CancellationToken;
import tapipeline.solver.engine.Checkpointing;
import tapipeline.solver.engine.SolverEngine;
import tapipeline.solver.generator.DepartmentGenerator;
import tapipeline.solver.io.ProblemMapper;

/**
 * The solver at university scale, as a run really goes: the problem as JSON bytes, decoded (with
 * its schema check) and solved by {@link SolverEngine} with the run's clock started before decoding,
 * and the result encoded to JSON, all inside one child JVM with {@code -Xmx2g}. Measures the wall
 * time against the limit, the live heap (heap after a full collection forced half-way through the
 * limit, and the most the heap kept after any collection), the filled priority as a share of the
 * trivial bound (every slot filled), the hard rules ({@link HardRuleChecker}), the first feasible
 * progress with TAs in it, and the JSON sizes. Writes its section of {@code bench/results/solver.md}
 * (between markers, so the main solver benchmark keeps it).
 *
 * <pre>
 *   bench/run solver --scale [--sizes 5000x10000,10000x20000] [--seconds 60] [--out bench/results/solver.md]
 * </pre>
 */
final class ScaleBench {

    static final String HEAP = "-Xmx2g";
    static final String BEGIN = "<!-- scale:begin (bench/run solver --scale) -->";
    static final String END = "<!-- scale:end -->";

    private ScaleBench() {
    }

    /** What one child run measured. */
    static final class Run {
        public int courses;
        public int applicants;
        public long seed;
        public int seconds;
        public int slots;
        public long pairs;
        public int components;
        public int largestComponentCourses;
        public long problemBytes;
        public long resultBytes;
        public long decodeMs;
        public long wallMs;
        public long solveMs;
        public Long firstFeasibleMs;
        public long liveHeapMidBytes;
        public long maxAfterGcBytes;
        public long peakHeapBytes;
        public long peakRssBytes;
        public String status;
        public String score;
        public long filledPriority;
        public long totalPriority;
        public int emptySlots;
        public int violations;
        public String cutShort;
        public String error;
    }

    static void main(Map<String, String> opts) throws Exception {
        int seconds = Integer.parseInt(opts.getOrDefault("seconds", "60"));
        Path out = Path.of(opts.getOrDefault("out", "bench/results/solver.md"));
        List<int[]> sizes = new ArrayList<>();
        for (String s : opts.getOrDefault("sizes", "5000x10000,10000x20000").split(",")) {
            String[] p = s.split("x");
            sizes.add(new int[] {Integer.parseInt(p[0]), Integer.parseInt(p[1])});
        }
        String loadBefore = SolverBench.loadAverage();
        List<Run> runs = new ArrayList<>();
        for (int[] size : sizes) {
            runs.add(child(size[0], size[1], seconds));
        }
        String loadAfter = SolverBench.loadAverage();
        String section = report(runs, seconds, loadBefore, loadAfter);
        System.out.println(section);
        String md = Files.exists(out) ? Files.readString(out, StandardCharsets.UTF_8) : "";
        Files.writeString(out, withSection(md, section), StandardCharsets.UTF_8);
        System.out.println("written to " + out);
    }

    /** The file with its scale section replaced (or appended). */
    static String withSection(String md, String section) {
        String block = BEGIN + "\n" + section + END + "\n";
        int b = md.indexOf(BEGIN);
        int e = md.indexOf(END);
        if (b >= 0 && e > b) {
            return md.substring(0, b) + block + md.substring(e + END.length()).replaceFirst("^\n", "");
        }
        return md + (md.isEmpty() || md.endsWith("\n\n") ? "" : md.endsWith("\n") ? "\n" : "\n\n") + block;
    }

    /** The scale section of an existing file, or "" (so the main benchmark can keep it when it rewrites the file). */
    static String existingSection(Path file) {
        try {
            String md = Files.readString(file, StandardCharsets.UTF_8);
            int b = md.indexOf(BEGIN);
            int e = md.indexOf(END);
            return b >= 0 && e > b ? md.substring(b, e + END.length()) + "\n" : "";
        } catch (IOException e) {
            return "";
        }
    }

    static Run child(int courses, int applicants, int seconds) throws IOException, InterruptedException {
        Path json = Files.createTempFile("scalebench-", ".json");
        Path log = Files.createTempFile("scalebench-", ".log");
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), HEAP,
                "-Dlogback.configurationFile=bench-logback.xml", "-cp", System.getProperty("java.class.path"),
                SolverBench.class.getName(), "--child", "scale", "--courses", String.valueOf(courses),
                "--applicants", String.valueOf(applicants), "--seconds", String.valueOf(seconds), "--out", json.toString());
        System.err.printf("== scale %d courses / %d applicants, %d s%n", courses, applicants, seconds);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean done = p.waitFor(seconds * 3L + 300, TimeUnit.SECONDS);
        Run r;
        if (!done || p.exitValue() != 0 || Files.size(json) == 0) {
            if (!done) {
                p.destroyForcibly().waitFor();
            }
            r = new Run();
            r.courses = courses;
            r.applicants = applicants;
            r.seconds = seconds;
            String text = Files.readString(log, StandardCharsets.UTF_8);
            r.error = (done ? "child JVM exited with " + p.exitValue() : "did not finish")
                    + (text.contains("OutOfMemoryError") ? " (OutOfMemoryError)" : "");
            System.err.println("scale run failed, log kept at " + log);
        } else {
            r = SolverBench.JSON.readValue(json.toFile(), Run.class);
            Files.deleteIfExists(log);
        }
        Files.deleteIfExists(json);
        return r;
    }

    /** In the child JVM: one whole run, measured. */
    static void runChild(Map<String, String> opts) throws Exception {
        HeapProbe probe = new HeapProbe();
        Run r = new Run();
        r.courses = Integer.parseInt(opts.get("courses"));
        r.applicants = Integer.parseInt(opts.get("applicants"));
        r.seed = 3;
        r.seconds = Integer.parseInt(opts.get("seconds"));
        EventCodec codec = EventCodec.standard();
        byte[] problemJson;
        {
            AssignmentProblem generated = DepartmentGenerator.generate(r.courses, r.applicants, r.seed);
            generated = generated.withSettings(new SolverSettings(r.seconds, 0, 1, null, Map.of()));
            problemJson = codec.encodePayload(generated);
        }
        r.problemBytes = problemJson.length;
        System.gc();

        // the run's clock starts before decoding, as the CLI's and the service's do
        long t0 = System.nanoTime();
        AssignmentProblem problem = codec.decodePayload(problemJson, EventTypes.RUN_REQUESTED);
        r.decodeMs = (System.nanoTime() - t0) / 1_000_000;
        AtomicLong liveMid = new AtomicLong();
        Thread midGc = new Thread(() -> {
            try {
                Thread.sleep(r.seconds * 500L - (System.nanoTime() - t0) / 1_000_000);
                System.gc();
                liveMid.set(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
            } catch (InterruptedException | IllegalArgumentException e) {
                // run ended first
            }
        }, "mid-run-gc");
        midGc.setDaemon(true);
        midGc.start();
        AtomicLong firstFeasible = new AtomicLong(-1);
        RunCompleted result = new SolverEngine().solve(problem, progress -> {
            if (progress.feasible() && progress.assigned() > 0) {
                firstFeasible.compareAndSet(-1, progress.elapsedMs());
            }
        }, CancellationToken.none(), Checkpointing.none(), r.decodeMs);
        byte[] resultJson = codec.encodePayload(result);
        r.wallMs = (System.nanoTime() - t0) / 1_000_000;
        midGc.interrupt();
        r.resultBytes = resultJson.length;
        r.solveMs = result.solveMs();
        r.firstFeasibleMs = firstFeasible.get() < 0 ? null : firstFeasible.get();
        r.liveHeapMidBytes = liveMid.get();
        r.status = result.status().name();
        r.score = result.score();
        r.cutShort = result.problems().stream().filter(p -> p.code().equals(SolverEngine.CUT_SHORT))
                .map(p -> p.message()).findFirst().orElse(null);

        java.util.Map<String, Integer> priority = new java.util.HashMap<>();
        for (Course c : problem.courses()) {
            priority.put(c.id(), c.priority());
            r.totalPriority += (long) c.priority() * c.slots();
        }
        List<SlotAssignment> filled = new ArrayList<>();
        for (RunCompleted.Assignment a : result.assignments()) {
            if (a.applicantId() != null) {
                filled.add(new SlotAssignment(a.courseId(), a.slotIndex(), a.applicantId()));
                r.filledPriority += priority.get(a.courseId());
            } else {
                r.emptySlots++;
            }
        }
        r.violations = HardRuleChecker.violations(problem, filled).size();
        r.maxAfterGcBytes = probe.maxAfterGcBytes();
        r.peakHeapBytes = probe.peakHeapBytes();
        r.peakRssBytes = HeapProbe.peakRssBytes();
        result = null;
        resultJson = null;
        structure(problem, r);
        SolverBench.JSON.writeValue(new File(opts.get("out")), r);
        System.exit(0);
    }

    /**
     * The course/applicant compatibility graph (a course and an applicant are joined when the
     * applicant is a candidate): its connected components, which could be solved apart without
     * changing any rule's meaning (every constraint is per slot, per course or per TA).
     */
    static void structure(AssignmentProblem problem, Run r) {
        TaAssignmentSolution solution = ProblemMapper.toSolution(problem);
        int courses = solution.getCourses().size();
        int applicants = solution.getApplicants().size();
        int[] parent = new int[courses + applicants];
        for (int i = 0; i < parent.length; i++) {
            parent[i] = i;
        }
        java.util.Set<Object> seen = new java.util.HashSet<>();
        for (TaSlot slot : solution.getSlots()) {
            r.slots++;
            r.pairs += slot.getCandidates().size();
            if (!seen.add(slot.getCourse())) {
                continue;
            }
            int c = slot.getCourse().index();
            BitSet bits = slot.getCandidates() instanceof CandidateList list ? list.bits() : new BitSet();
            if (!(slot.getCandidates() instanceof CandidateList)) {
                slot.getCandidates().forEach(a -> bits.set(a.index()));
            }
            for (int a = bits.nextSetBit(0); a >= 0; a = bits.nextSetBit(a + 1)) {
                union(parent, c, courses + a);
            }
        }
        Map<Integer, Integer> size = new java.util.HashMap<>();
        for (int c = 0; c < courses; c++) {
            size.merge(find(parent, c), 1, Integer::sum);
        }
        r.components = size.size();
        r.largestComponentCourses = size.values().stream().mapToInt(Integer::intValue).max().orElse(0);
    }

    private static int find(int[] parent, int x) {
        while (parent[x] != x) {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        return x;
    }

    private static void union(int[] parent, int a, int b) {
        parent[find(parent, a)] = find(parent, b);
    }

    static String report(List<Run> runs, int seconds, String loadBefore, String loadAfter) {
        BenchTable t = new BenchTable("Solver at university scale (SolverEngine, whole run, " + HEAP + ")",
                "Instance", "Limit", "Wall (decode → result JSON)", "First feasible", "Live heap (full GC at half time) / max after any GC / RSS",
                "Filled priority / trivial bound", "Empty slots", "Hard rules (HardRuleChecker)", "Score",
                "Problem JSON", "Result JSON", "On the wire (compressed)", "Cut short");
        for (Run r : runs) {
            String label = String.format(Locale.ROOT, "%,d courses / %,d applicants", r.courses, r.applicants);
            if (r.error != null) {
                t.row(label, r.seconds + " s", "⚠ " + r.error, "", "", "", "", "", "", "", "", "", "");
                continue;
            }
            t.row(label, r.seconds + " s",
                    String.format(Locale.ROOT, "%.1f s (%+.1f%%; decode %.1f s)", r.wallMs / 1000.0,
                            100.0 * (r.wallMs - r.seconds * 1000L) / (r.seconds * 1000L), r.decodeMs / 1000.0),
                    r.firstFeasibleMs == null ? "never" : String.format(Locale.ROOT, "%.1f s", r.firstFeasibleMs / 1000.0),
                    mb(r.liveHeapMidBytes) + " / " + mb(r.maxAfterGcBytes) + " / " + mb(r.peakRssBytes),
                    String.format(Locale.ROOT, "%,d / %,d = %.3f%%", r.filledPriority, r.totalPriority,
                            100.0 * r.filledPriority / r.totalPriority),
                    String.format(Locale.ROOT, "%,d of %,d", r.emptySlots, r.slots),
                    r.violations == 0 ? "all held" : r.violations + " broken",
                    r.score, mb1(r.problemBytes), mb1(r.resultBytes), "– (wire)",
                    r.cutShort == null ? "nothing" : r.cutShort);
        }
        t.note("Instances: DepartmentGenerator, seed 3 (as `bin/solver generate --courses N --applicants M --seed 3`), "
                + "solver seed 1, time limit " + seconds + " s, no unimproved limit. One child JVM per run with " + HEAP
                + ", default GC (G1), 2 cores shared with other work.");
        t.note("Wall: from the problem's JSON bytes to the result's JSON bytes: decoding with the schema check, "
                + "checking, mapping, construction, search, scoring, explanations, the result record and its JSON; the "
                + "engine's clock starts before decoding (SolverEngine.solve(..., alreadySpentMs), as `bin/solver solve` "
                + "counts from reading the file). The JVM's own start (about 0.5 s) is not in it.");
        t.note("First feasible: the first progress report whose best solution breaks no hard rule and has TAs in it "
                + "(the empty start breaks none either), time on the run's clock.");
        t.note("Live heap: heap in use right after a full collection (System.gc()) forced half-way through the limit, "
                + "while the search runs: what the run keeps live then. Max after any GC: the most the heap held after "
                + "any collection (young ones included, so an upper bound that counts old garbage). RSS: the process's "
                + "peak resident memory (VmHWM).");
        t.note("Filled priority: the sum over filled slots of their course's priority, against the trivial bound, "
                + "the sum over all slots (every slot filled). Hard rules: the independent checker on the result.");
        t.note("Problem / result JSON: the payloads as the codec writes them, uncompressed. The bytes on the wire "
                + "(Kafka's compression of `assignment.run.requested` / `.completed`) are the transport's to measure "
                + "(issue #18's other half); that column is theirs.");
        for (Run r : runs) {
            if (r.error == null) {
                t.note(String.format(Locale.ROOT, "%,d courses: %,d slots, %,d slot-candidate pairs; the "
                        + "course/applicant compatibility graph has %d connected component(s), the largest with %,d of "
                        + "the %,d courses.", r.courses, r.slots, r.pairs, r.components, r.largestComponentCourses, r.courses));
            }
        }
        t.note("Machine load (/proc/loadavg) before: " + loadBefore + "; after: " + loadAfter + ".");
        return t.markdown().replaceFirst("^# ", "## ");
    }

    private static String mb1(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB (%,d bytes)", bytes / 1048576.0, bytes);
    }

    private static String mb(long bytes) {
        return bytes <= 0 ? "–" : String.format(Locale.ROOT, "%,d MB", bytes / (1024 * 1024));
    }
}
