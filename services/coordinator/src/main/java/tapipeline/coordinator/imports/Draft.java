package tapipeline.coordinator.imports;

import java.util.List;
import java.util.Map;

import tapipeline.schemas.assignment.Applicant;
import tapipeline.schemas.assignment.Course;
import tapipeline.schemas.assignment.InstructorPreference;
import tapipeline.schemas.assignment.Pin;
import tapipeline.schemas.assignment.Preference;
import tapipeline.schemas.coordinator.Dataset;

/**
 * A term's dataset as an import or edit would make it, every item with where it came from (a file
 * of the import, or the current dataset for the kinds the import leaves as they are).
 */
public record Draft(String term, List<Located<Course>> courses, List<Located<Applicant>> applicants,
                    List<Located<Preference>> preferences, List<Located<InstructorPreference>> instructorPreferences,
                    List<Located<Pin>> pins) {

    /** Where an item of the current dataset "comes from". */
    public static final String CURRENT = "(current dataset)";

    public Draft {
        courses = List.copyOf(courses);
        applicants = List.copyOf(applicants);
        preferences = List.copyOf(preferences);
        instructorPreferences = List.copyOf(instructorPreferences);
        pins = List.copyOf(pins);
    }

    public static <T> List<Located<T>> current(List<T> items, String what) {
        Where w = new Where(CURRENT + " " + what, 0, Map.of());
        return items.stream().map(i -> new Located<>(i, w)).toList();
    }

    /** The draft of an existing dataset (for edits, which change one item of it). */
    public static Draft of(Dataset d) {
        return new Draft(d.term(), current(d.courses(), "courses"), current(d.applicants(), "applicants"),
                current(d.preferences(), "preferences"), current(d.instructorPreferences(), "instructor requests"),
                current(d.pins(), "pins"));
    }

    /** The dataset this draft makes, as the given version. */
    public Dataset toDataset(long version) {
        return new Dataset(term, version, values(courses), values(applicants), values(preferences),
                values(instructorPreferences), values(pins));
    }

    private static <T> List<T> values(List<Located<T>> items) {
        return items.stream().map(Located::value).toList();
    }
}
