package tapipeline.solver.check;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import tapipeline.schemas.assignment.Applicant;
import tapipeline.schemas.assignment.AssignmentProblem;
import tapipeline.schemas.assignment.Course;
import tapipeline.schemas.assignment.InstructorPreference;
import tapipeline.schemas.assignment.Pin;
import tapipeline.schemas.assignment.Preference;
import tapipeline.schemas.assignment.RunCompleted.Problem;
import tapipeline.schemas.assignment.SlotAssignment;
import tapipeline.solver.domain.Eligibility;
import tapipeline.solver.domain.TaApplicant;
import tapipeline.solver.explain.Blockers;
import tapipeline.solver.domain.TaConstraintConfiguration;
import tapipeline.solver.domain.TaCourse;
import tapipeline.solver.io.ProblemMapper;

/**
 * Reads a problem for what cannot work, and says so in plain words instead of throwing.
 *
 * <p>{@link Result#errors()} make the problem unsolvable as given (unknown or duplicate ids, a pin
 * or previous slot beyond a course's slots, two pins on one slot, an unknown constraint weight): the
 * run ends {@code INVALID_INPUT}. {@link Result#warnings()} still let it solve, but some slots will
 * stay empty or a pin breaks a rule: a skill nobody has, more hours wanted than all applicants can
 * give (with the courses that cannot be staffed), courses with fewer eligible applicants than slots,
 * a pin that breaks a hard rule.
 */
public final class ProblemValidator {

    /**
     * Most slot-candidate pairs (the sum over slots of the applicants eligible for them,
     * {@code SolverEngine.pairs}) a problem may have. The model no longer costs memory per pair (a
     * course's candidates are a bit set over the applicants, its answers about them are worked out
     * when asked above {@code PairFacts.KEEP_UP_TO_PAIRS}): 10,000 courses and 20,000 applicants,
     * 252 million pairs, solve in a 2 GB heap with about 0.2 GB live half-way through the search
     * (0.41-0.46 GB at most after any collection; bench/results/solver.md, the scale section). The
     * cap keeps a margin above that size; the time a run takes per pair is only in the explanations'
     * scans, which the time limit cuts short.
     */
    public static final long MAX_SLOT_CANDIDATE_PAIRS = 400_000_000L;
    /**
     * Most slots in one problem. The result has one assignment per slot; measured at 10,000 courses
     * (24,351 slots): about 700 bytes of JSON per slot, so 30,000 slots are about 21 MB of JSON, and an
     * empty slot with its 25 blockers about 2.6 KB. 10,000 courses fit with a margin; the schema allows
     * 100,000 assignments.
     */
    public static final int MAX_SLOTS = 30_000;
    /** Code of the problem that says the input is over one of the caps above. */
    public static final String TOO_LARGE = "PROBLEM_TOO_LARGE";
    /** Most problems in a result (the schema's limit); past it one last problem counts the rest. */
    public static final int MAX_PROBLEMS = 1_000;
    /** Most ids listed in one problem (the schema's limit); its message still gives the count. */
    public static final int MAX_IDS = 1_000;
    /** Most names written out in one message before "and N more". */
    private static final int NAMED_IN_MESSAGE = 25;

    /** What the validator found. */
    public record Result(List<Problem> errors, List<Problem> warnings) {
        public boolean ok() {
            return errors.isEmpty();
        }

        public List<Problem> all() {
            List<Problem> all = new ArrayList<>(errors);
            all.addAll(warnings);
            return all;
        }
    }

    private ProblemValidator() {
    }

    public static Result validate(AssignmentProblem problem) {
        return validate(problem, MAX_SLOT_CANDIDATE_PAIRS);
    }

