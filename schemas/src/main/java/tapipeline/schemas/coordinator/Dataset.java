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
 */
public record Dataset(
        String term,
        long version,
        List<Course> courses,
        List<Applicant> applicants,
        List<Preference> preferences,
        List<InstructorPreference> instructorPreferences,
        List<Pin> pins) {

    public Dataset {
        Checks.text(term, "Dataset.term");
        Checks.atLeast(version, 1, "Dataset.version");
        courses = Checks.list(courses, "Dataset.courses");
        applicants = Checks.list(applicants, "Dataset.applicants");
        preferences = Checks.list(preferences, "Dataset.preferences");
        instructorPreferences = Checks.list(instructorPreferences, "Dataset.instructorPreferences");
        pins = Checks.list(pins, "Dataset.pins");
    }
}
