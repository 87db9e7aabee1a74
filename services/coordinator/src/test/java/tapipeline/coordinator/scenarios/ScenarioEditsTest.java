package tapipeline.coordinator.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import tapipeline.coordinator.imports.DatasetValidator;
import tapipeline.coordinator.imports.Draft;
import tapipeline.coordinator.imports.Problem;
import tapipeline.platform.web.Refused;
import tapipeline.schemas.assignment.Applicant;
import tapipeline.schemas.assignment.ConflictOfInterest;
import tapipeline.schemas.assignment.Course;
import tapipeline.schemas.assignment.InstructorPreference;
import tapipeline.schemas.assignment.Pin;
import tapipeline.schemas.assignment.Preference;
import tapipeline.schemas.coordinator.ApplicantContact;
import tapipeline.schemas.coordinator.CourseDetail;
import tapipeline.schemas.coordinator.Dataset;

/** Each scenario edit keeps the data valid (the import's rules and the records' own checks) and says what it did. */
class ScenarioEditsTest {

    // 4 TAs, at least 3 to be staffed, room for 5
    static final Course BIG = course("big", 4, 3, 5);
    // 2 TAs, both needed, no room above
    static final Course SMALL = course("small", 2, 2, 2);
    static final Applicant HEAVY = applicant("heavy", 20, 20, 25, List.of(new ConflictOfInterest("small", "enrolled")));
    static final Applicant LIGHT = applicant("light", 0, 10, 10, List.of());

    static Course course(String id, int slots, int min, int max) {
        return new Course(id, id.toUpperCase(), "Course " + id, "101", "T", "Prof", List.of(), slots, 5, List.of(), min,
                max, 3, false);
    }

    static Applicant applicant(String id, int min, int target, int max, List<ConflictOfInterest> conflicts) {
        return new Applicant(id, "Name " + id, "MSc", 1, min, max, target, List.of(), List.of(), List.of(), List.of(),
                conflicts);
    }

    static Dataset data() {
        return new Dataset("T", 3, List.of(BIG, SMALL), List.of(HEAVY, LIGHT),
                List.of(new Preference("heavy", "big", 5, false), new Preference("light", "small", 4, false)),
                List.of(InstructorPreference.request("small", "light", 1), InstructorPreference.ban("big", "light")),
                List.of(new Pin("big", 3, "heavy"), new Pin("big", 0, "light"), new Pin("small", 1, "light")),
                List.of(new ApplicantContact("heavy", "heavy@example.edu"), new ApplicantContact("light", "light@example.edu")),
                List.of(new CourseDetail("small", "Grading", List.of("prof1"))));
    }

    static void assertValid(Dataset d) {
        assertThat(DatasetValidator.check(Draft.of(d)).stream().filter(Problem::isError)).isEmpty();
        for (Course c : d.courses()) {
            assertThat(c.minTas()).as(c.id()).isBetween(0, c.slots());
            assertThat(c.maxTas()).as(c.id()).isGreaterThanOrEqualTo(c.slots());
        }
        for (Applicant a : d.applicants()) {
            assertThat(a.minHours()).as(a.id()).isLessThanOrEqualTo(a.targetHours());
            assertThat(a.targetHours()).as(a.id()).isLessThanOrEqualTo(a.maxHours());
        }
    }

