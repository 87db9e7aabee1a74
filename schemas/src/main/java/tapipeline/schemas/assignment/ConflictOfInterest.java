package tapipeline.schemas.assignment;

import tapipeline.schemas.support.Checks;

/**
 * A course the applicant must not TA, and why (enrolled in it, related to its instructor, ...).
 * Private to the coordinator and the solver: never published.
 */
public record ConflictOfInterest(String courseId, String reason) {

    public ConflictOfInterest {
        Checks.id(courseId, "ConflictOfInterest.courseId");
        Checks.text(reason, "ConflictOfInterest.reason");
    }
}
