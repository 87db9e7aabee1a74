package tapipeline.bench.solver;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import tapipeline.schemas.EventCodec;
import tapipeline.schemas.EventTypes;
import tapipeline.schemas.assignment.Applicant;
import tapipeline.schemas.assignment.AssignmentProblem;
import tapipeline.schemas.assignment.Course;
import tapipeline.schemas.assignment.Preference;
import tapipeline.schemas.assignment.RunCompleted;
import tapipeline.schemas.assignment.SlotAssignment;
import tapipeline.schemas.assignment.SolverSettings;
import tapipeline.solver.check.HardRuleChecker;
import tapipeline.solver.engine.CancellationToken;
import tapipeline.solver.engine.Checkpointing;
import tapipeline.solver.engine.SolverEngine;
import tapipeline.solver.score.AssignmentScorer;

/**
 * The split experiment of issue #18: a university run cut into parts by department (the course
 * code's prefix, departments spread over the parts by hours; each applicant goes to the part where
 * they rated most, moved to another part once a part's hours pass 1.12 times its demand), the parts
 * solved at once by {@link SolverEngine} with the same limit, then joined and scored as one
 * assignment ({@link AssignmentScorer}, {@link HardRuleChecker}). Every constraint is per slot, per
 * course or per TA (fair load is per TA, not global), and a TA is in one part only, so the joined
 * assignment breaks no rule the parts keep and its score is the sum of theirs; what a split loses is
 * every candidate a part does not see. Compare with one search of the whole problem
 * ({@code bin/solver solve}, same seed and limit).
 *
 * <pre>  bench/run tapipeline.bench.solver.SplitExperiment problem.json SECONDS PARTS [MOVE_THREADS]</pre>
 * (PARTS 1 is one search of the whole problem in the same harness; MOVE_THREADS sets each run's
 * {@code moveThreadCount}, e.g. 2 for one search with as many threads as two parts have.)
 */
public final class SplitExperiment {

    private SplitExperiment() {
    }

    public static void main(String[] args) throws Exception {
        AssignmentProblem p = EventCodec.standard().decodePayload(Files.readAllBytes(Path.of(args[0])),
                EventTypes.RUN_REQUESTED);
        int seconds = Integer.parseInt(args[1]);
        int parts = Integer.parseInt(args[2]);
        Integer moveThreads = args.length > 3 ? Integer.valueOf(args[3]) : null;
        long t0 = System.nanoTime();

        // departments, largest first, each to the part with the least demand so far
        Map<String, Long> hoursByDept = new TreeMap<>();
        for (Course c : p.courses()) {
            hoursByDept.merge(department(c), (long) c.slots() * c.hoursPerSlot(), Long::sum);
        }
        List<String> depts = new ArrayList<>(hoursByDept.keySet());
        depts.sort((x, y) -> Long.compare(hoursByDept.get(y), hoursByDept.get(x)));
        Map<String, Integer> partOfDept = new HashMap<>();
        long[] demand = new long[parts];
        for (String d : depts) {
            int best = 0;
            for (int i = 1; i < parts; i++) {
                best = demand[i] < demand[best] ? i : best;
            }
            partOfDept.put(d, best);
            demand[best] += hoursByDept.get(d);
        }
        Map<String, Integer> partOfCourse = new HashMap<>();
        p.courses().forEach(c -> partOfCourse.put(c.id(), partOfDept.get(department(c))));

        // applicants: where their ratings are, within about 1.1 times each part's demand
        Map<String, int[]> votes = new HashMap<>();
        for (Preference pr : p.preferences()) {
            if (!pr.willNot()) {
                votes.computeIfAbsent(pr.applicantId(), k -> new int[parts])[partOfCourse.get(pr.courseId())] += pr.rating();
            }
        }
        long[] capacity = new long[parts];
        Map<String, Integer> partOfApplicant = new HashMap<>();
        for (Applicant a : p.applicants()) {
            int[] v = votes.getOrDefault(a.id(), new int[parts]);
            int best = 0;
            for (int i = 1; i < parts; i++) {
                best = v[i] > v[best] ? i : best;
            }
            if (capacity[best] > demand[best] * 1.12) {
                int least = 0;
                for (int i = 1; i < parts; i++) {
                    least = capacity[i] * demand[least] < capacity[least] * demand[i] ? i : least;
                }
                best = least;
            }
            partOfApplicant.put(a.id(), best);
            capacity[best] += a.maxHours();
        }
        System.out.println("demand by part " + Arrays.toString(demand) + " h, capacity " + Arrays.toString(capacity) + " h");

        long spentMs = (System.nanoTime() - t0) / 1_000_000;
        ExecutorService pool = Executors.newFixedThreadPool(parts);
        List<Future<RunCompleted>> runs = new ArrayList<>();
        for (int k = 0; k < parts; k++) {
            int part = k;
            AssignmentProblem sub = new AssignmentProblem(p.runId() + "-" + part, p.term(), p.department(),
                    p.courses().stream().filter(c -> partOfCourse.get(c.id()) == part).toList(),
                    p.applicants().stream().filter(a -> partOfApplicant.get(a.id()) == part).toList(),
                    p.preferences().stream().filter(x -> partOfCourse.get(x.courseId()) == part
                            && partOfApplicant.get(x.applicantId()) == part).toList(),
                    p.instructorPreferences().stream().filter(x -> partOfCourse.get(x.courseId()) == part
                            && partOfApplicant.get(x.applicantId()) == part).toList(),
                    List.of(), List.of(), new SolverSettings(seconds, 0, 1, moveThreads, Map.of()));
            runs.add(pool.submit(() -> new SolverEngine().solve(sub, progress -> { }, CancellationToken.none(),
                    Checkpointing.none(), spentMs)));
        }
        List<SlotAssignment> joined = new ArrayList<>();
        for (Future<RunCompleted> f : runs) {
            RunCompleted r = f.get();
            System.out.println("part " + r.runId() + ": " + r.score() + " in " + r.solveMs() + " ms");
            r.assignments().stream().filter(a -> a.applicantId() != null)
                    .forEach(a -> joined.add(new SlotAssignment(a.courseId(), a.slotIndex(), a.applicantId())));
        }
        pool.shutdown();
        long wallMs = (System.nanoTime() - t0) / 1_000_000;

        AssignmentScorer.Scored scored = AssignmentScorer.score(p, joined);
        Map<String, Integer> priority = new HashMap<>();
        long total = 0;
        for (Course c : p.courses()) {
            priority.put(c.id(), c.priority());
            total += (long) c.priority() * c.slots();
        }
        long filled = joined.stream().mapToLong(s -> priority.get(s.courseId())).sum();
        System.out.printf(Locale.ROOT, "split into %d: wall %d ms, joined score %s, filled priority %.4f%%, "
                + "hard rules broken %d%n", parts, wallMs, scored.score(), 100.0 * filled / total,
                HardRuleChecker.violations(p, joined).size());
        System.exit(0);
    }

    private static String department(Course c) {
        return c.code().split(" ")[0];
    }
}
