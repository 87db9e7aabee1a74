package tapipeline.solver.check;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tapipeline.schemas.assignment.Applicant;
import tapipeline.schemas.assignment.AssignmentProblem;
import tapipeline.schemas.assignment.ConflictOfInterest;
import tapipeline.schemas.assignment.Course;
import tapipeline.schemas.assignment.InstructorPreference;
import tapipeline.schemas.assignment.Meeting;
import tapipeline.schemas.assignment.Pin;
import tapipeline.schemas.assignment.Preference;
import tapipeline.schemas.assignment.SlotAssignment;

/**
 * Checks an assignment against every hard rule straight from the raw problem records, without
 * OptaPlanner or the solver's model: an independent second opinion on the solver's score, for tests
 * and the integration test.
 *
 * <p>Rules: the slot exists; the TA exists; has every required skill; stays within their maximum
 * hours; no two of their courses meet at the same time; not unavailable when a course meets; no
 * conflict of interest; not banned by the instructor; did not say "will not"; holds at most one slot
 * per course; every pin is kept.
 */
public final class HardRuleChecker {

    private HardRuleChecker() {
    }

    /** Every broken hard rule, in words; empty when the assignment is feasible. */
    public static List<String> violations(AssignmentProblem problem, List<SlotAssignment> assignment) {
        Map<String, Course> courses = new HashMap<>();
        problem.courses().forEach(c -> courses.putIfAbsent(c.id(), c));
        Map<String, Applicant> applicants = new HashMap<>();
        problem.applicants().forEach(a -> applicants.putIfAbsent(a.id(), a));
        Set<String> bans = new HashSet<>();
        for (InstructorPreference p : problem.instructorPreferences()) {
            if (p.kind() == InstructorPreference.Kind.BAN) {
                bans.add(p.courseId() + "|" + p.applicantId());
            }
        }
        Set<String> willNot = new HashSet<>();
        for (Preference p : problem.preferences()) {
            if (p.willNot()) {
                willNot.add(p.courseId() + "|" + p.applicantId());
            }
        }

        List<String> violations = new ArrayList<>();
        Map<String, List<Course>> coursesOf = new HashMap<>();
        Set<String> filledSlots = new HashSet<>();
        Map<String, String> holder = new HashMap<>();
        for (SlotAssignment s : assignment) {
            Course c = courses.get(s.courseId());
            Applicant a = applicants.get(s.applicantId());
            String slot = s.courseId() + " slot " + s.slotIndex();
            if (c == null || s.slotIndex() < 0 || s.slotIndex() >= c.slots()) {
                violations.add(slot + " does not exist");
                continue;
            }
            if (!filledSlots.add(s.courseId() + "#" + s.slotIndex())) {
                violations.add(slot + " is filled twice");
            }
            if (a == null) {
                violations.add(slot + " has unknown applicant " + s.applicantId());
                continue;
            }
            holder.put(s.courseId() + "#" + s.slotIndex(), a.id());
            for (String skill : c.requiredSkills()) {
                if (!a.skills().contains(skill)) {
                    violations.add(a.id() + " lacks skill " + skill + " for " + c.id());
                }
            }
            for (Meeting m : c.meetings()) {
                for (Meeting u : a.unavailable()) {
                    if (m.overlaps(u)) {
                        violations.add(a.id() + " is unavailable " + u + " when " + c.id() + " meets " + m);
                    }
                }
            }
            for (ConflictOfInterest coi : a.conflicts()) {
                if (coi.courseId().equals(c.id())) {
                    violations.add(a.id() + " has a conflict of interest with " + c.id());
                }
            }
            if (bans.contains(c.id() + "|" + a.id())) {
                violations.add(a.id() + " is banned from " + c.id());
            }
            if (willNot.contains(c.id() + "|" + a.id())) {
                violations.add(a.id() + " will not TA " + c.id());
            }
            coursesOf.computeIfAbsent(a.id(), k -> new ArrayList<>()).add(c);
        }

        coursesOf.forEach((applicantId, list) -> {
            Applicant a = applicants.get(applicantId);
            int hours = list.stream().mapToInt(Course::hoursPerSlot).sum();
            if (hours > a.maxHours()) {
                violations.add(applicantId + " has " + hours + " h, above the maximum " + a.maxHours() + " h");
            }
            for (int i = 0; i < list.size(); i++) {
                for (int j = i + 1; j < list.size(); j++) {
                    Course x = list.get(i);
                    Course y = list.get(j);
                    if (x.id().equals(y.id())) {
                        violations.add(applicantId + " holds two slots of " + x.id());
                    } else if (meetTogether(x, y)) {
                        violations.add(applicantId + " is in " + x.id() + " and " + y.id() + ", which meet at the same time");
                    }
                }
            }
        });

        for (Pin pin : problem.pins()) {
            String key = pin.courseId() + "#" + pin.slotIndex();
            if (!pin.applicantId().equals(holder.get(key))) {
                violations.add("pin of " + pin.applicantId() + " to " + pin.courseId() + " slot " + pin.slotIndex()
                        + " was not kept");
            }
        }
        return violations;
    }

    private static boolean meetTogether(Course x, Course y) {
        for (Meeting a : x.meetings()) {
            for (Meeting b : y.meetings()) {
                if (a.overlaps(b)) {
                    return true;
                }
            }
        }
        return false;
    }
}
