package tapipeline.coordinator.instructors;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import tapipeline.coordinator.datasets.DatasetEdits;
import tapipeline.coordinator.datasets.DatasetStore;
import tapipeline.coordinator.imports.Draft;
import tapipeline.coordinator.imports.Located;
import tapipeline.coordinator.imports.Where;
import tapipeline.platform.web.Refused;
import tapipeline.schemas.assignment.Applicant;
import tapipeline.schemas.assignment.Course;
import tapipeline.schemas.assignment.InstructorPreference;
import tapipeline.schemas.assignment.Preference;
import tapipeline.schemas.coordinator.CourseDetail;
import tapipeline.schemas.coordinator.Dataset;

/**
 * An instructor's courses and what they may do with them, on the terms' current datasets.
 *
 * <p><b>Which courses.</b> A course is an instructor's when its {@link CourseDetail} lists the account's
 * user name. Every call names the course and first checks that; a course that is not theirs is refused
 * exactly like one that does not exist (404, same words), so nobody can probe other courses or terms.
 *
 * <p><b>Which applicant fields an instructor sees.</b> The public and application fields: name, id,
 * program, year, skills, courses taken with grades, courses TA'd before, and the applicant's own
 * preference for THIS course (rating or "will not"). Never: another course's ratings, the hours owed,
 * targeted or allowed (funding), unavailability (private schedule), conflicts of interest (of any
 * course, this one's included: the rule keeps the applicant off, the reason stays with the
 * coordinator), contacts, pins, or other courses' requests and bans.
 *
 * <p><b>What they may change.</b> Request an applicant with a rank (REQUEST, 1 = most wanted), veto one
 * (BAN), clear either, and the course's number of TAs (slots, within 1..maxTas, the coordinator's cap;
 * minTas is lowered with it when above). Each change is the term's next version, written through
 * {@link DatasetEdits#apply} (the import's rules, the version check, one audit entry naming the
 * instructor), so the next run uses it.
 */
public final class InstructorCourses {

    private static final Where EDIT = new Where("(instructor edit)", 0, Map.of());

    private final DatasetStore datasets;
    private final DatasetEdits edits;

    public InstructorCourses(DatasetStore datasets, DatasetEdits edits) {
        this.datasets = datasets;
        this.edits = edits;
    }

    /** The course, if it exists in the term's current dataset and its details list the user; else 404. */
    public Course course(String term, String courseId, String username) {
        return datasets.current(term).flatMap(d -> teaches(d, courseId, username)).orElseThrow(() -> notFound(term, courseId));
    }

    private static Refused notFound(String term, String courseId) {
        return new Refused(404, "You teach no course " + courseId + " in term " + term + ". Your courses are listed under My courses.");
    }

    static Optional<Course> teaches(Dataset d, String courseId, String username) {
        boolean mine = d.detailOf(courseId).map(x -> x.instructors().contains(username)).orElse(false);
        return mine ? d.courses().stream().filter(c -> c.id().equals(courseId)).findFirst() : Optional.empty();
    }

    /** Every course the user teaches, per term (terms sorted, courses by code). */
    public List<InstructorViews.TermCourses> mine(String username) {
        List<InstructorViews.TermCourses> out = new ArrayList<>();
        for (String term : datasets.terms()) {
            Dataset d = datasets.current(term).orElse(null);
            if (d == null) {
                continue;
            }
            List<InstructorViews.CourseLine> lines = new ArrayList<>();
            for (Course c : d.courses()) {
                if (teaches(d, c.id(), username).isPresent()) {
                    long requests = d.instructorPreferences().stream().filter(i -> i.courseId().equals(c.id())
                            && i.kind() == InstructorPreference.Kind.REQUEST).count();
                    long bans = d.instructorPreferences().stream().filter(i -> i.courseId().equals(c.id())
                            && i.kind() == InstructorPreference.Kind.BAN).count();
                    lines.add(new InstructorViews.CourseLine(term, c.id(), c.code(), c.section(), c.title(), c.slots(),
                            (int) requests, (int) bans));
                }
            }
            if (!lines.isEmpty()) {
                lines.sort(Comparator.comparing(InstructorViews.CourseLine::code).thenComparing(InstructorViews.CourseLine::section));
                out.add(new InstructorViews.TermCourses(term, d.version(), List.copyOf(lines)));
            }
        }
        return out;
    }

    /**
     * The course page's data: the applicants who rated the course or have a request or ban on it (every
     * applicant of the term with {@code all}), requested first by rank, then by their rating.
     */
    public InstructorViews.CoursePage page(String term, String courseId, String username, boolean all,
                                           InstructorViews.RunOutcome run, String message, String error) {
        Course c = course(term, courseId, username);
        Dataset d = datasets.current(term).orElseThrow(() -> notFound(term, courseId));
        Map<String, Preference> prefs = new java.util.HashMap<>();
        d.preferences().stream().filter(p -> p.courseId().equals(courseId)).forEach(p -> prefs.putIfAbsent(p.applicantId(), p));
        Map<String, InstructorPreference> marks = new java.util.HashMap<>();
        d.instructorPreferences().stream().filter(i -> i.courseId().equals(courseId)).forEach(i -> marks.putIfAbsent(i.applicantId(), i));
        List<InstructorViews.ApplicantRow> rows = new ArrayList<>();
        for (Applicant a : d.applicants()) {
            Optional<Preference> pref = Optional.ofNullable(prefs.get(a.id()));
            Optional<InstructorPreference> mark = Optional.ofNullable(marks.get(a.id()));
            if (!all && pref.isEmpty() && mark.isEmpty()) {
                continue;
            }
            rows.add(row(a, pref, mark));
        }
        rows.sort(Comparator.comparing((InstructorViews.ApplicantRow r) -> r.requested() ? 0 : r.banned() ? 2 : 1)
                .thenComparing(r -> r.rank() == null ? Integer.MAX_VALUE : r.rank())
                .thenComparing(r -> -ratingOf(r.preference()))
                .thenComparing(InstructorViews.ApplicantRow::name));
        String duties = d.detailOf(courseId).map(CourseDetail::duties).orElse("");
        return new InstructorViews.CoursePage(term, d.version(), c.id(), c.code(), c.section(), c.title(), c.slots(), c.minTas(),
                c.maxTas(), c.hoursPerSlot(), duties, List.copyOf(rows), all, d.applicants().size(), run, message, error);
    }

