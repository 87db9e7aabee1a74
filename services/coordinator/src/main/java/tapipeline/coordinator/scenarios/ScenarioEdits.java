package tapipeline.coordinator.scenarios;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import tapipeline.coordinator.datasets.DatasetEdits;
import tapipeline.coordinator.imports.DatasetValidator;
import tapipeline.coordinator.imports.Draft;
import tapipeline.coordinator.imports.Problem;
import tapipeline.platform.web.Refused;
import tapipeline.schemas.assignment.Applicant;
import tapipeline.schemas.assignment.ConflictOfInterest;
import tapipeline.schemas.assignment.Course;
import tapipeline.schemas.coordinator.Dataset;

/**
 * The edits that make a what-if scenario out of a copy of the term's data: a course's number of TAs,
 * every applicant's hours capped, an applicant or a course removed. Each returns the scenario's next
 * dataset (version + 1) and the facts for its audit entry; each keeps the data valid (the import's
 * rules, {@link DatasetValidator}), so a scenario always solves. Bad input is refused with a message
 * naming the field ({@link Refused}, 400 or 404); nothing is changed then.
 */
public final class ScenarioEdits {

    /** Most TA positions a course may have (the schema's limit of {@code Course.slots}). */
    public static final int MAX_SLOTS = 1000;
    /** Hours cap range (the schema's limits of {@code Applicant.maxHours}). */
    public static final int MIN_CAP = 1;
    public static final int MAX_CAP = 60;

    private ScenarioEdits() {
    }

    /** One edit of a scenario's data. */
    public sealed interface Edit permits Slots, CapHours, RemoveApplicant, RemoveCourse {
    }

    /** Set a course's number of TA positions. */
    public record Slots(String courseId, int slots) implements Edit {
    }

    /** Cap every applicant's maximum hours per week. */
    public record CapHours(int maxHours) implements Edit {
    }

    /** Take an applicant out (with their preferences, instructor requests, pins and contact). */
    public record RemoveApplicant(String applicantId) implements Edit {
    }

    /** Take a course out (with its preferences, instructor requests, pins, details and conflicts naming it). */
    public record RemoveCourse(String courseId) implements Edit {
    }

    /** The edited dataset (version + 1) and what was done, in words. */
    public record Result(Dataset dataset, String facts) {
    }

    public static Result apply(Dataset d, Edit edit) {
        Result r;
        if (edit instanceof Slots s) {
            r = slots(d, s.courseId(), s.slots());
        } else if (edit instanceof CapHours c) {
            r = capHours(d, c.maxHours());
        } else if (edit instanceof RemoveApplicant a) {
            r = removeApplicant(d, a.applicantId());
        } else {
            r = removeCourse(d, ((RemoveCourse) edit).courseId());
        }
        List<Problem> errors = DatasetValidator.check(Draft.of(r.dataset())).stream().filter(Problem::isError).toList();
        if (!errors.isEmpty()) {
            throw new DatasetEdits.RejectedException(errors);
        }
        return r;
    }

    /**
     * A course's number of TAs. The minimum that counts as staffed is lowered to the new number only when
     * it was above it (never raised: more positions do not make fewer TAs understaffed); the maximum keeps
     * its headroom above the positions (max - slots stays the same, and max >= slots), as the solver's
     * department generator does. Pins of positions that no longer exist are dropped.
     */
    static Result slots(Dataset d, String courseId, int slots) {
        Course c = course(d, courseId);
        if (slots < 1 || slots > MAX_SLOTS) {
            throw new Refused(400, "slots must be 1 to " + MAX_SLOTS + ", was " + slots);
        }
        if (slots == c.slots()) {
            throw new Refused(400, "slots: " + label(c) + " already has " + slots + " TA" + (slots == 1 ? "" : "s"));
        }
        int minTas = Math.min(c.minTas(), slots);
        int maxTas = Math.max(slots, c.maxTas() - c.slots() + slots);
        Course changed = new Course(c.id(), c.code(), c.title(), c.section(), c.term(), c.instructor(), c.meetings(),
                slots, c.hoursPerSlot(), c.requiredSkills(), minTas, maxTas, c.priority(), c.wantsExperienced());
        List<Course> courses = d.courses().stream().map(x -> x.id().equals(courseId) ? changed : x).toList();
        var pins = d.pins().stream().filter(p -> !(p.courseId().equals(courseId) && p.slotIndex() >= slots)).toList();
        int droppedPins = d.pins().size() - pins.size();
        Dataset next = new Dataset(d.term(), d.version() + 1, courses, d.applicants(), d.preferences(),
                d.instructorPreferences(), pins, d.contacts(), d.courseDetails());
        return new Result(next, "TAs of " + label(c) + ": " + c.slots() + " → " + slots + " (min "
                + (minTas == c.minTas() ? minTas : c.minTas() + " → " + minTas) + ", max "
                + (maxTas == c.maxTas() ? maxTas : c.maxTas() + " → " + maxTas) + ")"
                + (droppedPins == 0 ? "" : "; " + droppedPins + " pin(s) of removed positions dropped"));
    }

