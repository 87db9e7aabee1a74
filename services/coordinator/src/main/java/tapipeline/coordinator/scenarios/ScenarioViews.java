package tapipeline.coordinator.scenarios;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

import tapipeline.coordinator.audit.AuditLog;
import tapipeline.coordinator.runs.RunBoard;
import tapipeline.schemas.assignment.Applicant;
import tapipeline.schemas.assignment.Course;
import tapipeline.schemas.audit.AuditEntry;
import tapipeline.schemas.coordinator.Scenario;

/** What the scenario pages' templates show: plain records, nothing to compute in a template. */
public final class ScenarioViews {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    private ScenarioViews() {
    }

    static String when(Instant at) {
        return at == null ? "" : WHEN.format(at);
    }

    /** One scenario in a list. */
    public record Row(String scenarioId, String term, String name, String description, String createdBy,
                      String createdAt, long baseVersion, long version, int runs, boolean comparable) {
    }

    /** The scenarios list (of a term, or of every term) with the create form. */
    public record ListPage(String term, List<String> terms, List<Row> scenarios, boolean canEdit, String error,
                           String flash) {
    }

    /** An edit of the scenario's history. */
    public record EditRow(String at, String actor, String action, String reason, String detail) {
    }

    /** One run of the scenario. */
    public record RunRow(String runId, String state, String score, String filled, String requestedAt, boolean reviewable) {
    }

    /** A course to choose in the edit forms. */
    public record CourseOption(String id, String label, int slots, int minTas, int maxTas) {
    }

    /** An applicant to choose in the edit forms. */
    public record ApplicantOption(String id, String label) {
    }

    /** A scenario's page. */
    public record ScenarioPage(String scenarioId, String term, String name, String description, String createdBy,
                               String createdAt, long baseVersion, long termVersion, long version, int courses,
                               int applicants, int slots, int maxHours, List<EditRow> edits, List<RunRow> runs,
                               List<CourseOption> courseOptions, List<ApplicantOption> applicantOptions, boolean canEdit,
                               boolean comparable, String error, String flash) {

        static ScenarioPage of(Scenario s, List<RunBoard.Run> runs, List<AuditEntry> history, long termVersion,
                               boolean canEdit, String error, String flash) {
            List<EditRow> edits = new ArrayList<>();
            for (AuditEntry e : history) {
                edits.add(new EditRow(when(e.at()), e.actor(), e.action(), AuditLog.reasonOf(e), AuditLog.factsOf(e)));
            }
            List<RunRow> rows = new ArrayList<>();
            for (RunBoard.Run r : runs) {
                rows.add(new RunRow(r.runId(), r.state(), r.result() == null || r.result().score() == null ? ""
                        : r.result().score(), r.result() == null || r.filled() < 0 ? "" : r.filled() + " of "
                        + (r.filled() + r.empty()), when(r.requestedAt()), r.reviewable()));
            }
            List<CourseOption> courses = new ArrayList<>();
            for (Course c : s.dataset().courses()) {
                courses.add(new CourseOption(c.id(), ScenarioEdits.label(c) + " " + c.title() + " (" + c.slots() + " TA"
                        + (c.slots() == 1 ? "" : "s") + ")", c.slots(), c.minTas(), c.maxTas()));
            }
            List<ApplicantOption> applicants = new ArrayList<>();
            for (Applicant a : s.dataset().applicants()) {
                applicants.add(new ApplicantOption(a.id(), a.name() + " (" + a.id() + ", up to " + a.maxHours() + " h)"));
            }
            int maxHours = s.dataset().applicants().stream().mapToInt(Applicant::maxHours).max().orElse(0);
            return new ScenarioPage(s.scenarioId(), s.term(), s.name(), s.description(), s.createdBy(),
                    when(s.createdAt()), s.baseVersion(), termVersion, s.dataset().version(), s.dataset().courses().size(),
                    s.dataset().applicants().size(), s.dataset().courses().stream().mapToInt(Course::slots).sum(),
                    maxHours, edits, rows, courses, applicants, canEdit, runs.stream().anyMatch(RunBoard.Run::reviewable),
                    error, flash);
        }
    }

    /** The comparison page; {@code comparison} null with {@code missing} saying what is needed first. */
    public record ComparePage(String scenarioId, String term, String name, Comparison comparison, String planKind,
                              String missing) {

        public String filledDifference() {
            return signed(comparison.scenario().filled() - comparison.plan().filled());
        }

        public String totalDifference() {
            return signed(comparison.scenario().total() - comparison.plan().total());
        }

        public static String signed(int n) {
            return n > 0 ? "+" + n : Integer.toString(n);
        }

        public static String courses(List<String> labels) {
            return labels.isEmpty() ? "none" : String.join(", ", labels);
        }

        /** What changed for one TA, in words. */
        public static String change(Comparison.TaChange t) {
            List<String> parts = new ArrayList<>();
            if (!t.gained().isEmpty()) {
                parts.add("gains " + String.join(", ", t.gained()));
            }
            if (!t.lost().isEmpty()) {
                parts.add("loses " + String.join(", ", t.lost()));
            }
            int d = t.hoursDifference();
            parts.add(d == 0 ? "same hours" : "hours " + (d > 0 ? "up " : "down ") + Math.abs(d));
            return String.join("; ", parts);
        }
    }
}