    /** Like {@link #validate(AssignmentProblem)} with another cap on slot-candidate pairs (tests, benchmarks). */
    public static Result validate(AssignmentProblem problem, long maxSlotCandidatePairs) {
        List<Problem> errors = new ArrayList<>();
        List<Problem> warnings = new ArrayList<>();

        Map<String, Course> courses = new LinkedHashMap<>();
        Set<String> duplicateCourses = new TreeSet<>();
        for (Course c : problem.courses()) {
            if (courses.putIfAbsent(c.id(), c) != null) {
                duplicateCourses.add(c.id());
            }
        }
        if (!duplicateCourses.isEmpty()) {
            errors.add(problem(Problem.DUPLICATE_ID, "Two or more courses share the id "
                    + named(duplicateCourses) + "; every course needs its own id.", duplicateCourses));
        }
        Map<String, Applicant> applicants = new LinkedHashMap<>();
        Set<String> duplicateApplicants = new TreeSet<>();
        for (Applicant a : problem.applicants()) {
            if (applicants.putIfAbsent(a.id(), a) != null) {
                duplicateApplicants.add(a.id());
            }
        }
        if (!duplicateApplicants.isEmpty()) {
            errors.add(problem(Problem.DUPLICATE_ID, "Two or more applicants share the id "
                    + named(duplicateApplicants) + "; every applicant needs their own id.", duplicateApplicants));
        }

        Set<String> unknownCourses = new TreeSet<>();
        Set<String> unknownApplicants = new TreeSet<>();
        Set<String> courseWhere = new LinkedHashSet<>();
        Set<String> applicantWhere = new LinkedHashSet<>();
        for (Preference p : problem.preferences()) {
            reference(p.courseId(), courses.keySet(), unknownCourses, courseWhere, "a preference");
            reference(p.applicantId(), applicants.keySet(), unknownApplicants, applicantWhere, "a preference");
        }
        for (InstructorPreference p : problem.instructorPreferences()) {
            String what = "an instructor " + (p.kind() == InstructorPreference.Kind.BAN ? "ban" : "request");
            reference(p.courseId(), courses.keySet(), unknownCourses, courseWhere, what);
            reference(p.applicantId(), applicants.keySet(), unknownApplicants, applicantWhere, what);
        }
        for (Pin p : problem.pins()) {
            reference(p.courseId(), courses.keySet(), unknownCourses, courseWhere, "a pin");
            reference(p.applicantId(), applicants.keySet(), unknownApplicants, applicantWhere, "a pin");
        }
        for (SlotAssignment s : problem.previousAssignment()) {
            reference(s.courseId(), courses.keySet(), unknownCourses, courseWhere, "the previous assignment");
            reference(s.applicantId(), applicants.keySet(), unknownApplicants, applicantWhere, "the previous assignment");
        }
        if (!unknownCourses.isEmpty()) {
            errors.add(problem(Problem.UNKNOWN_ID, "No course has the id " + named(unknownCourses)
                    + " (named in " + String.join(", ", courseWhere) + ").", unknownCourses));
        }
        if (!unknownApplicants.isEmpty()) {
            errors.add(problem(Problem.UNKNOWN_ID, "No applicant has the id "
                    + named(unknownApplicants) + " (named in "
                    + String.join(", ", applicantWhere) + ").", unknownApplicants));
        }

        checkSlots(problem, courses, errors);
        checkWeights(problem, errors);
        if (errors.isEmpty()) {
            checkSize(problem, maxSlotCandidatePairs, errors);
        }
        if (!errors.isEmpty()) {
            return new Result(bounded(errors), List.of());
        }
        feasibilityWarnings(problem, warnings);
        return new Result(List.of(), bounded(warnings));
    }

    /**
     * The caps on the model's size: slots, then slot-candidate pairs. Pairs are counted course by
     * course and the count stops as soon as it passes the cap, so a huge problem is refused without
     * being weighed in full.
     */
    private static void checkSize(AssignmentProblem problem, long maxPairs, List<Problem> errors) {
        long slots = problem.courses().stream().mapToLong(Course::slots).sum();
        if (slots > MAX_SLOTS) {
            errors.add(new Problem(TOO_LARGE, String.format(Locale.ROOT, "The courses have %,d TA slots in all; "
                    + "a problem may have at most %,d (ProblemValidator.MAX_SLOTS). Split it, e.g. by department.",
                    slots, MAX_SLOTS), List.of()));
            return;
        }
        if (slots * problem.applicants().size() <= maxPairs) {
            return;
        }
        List<TaApplicant> applicants = applicants(problem);
        Map<String, Set<String>> bans = bans(problem);
        Eligibility eligibility = new Eligibility(applicants);
        long pairs = 0;
        int index = 0;
        for (Course c : problem.courses()) {
            TaCourse course = ProblemMapper.toCourse(c, index++, bans.getOrDefault(c.id(), Set.of()));
            long eligible = eligibility.count(course);
            pairs += eligible * c.slots();
            if (pairs > maxPairs) {
                errors.add(new Problem(TOO_LARGE, String.format(Locale.ROOT, "The problem has more than %,d "
                        + "slot-candidate pairs (counted up to course %s: %,d pairs; a pair is one slot and one "
                        + "applicant eligible for it); the solver takes at most %,d "
                        + "(ProblemValidator.MAX_SLOT_CANDIDATE_PAIRS, sized from the heap measured per pair). "
                        + "Split the problem, e.g. by department, or narrow who is eligible (required skills, "
                        + "instructor bans).", maxPairs, c.id(), pairs, maxPairs), List.of(c.id())));
                return;
            }
        }
    }

