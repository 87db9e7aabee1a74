package tapipeline.coordinator.runs;

import java.io.IOException;
import java.io.StringWriter;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import tapipeline.schemas.assignment.Applicant;
import tapipeline.schemas.assignment.Course;

/**
 * The assignment under review as CSV (RFC 4180 by commons-csv, CRLF, a header row), one row per slot.
 * A cell starting with {@code =}, {@code +}, {@code -}, {@code @}, a tab or a carriage return is
 * prefixed with an apostrophe, so a spreadsheet shows it as text instead of running it as a formula
 * (OWASP "CSV injection").
 */
public final class AssignmentCsv {

    static final String[] HEADER = {"course_id", "code", "title", "section", "instructor", "slot", "applicant_id",
            "applicant_name", "hours", "pinned"};

    private AssignmentCsv() {
    }

    public static String write(Review review) {
        StringWriter out = new StringWriter();
        try (CSVPrinter csv = new CSVPrinter(out, CSVFormat.RFC4180.builder().setHeader(HEADER).get())) {
            for (Review.CourseRow row : review.byCourse()) {
                Course c = row.course();
                for (Review.Slot s : row.slots()) {
                    Applicant a = review.applicant(s.applicantId());
                    csv.printRecord(safe(c.id()), safe(c.code()), safe(c.title()), safe(c.section()),
                            safe(c.instructor()), s.slotIndex(), safe(a == null ? "" : a.id()),
                            safe(a == null ? "" : a.name()), a == null ? "" : c.hoursPerSlot(), s.pinned());
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }

    /** The cell as text a spreadsheet will not evaluate. */
    static String safe(String cell) {
        if (cell == null || cell.isEmpty()) {
            return "";
        }
        char first = cell.charAt(0);
        if (first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r') {
            return "'" + cell;
        }
        return cell;
    }
}
