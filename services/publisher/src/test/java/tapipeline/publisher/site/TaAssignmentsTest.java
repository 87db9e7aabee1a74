package tapipeline.publisher.site;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.time.Instant;
import java.util.List;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

import tapipeline.schemas.assignment.AssignmentApproved;

class TaAssignmentsTest {

    private static final AssignmentApproved APPROVAL = new AssignmentApproved("Fall 2030", "run-1", "coordinator",
            Instant.parse("2030-08-01T00:00:00Z"), List.of(
            new AssignmentApproved.ApprovedCourse("c1", "=1+2", "+SUM(A1)", "-A", "@Dr. Evil",
                    List.of(new AssignmentApproved.ApprovedTa("a1", "\tcmd", 10))),
            new AssignmentApproved.ApprovedCourse("c2", "18-661", "Machine Learning", "A", "Dr. Alvarez",
                    List.of(new AssignmentApproved.ApprovedTa("a2", "Zoë Brontë", 20)))));

    @Test
    void cells_a_spreadsheet_would_run_are_neutralised() throws Exception {
        List<CSVRecord> rows = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(TaAssignments.csv(TaAssignments.of(APPROVAL, "")))).getRecords();
        assertThat(rows).hasSize(2);
        CSVRecord evil = rows.get(0);
        assertThat(evil.get("course code")).isEqualTo("'=1+2");
        assertThat(evil.get("course title")).isEqualTo("'+SUM(A1)");
        assertThat(evil.get("section")).isEqualTo("'-A");
        assertThat(evil.get("instructor")).isEqualTo("'@Dr. Evil");
        assertThat(evil.get("TA")).isEqualTo("'\tcmd");
        assertThat(rows.get(1).get("course code")).isEqualTo("18-661");
        assertThat(rows.get(1).get("TA")).isEqualTo("Zoë Brontë");
    }

    @Test
    void the_filter_matches_code_title_or_ta_ignoring_case_and_accents() {
        assertThat(TaAssignments.of(APPROVAL, "bronte").courses()).extracting(TaAssignments.CourseRow::code).containsExactly("18-661");
        assertThat(TaAssignments.of(APPROVAL, "MACHINE").courses()).hasSize(1);
        assertThat(TaAssignments.of(APPROVAL, "18-661").courses()).hasSize(1);
        assertThat(TaAssignments.of(APPROVAL, "nothing like it").courses()).isEmpty();
        assertThat(TaAssignments.of(APPROVAL, "  ").courses()).hasSize(2);
        assertThat(TaAssignments.of(APPROVAL, "x".repeat(500)).query()).hasSize(TaAssignments.MAX_QUERY_LENGTH);
    }
}
