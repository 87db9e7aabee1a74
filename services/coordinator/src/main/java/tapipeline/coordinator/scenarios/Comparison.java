package tapipeline.coordinator.scenarios;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tapipeline.schemas.assignment.AssignmentProblem;
import tapipeline.schemas.assignment.Course;
import tapipeline.schemas.assignment.RunCompleted;
import tapipeline.schemas.assignment.SlotAssignment;

/**
 * A scenario's solved assignment side by side with the term's current plan: the score and each
 * constraint's share in two columns with the difference, slots filled of the total, the TAs moved (whose
 * set of courses differs) and, per moved TA, the courses and hours before and after: who gains and who
 * loses. Pure: built from the two runs' problems, results and assignments.
 *
 * @param constraints the constraints of either side, the plan's order first
 * @param moved       every TA whose set of courses differs, by name
 */
public record Comparison(Side plan, Side scenario, String scoreDifference, List<ConstraintRow> constraints,
                         List<TaChange> moved, int gainers, int losers) {

    /** One side: a run, its score, and how many of its slots are filled. */
    public record Side(String runId, String score, int filled, int total) {
    }

    /** A run as compared: its problem (courses, applicants), its result (score) and its assignment as reviewed. */
    public record Input(AssignmentProblem problem, RunCompleted result, List<SlotAssignment> assignment) {
    }

    /** One constraint's share of the score on each side ("" where a side does not have it) and the difference. */
    public record ConstraintRow(String constraint, String plan, String scenario, String difference, int planMatches,
                                int scenarioMatches) {
    }

    /**
     * A TA whose set of courses differs.
     *
     * @param gained courses only in the scenario (labels), {@code lost} courses only in the plan
     */
    public record TaChange(String applicantId, String name, List<String> before, int hoursBefore, List<String> after,
                           int hoursAfter, List<String> gained, List<String> lost) {
        public int hoursDifference() {
            return hoursAfter - hoursBefore;
        }

        /** Gains: more hours, or the same hours with a course gained and none lost. */
        public boolean gains() {
            return hoursAfter > hoursBefore || (hoursAfter == hoursBefore && !gained.isEmpty() && lost.isEmpty());
        }

        /** Loses: fewer hours, or the same hours with a course lost and none gained. */
        public boolean loses() {
            return hoursAfter < hoursBefore || (hoursAfter == hoursBefore && !lost.isEmpty() && gained.isEmpty());
        }
    }

    public static Comparison of(String planRunId, Input plan, String scenarioRunId, Input scenario) {
        Side p = side(planRunId, plan);
        Side s = side(scenarioRunId, scenario);
        List<ConstraintRow> rows = constraints(plan.result().scoreBreakdown(), scenario.result().scoreBreakdown());
        List<TaChange> moved = moved(plan, scenario);
        int gainers = (int) moved.stream().filter(TaChange::gains).count();
        int losers = (int) moved.stream().filter(TaChange::loses).count();
        return new Comparison(p, s, difference(plan.result().score(), scenario.result().score()), rows, moved, gainers,
                losers);
    }

    private static Side side(String runId, Input in) {
        int total = in.problem().courses().stream().mapToInt(Course::slots).sum();
        int filled = (int) in.assignment().stream().filter(a -> a.applicantId() != null).count();
        return new Side(runId, in.result().score() == null ? "" : in.result().score(), filled, total);
    }

    private static List<ConstraintRow> constraints(List<RunCompleted.ConstraintScore> plan,
                                                   List<RunCompleted.ConstraintScore> scenario) {
        Map<String, RunCompleted.ConstraintScore> a = new LinkedHashMap<>();
        plan.forEach(c -> a.put(c.constraint(), c));
        Map<String, RunCompleted.ConstraintScore> b = new LinkedHashMap<>();
        scenario.forEach(c -> b.put(c.constraint(), c));
        Set<String> names = new LinkedHashSet<>(a.keySet());
        names.addAll(b.keySet());
        List<ConstraintRow> out = new ArrayList<>();
        for (String n : names) {
            RunCompleted.ConstraintScore x = a.get(n);
            RunCompleted.ConstraintScore y = b.get(n);
            out.add(new ConstraintRow(n, x == null ? "" : x.score(), y == null ? "" : y.score(),
                    difference(x == null ? null : x.score(), y == null ? null : y.score()),
                    x == null ? 0 : x.matches(), y == null ? 0 : y.matches()));
        }
        return out;
    }

    private static final Pattern PART = Pattern.compile("(-?\\d+)([a-z]+)");

    /**
     * {@code after - before} level by level ("0hard/+2medium/-15soft"; a missing side counts as zero), or
     * "" when either is not a score of levels.
     */
    static String difference(String before, String after) {
        Map<String, Long> b = parts(before);
        Map<String, Long> a = parts(after);
        if (b == null || a == null) {
            return "";
        }
        Set<String> levels = new LinkedHashSet<>(a.keySet());
        levels.addAll(b.keySet());
        List<String> out = new ArrayList<>();
        for (String level : levels) {
            long d = a.getOrDefault(level, 0L) - b.getOrDefault(level, 0L);
            out.add((d > 0 ? "+" : "") + d + level);
        }
        return String.join("/", out);
    }

    private static Map<String, Long> parts(String score) {
        Map<String, Long> out = new LinkedHashMap<>();
        if (score == null || score.isBlank()) {
            return out;
        }
        for (String part : score.strip().split("/")) {
            Matcher m = PART.matcher(part.strip());
            if (!m.matches()) {
                return null;
            }
            out.put(m.group(2), Long.parseLong(m.group(1)));
        }
        return out;
    }

    private static List<TaChange> moved(Input plan, Input scenario) {
        Map<String, Set<String>> before = coursesByTa(plan.assignment());
        Map<String, Set<String>> after = coursesByTa(scenario.assignment());
        Map<String, Integer> hoursBefore = hoursByTa(plan);
        Map<String, Integer> hoursAfter = hoursByTa(scenario);
        Map<String, String> names = new LinkedHashMap<>();
        scenario.problem().applicants().forEach(a -> names.put(a.id(), a.name()));
        plan.problem().applicants().forEach(a -> names.put(a.id(), a.name()));
        Map<String, String> labels = new LinkedHashMap<>();
        scenario.problem().courses().forEach(c -> labels.put(c.id(), ScenarioEdits.label(c)));
        plan.problem().courses().forEach(c -> labels.put(c.id(), ScenarioEdits.label(c)));
        Set<String> tas = new TreeSet<>(before.keySet());
        tas.addAll(after.keySet());
        List<TaChange> out = new ArrayList<>();
        for (String ta : tas) {
            Set<String> b = before.getOrDefault(ta, Set.of());
            Set<String> a = after.getOrDefault(ta, Set.of());
            if (a.equals(b)) {
                continue;
            }
            List<String> gained = a.stream().filter(c -> !b.contains(c)).map(labels::get).sorted().toList();
            List<String> lost = b.stream().filter(c -> !a.contains(c)).map(labels::get).sorted().toList();
            out.add(new TaChange(ta, names.getOrDefault(ta, ta), b.stream().map(labels::get).sorted().toList(),
                    hoursBefore.getOrDefault(ta, 0), a.stream().map(labels::get).sorted().toList(),
                    hoursAfter.getOrDefault(ta, 0), gained, lost));
        }
        out.sort(Comparator.comparing(TaChange::name).thenComparing(TaChange::applicantId));
        return out;
    }

    private static Map<String, Set<String>> coursesByTa(List<SlotAssignment> assignment) {
        Map<String, Set<String>> out = new LinkedHashMap<>();
        for (SlotAssignment s : assignment) {
            if (s.applicantId() != null) {
                out.computeIfAbsent(s.applicantId(), k -> new TreeSet<>()).add(s.courseId());
            }
        }
        return out;
    }

    private static Map<String, Integer> hoursByTa(Input in) {
        Map<String, Integer> perSlot = new LinkedHashMap<>();
        in.problem().courses().forEach(c -> perSlot.putIfAbsent(c.id(), c.hoursPerSlot()));
        Map<String, Integer> out = new LinkedHashMap<>();
        for (SlotAssignment s : in.assignment()) {
            if (s.applicantId() != null) {
                out.merge(s.applicantId(), perSlot.getOrDefault(s.courseId(), 0), Integer::sum);
            }
        }
        return out;
    }
}
