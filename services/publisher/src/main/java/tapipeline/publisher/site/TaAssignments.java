package tapipeline.publisher.site;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.text.Normalizer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import tapipeline.schemas.assignment.AssignmentApproved;

/**
 * A term's public TA assignments, built from {@code assignment.approved} alone and holding only what
 * a student may see: course code, title, section, instructor, and each TA's name and weekly hours
 * (no applicant ids, nothing from the coordinator's dataset). Filterable by course code, title or TA
 * name (case and accents ignored); also as JSON and CSV.
 */
public final class TaAssignments {

    public static final int MAX_QUERY_LENGTH = 100;

    public record Ta(String name, int hours) {
    }

    public record CourseRow(String code, String title, String section, String instructor, List<Ta> tas) {
    }

    /** The JSON document of a term's page. */
    public record Term(String term, Instant approvedAt, String query, int courseCount, List<CourseRow> courses) {
    }

    private TaAssignments() {
    }

    /** The courses of an approval matching the query (all of them when it is blank). */
    public static Term of(AssignmentApproved a, String query) {
        String q = query == null ? "" : query.strip();
        if (q.length() > MAX_QUERY_LENGTH) {
            q = q.substring(0, MAX_QUERY_LENGTH);
        }
        String needle = fold(q);
        List<CourseRow> rows = new ArrayList<>();
        for (AssignmentApproved.ApprovedCourse c : a.courses()) {
            List<Ta> tas = c.tas().stream().map(t -> new Ta(t.name(), t.hours())).toList();
            boolean match = needle.isEmpty() || fold(c.code()).contains(needle) || fold(c.title()).contains(needle)
                    || tas.stream().anyMatch(t -> fold(t.name()).contains(needle));
            if (match) {
                rows.add(new CourseRow(c.code(), c.title(), c.section(), c.instructor(), tas));
            }
        }
        return new Term(a.term(), a.approvedAt(), q, a.courses().size(), rows);
    }

    /** Lower case without accents, so "jose" finds "José". */
    static String fold(String s) {
        return Normalizer.normalize(s, Normalizer.Form.NFKD).replaceAll("\\p{M}", "").toLowerCase(Locale.ROOT);
    }

    /** One row per course and TA (a course without TAs has one row with empty TA cells). */
    public static String csv(Term t) {
        StringWriter out = new StringWriter();
        try (CSVPrinter csv = new CSVPrinter(out, CSVFormat.RFC4180.builder()
                .setHeader("term", "course code", "course title", "section", "instructor", "TA", "hours per week")
                .get())) {
            for (CourseRow c : t.courses()) {
                if (c.tas().isEmpty()) {
                    csv.printRecord(cells(t.term(), c.code(), c.title(), c.section(), c.instructor(), "", ""));
                }
                for (Ta ta : c.tas()) {
                    csv.printRecord(cells(t.term(), c.code(), c.title(), c.section(), c.instructor(), ta.name(),
                            Integer.toString(ta.hours())));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static List<String> cells(String... values) {
        List<String> out = new ArrayList<>();
        for (String v : values) {
            out.add(neutralise(v));
        }
        return out;
    }

    /**
     * A cell a spreadsheet would run as a formula (starting with =, +, -, @, or a tab or carriage
     * return before one) gets a leading apostrophe, so it shows as text (OWASP "CSV injection").
     */
    static String neutralise(String cell) {
        if (cell.isEmpty()) {
            return cell;
        }
        char c = cell.charAt(0);
        return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r' ? "'" + cell : cell;
    }
}
