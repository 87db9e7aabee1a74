package tapipeline.schemas.assignment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tapipeline.schemas.support.Checks;

/**
 * The explanations of one course's slots in one run (payload of {@code assignment.run.explanations},
 * a compacted topic keyed by {@link #key(String, String) "&lt;runId&gt; &lt;courseId&gt;"}): why each
 * filled slot got its TA, and what blocked every candidate of each empty slot. Exactly the entries of
 * {@code assignment.run.completed} v1 for that course, so a result can be put back together
 * ({@link RunCompleted#withExplanationsInline}).
 *
 * @param assignments the course's filled or empty slots with their explanation
 * @param unassigned  the course's empty slots with their blockers
 */
public record RunExplanations(String runId, String courseId, List<RunCompleted.Assignment> assignments,
                              List<RunCompleted.UnassignedSlot> unassigned) {

    public RunExplanations {
        Checks.id(runId, "RunExplanations.runId");
        Checks.id(courseId, "RunExplanations.courseId");
        assignments = Checks.list(assignments, "RunExplanations.assignments");
        unassigned = Checks.list(unassigned, "RunExplanations.unassigned");
        for (RunCompleted.Assignment a : assignments) {
            if (!a.courseId().equals(courseId)) {
                throw new IllegalArgumentException("RunExplanations.assignments: slot of course " + a.courseId()
                        + " in the record of course " + courseId);
            }
        }
        for (RunCompleted.UnassignedSlot u : unassigned) {
            if (!u.courseId().equals(courseId)) {
                throw new IllegalArgumentException("RunExplanations.unassigned: slot of course " + u.courseId()
                        + " in the record of course " + courseId);
            }
        }
    }

    /**
     * The record key: run id and course id separated by a space, which no id contains (ids have no
     * whitespace), so two runs' or two courses' keys never collide and compaction keeps one record per
     * run and course.
     */
    public static String key(String runId, String courseId) {
        return runId + " " + courseId;
    }

    public String key() {
        return key(runId, courseId);
    }

    /** The explanation of one slot, or null when this record has none for it. */
    public RunCompleted.Explanation explanationOf(int slotIndex) {
        for (RunCompleted.Assignment a : assignments) {
            if (a.slotIndex() == slotIndex) {
                return a.explanation();
            }
        }
        return null;
    }

    /** The blockers of one empty slot, or null when this record does not list the slot as empty. */
    public RunCompleted.UnassignedSlot unassignedOf(int slotIndex) {
        for (RunCompleted.UnassignedSlot u : unassigned) {
            if (u.slotIndex() == slotIndex) {
                return u;
            }
        }
        return null;
    }

    /**
     * A result's inline explanations split per course, in the order the courses first appear: one
     * record per course with an explained slot or an empty slot with blockers. Nothing else of the
     * result is in them.
     */
    public static List<RunExplanations> split(RunCompleted result) {
        Map<String, List<RunCompleted.Assignment>> explained = new LinkedHashMap<>();
        Map<String, List<RunCompleted.UnassignedSlot>> blocked = new LinkedHashMap<>();
        for (RunCompleted.Assignment a : result.assignments()) {
            if (a.explanation() != null) {
                explained.computeIfAbsent(a.courseId(), k -> new ArrayList<>()).add(a);
                blocked.computeIfAbsent(a.courseId(), k -> new ArrayList<>());
            }
        }
        for (RunCompleted.UnassignedSlot u : result.unassigned()) {
            if (!u.blockers().isEmpty()) {
                blocked.computeIfAbsent(u.courseId(), k -> new ArrayList<>()).add(u);
                explained.computeIfAbsent(u.courseId(), k -> new ArrayList<>());
            }
        }
        List<RunExplanations> out = new ArrayList<>(explained.size());
        for (Map.Entry<String, List<RunCompleted.Assignment>> e : explained.entrySet()) {
            out.add(new RunExplanations(result.runId(), e.getKey(), e.getValue(), blocked.get(e.getKey())));
        }
        return out;
    }
}
