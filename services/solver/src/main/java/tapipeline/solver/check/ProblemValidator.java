package tapipeline.solver.check;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
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
            errors.add(new Problem(Problem.DUPLICATE_ID, "Two or more courses share the id "
                    + String.join(", ", duplicateCourses) + "; every course needs its own id.",
                    List.copyOf(duplicateCourses)));
        }
        Map<String, Applicant> applicants = new LinkedHashMap<>();
        Set<String> duplicateApplicants = new TreeSet<>();
        for (Applicant a : problem.applicants()) {
            if (applicants.putIfAbsent(a.id(), a) != null) {
                duplicateApplicants.add(a.id());
            }
        }
        if (!duplicateApplicants.isEmpty()) {
            errors.add(new Problem(Problem.DUPLICATE_ID, "Two or more applicants share the id "
                    + String.join(", ", duplicateApplicants) + "; every applicant needs their own id.",
                    List.copyOf(duplicateApplicants)));
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
            errors.add(new Problem(Problem.UNKNOWN_ID, "No course has the id " + String.join(", ", unknownCourses)
                    + " (named in " + String.join(", ", courseWhere) + ").",
                    List.copyOf(unknownCourses)));
        }
        if (!unknownApplicants.isEmpty()) {
            errors.add(new Problem(Problem.UNKNOWN_ID, "No applicant has the id "
                    + String.join(", ", unknownApplicants) + " (named in "
                    + String.join(", ", applicantWhere) + ").", List.copyOf(unknownApplicants)));
        }

        checkSlots(problem, courses, errors);
        checkWeights(problem, errors);
        if (!errors.isEmpty()) {
            return new Result(List.copyOf(errors), List.of());
        }
        feasibilityWarnings(problem, warnings);
        return new Result(List.of(), List.copyOf(warnings));
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
            errors.add(new Problem(Problem.SLOT_OUT_OF_RANGE, "A pin or previous assignment names a slot the course "
                    + "does not have (slots count from 0) in " + String.join(", ", outOfRange) + ".",
                    List.copyOf(outOfRange)));
        }
        if (!doublePinned.isEmpty()) {
            errors.add(new Problem(Problem.PIN_CONFLICT, "One slot is pinned to two different applicants in "
                    + String.join(", ", doublePinned) + ".", List.copyOf(doublePinned)));
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
        coursesBySkill.forEach((skill, ids) -> warnings.add(new Problem(Problem.SKILL_NOBODY_HAS,
                "No applicant has the skill '" + skill + "', which " + label(problem, ids) + " require"
                        + (ids.size() == 1 ? "s" : "") + "; their slots will stay empty.", ids)));

        // fewer eligible applicants than slots
        List<TaApplicant> applicants = new ArrayList<>();
        Map<String, Set<String>> bans = new HashMap<>();
        problem.instructorPreferences().stream().filter(p -> p.kind() == InstructorPreference.Kind.BAN)
                .forEach(p -> bans.computeIfAbsent(p.courseId(), k -> new HashSet<>()).add(p.applicantId()));
        Map<String, Set<String>> willNot = new HashMap<>();
        problem.preferences().stream().filter(Preference::willNot)
                .forEach(p -> willNot.computeIfAbsent(p.applicantId(), k -> new HashSet<>()).add(p.courseId()));
        int i = 0;
        for (Applicant a : problem.applicants()) {
            applicants.add(ProblemMapper.toApplicant(a, i++, Map.of(), willNot.getOrDefault(a.id(), Set.of())));
        }
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
        for (Course c : problem.courses()) {
            TaCourse course = ProblemMapper.toCourse(c, index++, bans.getOrDefault(c.id(), Set.of()));
            long eligible = applicants.stream().filter(a -> a.isEligibleFor(course)).count();
            if (eligible < c.slots() && !c.requiredSkills().stream().anyMatch(s -> !allSkills.contains(s))) {
                understaffed.add(c.id());
                understaffedText.add(course.label() + " (" + c.slots() + " slots, " + eligible + " eligible)");
            }
        }
        if (!understaffed.isEmpty()) {
            warnings.add(new Problem("TOO_FEW_ELIGIBLE", "Fewer applicants can take these courses than they have "
                    + "slots: " + String.join("; ", understaffedText) + ".", understaffed));
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
            warnings.add(new Problem(Problem.HOURS_OVER_CAPACITY, "The courses want " + required
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