    static Course courseOf(Dataset d, String id) {
        return d.courses().stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void one_TA_fewer_lowers_the_minimum_only_when_above_keeps_the_maximums_room_and_drops_the_gone_positions_pins() {
        ScenarioEdits.Result r = ScenarioEdits.apply(data(), new ScenarioEdits.Slots("big", 2));
        Course big = courseOf(r.dataset(), "big");
        assertThat(big.slots()).isEqualTo(2);
        assertThat(big.minTas()).as("3 needed of 2 positions: the minimum comes down to 2").isEqualTo(2);
        assertThat(big.maxTas()).as("room of 1 above the positions kept").isEqualTo(3);
        assertThat(r.dataset().version()).isEqualTo(4);
        assertThat(r.dataset().pins()).as("the pin of position 3 is gone, the others stay")
                .containsExactly(new Pin("big", 0, "light"), new Pin("small", 1, "light"));
        assertThat(r.facts()).contains("BIG-101: 4 → 2").contains("min 3 → 2").contains("max 5 → 3").contains("1 pin");
        assertThat(r.dataset().contacts()).isEqualTo(data().contacts());
        assertThat(r.dataset().courseDetails()).isEqualTo(data().courseDetails());
        assertValid(r.dataset());
    }

    @Test
    void one_TA_more_raises_the_maximum_with_the_positions_and_leaves_the_minimum() {
        ScenarioEdits.Result r = ScenarioEdits.apply(data(), new ScenarioEdits.Slots("small", 3));
        Course small = courseOf(r.dataset(), "small");
        assertThat(small.slots()).isEqualTo(3);
        assertThat(small.minTas()).isEqualTo(2);
        assertThat(small.maxTas()).isEqualTo(3);
        assertValid(r.dataset());
        ScenarioEdits.Result one = ScenarioEdits.apply(data(), new ScenarioEdits.Slots("small", 1));
        assertThat(courseOf(one.dataset(), "small").minTas()).isEqualTo(1);
        assertThat(courseOf(one.dataset(), "small").maxTas()).isEqualTo(1);
        assertValid(one.dataset());
    }

    @Test
    void a_bad_number_of_TAs_or_course_is_refused_naming_the_field() {
        assertThatThrownBy(() -> ScenarioEdits.apply(data(), new ScenarioEdits.Slots("big", 0)))
                .isInstanceOf(Refused.class).hasMessage("slots must be 1 to 1000, was 0")
                .satisfies(e -> assertThat(((Refused) e).status()).isEqualTo(400));
        assertThatThrownBy(() -> ScenarioEdits.apply(data(), new ScenarioEdits.Slots("big", 1001)))
                .hasMessageContaining("slots must be 1 to 1000, was 1001");
        assertThatThrownBy(() -> ScenarioEdits.apply(data(), new ScenarioEdits.Slots("nope", 2)))
                .isInstanceOf(Refused.class).hasMessageContaining("courseId: no course has the id \"nope\"")
                .satisfies(e -> assertThat(((Refused) e).status()).isEqualTo(404));
        assertThatThrownBy(() -> ScenarioEdits.apply(data(), new ScenarioEdits.Slots("big", 4)))
                .hasMessageContaining("slots: BIG-101 already has 4 TAs");
    }

    @Test
    void capping_hours_keeps_min_at_most_target_at_most_max_and_leaves_those_under_the_cap() {
        ScenarioEdits.Result r = ScenarioEdits.apply(data(), new ScenarioEdits.CapHours(15));
        Applicant heavy = r.dataset().applicants().get(0);
        assertThat(heavy.maxHours()).isEqualTo(15);
        assertThat(heavy.targetHours()).isEqualTo(15);
        assertThat(heavy.minHours()).as("owed 20, capped at 15").isEqualTo(15);
        assertThat(heavy.conflicts()).isEqualTo(HEAVY.conflicts());
        assertThat(r.dataset().applicants().get(1)).as("already at 10 h").isEqualTo(LIGHT);
        assertThat(r.facts()).contains("capped at 15").contains("1 applicant(s) lowered").contains("1 of them owed more");
        assertValid(r.dataset());
        assertThatThrownBy(() -> ScenarioEdits.apply(data(), new ScenarioEdits.CapHours(0)))
                .hasMessage("maxHours must be 1 to 60, was 0");
        assertThatThrownBy(() -> ScenarioEdits.apply(data(), new ScenarioEdits.CapHours(61)))
                .hasMessage("maxHours must be 1 to 60, was 61");
        assertThatThrownBy(() -> ScenarioEdits.apply(data(), new ScenarioEdits.CapHours(25)))
                .hasMessageContaining("maxHours: every applicant already has at most 25 hours");
    }

    @Test
    void removing_an_applicant_takes_their_preferences_requests_pins_and_contact_with_them() {
        ScenarioEdits.Result r = ScenarioEdits.apply(data(), new ScenarioEdits.RemoveApplicant("light"));
        Dataset d = r.dataset();
        assertThat(d.applicants()).extracting(Applicant::id).containsExactly("heavy");
        assertThat(d.preferences()).extracting(Preference::applicantId).containsExactly("heavy");
        assertThat(d.instructorPreferences()).isEmpty();
        assertThat(d.pins()).containsExactly(new Pin("big", 3, "heavy"));
        assertThat(d.contacts()).extracting(ApplicantContact::applicantId).containsExactly("heavy");
        assertThat(r.facts()).isEqualTo("removed applicant light (Name light)");
        assertValid(d);
        assertThatThrownBy(() -> ScenarioEdits.apply(d, new ScenarioEdits.RemoveApplicant("heavy")))
                .hasMessageContaining("applicantId: heavy is the scenario's only applicant");
        assertThatThrownBy(() -> ScenarioEdits.apply(data(), new ScenarioEdits.RemoveApplicant("ghost")))
                .hasMessageContaining("applicantId: no applicant has the id \"ghost\"");
    }

    @Test
    void removing_a_course_takes_its_preferences_requests_pins_details_and_the_conflicts_naming_it() {
        ScenarioEdits.Result r = ScenarioEdits.apply(data(), new ScenarioEdits.RemoveCourse("small"));
        Dataset d = r.dataset();
        assertThat(d.courses()).extracting(Course::id).containsExactly("big");
        assertThat(d.preferences()).extracting(Preference::courseId).containsExactly("big");
        assertThat(d.instructorPreferences()).extracting(InstructorPreference::courseId).containsExactly("big");
        assertThat(d.pins()).extracting(Pin::courseId).containsOnly("big");
        assertThat(d.courseDetails()).isEmpty();
        assertThat(d.applicants().get(0).conflicts()).as("a conflict with a course that is gone").isEmpty();
        assertValid(d);
        assertThatThrownBy(() -> ScenarioEdits.apply(d, new ScenarioEdits.RemoveCourse("big")))
                .hasMessageContaining("courseId: BIG-101 is the scenario's only course");
    }

    @Test
    void scenario_ids_are_slugs_of_term_and_name_with_a_random_tail() {
        String a = ScenarioStore.newId("2027W1", "One TA fewer in 18-661!");
        String b = ScenarioStore.newId("2027W1", "One TA fewer in 18-661!");
        assertThat(a).matches("2027w1-one-ta-fewer-in-18-661-[0-9a-f]{6}").isNotEqualTo(b);
        assertThat(ScenarioStore.newId("T", "漢字")).matches("t-scenario-[0-9a-f]{6}");
        assertThat(ScenarioStore.newId("T", "x".repeat(200)).length()).isLessThanOrEqualTo(128);
        assertThat(ScenarioStore.slug("Crème brûlée", 60)).isEqualTo("creme-brulee");
    }
}
