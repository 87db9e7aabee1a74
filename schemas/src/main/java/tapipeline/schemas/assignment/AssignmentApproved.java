package tapipeline.schemas.assignment;

import java.time.Instant;
import java.util.List;
import tapipeline.schemas.support.Checks;

/**
 * The assignment a coordinator approved for a term (payload of {@code assignment.approved}).
 *
 * <p>It goes to the public site, so it holds public fields only: no ratings, preferences, notes,
 * conflicts of interest, hours owed or unavailability.
 */
public record AssignmentApproved(
        String term,
        String runId,
        String approvedBy,
        Instant approvedAt,
        List<ApprovedCourse> courses) {

    public AssignmentApproved {
        Checks.text(term, "AssignmentApproved.term");
        Checks.id(runId, "AssignmentApproved.runId");
        Checks.text(approvedBy, "AssignmentApproved.approvedBy");
        Checks.nonNull(approvedAt, "AssignmentApproved.approvedAt");
        courses = Checks.list(courses, "AssignmentApproved.courses");
    }

    /** A course and its TAs. */
    public record ApprovedCourse(
            String courseId,
            String code,
            String title,
            String section,
            String instructor,
            List<ApprovedTa> tas) {
        public ApprovedCourse {
            Checks.id(courseId, "ApprovedCourse.courseId");
            Checks.text(code, "ApprovedCourse.code");
            Checks.text(title, "ApprovedCourse.title");
            Checks.anyText(section, "ApprovedCourse.section");
            Checks.anyText(instructor, "ApprovedCourse.instructor");
            tas = Checks.list(tas, "ApprovedCourse.tas");
        }
    }

    /** A TA on a course with their weekly hours there. */
    public record ApprovedTa(String applicantId, String name, int hours) {
        public ApprovedTa {
            Checks.id(applicantId, "ApprovedTa.applicantId");
            Checks.text(name, "ApprovedTa.name");
            Checks.range(hours, 1, 60, "ApprovedTa.hours");
        }
    }
}