    private static List<TaApplicant> applicants(AssignmentProblem problem) {
        Map<String, Set<String>> willNot = new HashMap<>();
        problem.preferences().stream().filter(Preference::willNot)
                .forEach(p -> willNot.computeIfAbsent(p.applicantId(), k -> new HashSet<>()).add(p.courseId()));
        List<TaApplicant> applicants = new ArrayList<>();
        int i = 0;
        for (Applicant a : problem.applicants()) {
            applicants.add(ProblemMapper.toApplicant(a, i++, Map.of(), willNot.getOrDefault(a.id(), Set.of())));
        }
        return applicants;
    }

    private static Map<String, Set<String>> bans(AssignmentProblem problem) {
        Map<String, Set<String>> bans = new HashMap<>();
        problem.instructorPreferences().stream().filter(p -> p.kind() == InstructorPreference.Kind.BAN)
                .forEach(p -> bans.computeIfAbsent(p.courseId(), k -> new HashSet<>()).add(p.applicantId()));
        return bans;
    }

    /** A problem whose id list is cut to {@link #MAX_IDS}. */
    private static Problem problem(String code, String message, java.util.Collection<String> ids) {
        return new Problem(code, message, ids.stream().limit(MAX_IDS).toList());
    }

    /** The first {@value #NAMED_IN_MESSAGE} ids, then how many more, so a message stays readable and bounded. */
    static String named(java.util.Collection<String> ids) {
        return named(ids, ", ");
    }

    static String named(java.util.Collection<String> ids, String separator) {
        if (ids.size() <= NAMED_IN_MESSAGE) {
            return String.join(separator, ids);
        }
        return String.join(separator, ids.stream().limit(NAMED_IN_MESSAGE).toList())
                + String.format(Locale.ROOT, " and %,d more", ids.size() - NAMED_IN_MESSAGE);
    }

    /** At most {@link #MAX_PROBLEMS}: past it, the last one counts those left out. */
    static List<Problem> bounded(List<Problem> problems) {
        if (problems.size() <= MAX_PROBLEMS) {
            return List.copyOf(problems);
        }
        List<Problem> out = new ArrayList<>(problems.subList(0, MAX_PROBLEMS - 1));
        int left = problems.size() - out.size();
        out.add(new Problem("MORE_PROBLEMS", String.format(Locale.ROOT, "%,d more problems were found and are not "
                + "listed (a result lists at most %,d).", left, MAX_PROBLEMS), List.of()));
        return List.copyOf(out);
    }

    private static void reference(String id, Set<String> known, Set<String> unknown, Set<String> where,
            String place) {
        if (!known.contains(id)) {
            unknown.add(id);
            where.add(place);
        }
    }

    private static void checkSlots(AssignmentProblem problem, Map<String, Course> courses, List<Problem> errors) {
        Set<String> outOfRange = new TreeSet<>();
        Map<String, String> pinned = new HashMap<>();
        Set<String> doublePinned = new TreeSet<>();
        for (Pin p : problem.pins()) {
            Course c = courses.get(p.courseId());
            if (c != null && p.slotIndex() >= c.slots()) {
                outOfRange.add(p.courseId());
            }
            String key = p.courseId() + "#" + p.slotIndex();
            String before = pinned.putIfAbsent(key, p.applicantId());
            if (before != null && !before.equals(p.applicantId())) {
                doublePinned.add(p.courseId());
            }
        }
        for (SlotAssignment s : problem.previousAssignment()) {
            Course c = courses.get(s.courseId());
            if (c != null && s.slotIndex() >= c.slots()) {
                outOfRange.add(s.courseId());
            }
        }
        if (!outOfRange.isEmpty()) {
            errors.add(problem(Problem.SLOT_OUT_OF_RANGE, "A pin or previous assignment names a slot the course "
                    + "does not have (slots count from 0) in " + named(outOfRange) + ".", outOfRange));
        }
        if (!doublePinned.isEmpty()) {
            errors.add(problem(Problem.PIN_CONFLICT, "One slot is pinned to two different applicants in "
                    + named(doublePinned) + ".", doublePinned));
        }
    }

    private static void checkWeights(AssignmentProblem problem, List<Problem> errors) {
        for (String name : problem.settings().constraintWeights().keySet()) {
            if (!TaConstraintConfiguration.DEFAULTS.containsKey(name)) {
                errors.add(new Problem("UNKNOWN_CONSTRAINT", "There is no constraint called '" + name
                        + "'; the constraints are: " + String.join(", ", TaConstraintConfiguration.DEFAULTS.keySet())
                        + ".", List.of()));
            }
        }
        try {
            TaConstraintConfiguration.withOverrides(problem.settings().constraintWeights());
        } catch (IllegalArgumentException e) {
            if (errors.stream().noneMatch(p -> p.code().equals("UNKNOWN_CONSTRAINT"))) {
                errors.add(new Problem("BAD_WEIGHT", e.getMessage(), List.of()));
            }
        }
    }

