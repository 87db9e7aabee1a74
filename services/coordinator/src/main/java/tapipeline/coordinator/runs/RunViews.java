package tapipeline.coordinator.runs;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tapipeline.schemas.assignment.RunCompleted;
import tapipeline.schemas.handbook.HandbookRendered;
import tapipeline.schemas.site.SiteLink;

/** What the run pages' templates show: plain records built from the board and a review, nothing to compute in a template. */
public final class RunViews {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private RunViews() {
    }

    static String when(Instant at) {
        return at == null ? "" : WHEN.format(at);
    }

    static String seconds(long ms) {
        return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }

    /** One row of the runs list. */
    public record RunRow(String runId, String term, String state, String score, String filled, String empty,
                         String requestedAt, boolean approved, boolean resolve, String scenarioId, boolean proposal,
                         String scenarioName) {
        /** The row; {@code scenarioName} names a what-if run's scenario (null for a run of the term's own data). */
        static RunRow of(RunBoard.Run run, String scenarioName) {
            String score = run.result() != null && run.result().score() != null ? run.result().score()
                    : run.latest().map(RunBoard.Point::bestScore).orElse(null);
            String filled = "";
            String empty = "";
            if (run.result() != null && run.filled() >= 0) {
                filled = Integer.toString(run.filled());
                empty = Integer.toString(run.empty());
            } else if (run.latest().isPresent()) {
                filled = Integer.toString(run.latest().get().assigned());
                empty = Integer.toString(run.latest().get().unassigned());
            }
            return new RunRow(run.runId(), run.term() == null ? "" : run.term(), label(run.state()),
                    score == null ? "" : score, filled, empty, when(run.requestedAt()), run.approval() != null,
                    run.problem() != null && !run.problem().previousAssignment().isEmpty(), run.scenarioId(),
                    run.problem() != null && run.problem().origin() != null
                            && run.problem().origin().kind() == tapipeline.schemas.assignment.RunOrigin.Kind.PROPOSAL,
                    scenarioName);
        }
    }

    /** Runs list page. */
    public record RunList(List<RunRow> runs, String term, boolean canStart, String error) {
    }

    /** A run state in words. */
    static String label(String state) {
        return switch (state) {
            case "REQUESTED" -> "Requested (waiting for a solver)";
            case "APPROVAL_ONLY" -> "Approved (no run here: an imported or older approval)";
            case "QUEUED" -> "Queued";
            case "STARTING" -> "Starting";
            case "CONSTRUCTION" -> "Building a first assignment";
            case "LOCAL_SEARCH" -> "Improving";
            case "FINISHING" -> "Finishing (writing explanations)";
            case "CANCELLING" -> "Cancelling";
            case "SOLVED" -> "Solved";
            case "CANCELLED" -> "Cancelled (best found so far)";
            case "FAILED" -> "Failed";
            case "INVALID_INPUT" -> "Refused: invalid input";
            default -> state;
        };
    }

    /** The live part of a run's page (swapped in by server-sent events). */
    public record Live(String runId, String state, boolean done, boolean reviewable, String bestScore, String filled,
                       String empty, String elapsed, boolean feasible, ScoreChart chart, List<String> problems) {
        static Live of(RunBoard.Run run) {
            RunRow row = RunRow.of(run, null); // the live part shows no scenario
            RunBoard.Point last = run.latest().orElse(null);
            List<String> problems = new ArrayList<>();
            if (run.result() != null) {
                for (RunCompleted.Problem p : run.result().problems()) {
                    problems.add(p.code() + ": " + p.message());
                }
            }
            String elapsed = run.result() != null ? seconds(run.result().solveMs())
                    : last == null ? "" : seconds(last.elapsedMs());
            boolean feasible = run.result() != null && run.result().score() != null
                    ? run.result().score().startsWith("0hard") : last != null && last.feasible();
            return new Live(run.runId(), row.state(), run.done(), run.reviewable(), row.score(), row.filled(),
                    row.empty(), elapsed, feasible, ScoreChart.of(run.points()), problems);
        }
    }

    /** A run's page. */
    public record RunPage(String runId, String term, String requestedAt, int timeLimitSeconds, long seed, int pins,
                          String cancelReason, boolean canCancel, Live live, String scenarioId, String scenarioName,
                          String approvalOnly) {
    }

