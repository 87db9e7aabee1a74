package tapipeline.coordinator.runs;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import tapipeline.platform.trace.TraceContext;
import tapipeline.schemas.Envelope;
import tapipeline.schemas.assignment.AssignmentApproved;
import tapipeline.schemas.assignment.AssignmentProblem;
import tapipeline.schemas.assignment.RunCancel;
import tapipeline.schemas.assignment.RunCompleted;
import tapipeline.schemas.assignment.RunProgress;
import tapipeline.schemas.assignment.RunStatus;
import tapipeline.schemas.handbook.HandbookRendered;
import tapipeline.schemas.site.SiteLink;

/**
 * The coordinator's read model of runs, rebuilt from the topics on every start (a replay loop over
 * {@code assignment.run.requested}, {@code .progress}, {@code .completed}, {@code .status},
 * {@code .cancel}, {@code assignment.approved}, {@code handbook.rendered} and {@code site.links}):
 * nothing lives only in one instance's memory, so a restart or a second instance sees the same runs.
 * Events of one run may arrive in any order across topics (a progress before its request); a run is
 * created by whichever event names it first.
 *
 * <p>Thread-safe: the replay thread writes, HTTP threads read snapshots. Listeners hear the id of each
 * run that changed (the live pages' server-sent events).
 */
public final class RunBoard {

    /** Progress points kept per run (a chart does not need more; the first and the latest are kept). */
    static final int MAX_POINTS = 2_000;
    /**
     * Runs per term whose problem and full result stay in memory (a 1,500-course run holds tens of MB);
     * older ones keep their summary. The term's approved run is always kept. Their full events stay in
     * the topics.
     */
    static final int KEPT_PER_TERM = 10;

    /** One point of a run's progress. */
    public record Point(long elapsedMs, RunProgress.Phase phase, String bestScore, boolean feasible, int assigned,
                        int unassigned) {
    }

    /** What the board knows about one run (a snapshot: lists are copies). */
    public record Run(String runId, String term, Instant requestedAt, AssignmentProblem problem, List<Point> points,
                      RunCompleted result, Instant completedAt, RunStatus status, RunCancel cancel,
                      AssignmentApproved approval, boolean archived, int filled, int empty) {

        /**
         * Where the run is: REQUESTED, QUEUED, STARTING, ..., then SOLVED, CANCELLED, FAILED or
         * INVALID_INPUT; APPROVAL_ONLY for an approval with no run on the board.
         */
        public String state() {
            if (approvalOnly()) {
                return "APPROVAL_ONLY";
            }
            if (result != null) {
                return result.status().name();
            }
            if (status != null) {
                return status.status().name();
            }
            if (points.isEmpty()) {
                return cancel != null ? "CANCELLING" : "REQUESTED";
            }
            return cancel != null ? "CANCELLING" : points.get(points.size() - 1).phase().name();
        }

        public boolean done() {
            return result != null || status != null || approvalOnly();
        }

        /**
         * An approval the board has no request, progress or result for: a record made elsewhere (the
         * sample's earlier term, an approval published by a tool) or one whose run left the topics'
         * retention. Nothing about it can be followed, cancelled or reviewed here.
         */
        public boolean approvalOnly() {
            return approval != null && problem == null && result == null && status == null && points.isEmpty()
                    && cancel == null;
        }

        /** A result with an assignment a coordinator can review. */
        public boolean reviewable() {
            return result != null && (result.status() == RunCompleted.Status.SOLVED
                    || result.status() == RunCompleted.Status.CANCELLED) && problem != null;
        }

        /** The scenario this run is a what-if run of (origin WHAT_IF), or null for a run of the term's own data. */
        public String scenarioId() {
            return problem != null && problem.origin() != null
                    && problem.origin().kind() == tapipeline.schemas.assignment.RunOrigin.Kind.WHAT_IF
                    ? problem.origin().scenarioId() : null;
        }

        public Optional<Point> latest() {
            return points.isEmpty() ? Optional.empty() : Optional.of(points.get(points.size() - 1));
        }
    }

