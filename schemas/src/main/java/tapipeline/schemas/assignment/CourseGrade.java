package tapipeline.schemas.assignment;

import tapipeline.schemas.support.Checks;

/**
 * A course an applicant took, with the grade as the transcript shows it ({@code A-}, {@code 87}).
 */
public record CourseGrade(String courseCode, String grade) {

    public CourseGrade {
        Checks.text(courseCode, "CourseGrade.courseCode");
        Checks.text(grade, "CourseGrade.grade");
    }
}
