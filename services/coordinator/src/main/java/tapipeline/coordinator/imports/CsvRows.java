package tapipeline.coordinator.imports;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tapipeline.schemas.assignment.Applicant;
import tapipeline.schemas.assignment.ConflictOfInterest;
import tapipeline.schemas.assignment.Course;
import tapipeline.schemas.assignment.CourseGrade;
import tapipeline.schemas.assignment.Day;
import tapipeline.schemas.assignment.InstructorPreference;
import tapipeline.schemas.assignment.Meeting;
import tapipeline.schemas.assignment.Preference;
import tapipeline.schemas.coordinator.ApplicantContact;
import tapipeline.schemas.coordinator.CourseDetail;

/**
 * Turns the rows of a {@link CsvFile} into the assignment records, reporting every cell that cannot
 * be read (not a number, out of range, an unreadable meeting time, ...) with its line and column; a
 * row with any such problem is left out (and the import is refused).
 */
public final class CsvRows {

    /** {@code MON 09:00-10:00}, also {@code Mon 9:00 - 10:00}. */
    static final Pattern MEETING = Pattern.compile("(?i)(MON|TUE|WED|THU|FRI|SAT|SUN)[a-z]*\\s+(\\d{1,2}):(\\d{2})\\s*-\\s*(\\d{1,2}):(\\d{2})");

    private CsvRows() {
    }

    public static List<Located<Course>> courses(String file, List<CsvFile.Row> rows, String term, List<Problem> problems) {
        return map(file, rows, problems, "course", r -> new Course(r.text("id"), r.text("code"), r.text("title"), r.optional("section"),
                r.optional("term").isEmpty() ? term : r.optional("term"), r.optional("instructor"), r.meetings("meetings"),
                r.integer("slots", null, 1, 1000), r.integer("hoursPerSlot", null, 1, 40), r.list("requiredSkills"),
                r.integer("minTas", 0, 0, 1000), r.integer("maxTas", r.intOr("slots", 1), 1, 1000),
                r.integer("priority", 3, 1, 5), r.bool("wantsExperienced")));
    }

    public static List<Located<Applicant>> applicants(String file, List<CsvFile.Row> rows, List<Problem> problems) {
        return map(file, rows, problems, "applicant", r -> {
            int max = r.integer("maxHours", null, 1, 60);
            return new Applicant(r.text("id"), r.text("name"), r.optional("program"), r.integer("year", 1, 1, 15),
                    r.integer("minHours", 0, 0, 60), max, r.integer("targetHours", max, 0, 60), r.meetings("unavailable"),
                    r.list("skills"), r.pairs("coursesTaken", CourseGrade::new), r.list("previouslyTaught"),
                    r.pairs("conflicts", ConflictOfInterest::new));
        });
    }

    /**
     * The e-mail addresses of an applicants file (its optional {@code email} column): one contact per row
     * with an address; an address that is not one (no '@', spaces, no dot in the domain) is a
     * {@link Problem.Code#BAD_EMAIL} at its line and column.
     */
    public static List<Located<ApplicantContact>> contacts(String file, List<CsvFile.Row> rows, List<Problem> problems) {
        List<Located<ApplicantContact>> out = new ArrayList<>();
        for (CsvFile.Row row : rows) {
            Reader r = new Reader(file, row);
            String email = row.value("email");
            String id = row.value("id");
            if (email.isEmpty() || id.isEmpty()) {
                continue;
            }
            if (!ApplicantContact.EMAIL.matcher(email).matches()) {
                problems.add(r.where.error(Problem.Code.BAD_EMAIL, "email", "\"" + email
                        + "\" is not an e-mail address (write name@example.edu, no spaces)"));
                continue;
            }
            try {
                out.add(new Located<>(new ApplicantContact(id, email), r.where));
            } catch (IllegalArgumentException e) {
                // a bad id is reported by the applicant row itself
            }
        }
        return out;
    }