    /** One slot in the review. */
    public record SlotView(String courseId, int slotIndex, String applicantId, String name, boolean pinned,
                           boolean changed, String href) {
        public boolean empty() {
            return applicantId == null;
        }
    }

    /** One course in the review. */
    public record CourseView(String courseId, String code, String title, String section, String instructor,
                             int hoursPerSlot, List<SlotView> slots) {
    }

    /** One changed slot against the previous run. */
    public record ChangeView(String course, int slotIndex, String before, String after) {
    }

    /** The review page (one page of courses). */
    public record ReviewPage(String runId, String term, String state, String score, List<RunCompleted.ConstraintScore> breakdown,
                             List<CourseView> courses, int page, int pages, String q, int courseCount, int filled,
                             int empty, String previousRunId, List<ChangeView> changes, int changeCount, int pins,
                             boolean canEdit, Publication publication, String flash, String scenarioId,
                             String scenarioName, String proposal) {
    }

    /** The slot page: explanation, blockers, pin, override with its check. */
    public record SlotPage(String runId, String courseLabel, String courseId, int slotIndex, String applicantId,
                           String name, boolean pinned, boolean changed, RunCompleted.Explanation explanation,
                           RunCompleted.UnassignedSlot blocked, String explanationMissing, List<Option> candidates,
                           OverrideCheck check,
                           String checkedApplicantId, boolean canEdit, String flash, String error) {
    }

    /** An applicant to choose in the override form. */
    public record Option(String id, String label) {
    }

    /** One TA on the hours-owed dashboard. */
    public record TaView(String applicantId, String name, int minHours, int targetHours, int maxHours, int assigned,
                         int shortfall, boolean over, String slots) {
    }

    /** Hours owed dashboard. */
    public record HoursPage(String runId, String term, List<TaView> rows, int shortCount, int owedTotal,
                            int shortTotal) {
    }

    /** Approval and publication of a run. */
    public record Publication(String runId, boolean approved, String approvedBy, String approvedAt,
                              List<Edition> editions, List<Link> links, String stage, String stageText) {

        static Publication of(RunBoard board, RunBoard.Run run) {
            List<Edition> editions = new ArrayList<>();
            for (HandbookRendered r : board.renderedFrom(run.runId())) {
                editions.add(new Edition(r.programId(), r.edition(), r.pages(),
                        r.validation().pdfUa1() && r.validation().pdfA2()));
            }
            List<Link> links = new ArrayList<>();
            for (SiteLink l : board.linksFor(run)) {
                links.add(new Link(l.label(), l.target(), l.version(), when(l.changedAt())));
            }
            boolean approved = run.approval() != null;
            String stage = RunViews.stage(board, run);
            String text = switch (stage) {
                case "NOT_APPROVED" -> "Not approved yet.";
                case "APPROVED" -> "Approved; waiting for the handbook to be rendered.";
                case "RENDERED" -> "Handbook rendered; waiting for the public links to move.";
                default -> "Published: the public links point at the new edition.";
            };
            return new Publication(run.runId(), approved, approved ? run.approval().approvedBy() : null,
                    approved ? when(run.approval().approvedAt()) : null, editions, links, stage, text);
        }
    }

    /**
     * Where a run's publication stands: NOT_APPROVED, APPROVED (no edition rendered from it yet),
     * RENDERED (an edition exists, no link points at one yet) or PUBLISHED (the handbook link points at
     * an edition rendered from this run). The TA-assignments page moving alone is not "published": the
     * handbook is what the approval is for, and a refused edition leaves its link where it was.
     */
    static String stage(RunBoard board, RunBoard.Run run) {
        if (run.approval() == null) {
            return "NOT_APPROVED";
        }
        List<HandbookRendered> rendered = board.renderedFrom(run.runId());
        if (rendered.isEmpty()) {
            return "APPROVED";
        }
        boolean editionLinked = board.linksFor(run).stream()
                .anyMatch(l -> rendered.stream().anyMatch(r -> l.target().contains(r.sha256())));
        return editionLinked ? "PUBLISHED" : "RENDERED";
    }

    /** A handbook edition rendered from the approval. */
    public record Edition(String programId, String edition, int pages, boolean valid) {
    }

    /** A public link that moved. */
    public record Link(String label, String target, long version, String changedAt) {
    }
}
