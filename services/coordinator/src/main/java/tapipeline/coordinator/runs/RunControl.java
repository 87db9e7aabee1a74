package tapipeline.coordinator.runs;

import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Producer;
import tapipeline.platform.kafka.Events;
import tapipeline.platform.trace.TraceContext;
import tapipeline.platform.web.Refused;
import tapipeline.schemas.Envelope;
import tapipeline.schemas.EventTypes;
import tapipeline.schemas.assignment.Applicant;
import tapipeline.schemas.assignment.AssignmentApproved;
import tapipeline.schemas.assignment.AssignmentProblem;
import tapipeline.schemas.assignment.Course;
import tapipeline.schemas.assignment.Pin;
import tapipeline.schemas.assignment.RunCancel;
import tapipeline.schemas.assignment.RunCompleted;
import tapipeline.schemas.assignment.SlotAssignment;
import tapipeline.schemas.assignment.SolverSettings;
import tapipeline.schemas.coordinator.Dataset;
import tapipeline.solver.score.AssignmentScorer;

/**
 * What a coordinator does to runs: start one from a term's current dataset, cancel it, pin, unpin and
 * override slots (pins live in the dataset, so they survive restarts and reach the next run), check an
 * override with the solver's own constraint model, re-solve keeping pins with minimal change, and
 * approve. Every change is recorded in {@code audit} with who and why.
 */
public final class RunControl {

    /** Longest run a coordinator may ask for (the solver caps it again with SOLVER_MAX_SECONDS). */
    public static final int MAX_SECONDS = 3_600;
    /** Longest reason kept (audit detail). */
    public static final int MAX_REASON = 500;

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").withZone(ZoneOffset.UTC);

