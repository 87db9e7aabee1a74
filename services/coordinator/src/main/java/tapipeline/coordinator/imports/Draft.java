package tapipeline.coordinator.imports;

import java.util.List;
import java.util.Map;

import tapipeline.schemas.assignment.Applicant;
import tapipeline.schemas.assignment.Course;
import tapipeline.schemas.assignment.InstructorPreference;
import tapipeline.schemas.assignment.Pin;
import tapipeline.schemas.assignment.Preference;
import tapipeline.schemas.coordinator.ApplicantContact;
import tapipeline.schemas.coordinator.CourseDetail;
import tapipeline.schemas.coordinator.Dataset;

/**
 * A term's dataset as an import or edit would make it, every item with where it came from (a file
 * of the import, or the current dataset for the kinds the import leaves as they are). Contacts come
 * with the applicants (their {@code email} column) and course details with the courses (their
 * {@code duties} and {@code instructors} columns).
 */
public record Draft(String term, List<Located<Course>> courses, List<Located<Applicant>> applicants,
                    List<Located<Preference>> preferences, List<Located<InstructorPreference>> instructorPreferences,
                    List<Located<Pin>> pins, List<Located<ApplicantContact>> contacts,
                    List<Located<CourseDetail>> courseDetails) {

    /** Where an item of the current dataset "comes from". */
    public static final String CURRENT = "(current dataset)";

    public Draft {
        courses = List.copyOf(courses);
        applicants = List.copyOf(applicants);
        preferences = List.copyOf(preferences);
        instructorPreferences = List.copyOf(instructorPreferences);
        pins = List.copyOf(pins);
        contacts = List.copyOf(contacts);
        courseDetails = List.copyOf(courseDetails);
    }

    public static <T> List<Located<T>> current(List<T> items, String what) {
        Where w = new Where(CURRENT + " " + what, 0, Map.of());
        return items.stream().map(i -> new Located<>(i, w)).toList();
    }

    /** The draft of an existing dataset (for edits, which change one item of it). */
    public static Draft of(Dataset d) {
        return new Draft(d.term(), current(d.courses(), "courses"), current(d.applicants(), "applicants"),
                current(d.preferences(), "preferences"), current(d.instructorPreferences(), "instructor requests"),
                current(d.pins(), "pins"), current(d.contacts(), "contacts"), current(d.courseDetails(), "course details"));
    }

    /** This draft with other applicants (contacts kept). */
    public Draft withApplicants(List<Located<Applicant>> next) {
        return new Draft(term, courses, next, preferences, instructorPreferences, pins, contacts, courseDetails);
    }

    /** This draft with other courses (details kept). */
    public Draft withCourses(List<Located<Course>> next) {
        return new Draft(term, next, applicants, preferences, instructorPreferences, pins, contacts, courseDetails);
    }

    /** This draft with other instructor requests and bans. */
    public Draft withInstructorPreferences(List<Located<InstructorPreference>> next) {
        return new Draft(term, courses, applicants, preferences, next, pins, contacts, courseDetails);
    }

    /** The dataset this draft makes, as the given version. */
    public Dataset toDataset(long version) {
        return new Dataset(term, version, values(courses), values(applicants), values(preferences),
                values(instructorPreferences), values(pins), values(contacts), values(courseDetails));
    }

    private static <T> List<T> values(List<Located<T>> items) {
        return items.stream().map(Located::value).toList();
    }
}
