package tapipeline.coordinator.runs;

import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tapipeline.platform.kafka.ExplanationsReader;
import tapipeline.schemas.assignment.RunCompleted;
import tapipeline.schemas.assignment.RunExplanations;

/**
 * Why a slot of a run got its TA (or stayed empty), for the slot page, the API and the command line.
 * A result of the old shape (assignment.run.completed v1, or a v2 written without the explanations
 * topic) carries it inline; a result that says where its explanations are has them read on demand
 * from {@code assignment.run.explanations}, one course record at a time ({@link ExplanationsReader}),
 * so the board never holds a run's explanations.
 */
public final class SlotExplanations implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SlotExplanations.class);

    /**
     * A slot's explanation: {@code explanation} for a slot the solver explained, {@code blocked} for an
     * empty slot (its summary, and what blocked each candidate when known); {@code missing} says in words
     * why neither could be read (null when nothing is missing).
     */
    public record Why(RunCompleted.Explanation explanation, RunCompleted.UnassignedSlot blocked, String missing) {
    }

    private final ExplanationsReader reader;

    /** @param reader where results' explanations are read from; null: inline explanations only */
    public SlotExplanations(ExplanationsReader reader) {
        this.reader = reader;
    }

    public Why of(RunCompleted result, String courseId, int slotIndex) {
        RunCompleted.Explanation explanation = null;
        for (RunCompleted.Assignment a : result.assignments()) {
            if (a.courseId().equals(courseId) && a.slotIndex() == slotIndex) {
                explanation = a.explanation();
            }
        }
        RunCompleted.UnassignedSlot blocked = null;
        for (RunCompleted.UnassignedSlot u : result.unassigned()) {
            if (u.courseId().equals(courseId) && u.slotIndex() == slotIndex) {
                blocked = u;
            }
        }
        RunCompleted.ExplanationsRef where = result.explanations();
        boolean complete = explanation != null && (blocked == null || !blocked.blockers().isEmpty());
        if (complete || where == null) {
            return new Why(explanation, blocked, null);
        }
        if (reader == null) {
            return new Why(explanation, blocked, "This result's explanations are on assignment.run.explanations, "
                    + "which this instance does not read.");
        }
        Optional<RunExplanations> course;
        try {
            course = reader.course(result.runId(), where, courseId);
        } catch (RuntimeException e) {
            log.warn("explanations of run {} course {}: {}", result.runId(), courseId, e.getMessage());
            return new Why(explanation, blocked, "The explanation could not be read from assignment.run.explanations"
                    + " just now (" + e.getMessage() + "); try again.");
        }
        if (course.isEmpty()) {
            return new Why(explanation, blocked, "The solver wrote no explanation for course " + courseId
                    + " in this run (assignment.run.explanations partition " + where.partition() + ", offsets "
                    + where.firstOffset() + ".." + where.lastOffset() + ").");
        }
        RunCompleted.Explanation found = course.get().explanationOf(slotIndex);
        RunCompleted.UnassignedSlot foundBlocked = course.get().unassignedOf(slotIndex);
        RunCompleted.Explanation why = explanation != null ? explanation : found;
        RunCompleted.UnassignedSlot whyEmpty = foundBlocked != null ? foundBlocked : blocked;
        // a course record without this slot: the solver explained some of the course's slots only (cut short)
        String missing = why == null && whyEmpty == null ? "The solver wrote no explanation for slot " + (slotIndex + 1)
                + " of course " + courseId + " in this run." : null;
        return new Why(why, whyEmpty, missing);
    }

    @Override
    public void close() {
        if (reader != null) {
            reader.close();
        }
    }
}
