package tapipeline.coordinator.instructors;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What the instructor pages show: plain records, nothing to compute in a template. An applicant row
 * holds the applicant's public and application fields only (see {@link InstructorCourses} for the
 * rule, field by field).
 */
public final class InstructorViews {

    private InstructorViews() {
    }

    /** One course an instructor teaches, in the "My courses" list. */
    public record CourseLine(String term, String courseId, String code, String section, String title, int slots,
                             int requests, int bans) {
        public String href() {
            return courseUrl(term, courseId);
        }
    }

    /** A term's courses of the instructor. */
    public record TermCourses(String term, long version, List<CourseLine> courses) {
    }

    public record MyCourses(String displayName, List<TermCourses> terms) {
    }

    /**
     * One applicant as the instructor sees them.
     *
     * @param preference the applicant's own rating of THIS course, in words ("5 of 5", "will not TA it", "did not rate it")
     * @param mark       REQUEST, BAN or null: this course's instructor wish for the applicant
     */
    public record ApplicantRow(String id, String name, String program, int year, List<String> skills,
                               List<String> coursesTaken, List<String> previouslyTaught, String preference, boolean applied,
                               String mark, Integer rank) {
        public boolean requested() {
            return "REQUEST".equals(mark);
        }

        public boolean banned() {
            return "BAN".equals(mark);
        }
    }

    /** A request of the last run, as the instructor may read it. */
    public record RequestLine(String name, Integer rank, boolean met, String why) {
    }

    public record BanLine(String name, boolean honoured) {
    }

    /** The outcome of the instructor's requests in the term's latest approved (else completed) run. */
    public record RunOutcome(String runId, boolean approved, List<RequestLine> requests, List<BanLine> bans) {
    }

    /** The course page. */
    public record CoursePage(String term, long version, String courseId, String code, String section, String title,
                             int slots, int minTas, int maxTas, int hoursPerSlot, String duties, List<ApplicantRow> applicants,
                             boolean all, int applicantCount, RunOutcome run, String message, String error) {
        public String href() {
            return courseUrl(term, courseId);
        }
    }

    public static String courseUrl(String term, String courseId) {
        return "/my/terms/" + enc(term) + "/courses/" + enc(courseId);
    }

    public static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