    /** The fields an instructor may see, and nothing else (see the class comment). */
    static InstructorViews.ApplicantRow row(Applicant a, Optional<Preference> pref, Optional<InstructorPreference> mark) {
        String preference = pref.map(p -> p.willNot() ? "will not TA it" : p.rating() + " of 5").orElse("did not rate it");
        return new InstructorViews.ApplicantRow(a.id(), a.name(), a.program(), a.year(), a.skills(),
                a.coursesTaken().stream().map(g -> g.courseCode() + ": " + g.grade()).toList(), a.previouslyTaught(),
                preference, pref.isPresent(), mark.map(m -> m.kind().name()).orElse(null), mark.map(InstructorPreference::rank).orElse(null));
    }

    private static int ratingOf(String preference) {
        return preference.endsWith(" of 5") ? preference.charAt(0) - '0' : 0;
    }

    /** Requests the applicant for the course with a rank (replacing a ban or an earlier rank). */
    public Dataset request(String term, String courseId, String applicantId, int rank, long expectedVersion, String username,
                           String note) {
        course(term, courseId, username);
        if (rank < 1 || rank > 1000) {
            throw new Refused(422, "The rank must be a whole number from 1 (most wanted) to 1000, not " + rank + ".");
        }
        return mark(term, courseId, applicantId, InstructorPreference.request(courseId, applicantId, rank), expectedVersion,
                username, note, "instructor.request", "requested " + applicantId + " for " + courseId + " with rank " + rank);
    }

    /** Vetoes the applicant for the course (replacing a request). */
    public Dataset ban(String term, String courseId, String applicantId, long expectedVersion, String username, String note) {
        course(term, courseId, username);
        return mark(term, courseId, applicantId, InstructorPreference.ban(courseId, applicantId), expectedVersion, username, note,
                "instructor.ban", "banned " + applicantId + " from " + courseId);
    }

    /** Clears the course's request or ban of the applicant. */
    public Dataset clear(String term, String courseId, String applicantId, long expectedVersion, String username, String note) {
        course(term, courseId, username);
        return mark(term, courseId, applicantId, null, expectedVersion, username, note, "instructor.clear",
                "cleared the request or ban of " + applicantId + " on " + courseId);
    }

    private Dataset mark(String term, String courseId, String applicantId, InstructorPreference next, long expectedVersion,
                         String username, String note, String action, String facts) {
        Dataset d = datasets.current(term).orElseThrow(() -> notFound(term, courseId));
        if (d.applicants().stream().noneMatch(a -> a.id().equals(applicantId))) {
            throw new Refused(422, "Term " + term + " has no applicant " + applicantId + ".");
        }
        Draft draft = Draft.of(d);
        List<Located<InstructorPreference>> ips = new ArrayList<>();
        boolean had = false;
        for (Located<InstructorPreference> ip : draft.instructorPreferences()) {
            if (ip.value().courseId().equals(courseId) && ip.value().applicantId().equals(applicantId)) {
                had = true;
            } else {
                ips.add(ip);
            }
        }
        if (next == null && !had) {
            throw new Refused(422, applicantId + " has no request or ban on " + courseId + " to clear.");
        }
        if (next != null) {
            ips.add(new Located<>(next, EDIT));
        }
        return edits.apply(draft.withInstructorPreferences(ips), expectedVersion, username, action, note, facts);
    }

    /** Sets how many TAs the course needs: 1..maxTas (the coordinator's cap); minTas follows it down. */
    public Dataset slots(String term, String courseId, int slots, long expectedVersion, String username, String note) {
        Course c = course(term, courseId, username);
        if (slots < 1 || slots > c.maxTas()) {
            throw new Refused(422, "The number of TAs must be from 1 to " + c.maxTas() + " (the most this course may have,"
                    + " set by the coordinator), not " + slots + ".");
        }
        Dataset d = datasets.current(term).orElseThrow(() -> notFound(term, courseId));
        int minTas = Math.min(c.minTas(), slots);
        Function<Course, Course> change = x -> new Course(x.id(), x.code(), x.title(), x.section(), x.term(), x.instructor(),
                x.meetings(), slots, x.hoursPerSlot(), x.requiredSkills(), minTas, x.maxTas(), x.priority(), x.wantsExperienced());
        Draft draft = Draft.of(d);
        List<Located<Course>> courses = draft.courses().stream()
                .map(l -> l.value().id().equals(courseId) ? new Located<>(change.apply(l.value()), EDIT) : l).toList();
        return edits.apply(draft.withCourses(courses), expectedVersion, username, "instructor.slots", note,
                "TAs of " + courseId + ": " + c.slots() + " → " + slots + (minTas != c.minTas() ? " (at least " + c.minTas()
                        + " → " + minTas + ")" : ""));
    }
}
