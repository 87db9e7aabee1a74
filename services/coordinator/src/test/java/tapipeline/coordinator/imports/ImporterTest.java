package tapipeline.coordinator.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import tapipeline.coordinator.datasets.CsvExport;
import tapipeline.schemas.assignment.Applicant;
import tapipeline.schemas.coordinator.Dataset;

/** The importer: CSV dialects, every problem class with its file, line and column, all problems at once. */
class ImporterTest {

    private final Importer importer = new Importer(Importer.Limits.DEFAULT);

    private Importer.Result check(Map<String, byte[]> files) {
        return importer.check("2027W1", null, ImportCases.uploads(files));
    }

    static Stream<ImportCases.Case> cases() {
        return ImportCases.cases().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void each_problem_class_is_reported_with_its_file_line_and_column(ImportCases.Case c) {
        Importer.Result r = check(c.files());
        assertThat(r.problems()).as("problems: %s", r.problems())
                .anySatisfy(p -> {
                    assertThat(p.code()).isEqualTo(c.code());
                    assertThat(p.file()).isEqualTo(c.file());
                    assertThat(p.line()).isEqualTo(c.line());
                    assertThat(p.column()).isEqualTo(c.column());
                    assertThat(p.field()).isEqualTo(c.field());
                });
        boolean warningOnly = Set.of(Problem.Code.UNKNOWN_COLUMN, Problem.Code.TRAILING_SPACE, Problem.Code.NEAR_DUPLICATE)
                .contains(c.code());
        assertThat(r.hasErrors()).as("refused: %s", r.problems()).isEqualTo(!warningOnly);
    }

    @Test
    void the_cases_cover_every_problem_class() {
        Set<Problem.Code> covered = EnumSet.noneOf(Problem.Code.class);
        ImportCases.cases().forEach(c -> covered.add(c.code()));
        covered.add(Problem.Code.LARGE_REMOVAL); // needs a current dataset: a_file_that_drops_most_of_a_kind_is_a_likely_mistake
        assertThat(covered).containsExactlyInAnyOrder(Problem.Code.values());
    }

    @Test
    void a_valid_department_imports_with_quotes_commas_and_doubled_quotes() {
        Importer.Result r = check(ImportCases.valid());
        assertThat(r.problems()).isEmpty();
        Dataset d = r.draft().toDataset(1);
        assertThat(d.courses()).hasSize(2);
        assertThat(d.courses().get(1).title()).isEqualTo("Calculus, \"Differential\"");
        assertThat(d.courses().get(0).meetings()).hasSize(2);
        assertThat(d.applicants().get(1).name()).isEqualTo("Bob \"Bobby\" Smith");
        assertThat(d.applicants().get(1).conflicts()).singleElement().satisfies(c -> assertThat(c.courseId()).isEqualTo("c2"));
        assertThat(d.applicants().get(0).targetHours()).as("target defaults to max").isEqualTo(20);
        assertThat(r.diff().sections().get(0).added()).containsExactly("c1", "c2");
    }

    @Test
    void bom_crlf_header_case_and_a_line_break_inside_a_quoted_field_read_the_same_and_keep_line_numbers() {
        String courses = "\uFEFFID,Code,TITLE,Section,Meetings,Slots,Hours Per Slot,Required-Skills,minTas\r\n"
                + "c1,CPSC 110,\"Intro\r\nsecond line\",101,MON 09:00-10:00,2,10,Python,1\r\n"
                + "c2,MATH 100,Calculus,101,TUE 10:00-11:00,one,5,,0\r\n";
        Importer.Result r = check(ImportCases.with("courses.csv", courses));
        assertThat(r.errors()).singleElement().satisfies(p -> {
            assertThat(p.code()).isEqualTo(Problem.Code.NOT_A_NUMBER);
            assertThat(p.line()).as("the record after a two-line field starts on line 4").isEqualTo(4);
            assertThat(p.column()).isEqualTo(6);
            assertThat(p.field()).isEqualTo("Slots");
        });
        Importer.Result ok = check(ImportCases.with("courses.csv", courses.replace(",one,", ",1,")));
        assertThat(ok.problems()).isEmpty();
        assertThat(ok.draft().courses().get(0).value().title()).isEqualTo("Intro\r\nsecond line");
    }

    @Test
    void every_problem_is_reported_at_once() {
        String prefs = "applicant_id,course_id,rating\na1,c9,5\na2,c2,x\nzz,c1,9\n";
        Importer.Result r = check(ImportCases.with("preferences.csv", prefs));
        assertThat(r.errors()).extracting(Problem::code, Problem::line).contains(
                org.assertj.core.groups.Tuple.tuple(Problem.Code.UNKNOWN_COURSE, 2),
                org.assertj.core.groups.Tuple.tuple(Problem.Code.NOT_A_NUMBER, 3),
                org.assertj.core.groups.Tuple.tuple(Problem.Code.OUT_OF_RANGE, 4));
    }

    @Test
    void a_kind_left_out_keeps_the_current_items_and_removals_show_in_the_preview() {
        Dataset current = check(ImportCases.valid()).draft().toDataset(3);
        Importer.Result r = importer.check("2027W1", current, ImportCases.uploads(Map.of("preferences.csv",
                ImportCases.utf8("applicant_id,course_id,rating\na1,c1,4\n"))));
        assertThat(r.problems()).isEmpty();
        assertThat(r.baseVersion()).isEqualTo(3);
        Dataset next = r.draft().toDataset(4);
        assertThat(next.courses()).isEqualTo(current.courses());
        var prefs = r.diff().sections().get(2);
        assertThat(prefs.changed()).singleElement().satisfies(ch -> assertThat(ch.key()).isEqualTo("a1 → c1"));
        assertThat(prefs.removed()).containsExactly("a2 → c2");
    }

    @Test
    void a_file_that_drops_most_of_a_kind_is_a_likely_mistake() {
        StringBuilder prefs = new StringBuilder("applicant_id,course_id,rating\n");
        StringBuilder applicants = new StringBuilder(ImportCases.APPLICANTS);
        for (int i = 0; i < 30; i++) {
            applicants.append("p").append(i).append(",Person ").append(i).append(",10,,\n");
            prefs.append("p").append(i).append(",c1,3\n");
        }
        Dataset current = check(ImportCases.with("applicants.csv", applicants.toString())).draft().toDataset(1);
        Dataset withPrefs = importer.check("2027W1", current, ImportCases.uploads(Map.of("preferences.csv",
                ImportCases.utf8(prefs.toString())))).draft().toDataset(2);
        Importer.Result r = importer.check("2027W1", withPrefs, ImportCases.uploads(Map.of("preferences.csv",
                ImportCases.utf8("applicant_id,course_id,rating\np0,c1,3\n"))));
        assertThat(r.errors()).isEmpty();
        assertThat(r.warnings()).singleElement().satisfies(p -> {
            assertThat(p.code()).isEqualTo(Problem.Code.LARGE_REMOVAL);
            assertThat(p.file()).isEqualTo("preferences.csv");
            assertThat(p.message()).contains("removes 29 of the 30 preferences");
        });
    }

    @Test
    void problems_are_listed_file_by_file_in_line_order() {
        Importer.Result r = check(ImportCases.with("preferences.csv", "applicant_id,course_id,rating\na1,c9,5\na2,c2,x\n"));
        assertThat(r.errors()).extracting(Problem::line).containsExactly(2, 3);
    }

    @Test
    void a_file_over_the_limit_is_refused_before_parsing_naming_the_limit() {
        Importer small = new Importer(new Importer.Limits(100, 1000));
        byte[] big = new byte[101];
        assertThatThrownBy(() -> small.check("t", null, List.of(new Importer.Upload("courses.csv", big))))
                .isInstanceOf(Importer.TooLargeException.class).hasMessageContaining("courses.csv is 101 bytes")
                .hasMessageContaining("limit of 100 bytes");
    }

    @Test
    void an_export_imports_back_unchanged_and_formulas_are_neutralised() {
        Importer.Result r = check(ImportCases.with("applicants.csv", ImportCases.APPLICANTS
                + "a3,=HYPERLINK(\"http://x\"),10,,\na4,<script>alert(1)</script>,10,,\n"));
        assertThat(r.errors()).isEmpty();
        Dataset d = r.draft().toDataset(1);
        String csv = CsvExport.csv(d, ImportKind.APPLICANTS);
        assertThat(csv).contains("'=HYPERLINK").doesNotContain(",=HYPERLINK");
        Importer.Result back = importer.check("2027W1", d, ImportCases.uploads(Map.of("applicants.csv",
                csv.getBytes(StandardCharsets.UTF_8))));
        assertThat(back.errors()).isEmpty();
        assertThat(back.draft().toDataset(2).applicants()).isEqualTo(d.applicants());
        assertThat(back.draft().toDataset(2).applicants()).extracting(Applicant::name).contains("=HYPERLINK(\"http://x\")");
        for (ImportKind k : ImportKind.values()) {
            Importer.Result t = importer.check("2027W1", null, ImportCases.uploads(Map.of(k.fileStem() + ".csv",
                    Templates.csv(k).getBytes(StandardCharsets.UTF_8))));
            assertThat(t.problems()).as("the %s template's own header", k)
                    .noneMatch(p -> p.code() == Problem.Code.UNKNOWN_COLUMN || p.code() == Problem.Code.MISSING_COLUMN);
        }
    }

    @Test
    void a_json_dataset_imports_and_its_record_rules_are_located() {
        String json = "{\n \"courses\": [{\"id\": \"c1\", \"code\": \"X 1\", \"title\": \"T\", \"section\": \"\", \"term\": \"\","
                + " \"instructor\": \"\", \"meetings\": [], \"slots\": 1, \"hoursPerSlot\": 5, \"requiredSkills\": [],"
                + "\n   \"minTas\": 2, \"maxTas\": 1, \"priority\": 3, \"wantsExperienced\": false}]\n}\n";
        Importer.Result r = check(Map.of("dataset.json", ImportCases.utf8(json)));
        assertThat(r.errors()).isNotEmpty().allSatisfy(p -> assertThat(p.line()).isPositive());
    }
}
