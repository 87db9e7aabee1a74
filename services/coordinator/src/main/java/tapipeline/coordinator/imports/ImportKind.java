package tapipeline.coordinator.imports;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The four kinds of file an import takes, their CSV columns (header names are matched ignoring case,
 * spaces, '_' and '-': {@code Hours per slot}, {@code hours_per_slot} and {@code hoursPerSlot} are one
 * column) and the example row of each downloadable template. List cells separate items with ';'.
 */
public enum ImportKind {

    COURSES("courses", "courses", List.of(
            col("id", true, "unique course id, referenced by the other files", "cpsc110-101"),
            col("code", true, "catalogue code", "CPSC 110"),
            col("title", true, "course title", "Computation, Programs, and Programming"),
            col("section", false, "section label", "101"),
            col("term", false, "term (empty: the import's term)", ""),
            col("instructor", false, "instructor's name", "Gregor Kiczales"),
            col("meetings", false, "weekly meetings: DAY HH:MM-HH:MM, ';' between", "MON 09:00-10:00; WED 09:00-10:00"),
            col("slots", true, "TA positions wanted (1..1000)", "2"),
            col("hoursPerSlot", true, "hours per week of each position (1..40)", "10"),
            col("requiredSkills", false, "skills every TA must have, ';' between", "Python"),
            col("minTas", false, "understaffed below this many TAs (default 0)", "1"),
            col("maxTas", false, "at most this many TAs (default: slots)", "2"),
            col("priority", false, "1 (lowest) to 5 (highest), default 3", "4"),
            col("wantsExperienced", false, "true when the instructor asks for an experienced TA", "false"),
            col("duties", false, "what the TA will do (for offers; absent column: the current duties stay)",
                    "Runs two labs a week and marks the weekly problem sets"),
            col("instructors", false, "user names of the instructor accounts who teach it, ';' between (absent column:"
                    + " the current ones stay)", "gkiczales"))),

    APPLICANTS("applicants", "applicants", List.of(
            col("id", true, "unique applicant id", "a-1001"),
            col("name", true, "display name", "Zoë Álvarez"),
            col("program", false, "degree program", "MSc Computer Science"),
            col("year", false, "year in the program (1..15, default 1)", "2"),
            col("minHours", false, "hours per week owed by funding (default 0)", "10"),
            col("maxHours", true, "maximum hours per week (1..60)", "20"),
            col("targetHours", false, "hours per week aimed for (default: max_hours)", "20"),
            col("unavailable", false, "weekly blocks not available: DAY HH:MM-HH:MM, ';' between", "FRI 13:00-17:00"),
            col("skills", false, "skills, ';' between", "Python; Java"),
            col("coursesTaken", false, "courses taken with grade: CODE: GRADE, ';' between", "CPSC 110: A+"),
            col("previouslyTaught", false, "course codes TA'd before, ';' between", "CPSC 110"),
            col("conflicts", false, "conflicts of interest: COURSE_ID: reason, ';' between", ""),
            col("email", false, "e-mail address, for offers (absent column: the current addresses stay)",
                    "zoe.alvarez@students.example.edu"))),

    PREFERENCES("preferences", "preferences", List.of(
            col("applicantId", true, "an applicant's id", "a-1001"),
            col("courseId", true, "a course's id", "cpsc110-101"),
            col("rating", false, "1 (least wanted) to 5 (most wanted); required unless will_not", "5"),
            col("willNot", false, "true: the applicant will not TA this course", "false"))),

    INSTRUCTOR_REQUESTS("instructor_requests", "instructorPreferences", List.of(
            col("courseId", true, "a course's id", "cpsc110-101"),
            col("applicantId", true, "an applicant's id", "a-1001"),
            col("kind", true, "request or ban", "request"),
            col("rank", false, "for a request: 1 = most wanted", "1")));

    /** One CSV column: its field name (the JSON property), whether every row needs it, what it holds. */
    public record Column(String field, boolean required, String description, String example) {

        /** The header a template writes: {@code hours_per_slot}. */
        public String header() {
            return field.replaceAll("([A-Z])", "_$1").toLowerCase(Locale.ROOT);
        }
    }

    private final String fileStem;
    private final String jsonProperty;
    private final List<Column> columns;

    ImportKind(String fileStem, String jsonProperty, List<Column> columns) {
        this.fileStem = fileStem;
        this.jsonProperty = jsonProperty;
        this.columns = columns;
    }

    private static Column col(String field, boolean required, String description, String example) {
        return new Column(field, required, description, example);
    }

    /** {@code courses}, {@code instructor_requests}: the form field, template and default file name. */
    public String fileStem() {
        return fileStem;
    }

    /** The property of a dataset JSON holding this kind's items. */
    public String jsonProperty() {
        return jsonProperty;
    }

    public List<Column> columns() {
        return columns;
    }

    /** Whether a file's header row has the column of {@code field}. */
    public boolean hasColumn(List<String> headers, String field) {
        return headers.stream().map(this::column).anyMatch(c -> c.isPresent() && c.get().field().equals(field));
    }

    /** The column a header names, ignoring case, spaces, '_' and '-'. */
    public Optional<Column> column(String header) {
        String key = normalize(header);
        return columns.stream().filter(c -> normalize(c.field()).equals(key)).findFirst();
    }

    public static Optional<ImportKind> byStem(String stem) {
        String key = normalize(stem);
        for (ImportKind k : values()) {
            if (normalize(k.fileStem).equals(key) || normalize(k.jsonProperty).equals(key)) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }

    static String normalize(String header) {
        return header.toLowerCase(Locale.ROOT).replaceAll("[\\s_\\-]", "");
    }
}
