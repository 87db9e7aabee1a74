package tapipeline.coordinator.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static tapipeline.coordinator.runs.ReviewFixtures.*;

import java.io.StringReader;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

class AssignmentCsvTest {

    @Test
    void formulaCellsAreNeutralisedAndMarkupIsPlainText() throws Exception {
        String csv = AssignmentCsv.write(new Review(problem(), result("ana", "bo", null), dataset()));
        List<CSVRecord> rows = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(csv)).getRecords();
        assertThat(rows).hasSize(3);
        CSVRecord first = rows.get(0);
        assertThat(first.get("code")).isEqualTo("'=CMD|' /C calc'!A0");
        assertThat(first.get("instructor")).isEqualTo("'@Prof");
        assertThat(first.get("applicant_name")).isEqualTo(SCRIPT);
        assertThat(rows.get(1).get("applicant_name")).isEqualTo("'+Bo");
        assertThat(rows.get(2).get("applicant_id")).isEmpty();
        assertThat(rows.get(2).get("hours")).isEmpty();
        assertThat(first.get("hours")).isEqualTo("10");
        assertThat(csv).contains("\r\n");
    }

    @Test
    void everyDangerousFirstCharacterIsPrefixed() {
        for (String s : List.of("=1", "+1", "-1", "@1", "\t1", "\r1")) {
            assertThat(AssignmentCsv.safe(s)).isEqualTo("'" + s);
        }
        assertThat(AssignmentCsv.safe("a=1")).isEqualTo("a=1");
        assertThat(AssignmentCsv.safe(null)).isEmpty();
    }
}
