package tapipeline.schemas.coordinator;

import java.util.List;
import tapipeline.schemas.assignment.Applicant;
import tapipeline.schemas.assignment.Course;
import tapipeline.schemas.assignment.InstructorPreference;
import tapipeline.schemas.assignment.Pin;
import tapipeline.schemas.assignment.Preference;
import tapipeline.schemas.support.Checks;

/**
 * The coordinator's current data for a term (payload of {@code coordinator.datasets}, keyed by term,
 * compacted). Each import or edit publishes the whole dataset with {@code version} + 1.
 *
 * @param contacts      (v2) applicants' e-mail addresses, for offers; private
 * @param courseDetails (v2) each course's duties (for offers) and instructor accounts
 */
public record Dataset(
        String term,
        long version,
        List<Course> courses,
        List<Applicant> applicants,
        List<Preference> preferences,
        List<InstructorPreference> instructorPreferences,
        List<Pin> pins,
        List<ApplicantContact> contacts,
        List<CourseDetail> courseDetails) {

    public Dataset {
        Checks.text(term, "Dataset.term");
        Checks.atLeast(version, 1, "Dataset.version");
        courses = Checks.list(courses, "Dataset.courses");
        applicants = Checks.list(applicants, "Dataset.applicants");
        preferences = Checks.list(preferences, "Dataset.preferences");
        instructorPreferences = Checks.list(instructorPreferences, "Dataset.instructorPreferences");
        pins = Checks.list(pins, "Dataset.pins");
        contacts = Checks.list(contacts, "Dataset.contacts");
        courseDetails = Checks.list(courseDetails, "Dataset.courseDetails");
    }

    /** A dataset without contacts or course details (the v1 shape). */
    public Dataset(String term, long version, List<Course> courses, List<Applicant> applicants,
                   List<Preference> preferences, List<InstructorPreference> instructorPreferences, List<Pin> pins) {
        this(term, version, courses, applicants, preferences, instructorPreferences, pins, List.of(), List.of());
    }

    /** This dataset as another version (everything else kept, contacts and details included). */
    public Dataset withVersion(long newVersion) {
        return new Dataset(term, newVersion, courses, applicants, preferences, instructorPreferences, pins, contacts,
                courseDetails);
    }

    /** This dataset with other pins. */
    public Dataset withPins(List<Pin> newPins) {
        return new Dataset(term, version, courses, applicants, preferences, instructorPreferences, newPins, contacts,
                courseDetails);
    }

    /** The e-mail address of an applicant, if the dataset has one. */
    public java.util.Optional<String> emailOf(String applicantId) {
        return contacts.stream().filter(c -> c.applicantId().equals(applicantId)).map(ApplicantContact::email).findFirst();
    }

    /** The details of a course, if the dataset has them. */
    public java.util.Optional<CourseDetail> detailOf(String courseId) {
        return courseDetails.stream().filter(c -> c.courseId().equals(courseId)).findFirst();
    }
}