    /**
     * Caps every applicant's maximum hours at {@code cap}; an owed minimum or a target above the cap comes
     * down to it (min <= target <= max stays true). Applicants at or below the cap are unchanged.
     */
    static Result capHours(Dataset d, int cap) {
        if (cap < MIN_CAP || cap > MAX_CAP) {
            throw new Refused(400, "maxHours must be " + MIN_CAP + " to " + MAX_CAP + ", was " + cap);
        }
        int changedCount = 0;
        int minLowered = 0;
        List<Applicant> applicants = new ArrayList<>();
        for (Applicant a : d.applicants()) {
            if (a.maxHours() <= cap) {
                applicants.add(a);
                continue;
            }
            changedCount++;
            if (a.minHours() > cap) {
                minLowered++;
            }
            applicants.add(new Applicant(a.id(), a.name(), a.program(), a.year(), Math.min(a.minHours(), cap), cap,
                    Math.min(a.targetHours(), cap), a.unavailable(), a.skills(), a.coursesTaken(), a.previouslyTaught(),
                    a.conflicts()));
        }
        if (changedCount == 0) {
            throw new Refused(400, "maxHours: every applicant already has at most " + cap + " hours; nothing to cap");
        }
        Dataset next = new Dataset(d.term(), d.version() + 1, d.courses(), applicants, d.preferences(),
                d.instructorPreferences(), d.pins(), d.contacts(), d.courseDetails());
        return new Result(next, "hours capped at " + cap + " a week: " + changedCount + " applicant(s) lowered"
                + (minLowered == 0 ? "" : ", " + minLowered + " of them owed more (their minimum is now " + cap + ")"));
    }

    static Result removeApplicant(Dataset d, String applicantId) {
        Applicant a = d.applicants().stream().filter(x -> x.id().equals(applicantId)).findFirst()
                .orElseThrow(() -> new Refused(404, "applicantId: no applicant has the id \"" + applicantId + "\" in this scenario"));
        if (d.applicants().size() == 1) {
            throw new Refused(400, "applicantId: " + applicantId + " is the scenario's only applicant; a scenario needs one to solve");
        }
        Dataset next = new Dataset(d.term(), d.version() + 1, d.courses(),
                without(d.applicants(), x -> x.id().equals(applicantId)),
                without(d.preferences(), p -> p.applicantId().equals(applicantId)),
                without(d.instructorPreferences(), p -> p.applicantId().equals(applicantId)),
                without(d.pins(), p -> p.applicantId().equals(applicantId)),
                without(d.contacts(), c -> c.applicantId().equals(applicantId)), d.courseDetails());
        return new Result(next, "removed applicant " + applicantId + " (" + a.name() + ")");
    }

    static Result removeCourse(Dataset d, String courseId) {
        Course c = course(d, courseId);
        if (d.courses().size() == 1) {
            throw new Refused(400, "courseId: " + label(c) + " is the scenario's only course; a scenario needs one to solve");
        }
        List<Applicant> applicants = new ArrayList<>();
        for (Applicant a : d.applicants()) {
            List<ConflictOfInterest> conflicts = without(a.conflicts(), x -> x.courseId().equals(courseId));
            applicants.add(conflicts.size() == a.conflicts().size() ? a : new Applicant(a.id(), a.name(), a.program(),
                    a.year(), a.minHours(), a.maxHours(), a.targetHours(), a.unavailable(), a.skills(), a.coursesTaken(),
                    a.previouslyTaught(), conflicts));
        }
        Dataset next = new Dataset(d.term(), d.version() + 1, without(d.courses(), x -> x.id().equals(courseId)),
                applicants, without(d.preferences(), p -> p.courseId().equals(courseId)),
                without(d.instructorPreferences(), p -> p.courseId().equals(courseId)),
                without(d.pins(), p -> p.courseId().equals(courseId)), d.contacts(),
                without(d.courseDetails(), x -> x.courseId().equals(courseId)));
        return new Result(next, "removed course " + label(c) + " (" + courseId + ", " + c.slots() + " TA position(s))");
    }

    private static Course course(Dataset d, String courseId) {
        if (courseId == null || courseId.isBlank()) {
            throw new Refused(400, "courseId is required");
        }
        return d.courses().stream().filter(x -> x.id().equals(courseId)).findFirst()
                .orElseThrow(() -> new Refused(404, "courseId: no course has the id \"" + courseId + "\" in this scenario"));
    }

    static String label(Course c) {
        return c.section().isBlank() ? c.code() : c.code() + "-" + c.section();
    }

    private static <T> List<T> without(List<T> items, Predicate<T> drop) {
        return items.stream().filter(drop.negate()).toList();
    }
}
