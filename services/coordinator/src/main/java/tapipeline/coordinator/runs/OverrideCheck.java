package tapipeline.coordinator.runs;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tapipeline.schemas.assignment.RunCompleted;
import tapipeline.solver.score.AssignmentScorer;

/**
 * What giving one slot to another TA does, by the solver's own constraint model
 * ({@link AssignmentScorer}): the hard rules it newly breaks (in words, from the independent checker),
 * the score before and after, and each constraint whose share changes.
 *
 * @param newlyBroken hard rules broken after the change that were not broken before
 * @param broken      every hard rule broken after the change
 * @param changes     the constraints whose score changes, in the documented order
 * @param explanation the slot's explanation after the change (why this TA, the runners-up)
 */
public record OverrideCheck(String courseId, int slotIndex, String from, String fromName, String to, String toName,
                            String scoreBefore, String scoreAfter, boolean feasibleAfter, List<String> newlyBroken,
                            List<String> broken, List<ConstraintChange> changes, RunCompleted.Explanation explanation) {

    /** One constraint's share before and after. */
    public record ConstraintChange(String constraint, String before, String after, int matchesBefore, int matchesAfter) {
    }

    static OverrideCheck of(Review review, Review.Slot slot, String to, AssignmentScorer.Scored before,
                            AssignmentScorer.Scored after) {
        Set<String> was = new HashSet<>(before.hardViolations());
        List<String> newly = new ArrayList<>();
        for (String v : after.hardViolations()) {
            if (!was.contains(v)) {
                newly.add(v);
            }
        }
        Map<String, RunCompleted.ConstraintScore> old = new HashMap<>();
        before.breakdown().forEach(c -> old.put(c.constraint(), c));
        List<ConstraintChange> changes = new ArrayList<>();
        for (RunCompleted.ConstraintScore now : after.breakdown()) {
            RunCompleted.ConstraintScore b = old.get(now.constraint());
            String bScore = b == null ? "0hard/0medium/0soft" : b.score();
            int bMatches = b == null ? 0 : b.matches();
            if (!bScore.equals(now.score()) || bMatches != now.matches()) {
                changes.add(new ConstraintChange(now.constraint(), bScore, now.score(), bMatches, now.matches()));
            }
        }
        RunCompleted.Assignment slotAfter = after.explainer().assignment(slot.courseId(), slot.slotIndex());
        RunCompleted.Explanation explanation = slotAfter == null ? null : slotAfter.explanation();
        return new OverrideCheck(slot.courseId(), slot.slotIndex(), slot.applicantId(),
                slot.applicantId() == null ? "(empty)" : review.name(slot.applicantId()), to, review.name(to),
                before.score().toString(), after.score().toString(), after.feasible(), List.copyOf(newly),
                after.hardViolations(), List.copyOf(changes), explanation);
    }
}
