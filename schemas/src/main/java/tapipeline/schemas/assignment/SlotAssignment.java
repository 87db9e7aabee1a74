package tapipeline.schemas.assignment;

import tapipeline.schemas.support.Checks;

/** One filled slot of an earlier assignment, used to keep re-solves close to it. 0-based slot index. */
public record SlotAssignment(String courseId, int slotIndex, String applicantId) {

    public SlotAssignment {
        Checks.id(courseId, "SlotAssignment.courseId");
        Checks.range(slotIndex, 0, 999, "SlotAssignment.slotIndex");
        Checks.id(applicantId, "SlotAssignment.applicantId");
    }
}
