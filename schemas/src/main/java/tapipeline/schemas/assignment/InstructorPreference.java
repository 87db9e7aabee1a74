package tapipeline.schemas.assignment;

import com.fasterxml.jackson.annotation.JsonInclude;
import tapipeline.schemas.support.Checks;

/**
 * An instructor's request for, or ban of, an applicant on their course.
 *
 * @param rank for {@link Kind#REQUEST}: 1 = most wanted; optional ({@code null}) and ignored for bans
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record InstructorPreference(String courseId, String applicantId, Kind kind, Integer rank) {

    public enum Kind {
        REQUEST, BAN
    }

    public InstructorPreference {
        Checks.id(courseId, "InstructorPreference.courseId");
        Checks.id(applicantId, "InstructorPreference.applicantId");
        Checks.nonNull(kind, "InstructorPreference.kind");
        if (rank != null) {
            Checks.range(rank, 1, 1000, "InstructorPreference.rank");
        }
    }

    public static InstructorPreference request(String courseId, String applicantId, int rank) {
        return new InstructorPreference(courseId, applicantId, Kind.REQUEST, rank);
    }

    public static InstructorPreference ban(String courseId, String applicantId) {
        return new InstructorPreference(courseId, applicantId, Kind.BAN, null);
    }
}
