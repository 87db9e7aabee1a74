package tapipeline.solver.io;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tapipeline.schemas.assignment.Applicant;
import tapipeline.schemas.assignment.AssignmentProblem;
import tapipeline.schemas.assignment.Course;
import tapipeline.schemas.assignment.CourseGrade;
import tapipeline.schemas.assignment.InstructorPreference;
import tapipeline.schemas.assignment.Meeting;
import tapipeline.schemas.assignment.Pin;
import tapipeline.schemas.assignment.Preference;
import tapipeline.schemas.assignment.SlotAssignment;
import tapipeline.solver.domain.CandidateList;
import tapipeline.solver.domain.Eligibility;
import tapipeline.solver.domain.Grades;
import tapipeline.solver.domain.InstructorRequest;
import tapipeline.solver.domain.TaApplicant;
import tapipeline.solver.domain.TaAssignmentSolution;
import tapipeline.solver.domain.TaConstraintConfiguration;
import tapipeline.solver.domain.TaCourse;
import tapipeline.solver.domain.PairFacts;
import tapipeline.solver.domain.TaSlot;
import tapipeline.solver.domain.TimeWindow;

/**
 * Turns an {@link AssignmentProblem} into the solver's model. Expects input that
 * {@link tapipeline.solver.check.ProblemValidator} found free of errors; references it cannot
 * resolve are skipped.
 *
 * <p>Pinned slots are fixed to their TA; other slots start from the previous assignment where that
 * TA is still eligible, so a re-solve begins where the last one ended.
 */
public final class ProblemMapper {

    private ProblemMapper() {
    }

    public static TaAssignmentSolution toSolution(AssignmentProblem problem) {
        Map<String, TaCourse> courses = new LinkedHashMap<>();
        Map<String, Set<String>> bans = new HashMap<>();
        for (InstructorPreference p : problem.instructorPreferences()) {
            if (p.kind() == InstructorPreference.Kind.BAN) {
                bans.computeIfAbsent(p.courseId(), k -> new HashSet<>()).add(p.applicantId());
            }
        }
        for (Course c : problem.courses()) {
            if (!courses.containsKey(c.id())) {
                courses.put(c.id(), toCourse(c, courses.size(), bans.getOrDefault(c.id(), Set.of())));
            }
        }

        Map<String, Map<String, Integer>> ratings = new HashMap<>();
        Map<String, Set<String>> willNot = new HashMap<>();
        for (Preference p : problem.preferences()) {
            if (p.willNot()) {
                willNot.computeIfAbsent(p.applicantId(), k -> new HashSet<>()).add(p.courseId());
            } else {
                ratings.computeIfAbsent(p.applicantId(), k -> new HashMap<>()).put(p.courseId(), p.rating());
            }
        }
        Map<String, TaApplicant> applicants = new LinkedHashMap<>();
        for (Applicant a : problem.applicants()) {
            if (!applicants.containsKey(a.id())) { // index = position in the final list
                applicants.put(a.id(), toApplicant(a, applicants.size(),
                        ratings.getOrDefault(a.id(), Map.of()), willNot.getOrDefault(a.id(), Set.of())));
            }
        }

        List<InstructorRequest> requests = new ArrayList<>();
        Map<String, Map<String, Integer>> requestRank = new HashMap<>();
        for (InstructorPreference p : problem.instructorPreferences()) {
            TaCourse course = courses.get(p.courseId());
            TaApplicant applicant = applicants.get(p.applicantId());
            if (p.kind() == InstructorPreference.Kind.REQUEST && course != null && applicant != null) {
                int rank = p.rank() == null ? 1 : p.rank();
                requests.add(new InstructorRequest(course, applicant, rank));
                requestRank.computeIfAbsent(course.id(), k -> new HashMap<>()).merge(applicant.id(), rank, Math::min);
            }
        }

        Map<String, TaApplicant> pins = new HashMap<>();
        for (Pin pin : problem.pins()) {
            TaApplicant a = applicants.get(pin.applicantId());
            if (a != null) {
                pins.put(pin.courseId() + "#" + pin.slotIndex(), a);
            }
        }
        Map<String, TaApplicant> previous = new HashMap<>();
        for (SlotAssignment s : problem.previousAssignment()) {
            TaApplicant a = applicants.get(s.applicantId());
            if (a != null) {
                previous.put(s.courseId() + "#" + s.slotIndex(), a);
            }
        }

        List<TaApplicant> applicantList = List.copyOf(applicants.values());
        List<TaCourse> courseList = List.copyOf(courses.values());
        // who the candidate order sets apart, per course: raters (by course id), past TAs (by code)
        Map<String, List<TaApplicant>> raters = new HashMap<>();
        Map<String, List<TaApplicant>> taughtBy = new HashMap<>();
        for (TaApplicant a : applicantList) {
            a.ratings().keySet().forEach(courseId -> raters.computeIfAbsent(courseId, k -> new ArrayList<>()).add(a));
            a.previouslyTaught().forEach(code -> taughtBy.computeIfAbsent(code, k -> new ArrayList<>()).add(a));
        }
        Eligibility eligibility = new Eligibility(applicantList);
        PairFacts.Shared shared = PairFacts.shared(applicantList, courseList);
        List<TaSlot> slots = new ArrayList<>();
        for (TaCourse course : courses.values()) {
            Map<String, Integer> ranks = requestRank.getOrDefault(course.id(), Map.of());
            List<TaApplicant> special = new ArrayList<>(raters.getOrDefault(course.id(), List.of()));
            special.addAll(taughtBy.getOrDefault(course.code(), List.of()));
            ranks.keySet().forEach(id -> special.add(applicants.get(id)));
            List<TaApplicant> candidates = candidates(course, applicantList, eligibility.eligible(course), special, ranks);
            List<TaSlot> courseSlots = new ArrayList<>();
            Set<TaApplicant> inCourse = new HashSet<>();
            PairFacts facts = new PairFacts(course, shared);
            for (int i = 0; i < course.slots(); i++) {
                TaSlot slot = new TaSlot(course, i, candidates, facts);
                slot.setPreviousTa(previous.get(slot.getId()));
                TaApplicant pinned = pins.get(slot.getId());
                if (pinned != null) {
                    slot.pinTo(pinned);
                    inCourse.add(pinned);
                }
                courseSlots.add(slot);
            }
            for (TaSlot slot : courseSlots) {
                TaApplicant before = slot.getPreviousTa();
                if (!slot.isPinned() && before != null && before.isEligibleFor(course) && inCourse.add(before)) {
                    slot.setTa(before);
                }
            }
            slots.addAll(courseSlots);
        }
        TaConstraintConfiguration weights = TaConstraintConfiguration.withOverrides(
                problem.settings().constraintWeights());
        return new TaAssignmentSolution(courseList, applicantList, requests, slots, weights);
    }

