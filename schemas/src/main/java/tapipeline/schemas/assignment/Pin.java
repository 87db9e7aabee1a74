package tapipeline.schemas.assignment;

import tapipeline.schemas.support.Checks;

/** A TA fixed to a slot by the coordinator; the solver must keep it. {@code slotIndex} is 0-based. */
public record Pin(String courseId, int slotIndex, String applicantId) {

    public Pin {
        Checks.id(courseId, "Pin.courseId");
        Checks.range(slotIndex, 0, 999, "Pin.slotIndex");
        Checks.id(applicantId, "Pin.applicantId");
    }
}