    private static final class Mutable {
        final String runId;
        String term;
        Instant requestedAt;
        AssignmentProblem problem;
        final List<Point> points = new ArrayList<>();
        RunCompleted result;
        Instant completedAt;
        RunStatus status;
        RunCancel cancel;
        AssignmentApproved approval;
        /** The W3C trace its {@code assignment.run.requested} record carried: what the run's later commands continue. */
        TraceContext trace;
        boolean archived;
        int filled = -1;
        int empty = -1;

        Mutable(String runId) {
            this.runId = runId;
        }

        Run snapshot() {
            return new Run(runId, term, requestedAt, problem, List.copyOf(points), result, completedAt, status, cancel,
                    approval, archived, filled, empty);
        }

        void setResult(RunCompleted c) {
            result = c;
            filled = (int) c.assignments().stream().filter(a -> a.applicantId() != null).count();
            empty = c.unassigned().size();
            if (archived) {
                archive();
            }
        }

        /** Drops what is big (problem, assignments, explanations), keeps the summary. */
        void archive() {
            archived = true;
            problem = null;
            if (result != null && !result.assignments().isEmpty()) {
                result = new RunCompleted(result.runId(), result.status(), result.score(), result.scoreBreakdown(),
                        List.of(), List.of(), result.problems(), result.solveMs(), result.seed());
            }
        }
    }

    private final Map<String, Mutable> runs = new LinkedHashMap<>();
    private final List<HandbookRendered> rendered = new ArrayList<>();
    private final Map<String, SiteLink> links = new LinkedHashMap<>();
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

    /** Applies one event of any of the board's topics; others are ignored. Idempotent per event. */
    public void apply(Envelope<?> event) {
        apply(event, java.util.Optional.empty());
    }

    /**
     * Applies one event with the W3C trace its record carried (the record's {@code traceparent}); a run
     * request's trace is kept as the run's, so the approval continues the run's trace.
     */
    public void apply(Envelope<?> event, Optional<TraceContext> trace) {
        Object payload = event.payload();
        String changed = null;
        synchronized (this) {
            if (payload instanceof AssignmentProblem p) {
                Mutable run = run(p.runId());
                trace.ifPresent(t -> run.trace = t);
                if (!run.archived) {
                    run.problem = p;
                }
                run.term = p.term();
                run.requestedAt = event.occurredAt();
                trim(p.term());
                changed = p.runId();
            } else if (payload instanceof RunProgress p) {
                Mutable run = run(p.runId());
                Point point = new Point(p.elapsedMs(), p.phase(), p.bestScore(), p.feasible(), p.assigned(), p.unassigned());
                if (run.points.isEmpty() || !run.points.get(run.points.size() - 1).equals(point)) {
                    if (run.points.size() >= MAX_POINTS) {
                        run.points.remove(1);
                    }
                    run.points.add(point);
                }
                changed = p.runId();
            } else if (payload instanceof RunCompleted c) {
                Mutable run = run(c.runId());
                run.setResult(c);
                run.completedAt = event.occurredAt();
                changed = c.runId();
            } else if (payload instanceof RunStatus s) {
                run(s.runId()).status = s;
                changed = s.runId();
            } else if (payload instanceof RunCancel c) {
                run(c.runId()).cancel = c;
                changed = c.runId();
            } else if (payload instanceof AssignmentApproved a) {
                Mutable run = run(a.runId());
                if (run.approval == null || !a.approvedAt().isBefore(run.approval.approvedAt())) {
                    run.approval = a;
                }
                if (run.term == null) {
                    run.term = a.term();
                }
                changed = a.runId();
            } else if (payload instanceof HandbookRendered r) {
                rendered.add(r);
                changed = r.renderedFrom().approvalRunId();
            } else if (payload instanceof SiteLink l) {
                links.put(l.linkId(), l);
                changed = "";
            }
        }
        if (changed != null) {
            for (Consumer<String> listener : listeners) {
                listener.accept(changed);
            }
        }
    }

    /** The trace of the run's request, when its record carried one. */
    public synchronized Optional<TraceContext> trace(String runId) {
        Mutable run = runs.get(runId);
        return run == null ? Optional.empty() : Optional.ofNullable(run.trace);
    }