    /**
     * The applicants no static rule keeps off the course, best first: requested by the instructor
     * (by rank), then by rating, then those who TA'd it before, then by position. Construction tries
     * them in this order.
     */
    static List<TaApplicant> candidates(TaCourse course, List<TaApplicant> applicants, Map<String, Integer> ranks) {
        return candidates(course, applicants, new Eligibility(applicants).eligible(course), applicants, ranks);
    }

    /**
     * The same order from the eligible applicants (bits by position) and those that may sort away from
     * the plain order ({@code special}: requested, rated or taught before; others are ignored, repeats
     * are fine). Everyone else keeps the order of the applicants' list, so only the special ones are
     * sorted and the rest stays a bit set ({@link CandidateList}).
     */
    static List<TaApplicant> candidates(TaCourse course, List<TaApplicant> applicants, BitSet eligible,
            List<TaApplicant> special, Map<String, Integer> ranks) {
        // sort keys packed into a long (rank, rating, not taught, index): sorting compares numbers only
        long[] keys = new long[special.size()];
        int n = 0;
        BitSet plain = (BitSet) eligible.clone();
        for (TaApplicant a : special) {
            if (a != null && plain.get(a.index())) {
                plain.clear(a.index());
                keys[n++] = sortKey(a, course, ranks);
            }
        }
        java.util.Arrays.sort(keys, 0, n);
        int before = 0;
        while (before < n && keys[before] >>> 32 < PLAIN_PREFIX) {
            before++;
        }
        int plainEnd = before;
        while (plainEnd < n && keys[plainEnd] >>> 32 == PLAIN_PREFIX) {
            plain.set((int) (keys[plainEnd] & 0xFFFF_FFFFL));   // e.g. rated 3: sorts like the unrated
            plainEnd++;
        }
        TaApplicant[] head = new TaApplicant[before];
        for (int i = 0; i < before; i++) {
            head[i] = applicants.get((int) (keys[i] & 0xFFFF_FFFFL));
        }
        TaApplicant[] tail = new TaApplicant[n - plainEnd];
        for (int i = plainEnd; i < n; i++) {
            tail[i - plainEnd] = applicants.get((int) (keys[i] & 0xFFFF_FFFFL));
        }
        return new CandidateList(applicants, head, plain, tail);
    }

    /** The sort key's upper half of an applicant nobody requested, who did not rate the course nor TA it. */
    private static final long PLAIN_PREFIX = 4095L << 8 | (5L - TaApplicant.UNRATED) << 4 | 1;

    private static long sortKey(TaApplicant a, TaCourse course, Map<String, Integer> ranks) {
        long rank = Math.min(ranks.getOrDefault(a.id(), 4095), 4095);
        long rating = 5 - a.ratingFor(course);
        long notTaught = a.hasTaught(course) ? 0 : 1;
        return rank << 40 | rating << 36 | notTaught << 32 | a.index();
    }

    public static TaCourse toCourse(Course c, int index, Set<String> bannedApplicants) {
        String label = c.section().isBlank() ? c.code() : c.code() + "-" + c.section();
        return new TaCourse(c.id(), index, label, c.title(), c.slots(), c.hoursPerSlot(), c.minTas(), c.priority(),
                c.wantsExperienced(), c.code(), Set.copyOf(c.requiredSkills()), windows(c.meetings()),
                bannedApplicants);
    }

    public static TaApplicant toApplicant(Applicant a, int index, Map<String, Integer> ratings, Set<String> willNot) {
        Map<String, String> conflicts = new HashMap<>();
        a.conflicts().forEach(coi -> conflicts.putIfAbsent(coi.courseId(), coi.reason()));
        Set<String> good = new HashSet<>();
        for (CourseGrade g : a.coursesTaken()) {
            if (Grades.isGood(g.grade())) {
                good.add(g.courseCode());
            }
        }
        return new TaApplicant(a.id(), index, a.name(), a.minHours(), a.maxHours(), a.targetHours(),
                Set.copyOf(a.skills()), windows(a.unavailable()), ratings, willNot, conflicts,
                Set.copyOf(a.previouslyTaught()), good);
    }

    public static List<TimeWindow> windows(List<Meeting> meetings) {
        List<TimeWindow> windows = new ArrayList<>(meetings.size());
        for (Meeting m : meetings) {
            windows.add(window(m));
        }
        return windows;
    }

    public static TimeWindow window(Meeting m) {
        int day = m.day().ordinal() * 24 * 60;
        int start = m.startTime().toSecondOfDay() / 60;
        int end = m.endTime().toSecondOfDay() / 60;
        return new TimeWindow(day + start, day + end, m.toString());
    }
}