    private static void feasibilityWarnings(AssignmentProblem problem, List<Problem> warnings) {
        // a skill nobody has
        Set<String> allSkills = new HashSet<>();
        problem.applicants().forEach(a -> allSkills.addAll(a.skills()));
        Map<String, List<String>> coursesBySkill = new java.util.TreeMap<>();
        for (Course c : problem.courses()) {
            for (String skill : c.requiredSkills()) {
                if (!allSkills.contains(skill)) {
                    coursesBySkill.computeIfAbsent(skill, k -> new ArrayList<>()).add(c.id());
                }
            }
        }
        coursesBySkill.forEach((skill, ids) -> warnings.add(problem(Problem.SKILL_NOBODY_HAS,
                "No applicant has the skill '" + skill + "', which " + label(problem, ids) + " require"
                        + (ids.size() == 1 ? "s" : "") + "; their slots will stay empty.", ids)));

        // fewer eligible applicants than slots
        List<TaApplicant> applicants = applicants(problem);
        Map<String, Set<String>> bans = bans(problem);
        Map<String, TaApplicant> applicantById = new HashMap<>();
        applicants.forEach(a -> applicantById.putIfAbsent(a.id(), a));
        Map<String, TaCourse> courseById = new HashMap<>();
        int ci = 0;
        for (Course c : problem.courses()) {
            courseById.putIfAbsent(c.id(), ProblemMapper.toCourse(c, ci++, bans.getOrDefault(c.id(), Set.of())));
        }
        for (Pin pin : problem.pins()) {
            TaApplicant a = applicantById.get(pin.applicantId());
            TaCourse c = courseById.get(pin.courseId());
            List<Blockers.StaticBlocker> broken = Blockers.staticBlockers(a, c);
            if (!broken.isEmpty()) {
                List<String> texts = new ArrayList<>();
                broken.forEach(b -> texts.add(b.text()));
                warnings.add(new Problem(Problem.PIN_CONFLICT, "The pin of " + a.name() + " to " + c.label()
                        + " slot " + pin.slotIndex() + " breaks a hard rule (" + String.join("; ", texts)
                        + "); the pin is kept, so the result will not be feasible.",
                        List.of(pin.courseId(), pin.applicantId())));
            }
        }

        List<String> understaffed = new ArrayList<>();
        List<String> understaffedText = new ArrayList<>();
        int index = 0;
        Eligibility eligibility = new Eligibility(applicants);
        for (Course c : problem.courses()) {
            TaCourse course = ProblemMapper.toCourse(c, index++, bans.getOrDefault(c.id(), Set.of()));
            long eligible = eligibility.count(course);
            if (eligible < c.slots() && !c.requiredSkills().stream().anyMatch(s -> !allSkills.contains(s))) {
                understaffed.add(c.id());
                understaffedText.add(course.label() + " (" + c.slots() + " slots, " + eligible + " eligible)");
            }
        }
        if (!understaffed.isEmpty()) {
            warnings.add(problem("TOO_FEW_ELIGIBLE", "Fewer applicants can take these courses than they have "
                    + "slots: " + named(understaffedText, "; ") + ".", understaffed));
        }

        // hours over capacity
        long required = problem.courses().stream().mapToLong(Course::totalHours).sum();
        long capacity = problem.applicants().stream().mapToLong(Applicant::maxHours).sum();
        if (required > capacity) {
            List<Course> byPriority = new ArrayList<>(problem.courses());
            byPriority.sort(Comparator.comparingInt(Course::priority).reversed().thenComparing(Course::id));
            long left = capacity;
            List<String> cannot = new ArrayList<>();
            for (Course c : byPriority) {
                if (c.totalHours() <= left) {
                    left -= c.totalHours();
                } else {
                    cannot.add(c.id());
                }
            }
            warnings.add(problem(Problem.HOURS_OVER_CAPACITY, "The courses want " + required
                    + " TA hours a week but all applicants together can give at most " + capacity + ". Filling the "
                    + "highest priorities first, these cannot be fully staffed: " + label(problem, cannot) + ".",
                    cannot));
        }
    }

    private static String label(AssignmentProblem problem, List<String> ids) {
        Map<String, Course> byId = new HashMap<>();
        problem.courses().forEach(c -> byId.putIfAbsent(c.id(), c));
        List<String> labels = new ArrayList<>();
        for (String id : ids) {
            Course c = byId.get(id);
            labels.add(c == null ? id : c.section().isBlank() ? c.code() : c.code() + "-" + c.section());
        }
        if (labels.size() > 25) {
            int more = labels.size() - 25;
            labels = new ArrayList<>(labels.subList(0, 25));
            labels.add("and " + more + " more");
        }
        return String.join(", ", labels);
    }
}