    private Mutable run(String runId) {
        return runs.computeIfAbsent(runId, Mutable::new);
    }

    /** Archives the term's runs beyond the {@link #KEPT_PER_TERM} latest requested, except its latest approved one. */
    private void trim(String term) {
        List<Mutable> ofTerm = new ArrayList<>();
        Mutable approved = null;
        for (Mutable m : runs.values()) {
            if (term.equals(m.term) && m.requestedAt != null) {
                ofTerm.add(m);
                if (m.approval != null && (approved == null || m.approval.approvedAt().isAfter(approved.approval.approvedAt()))) {
                    approved = m;
                }
            }
        }
        if (ofTerm.size() <= KEPT_PER_TERM) {
            return;
        }
        ofTerm.sort(Comparator.comparing((Mutable m) -> m.requestedAt).reversed());
        for (Mutable m : ofTerm.subList(KEPT_PER_TERM, ofTerm.size())) {
            if (m != approved && !m.archived) {
                m.archive();
            }
        }
    }

    public synchronized Optional<Run> get(String runId) {
        Mutable m = runs.get(runId);
        return m == null ? Optional.empty() : Optional.of(m.snapshot());
    }

    /** Every run, newest request first; {@code term} null for all terms. */
    public synchronized List<Run> list(String term) {
        List<Run> out = new ArrayList<>();
        for (Mutable m : runs.values()) {
            if (term == null || term.equals(m.term)) {
                out.add(m.snapshot());
            }
        }
        out.sort(Comparator.comparing((Run r) -> r.requestedAt() == null ? Instant.EPOCH : r.requestedAt()).reversed());
        return out;
    }

    /** The reviewable run of the same term requested last before this one (what "difference from the previous run" compares with). */
    public synchronized Optional<Run> previous(Run run) {
        if (run.term() == null || run.requestedAt() == null) {
            return Optional.empty();
        }
        Run best = null;
        for (Mutable m : runs.values()) {
            if (run.term().equals(m.term) && m.requestedAt != null && m.requestedAt.isBefore(run.requestedAt())
                    && !m.runId.equals(run.runId())) {
                Run r = m.snapshot();
                // a term's run compares with the term's runs, a scenario's what-if run with that scenario's runs
                if (r.reviewable() && java.util.Objects.equals(r.scenarioId(), run.scenarioId())
                        && (best == null || r.requestedAt().isAfter(best.requestedAt()))) {
                    best = r;
                }
            }
        }
        return Optional.ofNullable(best);
    }

    /** The handbook editions rendered from this run's approval, oldest first. */
    public synchronized List<HandbookRendered> renderedFrom(String runId) {
        return rendered.stream().filter(r -> runId.equals(r.renderedFrom().approvalRunId())).toList();
    }

    /**
     * The public links that moved to what this run's approval produced: a handbook link pointing at an
     * edition rendered from it, or a link to the term's page changed since the approval.
     */
    public synchronized List<SiteLink> linksFor(Run run) {
        if (run.approval() == null) {
            return List.of();
        }
        List<String> shas = renderedFrom(run.runId()).stream().map(HandbookRendered::sha256).toList();
        String term = run.approval().term();
        String encoded = URLEncoder.encode(term, StandardCharsets.UTF_8).replace("+", "%20");
        List<SiteLink> out = new ArrayList<>();
        for (SiteLink l : links.values()) {
            boolean edition = shas.stream().anyMatch(s -> l.target().contains(s));
            // the publisher's term page is /ta-assignments/<slug of the term> (a lower-case slug, not the term)
            boolean termPage = (l.target().equals(SiteLink.termPath(term)) || l.target().contains("/" + term)
                    || l.target().contains("/" + encoded))
                    && !l.changedAt().isBefore(run.approval().approvedAt().minusSeconds(1));
            if (edition || termPage) {
                out.add(l);
            }
        }
        return out;
    }

    /** Hears the id of every run that changed ("" when only a site link did). */
    public AutoCloseable listen(Consumer<String> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }
}
