package tapipeline.coordinator.runs;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tapipeline.schemas.assignment.Applicant;
import tapipeline.schemas.assignment.AssignmentProblem;
import tapipeline.schemas.assignment.Course;
import tapipeline.schemas.assignment.Pin;
import tapipeline.schemas.assignment.RunCompleted;
import tapipeline.schemas.assignment.SlotAssignment;
import tapipeline.schemas.coordinator.Dataset;

/**
 * The assignment under review for one run: the run's result with the term's current pins and
 * overrides on top (a pin made after the run fixes the slot's TA; a pin made before it is already in
 * the result), and the views a coordinator reads it by: by course, by TA, hours owed, and the
 * difference from another run.
 */
public final class Review {

    /** One slot as reviewed. {@code applicantId} null: empty. {@code changedByCoordinator}: a pin after the run moved it. */
    public record Slot(String courseId, int slotIndex, String applicantId, boolean pinned, boolean changedByCoordinator) {
        public String key() {
            return courseId + "#" + slotIndex;
        }
    }

    /** A course and its slots. */
    public record CourseRow(Course course, List<Slot> slots) {
    }

    /** A TA's load: owed minimum, target and maximum against what this assignment gives. */
    public record TaRow(Applicant applicant, List<Slot> slots, int assignedHours) {
        /** Hours below the owed minimum (0 when met). */
        public int shortfall() {
            return Math.max(0, applicant.minHours() - assignedHours);
        }

        public boolean overMaximum() {
            return assignedHours > applicant.maxHours();
        }
    }

    /** A slot whose TA differs between two runs. */
    public record Change(String courseId, int slotIndex, String before, String after) {
    }

    private final AssignmentProblem problem;
    private final Map<String, Course> courses = new LinkedHashMap<>();
    private final Map<String, Applicant> applicants = new LinkedHashMap<>();
    private final Map<String, Slot> slots = new LinkedHashMap<>();
    private final List<Pin> pins;

    /**
     * @param dataset the term's current dataset, whose pins apply on top of the result; null when unknown
     */
    public Review(AssignmentProblem problem, RunCompleted result, Dataset dataset) {
        this.problem = problem;
        problem.courses().forEach(c -> courses.putIfAbsent(c.id(), c));
        problem.applicants().forEach(a -> applicants.putIfAbsent(a.id(), a));
        Map<String, RunCompleted.Assignment> solved = new HashMap<>();
        for (RunCompleted.Assignment a : result.assignments()) {
            solved.put(a.courseId() + "#" + a.slotIndex(), a);
        }
        Map<String, Pin> pinned = new HashMap<>();
        List<Pin> kept = new ArrayList<>();
        for (Pin p : dataset == null ? problem.pins() : dataset.pins()) {
            Course c = courses.get(p.courseId());
            if (c != null && p.slotIndex() < c.slots() && applicants.containsKey(p.applicantId())) {
                pinned.put(p.courseId() + "#" + p.slotIndex(), p);
                kept.add(p);
            }
        }
        this.pins = List.copyOf(kept);
        for (Course c : courses.values()) {
            for (int i = 0; i < c.slots(); i++) {
                String key = c.id() + "#" + i;
                RunCompleted.Assignment a = solved.get(key);
                String ta = a == null ? null : a.applicantId();
                Pin p = pinned.get(key);
                if (p != null) {
                    slots.put(key, new Slot(c.id(), i, p.applicantId(), true, !p.applicantId().equals(ta)));
                } else {
                    slots.put(key, new Slot(c.id(), i, ta, false, false));
                }
            }
        }
    }

    public AssignmentProblem problem() {
        return problem;
    }

    /** The pins in force for this run's slots (the dataset's, limited to what this run's data has). */
    public List<Pin> pins() {
        return pins;
    }

    public Slot slot(String courseId, int slotIndex) {
        return slots.get(courseId + "#" + slotIndex);
    }

    public Course course(String courseId) {
        return courses.get(courseId);
    }

    public Applicant applicant(String applicantId) {
        return applicantId == null ? null : applicants.get(applicantId);
    }

    public String name(String applicantId) {
        Applicant a = applicant(applicantId);
        return a == null ? applicantId : a.name();
    }

    public List<Applicant> applicants() {
        return List.copyOf(applicants.values());
    }

    /** The filled slots as the solver and the checker take them. */
    public List<SlotAssignment> assignment() {
        List<SlotAssignment> out = new ArrayList<>();
        for (Slot s : slots.values()) {
            if (s.applicantId() != null) {
                out.add(new SlotAssignment(s.courseId(), s.slotIndex(), s.applicantId()));
            }
        }
        return out;
    }

    /** The same assignment with one slot given to another applicant. */
    public List<SlotAssignment> assignmentWith(String courseId, int slotIndex, String applicantId) {
        List<SlotAssignment> out = new ArrayList<>();
        boolean placed = false;
        for (SlotAssignment a : assignment()) {
            if (a.courseId().equals(courseId) && a.slotIndex() == slotIndex) {
                out.add(new SlotAssignment(courseId, slotIndex, applicantId));
                placed = true;
            } else {
                out.add(a);
            }
        }
        if (!placed) {
            out.add(new SlotAssignment(courseId, slotIndex, applicantId));
        }
        return out;
    }

    public List<CourseRow> byCourse() {
        List<CourseRow> out = new ArrayList<>();
        for (Course c : courses.values()) {
            List<Slot> of = new ArrayList<>();
            for (int i = 0; i < c.slots(); i++) {
                of.add(slots.get(c.id() + "#" + i));
            }
            out.add(new CourseRow(c, of));
        }
        return out;
    }

    /** Every applicant with their slots and hours, those short of their owed minimum first. */
    public List<TaRow> byTa() {
        Map<String, List<Slot>> held = new HashMap<>();
        for (Slot s : slots.values()) {
            if (s.applicantId() != null) {
                held.computeIfAbsent(s.applicantId(), k -> new ArrayList<>()).add(s);
            }
        }
        List<TaRow> out = new ArrayList<>();
        for (Applicant a : applicants.values()) {
            List<Slot> mine = held.getOrDefault(a.id(), List.of());
            int hours = mine.stream().mapToInt(s -> courses.get(s.courseId()).hoursPerSlot()).sum();
            out.add(new TaRow(a, mine, hours));
        }
        out.sort(Comparator.comparingInt(TaRow::shortfall).reversed()
                .thenComparing(r -> r.applicant().name()));
        return out;
    }

    /** Slots whose TA differs from {@code other} (slots of courses only one of them has count too). */
    public List<Change> differenceFrom(Review other) {
        List<Change> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Slot s : slots.values()) {
            seen.add(s.key());
            Slot o = other.slots.get(s.key());
            String before = o == null ? null : o.applicantId();
            if (!java.util.Objects.equals(before, s.applicantId())) {
                out.add(new Change(s.courseId(), s.slotIndex(), before, s.applicantId()));
            }
        }
        for (Slot o : other.slots.values()) {
            if (!seen.contains(o.key()) && o.applicantId() != null) {
                out.add(new Change(o.courseId(), o.slotIndex(), o.applicantId(), null));
            }
        }
        return out;
    }
}
