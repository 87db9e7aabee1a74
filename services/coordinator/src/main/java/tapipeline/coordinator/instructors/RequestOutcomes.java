package tapipeline.coordinator.instructors;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import tapipeline.schemas.assignment.AssignmentProblem;
import tapipeline.schemas.assignment.InstructorPreference;
import tapipeline.schemas.assignment.SlotAssignment;
import tapipeline.solver.domain.TaAssignmentSolution;
import tapipeline.solver.domain.TaApplicant;
import tapipeline.solver.domain.TaCourse;
import tapipeline.solver.domain.TaSlot;
import tapipeline.solver.explain.Blockers;
import tapipeline.solver.io.ProblemMapper;

/**
 * Which instructor requests of a run were met, and why not: for each REQUEST of the run's problem,
 * whether the applicant holds a slot of that course in the assignment; if not, the first of: a hard
 * rule keeps them off the course whatever else is assigned (the solver-model's own
 * {@link Blockers#staticBlockers}: hours, skills, conflict of interest, a ban, "will not",
 * unavailability), they went to another course (which, and what of that keeps them off this one:
 * {@link Blockers#dynamicBlocker}, a time clash or full hours), or the course's slots went to others
 * (who) or stayed empty. And each BAN: honoured when the applicant holds no slot of that course.
 *
 * <p>The rules are the solver-model's; nothing here re-states them. The text is for the coordinator;
 * {@link RequestRow#forInstructor()} leaves out what an instructor may not see (hours, availability and
 * conflicts of interest are named only as "a private rule").
 */
public final class RequestOutcomes {

    /** How a request fared. */
    public enum Outcome {
        /** The applicant holds a slot of the course. */
        MET,
        /** A hard rule keeps the applicant off the course whatever else is assigned. */
        BLOCKED,
        /** The applicant went to another course. */
        ELSEWHERE,
        /** Eligible and free, but every slot of the course went to others. */
        OUTSCORED,
        /** Eligible and free, and a slot of the course stayed empty. */
        LEFT_EMPTY,
        /** The run's data has no such course or applicant. */
        NOT_IN_RUN
    }

    /** Blocker kinds whose words say something private about the applicant (hours, availability, conflicts). */
    static final Set<Blockers.Kind> PRIVATE = Set.of(Blockers.Kind.HOURS_TOO_FEW, Blockers.Kind.CONFLICT_OF_INTEREST,
            Blockers.Kind.UNAVAILABLE);

    /**
     * One request and its outcome.
     *
     * @param why          the coordinator's words ("lacks skill: CUDA", "went to CPSC 110-101", ...); empty when met
     * @param blockers     the hard rules that keep the applicant off the course (BLOCKED)
     * @param elsewhere    labels of the courses the applicant went to (ELSEWHERE)
     * @param holders      names of the TAs holding the course's slots (OUTSCORED, LEFT_EMPTY)
     * @param fullHours    ELSEWHERE: the other slots fill the applicant's hours (the reason names their hours)
     */
    public record RequestRow(String courseId, String courseLabel, String applicantId, String applicantName, Integer rank,
                             Outcome outcome, String why, List<Blockers.Kind> blockers, List<String> elsewhere,
                             List<String> holders, boolean fullHours) {

        public boolean met() {
            return outcome == Outcome.MET;
        }

        /** The reason as an instructor may read it: without the applicant's hours, availability or conflicts. */
        public String forInstructor() {
            return switch (outcome) {
                case BLOCKED -> {
                    List<String> words = new ArrayList<>();
                    boolean hidden = false;
                    for (String part : why.split("; ")) {
                        boolean priv = part.startsWith("can work at most") || part.startsWith("conflict of interest")
                                || part.startsWith("unavailable");
                        if (priv) {
                            hidden = true;
                        } else {
                            words.add(part);
                        }
                    }
                    if (hidden) {
                        words.add("a private rule (the applicant's hours, availability or a conflict of interest; the"
                                + " coordinator can see which)");
                    }
                    yield String.join("; ", words);
                }
                case ELSEWHERE -> "went to " + String.join(", ", elsewhere)
                        + (fullHours ? " (their hours are full)" : why.contains("conflicts at") ? why.substring(why.indexOf(" (")) : "");
                default -> why;
            };
        }
    }

    /** One ban and whether the assignment honours it (a coordinator's pin can override one). */
    public record BanRow(String courseId, String courseLabel, String applicantId, String applicantName, boolean honoured) {
    }

    /** Every request and ban of the run, requests by course then rank. */
    public record Result(List<RequestRow> requests, List<BanRow> bans) {
        public long met() {
            return requests.stream().filter(RequestRow::met).count();
        }

        public Result ofCourse(String courseId) {
            return new Result(requests.stream().filter(r -> r.courseId().equals(courseId)).toList(),
                    bans.stream().filter(b -> b.courseId().equals(courseId)).toList());
        }
    }

    private RequestOutcomes() {
    }