    private final RunBoard board;
    private final DatasetSource datasets;
    private final AuditTrail audit;
    private final Producer<String, byte[]> producer;
    private final Clock clock;
    private final String department;
    private final SlotExplanations explanations;
    private final Map<String, AssignmentScorer.Scored> scoredCache = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, AssignmentScorer.Scored> eldest) {
            return size() > 4;
        }
    };

    private final Map<String, Review> reviews = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Review> eldest) {
            return size() > 8;
        }
    };

    public RunControl(RunBoard board, DatasetSource datasets, AuditTrail audit, Producer<String, byte[]> producer,
                      Clock clock, String department, SlotExplanations explanations) {
        this.explanations = explanations;
        this.board = board;
        this.datasets = datasets;
        this.audit = audit;
        this.producer = producer;
        this.clock = clock;
        this.department = department;
    }

    /** How long and with which seed to solve. {@code unimprovedSeconds} 0: run the whole time. */
    public record Settings(int timeLimitSeconds, int unimprovedSeconds, long seed) {
        public Settings {
            if (timeLimitSeconds < 1 || timeLimitSeconds > MAX_SECONDS) {
                throw new Refused(400, "timeLimitSeconds must be 1 to " + MAX_SECONDS + ", was " + timeLimitSeconds);
            }
            if (unimprovedSeconds < 0 || unimprovedSeconds > MAX_SECONDS) {
                throw new Refused(400, "unimprovedSeconds must be 0 to " + MAX_SECONDS + ", was " + unimprovedSeconds);
            }
        }
    }

    /** Starts a run of the term's current dataset; returns its run id. */
    public String start(String term, Settings settings, String actor, String reason) {
        Dataset dataset = dataset(term);
        String runId = newRunId(term);
        AssignmentProblem problem = problem(runId, dataset, dataset.pins(), List.of(), settings);
        request(problem, actor, "run", reason, "dataset v" + dataset.version() + ", " + settings.timeLimitSeconds()
                + " s, seed " + settings.seed());
        return runId;
    }

    /**
     * Solves the term's current dataset again, keeping every pin and starting from the assignment under
     * review of {@code runId} (its previous assignment: the solver pays for each slot it changes).
     */
    public String resolve(String runId, Settings settings, String actor, String reason) {
        RunBoard.Run run = reviewable(runId);
        Dataset dataset = dataset(run.term());
        Review review = new Review(run.problem(), run.result(), dataset);
        String newRunId = newRunId(run.term());
        AssignmentProblem problem = problem(newRunId, dataset, dataset.pins(), review.assignment(), settings);
        request(problem, actor, "resolve", reason, "re-solve of " + runId + " keeping " + problem.pins().size()
                + " pins, from " + problem.previousAssignment().size() + " filled slots");
        return newRunId;
    }

    public void cancel(String runId, String actor, String reason) {
        RunBoard.Run run = board.get(runId).orElseThrow(() -> new Refused(404, "no run " + runId));
        if (run.done()) {
            throw new Refused(409, "run " + runId + " has already finished (" + run.state() + ")");
        }
        String why = reason == null || reason.isBlank() ? "cancelled by " + actor : clip(reason);
        send(EventTypes.RUN_CANCEL, runId, new RunCancel(runId, why, actor));
        reason = reason == null ? null : clip(reason);
        audit.record(runId, actor, "cancel", reason, "cancel requested");
    }

    /** The assignment under review of a completed run, with the term's current pins. */
    public Review review(String runId) {
        RunBoard.Run run = reviewable(runId);
        Dataset dataset = datasets.current(run.term()).orElse(null);
        // a completed run's problem and result never change, so the review changes only with the dataset's pins
        String key = runId + "|" + (dataset == null ? -1 : dataset.version());
        synchronized (reviews) {
            Review cached = reviews.get(key);
            if (cached != null) {
                return cached;
            }
        }
        Review review = new Review(run.problem(), run.result(), dataset);
        synchronized (reviews) {
            reviews.put(key, review);
        }
        return review;
    }

    /** A reviewable run's result as it was solved (no pins on top): what "difference from the previous run" compares with. */
    public Review asSolved(RunBoard.Run run) {
        String key = run.runId() + "|solved";
        synchronized (reviews) {
            Review cached = reviews.get(key);
            if (cached != null) {
                return cached;
            }
        }
        Review review = new Review(run.problem(), run.result(), null);
        synchronized (reviews) {
            reviews.put(key, review);
        }
        return review;
    }

    /** Fixes the slot's current TA. */
    public void pin(String runId, String courseId, int slotIndex, String actor, String reason) {
        Review review = review(runId);
        Review.Slot slot = slotOf(review, courseId, slotIndex);
        if (slot.applicantId() == null) {
            throw new Refused(409, courseId + " slot " + slotIndex + " is empty: override it with a TA instead");
        }
        setPin(review, runId, courseId, slotIndex, slot.applicantId(), actor, "pin", reason,
                "pinned " + review.name(slot.applicantId()) + " (" + slot.applicantId() + ") to " + courseId + " slot "
                        + slotIndex);
    }

    public void unpin(String runId, String courseId, int slotIndex, String actor, String reason) {
        Review review = review(runId);
        Review.Slot slot = slotOf(review, courseId, slotIndex);
        if (!slot.pinned()) {
            throw new Refused(409, courseId + " slot " + slotIndex + " is not pinned");
        }
        setPin(review, runId, courseId, slotIndex, null, actor, "unpin", reason,
                "unpinned " + courseId + " slot " + slotIndex);
    }

    /** Gives a slot to another TA (a pin to that TA); returns the check of the change as it was made. */
    public OverrideCheck override(String runId, String courseId, int slotIndex, String applicantId, String actor,
                                  String reason) {
        if (reason == null || reason.isBlank()) {
            throw new Refused(400, "an override needs a reason");
        }
        OverrideCheck check = check(runId, courseId, slotIndex, applicantId);
        Review review = review(runId);
        setPin(review, runId, courseId, slotIndex, applicantId, actor, "override", reason,
                courseId + " slot " + slotIndex + ": " + check.fromName() + " -> " + check.toName() + "; score "
                        + check.scoreBefore() + " -> " + check.scoreAfter()
                        + (check.newlyBroken().isEmpty() ? "" : "; breaks: " + String.join("; ", check.newlyBroken())));
        return check;
    }

    /**
     * What giving the slot to {@code applicantId} would do, by the solver's constraint model: the hard
     * rules it breaks and how the score moves, constraint by constraint. Changes nothing.
     */
    public OverrideCheck check(String runId, String courseId, int slotIndex, String applicantId) {
        Review review = review(runId);
        Review.Slot slot = slotOf(review, courseId, slotIndex);
        if (applicantId == null || review.applicant(applicantId) == null) {
            throw new Refused(400, "no applicant " + applicantId + " in run " + runId);
        }
        AssignmentProblem problem = review.problem().withPins(withPin(review.pins(), courseId, slotIndex, applicantId));
        AssignmentProblem beforeProblem = review.problem().withPins(review.pins());
        AssignmentScorer.Scored before = scored(runId + "|" + review.pins(), beforeProblem, review.assignment());
        AssignmentScorer.Scored after = AssignmentScorer.score(problem,
                review.assignmentWith(courseId, slotIndex, applicantId));
        return OverrideCheck.of(review, slot, applicantId, before, after);
    }

    /** Approves the assignment under review: {@code assignment.approved} with public fields only. */
    public AssignmentApproved approve(String runId, String actor, String reason) {
        Review review = review(runId);
        List<AssignmentApproved.ApprovedCourse> courses = new ArrayList<>();
        for (Review.CourseRow row : review.byCourse()) {
            Course c = row.course();
            List<AssignmentApproved.ApprovedTa> tas = new ArrayList<>();
            for (Review.Slot s : row.slots()) {
                if (s.applicantId() != null) {
                    Applicant a = review.applicant(s.applicantId());
                    tas.add(new AssignmentApproved.ApprovedTa(a.id(), a.name(), c.hoursPerSlot()));
                }
            }
            courses.add(new AssignmentApproved.ApprovedCourse(c.id(), c.code(), c.title(), c.section(), c.instructor(),
                    tas));
        }
        AssignmentApproved approved = new AssignmentApproved(review.problem().term(), runId, actor, clock.instant(),
                courses);
        // the approval continues the run's trace (its request's), so a run is one trace from request to published link
        try (TraceContext.Scope ignored = board.trace(runId).map(TraceContext::enter).orElse(null)) {
            send(EventTypes.ASSIGNMENT_APPROVED, review.problem().term(), approved);
            audit.record(runId, actor, "approve", reason, "approved " + review.assignment().size() + " filled slots of "
                    + courses.size() + " courses for " + review.problem().term());
        }
        return approved;
    }

    private void setPin(Review review, String runId, String courseId, int slotIndex, String applicantId, String actor,
                        String action, String reason, String facts) {
        Dataset dataset = dataset(review.problem().term());
        List<Pin> pins = new ArrayList<>();
        for (Pin p : dataset.pins()) {
            if (!(p.courseId().equals(courseId) && p.slotIndex() == slotIndex)) {
                pins.add(p);
            }
        }
        if (applicantId != null) {
            pins.add(new Pin(courseId, slotIndex, applicantId));
        }
        Dataset next = new Dataset(dataset.term(), dataset.version() + 1, dataset.courses(), dataset.applicants(),
                dataset.preferences(), dataset.instructorPreferences(), pins, dataset.contacts(),
                dataset.courseDetails());
        try {
            datasets.publish(next, dataset.version(), runId, actor, action, reason, facts);
        } catch (IllegalStateException e) {
            throw new Refused(409, e.getMessage());
        }
    }

    private static List<Pin> withPin(List<Pin> pins, String courseId, int slotIndex, String applicantId) {
        List<Pin> out = new ArrayList<>();
        for (Pin p : pins) {
            if (!(p.courseId().equals(courseId) && p.slotIndex() == slotIndex)) {
                out.add(p);
            }
        }
        out.add(new Pin(courseId, slotIndex, applicantId));
        return out;
    }

    private AssignmentScorer.Scored scored(String key, AssignmentProblem problem, List<SlotAssignment> assignment) {
        synchronized (scoredCache) {
            AssignmentScorer.Scored s = scoredCache.get(key);
            if (s != null) {
                return s;
            }
        }
        AssignmentScorer.Scored s = AssignmentScorer.score(problem, assignment);
        synchronized (scoredCache) {
            scoredCache.put(key, s);
        }
        return s;
    }

    private static Review.Slot slotOf(Review review, String courseId, int slotIndex) {
        Review.Slot slot = review.slot(courseId, slotIndex);
        if (slot == null) {
            throw new Refused(404, "no slot " + slotIndex + " of course " + courseId + " in this run");
        }
        return slot;
    }

    private RunBoard.Run reviewable(String runId) {
        RunBoard.Run run = board.get(runId).orElseThrow(() -> new Refused(404, "no run " + runId));
        if (run.archived()) {
            throw new Refused(409, "run " + runId + " is archived: only the latest " + RunBoard.KEPT_PER_TERM
                    + " runs of a term (and its approved one) are kept for review; its result stays in assignment.run.completed");
        }
        if (!run.reviewable()) {
            throw new Refused(409, "run " + runId + " has no assignment to review (" + run.state() + ")");
        }
        return run;
    }

    private Dataset dataset(String term) {
        if (term == null || term.isBlank()) {
            throw new Refused(400, "name a term");
        }
        return datasets.current(term).orElseThrow(() -> new Refused(404, "no dataset for term " + term
                + ": import one first"));
    }

    /**
     * The problem of a dataset. Pins and the previous assignment are limited to courses, slots and
     * applicants the dataset still has (an import may have removed some), so they cannot make the run
     * invalid.
     */
    AssignmentProblem problem(String runId, Dataset d, List<Pin> pins, List<SlotAssignment> previous, Settings s) {
        if (d.courses().isEmpty() || d.applicants().isEmpty()) {
            throw new Refused(409, "dataset " + d.term() + " v" + d.version() + " has " + d.courses().size()
                    + " courses and " + d.applicants().size() + " applicants: nothing to solve");
        }
        Map<String, Integer> slots = new HashMap<>();
        d.courses().forEach(c -> slots.putIfAbsent(c.id(), c.slots()));
        Set<String> applicants = new HashSet<>();
        d.applicants().forEach(a -> applicants.add(a.id()));
        List<Pin> keptPins = pins.stream().filter(p -> slots.getOrDefault(p.courseId(), 0) > p.slotIndex()
                && applicants.contains(p.applicantId())).toList();
        List<SlotAssignment> keptPrevious = previous.stream().filter(p -> slots.getOrDefault(p.courseId(), 0) > p.slotIndex()
                && applicants.contains(p.applicantId())).toList();
        return new AssignmentProblem(runId, d.term(), department, d.courses(), d.applicants(), d.preferences(),
                d.instructorPreferences(), keptPins, keptPrevious,
                new SolverSettings(s.timeLimitSeconds(), s.unimprovedSeconds(), s.seed(), null, Map.of()));
    }

    private void request(AssignmentProblem problem, String actor, String action, String reason, String facts) {
        send(EventTypes.RUN_REQUESTED, problem.runId(), problem);
        audit.record(problem.runId(), actor, action, reason, facts);
    }

    /**
     * Writes an event and, once it is acknowledged, shows it on this instance's board at once (the
     * replay applies the same event again later, which changes nothing), so a client that reads right
     * after a command sees its effect.
     */
    private <T> void send(tapipeline.schemas.EventType<T> type, String key, T payload) {
        try {
            Envelope<T> event = Envelope.of(type, key, payload);
            var record = Events.record(type, event);
            // stamped here (the producer's interceptor keeps it) so this instance's board holds the same trace
            TraceContext trace = TraceContext.stamp(record.headers());
            Events.send(producer, record).get(30, TimeUnit.SECONDS);
            board.apply(event, java.util.Optional.of(trace));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing " + type.name(), e);
        } catch (Exception e) {
            throw new IllegalStateException("could not write " + type.name() + ": " + e.getMessage(), e);
        }
    }

    String newRunId(String term) {
        String safe = term.replaceAll("[^A-Za-z0-9_.-]", "_");
        if (safe.length() > 80) {
            safe = safe.substring(0, 80);
        }
        return safe + "-" + STAMP.format(clock.instant()) + "-"
                + Integer.toHexString(0x10000 + ThreadLocalRandom.current().nextInt(0x10000)).substring(1);
    }

    static String clip(String text) {
        String t = text.strip();
        return t.length() <= MAX_REASON ? t : t.substring(0, MAX_REASON);
    }

    /** The run's current pins (for the pages). */
    public List<Pin> pins(String runId) {
        return review(runId).pins();
    }

    /** Whether the term has a dataset to run. */
    public boolean hasDataset(String term) {
        return datasets.current(term).isPresent();
    }

    /** Why a slot of a run's result got its TA or stayed empty (inline, or read on demand). */
    public SlotExplanations.Why why(RunCompleted result, String courseId, int slotIndex) {
        return explanations.of(result, courseId, slotIndex);
    }
}
