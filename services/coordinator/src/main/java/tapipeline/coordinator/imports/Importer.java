package tapipeline.coordinator.imports;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import tapipeline.coordinator.datasets.DatasetDiff;
import tapipeline.schemas.assignment.Applicant;
import tapipeline.schemas.assignment.Course;
import tapipeline.schemas.assignment.InstructorPreference;
import tapipeline.schemas.assignment.Pin;
import tapipeline.schemas.assignment.Preference;
import tapipeline.schemas.coordinator.ApplicantContact;
import tapipeline.schemas.coordinator.CourseDetail;
import tapipeline.schemas.coordinator.Dataset;

/**
 * Checks an import against a term's current dataset and says what applying it would do. The files
 * are CSVs named after their kind ({@code courses.csv}, {@code applicants.csv},
 * {@code preferences.csv}, {@code instructor_requests.csv}) or one dataset JSON; a kind the import
 * does not bring keeps the current dataset's items. Sizes are checked before anything is parsed.
 * Every problem of every file is reported at once; any error means nothing may be applied.
 */
public final class Importer {

    /** An uploaded file: the name it is reported under and its bytes. */
    public record Upload(String name, byte[] bytes) {
    }

    /** The size limits, checked before parsing. */
    public record Limits(long maxFileBytes, long maxTotalBytes) {
        public static final Limits DEFAULT = new Limits(5L * 1024 * 1024, 8L * 1024 * 1024);
    }

    /**
     * The outcome: every problem, and (whatever the problems) the dataset it would make and its
     * difference from the current one.
     *
     * @param baseVersion the current version the preview was made against (0: the term has none)
     */
    public record Result(String term, long baseVersion, List<Problem> problems, Draft draft, DatasetDiff diff,
                         List<String> files) {
        public boolean hasErrors() {
            return problems.stream().anyMatch(Problem::isError);
        }

        public List<Problem> errors() {
            return problems.stream().filter(Problem::isError).toList();
        }

        /** Likely mistakes in what the import brings (not those of current data it leaves as it is). */
        public List<Problem> warnings() {
            return problems.stream().filter(p -> !p.isError() && !p.file().startsWith(Draft.CURRENT)).toList();
        }
    }

    /** Thrown before parsing when an upload is over a limit (HTTP 413). */
    public static final class TooLargeException extends RuntimeException {
        public TooLargeException(String message) {
            super(message);
        }
    }

    /** Problems after which a file's items are unknown, so references to them cannot be judged. */
    private static final java.util.Set<Problem.Code> UNREADABLE = java.util.EnumSet.of(Problem.Code.ENCODING,
            Problem.Code.CSV_SYNTAX, Problem.Code.JSON_SYNTAX, Problem.Code.SCHEMA, Problem.Code.MISSING_COLUMN,
            Problem.Code.DUPLICATE_COLUMN);

    private final Limits limits;

    public Importer(Limits limits) {
        this.limits = limits;
    }

    /** The kind a file name stands for: {@code Courses.CSV} → COURSES; null for a JSON dataset. */
    public static ImportKind kindOf(String name) {
        String stem = name.replaceAll("^.*[/\\\\]", "");
        int dot = stem.lastIndexOf('.');
        if (dot > 0) {
            stem = stem.substring(0, dot);
        }
        return ImportKind.byStem(stem).orElse(null);
    }

    public static boolean isJson(Upload u) {
        return u.name().toLowerCase(Locale.ROOT).endsWith(".json");
    }