    /**
     * The details of a courses file (its optional {@code duties} and {@code instructors} columns); a
     * column the file lacks takes the value of {@code current} (the term's current details), so an
     * import of the solver's columns alone keeps who teaches what. A course with neither duties nor
     * instructors gets no detail.
     */
    public static List<Located<CourseDetail>> courseDetails(String file, List<CsvFile.Row> rows, boolean hasDuties,
                                                            boolean hasInstructors, List<CourseDetail> current,
                                                            List<Problem> problems) {
        Map<String, CourseDetail> before = new HashMap<>();
        current.forEach(d -> before.put(d.courseId(), d));
        List<Located<CourseDetail>> out = new ArrayList<>();
        for (CsvFile.Row row : rows) {
            Reader r = new Reader(file, row);
            String id = row.value("id");
            if (id.isEmpty()) {
                continue;
            }
            CourseDetail old = before.get(id);
            String duties = hasDuties ? row.value("duties") : old == null ? "" : old.duties();
            List<String> instructors = hasInstructors ? r.list("instructors") : old == null ? List.of() : old.instructors();
            if (duties.isEmpty() && instructors.isEmpty()) {
                continue;
            }
            for (String u : instructors) {
                if (!tapipeline.schemas.support.Checks.ID.matcher(u).matches()) {
                    r.problem(Problem.Code.INVALID, "instructors", "\"" + u + "\" is not a user name (the account's"
                            + " user name, no spaces, not the person's name; ';' between names)");
                }
            }
            if (duties.length() > 4000) {
                r.problem(Problem.Code.OUT_OF_RANGE, "duties", "the duties are " + duties.length()
                        + " characters, at most 4000 fit in an offer");
            }
            if (!r.problems.isEmpty()) {
                problems.addAll(r.problems);
                continue;
            }
            try {
                out.add(new Located<>(new CourseDetail(id, duties, instructors), r.where));
            } catch (IllegalArgumentException e) {
                r.invalid(e.getMessage());
                problems.addAll(r.problems);
            }
        }
        return out;
    }

    public static List<Located<Preference>> preferences(String file, List<CsvFile.Row> rows, List<Problem> problems) {
        return map(file, rows, problems, null, r -> {
            boolean willNot = r.bool("willNot");
            int rating = willNot && r.optional("rating").isEmpty() ? 1 : r.integer("rating", null, 1, 5);
            return new Preference(r.id("applicantId"), r.id("courseId"), rating, willNot);
        });
    }

    public static List<Located<InstructorPreference>> instructorPreferences(String file, List<CsvFile.Row> rows,
                                                                           List<Problem> problems) {
        return map(file, rows, problems, null, r -> {
            String kindText = r.text("kind");
            InstructorPreference.Kind kind = switch (kindText.toLowerCase(Locale.ROOT)) {
                case "request", "requested", "req" -> InstructorPreference.Kind.REQUEST;
                case "ban", "banned" -> InstructorPreference.Kind.BAN;
                default -> {
                    r.problem(Problem.Code.BAD_KIND, "kind", "\"" + kindText + "\" is neither request nor ban");
                    yield InstructorPreference.Kind.REQUEST;
                }
            };
            Integer rank = r.optional("rank").isEmpty() ? null : r.integer("rank", null, 1, 1000);
            return new InstructorPreference(r.id("courseId"), r.id("applicantId"), kind,
                    kind == InstructorPreference.Kind.BAN ? null : rank);
        });
    }

    /**
     * A reference that cannot be an id (it has spaces): a name or a course code where the id belongs,
     * most likely. Judged once every file is read ({@link DatasetValidator#badReferences}).
     */
    public record BadId(Where where, String field, String value, boolean applicant) {
    }

    private static final ThreadLocal<List<BadId>> BAD_IDS = ThreadLocal.withInitial(ArrayList::new);

    /** The references with spaces met since the last call, on this thread. */
    public static List<BadId> takeBadIds() {
        List<BadId> out = List.copyOf(BAD_IDS.get());
        BAD_IDS.get().clear();
        return out;
    }

    private static final ThreadLocal<java.util.Set<String>> BROKEN = ThreadLocal.withInitial(java.util.HashSet::new);

    /**
     * The ids of course and applicant rows left out for a problem of their own ({@code course:c3}), met
     * since the last call on this thread: references to them are not reported again as unknown.
     */
    public static java.util.Set<String> takeBrokenIds() {
        java.util.Set<String> out = java.util.Set.copyOf(BROKEN.get());
        BROKEN.get().clear();
        return out;
    }

    private static <T> List<Located<T>> map(String file, List<CsvFile.Row> rows, List<Problem> problems, String what,
                                            Function<Reader, T> make) {
        List<Located<T>> out = new ArrayList<>(rows.size());
        for (CsvFile.Row row : rows) {
            Reader r = new Reader(file, row);
            T value = null;
            try {
                value = make.apply(r);
            } catch (IllegalArgumentException e) {
                if (r.problems.isEmpty()) {
                    r.invalid(e.getMessage());
                }
            }
            problems.addAll(r.problems);
            BAD_IDS.get().addAll(r.badIds);
            if (r.problems.isEmpty() && r.badIds.isEmpty() && value != null) {
                out.add(new Located<>(value, r.where));
            } else if (what != null && !row.value("id").isEmpty()) {
                BROKEN.get().add(what + ":" + row.value("id"));
            }
        }
        return out;
    }

    /** Reads the cells of one row, collecting a problem for each that cannot be read. */
    static final class Reader {
        final Where where;
        final CsvFile.Row row;
        final List<Problem> problems = new ArrayList<>();
        final List<BadId> badIds = new ArrayList<>();

