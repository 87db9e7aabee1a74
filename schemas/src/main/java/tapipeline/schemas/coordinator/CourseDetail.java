package tapipeline.schemas.coordinator;

import java.util.List;

import tapipeline.schemas.support.Checks;

/**
 * What a course's TA offer says and who teaches it (v2 of {@code coordinator.datasets}); the
 * solver does not need either, so they stay out of {@link tapipeline.schemas.assignment.Course}.
 *
 * @param duties      what the TA will do, in a sentence or a paragraph (may be empty)
 * @param instructors usernames of the instructor accounts who may see and rank this course's
 *                    applicants and set its number of TAs
 */
public record CourseDetail(String courseId, String duties, List<String> instructors) {

    public CourseDetail {
        Checks.id(courseId, "CourseDetail.courseId");
        Checks.anyText(duties, "CourseDetail.duties");
        if (duties.length() > 4000) {
            throw new IllegalArgumentException("CourseDetail.duties must be at most 4000 characters, was " + duties.length());
        }
        instructors = Checks.ids(instructors, "CourseDetail.instructors");
    }
}