    public Result check(String term, Dataset current, List<Upload> uploads) {
        long total = 0;
        for (Upload u : uploads) {
            if (u.bytes().length > limits.maxFileBytes()) {
                throw new TooLargeException(u.name() + " is " + u.bytes().length + " bytes, over the limit of "
                        + limits.maxFileBytes() + " bytes per file (COORDINATOR_IMPORT_MAX_BYTES): split it or ask an operator");
            }
            total += u.bytes().length;
        }
        if (total > limits.maxTotalBytes()) {
            throw new TooLargeException("the files are " + total + " bytes together, over the limit of "
                    + limits.maxTotalBytes() + " bytes per import");
        }
        List<Problem> problems = new ArrayList<>();
        Map<ImportKind, List<? extends Located<?>>> items = new EnumMap<>(ImportKind.class);
        List<Located<Pin>> pins = null;
        List<Located<ApplicantContact>> contacts = null;    // null: the import says nothing, keep the current ones
        List<Located<CourseDetail>> details = null;
        List<CourseDetail> currentDetails = current == null ? List.of() : current.courseDetails();
        List<String> files = new ArrayList<>();
        CsvRows.takeBadIds();
        CsvRows.takeBrokenIds();
        List<Upload> sorted = new ArrayList<>(uploads);
        sorted.sort(java.util.Comparator.comparingInt(u -> kindOf(u.name()) == null ? -1 : kindOf(u.name()).ordinal()));
        for (Upload u : sorted) {
            files.add(u.name());
            if (isJson(u)) {
                JsonDataset.Parsed parsed = JsonDataset.read(u.name(), u.bytes(), term);
                problems.addAll(parsed.problems());
                parsed.items().forEach((k, v) -> put(items, k, v, u, problems));
                if (parsed.hasPins()) {
                    pins = parsed.pins();
                }
                if (parsed.contacts() != null) {
                    contacts = parsed.contacts();
                }
                if (parsed.courseDetails() != null) {
                    details = parsed.courseDetails();
                }
                continue;
            }
            ImportKind kind = kindOf(u.name());
            if (kind == null) {
                problems.add(Problem.error(Problem.Code.UNKNOWN_FILE, u.name(), 0, 0, "", "cannot tell what this file holds:"
                        + " name it courses.csv, applicants.csv, preferences.csv, instructor_requests.csv or *.json"));
                continue;
            }
            CsvFile.Parsed parsed = CsvFile.read(u.name(), u.bytes(), kind);
            problems.addAll(parsed.problems());
            List<? extends Located<?>> rows = switch (kind) {
                case COURSES -> CsvRows.courses(u.name(), parsed.rows(), term, problems);
                case APPLICANTS -> CsvRows.applicants(u.name(), parsed.rows(), problems);
                case PREFERENCES -> CsvRows.preferences(u.name(), parsed.rows(), problems);
                case INSTRUCTOR_REQUESTS -> CsvRows.instructorPreferences(u.name(), parsed.rows(), problems);
            };
            put(items, kind, rows, u, problems);
            if (kind == ImportKind.APPLICANTS && kind.hasColumn(parsed.headers(), "email")) {
                contacts = CsvRows.contacts(u.name(), parsed.rows(), problems);
            }
            if (kind == ImportKind.COURSES) {
                boolean duties = kind.hasColumn(parsed.headers(), "duties");
                boolean instructors = kind.hasColumn(parsed.headers(), "instructors");
                if (duties || instructors) {
                    details = CsvRows.courseDetails(u.name(), parsed.rows(), duties, instructors, currentDetails, problems);
                }
            }
        }
        Draft draft = new Draft(term,
                this.<Course>pick(items, ImportKind.COURSES, current == null ? List.of() : current.courses(), "courses"),
                this.<Applicant>pick(items, ImportKind.APPLICANTS, current == null ? List.of() : current.applicants(), "applicants"),
                this.<Preference>pick(items, ImportKind.PREFERENCES, current == null ? List.of() : current.preferences(), "preferences"),
                this.<InstructorPreference>pick(items, ImportKind.INSTRUCTOR_REQUESTS,
                        current == null ? List.of() : current.instructorPreferences(), "instructor requests"),
                pins != null ? pins : Draft.current(current == null ? List.of() : current.pins(), "pins"),
                List.of(), List.of());
        draft = new Draft(term, draft.courses(), draft.applicants(), draft.preferences(), draft.instructorPreferences(),
                draft.pins(), kept(contacts, current == null ? List.of() : current.contacts(), "contacts",
                        draft.applicants().stream().map(a -> a.value().id()).collect(java.util.stream.Collectors.toSet()),
                        ApplicantContact::applicantId, Problem.Code.UNKNOWN_APPLICANT, "applicantId", problems),
                kept(details, currentDetails, "course details",
                        draft.courses().stream().map(c -> c.value().id()).collect(java.util.stream.Collectors.toSet()),
                        CourseDetail::courseId, Problem.Code.UNKNOWN_COURSE, "courseId", problems));
        List<CsvRows.BadId> badIds = CsvRows.takeBadIds();
        java.util.Set<String> brokenIds = CsvRows.takeBrokenIds();
        if (problems.stream().noneMatch(p -> UNREADABLE.contains(p.code()))) {
            problems.addAll(DatasetValidator.check(draft, badIds, brokenIds)); // references are judged once every file could be read
        }
        long base = current == null ? 0 : current.version();
        DatasetDiff diff = DatasetDiff.between(current, draft.toDataset(base + 1));
        for (DatasetDiff.Section s : diff.sections()) {
            int before = s.removed().size() + s.changed().size() + unchangedCount(current, s.kind(), s);
            if (s.removed().size() >= 10 && s.removed().size() * 2 > before) {
                problems.add(Problem.warning(Problem.Code.LARGE_REMOVAL, fileOf(s.kind(), files), 0, 0, "",
                        "this import removes " + s.removed().size() + " of the " + before + " " + s.kind()
                                + " the term has: a file of a kind replaces all of that kind (was the whole file sent?)"));
            }
        }
        // in the order a reader checks them: file by file (as sent), then line and column
        List<String> order = new ArrayList<>(files);
        problems.sort(java.util.Comparator.<Problem>comparingInt(p -> order.indexOf(p.file()) < 0 ? Integer.MAX_VALUE : order.indexOf(p.file()))
                .thenComparingInt(Problem::line).thenComparingInt(Problem::column));
        return new Result(term, base, List.copyOf(problems), draft, diff, List.copyOf(files));
    }

