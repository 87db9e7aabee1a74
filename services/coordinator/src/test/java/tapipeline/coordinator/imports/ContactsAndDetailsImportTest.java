package tapipeline.coordinator.imports;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import tapipeline.coordinator.datasets.CsvExport;
import tapipeline.coordinator.sample.CoordinatorSampleData;
import tapipeline.schemas.coordinator.ApplicantContact;
import tapipeline.schemas.coordinator.CourseDetail;
import tapipeline.schemas.coordinator.Dataset;

/**
 * The dataset's v2 columns through the importer: applicants' {@code email} (contacts), courses'
 * {@code duties} and {@code instructors} (course details); a re-import without a column keeps what the
 * term has, a column with an empty cell clears it; CSV and JSON round trips carry them.
 */
class ContactsAndDetailsImportTest {

    static final String COURSES = """
            id,code,title,slots,hours_per_slot,duties,instructors
            c1,CPSC 110,Intro,2,10,"Runs labs, marks quizzes",kiczales; ada
            c2,MATH 100,Calculus,1,5,,
            """;
    static final String APPLICANTS = """
            id,name,max_hours,email
            a1,Ana Silva,20,ana.silva@students.example.edu
            a2,Bob Smith,10,
            """;

    private final Importer importer = new Importer(Importer.Limits.DEFAULT);

    private Importer.Result check(Dataset current, Map<String, String> files) {
        List<Importer.Upload> uploads = new java.util.ArrayList<>();
        files.forEach((n, t) -> uploads.add(new Importer.Upload(n, t.getBytes(StandardCharsets.UTF_8))));
        return importer.check("2027W1", current, uploads);
    }

    private static Map<String, String> files(String courses, String applicants) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("courses.csv", courses);
        m.put("applicants.csv", applicants);
        return m;
    }

    @Test
    void email_duties_and_instructors_columns_become_contacts_and_course_details() {
        Importer.Result r = check(null, files(COURSES, APPLICANTS));
        assertThat(r.problems()).isEmpty();
        Dataset d = r.draft().toDataset(1);
        assertThat(d.contacts()).containsExactly(new ApplicantContact("a1", "ana.silva@students.example.edu"));
        assertThat(d.courseDetails()).containsExactly(new CourseDetail("c1", "Runs labs, marks quizzes", List.of("kiczales", "ada")));
    }

    @Test
    void a_reimport_without_the_columns_keeps_the_terms_contacts_and_details_and_an_empty_cell_clears_them() {
        Dataset v1 = check(null, files(COURSES, APPLICANTS)).draft().toDataset(1);
        Importer.Result again = check(v1, files("id,code,title,slots,hours_per_slot\nc1,CPSC 110,Intro,3,10\nc2,MATH 100,Calculus,1,5\n",
                "id,name,max_hours\na1,Ana Silva,15\na2,Bob Smith,10\n"));
        assertThat(again.problems()).isEmpty();
        Dataset v2 = again.draft().toDataset(2);
        assertThat(v2.contacts()).isEqualTo(v1.contacts());
        assertThat(v2.courseDetails()).isEqualTo(v1.courseDetails());
        // only the instructors column: duties stay, instructors change
        Dataset v3 = check(v2, files("id,code,title,slots,hours_per_slot,instructors\nc1,CPSC 110,Intro,3,10,ada\nc2,MATH 100,Calculus,1,5,\n",
                "id,name,max_hours,email\na1,Ana Silva,15,\na2,Bob Smith,10,bob@students.example.edu\n")).draft().toDataset(3);
        assertThat(v3.courseDetails()).containsExactly(new CourseDetail("c1", "Runs labs, marks quizzes", List.of("ada")));
        assertThat(v3.contacts()).containsExactly(new ApplicantContact("a2", "bob@students.example.edu"));
        // an applicant the import removes takes its contact along
        Dataset v4 = check(v1, Map.of("applicants.csv", "id,name,max_hours\na2,Bob Smith,10\n")).draft().toDataset(4);
        assertThat(v4.contacts()).isEmpty();
    }

    @Test
    void a_name_where_an_instructor_user_name_belongs_is_an_error_at_its_line_and_column() {
        Importer.Result r = check(null, files(COURSES.replace("kiczales; ada", "Gregor Kiczales"), APPLICANTS));
        assertThat(r.errors()).singleElement().satisfies(p -> {
            assertThat(p.file()).isEqualTo("courses.csv");
            assertThat(p.line()).isEqualTo(2);
            assertThat(p.column()).isEqualTo(7);
            assertThat(p.field()).isEqualTo("instructors");
            assertThat(p.message()).contains("Gregor Kiczales").contains("user name");
        });
    }

    @Test
    void the_csv_export_carries_the_columns_and_imports_back_unchanged() {
        Dataset d = CoordinatorSampleData.sampleDataset();
        Map<String, String> out = new LinkedHashMap<>();
        for (ImportKind k : ImportKind.values()) {
            out.put(k.fileStem() + ".csv", CsvExport.csv(d, k));
        }
        assertThat(out.get("applicants.csv").lines().findFirst().orElseThrow()).endsWith(",email");
        assertThat(out.get("courses.csv").lines().findFirst().orElseThrow()).endsWith(",duties,instructors");
        Importer.Result back = check(null, out);
        assertThat(back.errors()).isEmpty();
        Dataset again = back.draft().toDataset(1);
        assertThat(again.contacts()).isEqualTo(d.contacts());
        assertThat(again.courseDetails()).isEqualTo(d.courseDetails());
    }

    @Test
    void a_json_dataset_brings_contacts_and_details_and_one_for_an_unknown_applicant_is_an_error() throws Exception {
        Dataset d = check(null, files(COURSES, APPLICANTS)).draft().toDataset(1);
        byte[] json = tapipeline.schemas.EventCodec.objectMapper().writeValueAsBytes(d);
        Importer.Result r = importer.check("2027W1", null, List.of(new Importer.Upload("dataset.json", json)));
        assertThat(r.errors()).isEmpty();
        assertThat(r.draft().toDataset(1).contacts()).isEqualTo(d.contacts());
        assertThat(r.draft().toDataset(1).courseDetails()).isEqualTo(d.courseDetails());
        String bad = new String(json, StandardCharsets.UTF_8).replace("\"applicantId\":\"a1\",\"email\"", "\"applicantId\":\"a9\",\"email\"");
        Importer.Result refused = importer.check("2027W1", null, List.of(new Importer.Upload("dataset.json", bad.getBytes(StandardCharsets.UTF_8))));
        assertThat(refused.errors()).singleElement().satisfies(p -> {
            assertThat(p.code()).isEqualTo(Problem.Code.UNKNOWN_APPLICANT);
            assertThat(p.field()).isEqualTo("/contacts/0/applicantId");
        });
    }

    @Test
    void the_sample_department_has_addresses_at_example_edu_and_an_instructor_who_teaches_three_courses() {
        Dataset d = CoordinatorSampleData.sampleDataset();
        assertThat(d.contacts()).hasSize(d.applicants().size())
                .allSatisfy(c -> assertThat(c.email()).endsWith("@students.example.edu"));
        assertThat(d.courseDetails()).hasSize(d.courses().size()).allSatisfy(c -> assertThat(c.duties()).isNotBlank());
        assertThat(d.courseDetails().stream().filter(c -> c.instructors().contains(CoordinatorSampleData.SAMPLE_INSTRUCTOR))
                .map(CourseDetail::courseId)).containsExactly("C0001", "C0002", "C0013");
    }
}
