package tapipeline.coordinator.datasets;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import tapipeline.coordinator.imports.ImportKind;
import tapipeline.schemas.assignment.Applicant;
import tapipeline.schemas.assignment.Course;
import tapipeline.schemas.assignment.InstructorPreference;
import tapipeline.schemas.assignment.Meeting;
import tapipeline.schemas.assignment.Preference;
import tapipeline.schemas.coordinator.Dataset;

/**
 * A dataset's items as the import's CSV files (same columns, so an export imports back unchanged).
 * A cell that a spreadsheet would run as a formula (starting with {@code =}, {@code +}, {@code -},
 * {@code @}, tab or carriage return) is written with a leading {@code '}, and the import strips it.
 */
public final class CsvExport {

    private CsvExport() {
    }

    public static String csv(Dataset d, ImportKind kind) {
        StringWriter out = new StringWriter();
        try (CSVPrinter p = new CSVPrinter(out, CSVFormat.RFC4180)) {
            p.printRecord(kind.columns().stream().map(ImportKind.Column::header).toList());
            switch (kind) {
                case COURSES -> {
                    for (Course c : d.courses()) {
                        var detail = d.detailOf(c.id());
                        row(p, c.id(), c.code(), c.title(), c.section(), c.term(), c.instructor(), meetings(c.meetings()),
                                c.slots(), c.hoursPerSlot(), String.join("; ", c.requiredSkills()), c.minTas(), c.maxTas(),
                                c.priority(), c.wantsExperienced(), detail.map(x -> x.duties()).orElse(""),
                                detail.map(x -> String.join("; ", x.instructors())).orElse(""));
                    }
                }
                case APPLICANTS -> {
                    for (Applicant a : d.applicants()) {
                        row(p, a.id(), a.name(), a.program(), a.year(), a.minHours(), a.maxHours(), a.targetHours(),
                                meetings(a.unavailable()), String.join("; ", a.skills()),
                                a.coursesTaken().stream().map(g -> g.courseCode() + ": " + g.grade()).collect(Collectors.joining("; ")),
                                String.join("; ", a.previouslyTaught()),
                                a.conflicts().stream().map(c -> c.courseId() + ": " + c.reason()).collect(Collectors.joining("; ")),
                                d.emailOf(a.id()).orElse(""));
                    }
                }
                case PREFERENCES -> {
                    for (Preference pr : d.preferences()) {
                        row(p, pr.applicantId(), pr.courseId(), pr.rating(), pr.willNot());
                    }
                }
                case INSTRUCTOR_REQUESTS -> {
                    for (InstructorPreference ip : d.instructorPreferences()) {
                        row(p, ip.courseId(), ip.applicantId(), ip.kind().name().toLowerCase(java.util.Locale.ROOT),
                                ip.rank() == null ? "" : ip.rank());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static void row(CSVPrinter p, Object... cells) throws IOException {
        List<String> out = new ArrayList<>(cells.length);
        for (Object c : cells) {
            out.add(neutralise(String.valueOf(c)));
        }
        p.printRecord(out);
    }

    /** {@code =HYPERLINK(...)} → {@code '=HYPERLINK(...)}: shown as text by spreadsheets, never run. */
    public static String neutralise(String cell) {
        if (!cell.isEmpty() && "=+-@\t\r".indexOf(cell.charAt(0)) >= 0) {
            return "'" + cell;
        }
        return cell;
    }

    private static String meetings(List<Meeting> ms) {
        return ms.stream().map(m -> m.day() + " " + m.start() + "-" + m.end()).collect(Collectors.joining("; "));
    }
}