    /**
     * The contacts or details the dataset gets: those the import brought (each must name an item the
     * dataset has, once), else the current ones of items still there (an applicant or course the
     * import removed takes its contact or detail with it).
     */
    private static <T> List<Located<T>> kept(List<Located<T>> brought, List<T> current, String what,
                                             java.util.Set<String> ids, java.util.function.Function<T, String> idOf,
                                             Problem.Code unknown, String field, List<Problem> problems) {
        if (brought == null) {
            return Draft.current(current.stream().filter(x -> ids.contains(idOf.apply(x))).toList(), what);
        }
        List<Located<T>> out = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Located<T> x : brought) {
            String id = idOf.apply(x.value());
            if (!ids.contains(id)) {
                if (!x.where().file().endsWith(".csv")) { // a CSV's contact or detail is its own row's: never unknown
                    problems.add(x.where().error(unknown, field, what + " of \"" + id + "\", which the dataset does not have"));
                }
            } else if (!seen.add(id)) {
                problems.add(x.where().error(Problem.Code.DUPLICATE_ID, field, "a second entry of " + what + " for \"" + id + "\""));
            } else {
                out.add(x);
            }
        }
        return out;
    }

    /** Items of a kind present before and after (neither removed nor changed). */
    private static int unchangedCount(Dataset current, String kind, DatasetDiff.Section s) {
        if (current == null) {
            return 0;
        }
        int total = switch (kind) {
            case "courses" -> current.courses().size();
            case "applicants" -> current.applicants().size();
            case "preferences" -> current.preferences().size();
            case "instructor requests" -> current.instructorPreferences().size();
            default -> current.pins().size();
        };
        return total - s.removed().size() - s.changed().size();
    }

    private static String fileOf(String kind, List<String> files) {
        String stem = kind.equals("instructor requests") ? "instructor_requests" : kind;
        return files.stream().filter(f -> f.toLowerCase(Locale.ROOT).startsWith(stem)).findFirst()
                .orElse(files.isEmpty() ? "(import)" : files.get(0));
    }

    private static void put(Map<ImportKind, List<? extends Located<?>>> items, ImportKind kind,
                            List<? extends Located<?>> rows, Upload u, List<Problem> problems) {
        if (items.containsKey(kind)) {
            problems.add(Problem.error(Problem.Code.UNKNOWN_FILE, u.name(), 0, 0, "",
                    "a second file of " + kind.fileStem() + " in one import: send one"));
            return;
        }
        items.put(kind, rows);
    }

    @SuppressWarnings("unchecked")
    private <T> List<Located<T>> pick(Map<ImportKind, List<? extends Located<?>>> items, ImportKind kind,
                                      List<T> current, String what) {
        List<? extends Located<?>> got = items.get(kind);
        return got != null ? (List<Located<T>>) got : Draft.current(current, what);
    }
}