        Reader(String file, CsvFile.Row row) {
            this.row = row;
            Map<String, Where.Pos> fields = new HashMap<>();
            row.cells().forEach((field, cell) -> fields.put(field, new Where.Pos(row.line(), cell.column(), cell.header())));
            this.where = new Where(file, row.line(), fields);
        }

        void problem(Problem.Code code, String field, String message) {
            problems.add(where.error(code, field, message));
        }

        /** A record's own check failed, e.g. "Course.minTas (3) must be at most Course.slots (2)". */
        void invalid(String message) {
            Matcher m = Pattern.compile("^\\w+\\.(\\w+)").matcher(message == null ? "" : message);
            String field = m.find() ? m.group(1) : "";
            problems.add(where.error(Problem.Code.INVALID, field, message));
        }

        /** A reference to a course or applicant id; one with spaces is kept aside for the cross-file check. */
        String id(String field) {
            String v = text(field);
            if (v.chars().anyMatch(Character::isWhitespace)) {
                badIds.add(new BadId(where, field, v, field.equals("applicantId")));
                return "x";
            }
            return v;
        }

        String optional(String field) {
            return row.value(field);
        }

        String text(String field) {
            String v = row.value(field);
            if (v.isEmpty()) {
                problem(Problem.Code.MISSING_VALUE, field, field + " is empty");
                return "?";
            }
            return v;
        }

        int intOr(String field, int fallback) {
            try {
                return Integer.parseInt(row.value(field));
            } catch (NumberFormatException e) {
                return fallback;
            }
        }

        /** An integer in [min, max]; empty gives {@code dflt}, or a problem when there is no default. */
        int integer(String field, Integer dflt, int min, int max) {
            String v = row.value(field);
            if (v.isEmpty()) {
                if (dflt == null) {
                    problem(Problem.Code.MISSING_VALUE, field, field + " is empty");
                    return min;
                }
                return dflt;
            }
            int n;
            try {
                n = Integer.parseInt(v);
            } catch (NumberFormatException e) {
                problem(Problem.Code.NOT_A_NUMBER, field, "\"" + v + "\" is not a whole number");
                return min;
            }
            if (n < min || n > max) {
                problem(Problem.Code.OUT_OF_RANGE, field, n + " is outside " + min + ".." + max);
                return min;
            }
            return n;
        }

        boolean bool(String field) {
            String v = row.value(field).toLowerCase(Locale.ROOT);
            return switch (v) {
                case "", "false", "no", "n", "0" -> false;
                case "true", "yes", "y", "1" -> true;
                default -> {
                    problem(Problem.Code.BAD_BOOLEAN, field, "\"" + row.value(field) + "\" is not true/false (or yes/no)");
                    yield false;
                }
            };
        }

        List<String> list(String field) {
            String v = row.value(field);
            if (v.isEmpty()) {
                return List.of();
            }
            List<String> out = new ArrayList<>();
            for (String part : v.split(";")) {
                if (!part.isBlank()) {
                    out.add(part.strip());
                }
            }
            return out;
        }

        <T> List<T> pairs(String field, java.util.function.BiFunction<String, String, T> make) {
            List<T> out = new ArrayList<>();
            for (String item : list(field)) {
                int colon = item.lastIndexOf(':');
                if (colon <= 0 || colon == item.length() - 1) {
                    problem(Problem.Code.MISSING_VALUE, field, "\"" + item + "\" should be written as NAME: VALUE");
                    continue;
                }
                out.add(make.apply(item.substring(0, colon).strip(), item.substring(colon + 1).strip()));
            }
            return out;
        }

        List<Meeting> meetings(String field) {
            List<Meeting> out = new ArrayList<>();
            for (String item : list(field)) {
                Meeting m = meeting(item);
                if (m == null) {
                    problem(Problem.Code.BAD_TIME, field, "cannot read the meeting time \"" + item
                            + "\": write DAY HH:MM-HH:MM, e.g. MON 09:00-10:30");
                } else {
                    out.add(m);
                }
            }
            return out;
        }

        static Meeting meeting(String text) {
            Matcher m = MEETING.matcher(text.strip());
            if (!m.matches()) {
                return null;
            }
            Day day = Day.valueOf(m.group(1).toUpperCase(Locale.ROOT));
            String start = hhmm(m.group(2), m.group(3));
            String end = hhmm(m.group(4), m.group(5));
            if (start == null || end == null || start.compareTo(end) >= 0) {
                return null;
            }
            return new Meeting(day, start, end);
        }

        private static String hhmm(String h, String m) {
            int hour = Integer.parseInt(h);
            int minute = Integer.parseInt(m);
            if (hour > 23 || minute > 59) {
                return null;
            }
            return String.format("%02d:%02d", hour, minute);
        }
    }
}