    /** The outcomes of the problem's requests and bans in an assignment (a run's result, with pins on top). */
    public static Result of(AssignmentProblem problem, List<SlotAssignment> assignment) {
        TaAssignmentSolution solution = ProblemMapper.toSolution(problem);
        Map<String, TaCourse> courses = new LinkedHashMap<>();
        solution.getCourses().forEach(c -> courses.put(c.id(), c));
        Map<String, TaApplicant> applicants = new HashMap<>();
        solution.getApplicants().forEach(a -> applicants.put(a.id(), a));
        Map<String, List<TaSlot>> held = new HashMap<>();
        Map<String, List<String>> holdersOf = new HashMap<>();
        for (SlotAssignment s : assignment) {
            TaCourse c = courses.get(s.courseId());
            TaApplicant a = applicants.get(s.applicantId());
            if (c == null || a == null) {
                continue;
            }
            held.computeIfAbsent(a.id(), k -> new ArrayList<>()).add(TaSlot.of(c, s.slotIndex(), a));
            holdersOf.computeIfAbsent(c.id(), k -> new ArrayList<>()).add(a.name());
        }
        List<RequestRow> requests = new ArrayList<>();
        List<BanRow> bans = new ArrayList<>();
        for (InstructorPreference ip : problem.instructorPreferences()) {
            TaCourse c = courses.get(ip.courseId());
            TaApplicant a = applicants.get(ip.applicantId());
            String label = c == null ? ip.courseId() : c.label();
            String name = a == null ? ip.applicantId() : a.name();
            List<TaSlot> mine = a == null ? List.of() : held.getOrDefault(a.id(), List.of());
            boolean holds = c != null && mine.stream().anyMatch(s -> s.getCourse() == c);
            if (ip.kind() == InstructorPreference.Kind.BAN) {
                bans.add(new BanRow(ip.courseId(), label, ip.applicantId(), name, !holds));
                continue;
            }
            if (c == null || a == null) {
                requests.add(new RequestRow(ip.courseId(), label, ip.applicantId(), name, ip.rank(), Outcome.NOT_IN_RUN,
                        "the run's data has no " + (c == null ? "course " + ip.courseId() : "applicant " + ip.applicantId()),
                        List.of(), List.of(), List.of(), false));
                continue;
            }
            requests.add(classify(ip, c, a, mine, holds, holdersOf.getOrDefault(c.id(), List.of())));
        }
        requests.sort(Comparator.comparing(RequestRow::courseLabel)
                .thenComparing(r -> r.rank() == null ? Integer.MAX_VALUE : r.rank()).thenComparing(RequestRow::applicantName));
        bans.sort(Comparator.comparing(BanRow::courseLabel).thenComparing(BanRow::applicantName));
        return new Result(List.copyOf(requests), List.copyOf(bans));
    }

    private static RequestRow classify(InstructorPreference ip, TaCourse c, TaApplicant a, List<TaSlot> mine, boolean holds,
                                       List<String> holders) {
        if (holds) {
            return row(ip, c, a, Outcome.MET, "", List.of(), List.of(), List.of(), false);
        }
        List<Blockers.StaticBlocker> fixed = Blockers.staticBlockers(a, c);
        if (!fixed.isEmpty()) {
            return row(ip, c, a, Outcome.BLOCKED, String.join("; ", fixed.stream().map(Blockers.StaticBlocker::text).toList()),
                    fixed.stream().map(Blockers.StaticBlocker::kind).toList(), List.of(), List.of(), false);
        }
        if (!mine.isEmpty()) {
            List<String> others = mine.stream().map(s -> s.getCourse().label()).distinct().toList();
            String dynamic = Blockers.dynamicBlocker(a, TaSlot.of(c, 0, a), mine);
            String why = "went to " + String.join(", ", others) + (dynamic == null
                    ? " (and could have taken this course too: the score preferred the TAs it has)"
                    : " (" + dynamic + ")");
            return row(ip, c, a, Outcome.ELSEWHERE, why, List.of(), others, List.of(),
                    dynamic != null && dynamic.startsWith("at "));
        }
        if (holders.size() < c.slots()) {
            return row(ip, c, a, Outcome.LEFT_EMPTY, (c.slots() - holders.size()) + " of the course's " + c.slots()
                    + " slots stayed empty and the applicant was free: the score preferred that (see the slot's explanation)",
                    List.of(), List.of(), List.copyOf(holders), false);
        }
        return row(ip, c, a, Outcome.OUTSCORED, "the course's slots went to " + String.join(", ", holders)
                + ", whom the score preferred", List.of(), List.of(), List.copyOf(holders), false);
    }

    private static RequestRow row(InstructorPreference ip, TaCourse c, TaApplicant a, Outcome o, String why,
                                  List<Blockers.Kind> kinds, List<String> elsewhere, List<String> holders, boolean fullHours) {
        return new RequestRow(c.id(), c.label(), a.id(), a.name(), ip.rank(), o, why, List.copyOf(kinds), elsewhere, holders,
                fullHours);
    }
}
