package tapipeline.coordinator.datasets;

import java.util.ArrayList;
import java.util.List;

import tapipeline.coordinator.audit.AuditLog;
import tapipeline.coordinator.imports.DatasetValidator;
import tapipeline.coordinator.imports.Draft;
import tapipeline.coordinator.imports.Located;
import tapipeline.coordinator.imports.Problem;
import tapipeline.coordinator.imports.Where;
import tapipeline.schemas.assignment.Applicant;
import tapipeline.schemas.assignment.InstructorPreference;
import tapipeline.schemas.coordinator.Dataset;

/**
 * Small edits a coordinator makes in the UI (add an applicant, change an applicant's hours, mark a
 * ban), each checked by the same rules as an import and published as the term's next version with
 * its audit entry. An edit is made against the version the coordinator saw; if the term moved on it
 * fails with {@link DatasetStore.VersionConflictException}.
 */
public final class DatasetEdits {

    /** The edit broke a rule: nothing was written. */
    public static final class RejectedException extends RuntimeException {
        private final List<Problem> problems;

        public RejectedException(List<Problem> problems) {
            super(problems.isEmpty() ? "rejected" : problems.get(0).message());
            this.problems = List.copyOf(problems);
        }

        public List<Problem> problems() {
            return problems;
        }
    }

    private static final Where EDIT = new Where("(edit)", 0, java.util.Map.of());

    private final DatasetStore store;
    private final AuditLog audit;

    public DatasetEdits(DatasetStore store, AuditLog audit) {
        this.store = store;
        this.audit = audit;
    }

    public Dataset addApplicant(String term, long expectedVersion, Applicant applicant, String actor, String reason) {
        Dataset d = require(term);
        List<Located<Applicant>> applicants = new ArrayList<>(Draft.of(d).applicants());
        applicants.add(new Located<>(applicant, EDIT));
        return apply(Draft.of(d).withApplicants(applicants), expectedVersion, actor, "dataset.add-applicant", reason,
                "added applicant " + applicant.id() + " (" + applicant.name() + ")");
    }

    public Dataset changeHours(String term, long expectedVersion, String applicantId, int minHours, int targetHours,
                               int maxHours, String actor, String reason) {
        Dataset d = require(term);
        Draft draft = Draft.of(d);
        List<Located<Applicant>> applicants = new ArrayList<>();
        Applicant before = null;
        for (Located<Applicant> a : draft.applicants()) {
            if (a.value().id().equals(applicantId)) {
                before = a.value();
                Applicant x = a.value();
                Applicant changed;
                try {
                    changed = new Applicant(x.id(), x.name(), x.program(), x.year(), minHours, maxHours, targetHours,
                            x.unavailable(), x.skills(), x.coursesTaken(), x.previouslyTaught(), x.conflicts());
                } catch (IllegalArgumentException e) {
                    throw new RejectedException(List.of(EDIT.error(Problem.Code.INVALID, "hours", e.getMessage())));
                }
                applicants.add(new Located<>(changed, EDIT));
            } else {
                applicants.add(a);
            }
        }
        if (before == null) {
            throw new RejectedException(List.of(EDIT.error(Problem.Code.UNKNOWN_APPLICANT, "applicantId",
                    "no applicant has the id \"" + applicantId + "\"")));
        }
        return apply(draft.withApplicants(applicants), expectedVersion, actor, "dataset.hours", reason, "hours of " + applicantId + ": "
                + before.minHours() + "/" + before.targetHours() + "/" + before.maxHours() + " → " + minHours + "/"
                + targetHours + "/" + maxHours + " (min/target/max)");
    }

    /** Marks a ban of an applicant on a course (replacing a request of the same pair, if any). */
    public Dataset ban(String term, long expectedVersion, String courseId, String applicantId, String actor, String reason) {
        Dataset d = require(term);
        Draft draft = Draft.of(d);
        List<Located<InstructorPreference>> ips = new ArrayList<>();
        for (Located<InstructorPreference> ip : draft.instructorPreferences()) {
            if (!(ip.value().courseId().equals(courseId) && ip.value().applicantId().equals(applicantId))) {
                ips.add(ip);
            }
        }
        ips.add(new Located<>(InstructorPreference.ban(courseId, applicantId), EDIT));
        return apply(draft.withInstructorPreferences(ips), expectedVersion, actor, "dataset.ban", reason, "banned " + applicantId + " from " + courseId);
    }

    private Dataset require(String term) {
        return store.current(term).orElseThrow(() -> new RejectedException(List.of(EDIT.error(Problem.Code.INVALID, "term",
                "term \"" + term + "\" has no dataset yet: import one first"))));
    }

    /** Checks a changed draft by the import's rules and writes it as version {@code expectedVersion + 1} with its audit entry. */
    public Dataset apply(Draft draft, long expectedVersion, String actor, String action, String reason, String facts) {
        List<Problem> errors = DatasetValidator.check(draft).stream().filter(Problem::isError).toList();
        if (!errors.isEmpty()) {
            throw new RejectedException(errors);
        }
        return store.publish(draft.toDataset(expectedVersion + 1), expectedVersion,
                audit.entry(draft.term(), actor, action, reason, facts + " (version " + (expectedVersion + 1) + ")"));
    }
}
