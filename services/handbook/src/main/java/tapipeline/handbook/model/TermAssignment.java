package tapipeline.handbook.model;

import java.time.Instant;
import java.util.List;

/**
 * The approved TA assignment of one term, public fields only (the handbook never sees
 * preferences, ratings, notes or conflicts of interest).
 */
public record TermAssignment(
        String term,
        String runId,
        String approvedBy,
        Instant approvedAt,
        List<Course> courses) {

    public TermAssignment {
        courses = ProgramContent.copy(courses);
    }

    public record Course(
            String courseId,
            String code,
            String title,
            String section,
            String instructor,
            List<Ta> tas) {
        public Course {
            tas = ProgramContent.copy(tas);
        }
    }

    /** One teaching assistant on a course with the weekly hours assigned. */
    public record Ta(String applicantId, String name, double hours) {}
}
