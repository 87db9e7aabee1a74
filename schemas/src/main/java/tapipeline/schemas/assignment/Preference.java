package tapipeline.schemas.assignment;

import tapipeline.schemas.support.Checks;

/**
 * An applicant's rating of a course.
 *
 * @param rating  1 (least wanted) to 5 (most wanted)
 * @param willNot the applicant will not TA this course (a hard rule; the rating is then ignored)
 */
public record Preference(String applicantId, String courseId, int rating, boolean willNot) {

    public Preference {
        Checks.id(applicantId, "Preference.applicantId");
        Checks.id(courseId, "Preference.courseId");
        Checks.range(rating, 1, 5, "Preference.rating");
    }
}
