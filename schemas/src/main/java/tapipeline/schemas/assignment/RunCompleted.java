package tapipeline.schemas.assignment;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.regex.Pattern;
import tapipeline.schemas.support.Checks;

/**
 * The outcome of a run (payload of {@code assignment.run.completed}).
 *
 * <p>{@code SOLVED} and {@code CANCELLED} carry an assignment (cancelled = best found before the stop);
 * {@code FAILED} and {@code INVALID_INPUT} carry {@link #problems()} instead and usually empty lists.
 *
 * @param score          final score, e.g. {@code 0hard/-40medium/-1200soft}; {@code null} when nothing was solved
 * @param scoreBreakdown score per constraint
 * @param assignments    one entry per slot of every course
 * @param unassigned     the empty slots, each with what blocked every candidate
 * @param problems       why the input cannot be solved, or why the run failed
 * @param solveMs        wall-clock solving time
 * @param seed           the random seed used (repeat the run with it)
 * @param explanations   since v2: where the explanations of this run's slots are, when they travel on
 *                       {@code assignment.run.explanations} instead of inline (null: inline, or none)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunCompleted(
        String runId,
        Status status,
        String score,
        List<ConstraintScore> scoreBreakdown,
        List<Assignment> assignments,
        List<UnassignedSlot> unassigned,
        List<Problem> problems,
        long solveMs,
        long seed,
        ExplanationsRef explanations) {

    public enum Status {
        SOLVED, CANCELLED, FAILED, INVALID_INPUT
    }

    public RunCompleted {
        Checks.id(runId, "RunCompleted.runId");
        Checks.nonNull(status, "RunCompleted.status");
        Checks.optionalText(score, "RunCompleted.score");
        scoreBreakdown = Checks.list(scoreBreakdown, "RunCompleted.scoreBreakdown");
        assignments = Checks.list(assignments, "RunCompleted.assignments");
        unassigned = Checks.list(unassigned, "RunCompleted.unassigned");
        problems = Checks.list(problems, "RunCompleted.problems");
        Checks.atLeast(solveMs, 0, "RunCompleted.solveMs");
        if ((status == Status.FAILED || status == Status.INVALID_INPUT) && problems.isEmpty()) {
            throw new IllegalArgumentException("RunCompleted.problems must name at least one problem when status is " + status);
        }
    }

    /** A result whose explanations, if any, are inline (the v1 shape). */
    public RunCompleted(String runId, Status status, String score, List<ConstraintScore> scoreBreakdown,
                        List<Assignment> assignments, List<UnassignedSlot> unassigned, List<Problem> problems,
                        long solveMs, long seed) {
        this(runId, status, score, scoreBreakdown, assignments, unassigned, problems, solveMs, seed, null);
    }

    /** Whether any slot carries its explanation inline (an explanation, or an empty slot's blockers). */
    public boolean hasInlineExplanations() {
        return assignments.stream().anyMatch(a -> a.explanation() != null)
                || unassigned.stream().anyMatch(u -> !u.blockers().isEmpty());
    }

    /**
     * The same result without inline explanations (assignments keep slot and TA, empty slots their
     * summary), pointing at where they were written instead: what the solver service sends when the
     * explanations travel on {@code assignment.run.explanations}.
     */
    public RunCompleted withExplanationsAt(ExplanationsRef where) {
        Checks.nonNull(where, "RunCompleted.explanations");
        return new RunCompleted(runId, status, score, scoreBreakdown,
                assignments.stream().map(a -> new Assignment(a.courseId(), a.slotIndex(), a.applicantId(), a.pinned(), null))
                        .toList(),
                unassigned.stream().map(u -> new UnassignedSlot(u.courseId(), u.slotIndex(), u.summary(), List.of()))
                        .toList(),
                problems, solveMs, seed, where);
    }

    /**
     * The same result with the explanations of these courses put back inline (the v1 shape, as the
     * solver wrote it before splitting), and no reference any more. Slots of courses not given stay
     * without explanation.
     */
    public RunCompleted withExplanationsInline(java.util.Collection<RunExplanations> courses) {
        java.util.Map<String, Assignment> explained = new java.util.HashMap<>();
        java.util.Map<String, UnassignedSlot> blocked = new java.util.HashMap<>();
        for (RunExplanations c : courses) {
            c.assignments().forEach(a -> explained.put(a.courseId() + "#" + a.slotIndex(), a));
            c.unassigned().forEach(u -> blocked.put(u.courseId() + "#" + u.slotIndex(), u));
        }
        return new RunCompleted(runId, status, score, scoreBreakdown,
                assignments.stream().map(a -> {
                    Assignment full = explained.get(a.courseId() + "#" + a.slotIndex());
                    return a.explanation() != null || full == null ? a
                            : new Assignment(a.courseId(), a.slotIndex(), a.applicantId(), a.pinned(), full.explanation());
                }).toList(),
                unassigned.stream().map(u -> {
                    UnassignedSlot full = blocked.get(u.courseId() + "#" + u.slotIndex());
                    return !u.blockers().isEmpty() || full == null ? u : full;
                }).toList(),
                problems, solveMs, seed, null);
    }

    /**
     * Where a run's explanations were written on {@code assignment.run.explanations} (since v2): one
     * record per course with any slot, keyed {@code "<runId> <courseId>"}, all in {@code partition}
     * (the one the run id hashes to) between {@code firstOffset} and {@code lastOffset} inclusive.
     * Other runs' records may lie between them; a reader skips them by key.
     *
     * @param courses how many records (courses) the run wrote
     * @param slots   how many slots they explain
     */
    public record ExplanationsRef(int partition, long firstOffset, long lastOffset, int courses, int slots) {
        public ExplanationsRef {
            Checks.atLeast(partition, 0, "ExplanationsRef.partition");
            Checks.atLeast(firstOffset, 0, "ExplanationsRef.firstOffset");
            Checks.atLeast(lastOffset, firstOffset, "ExplanationsRef.lastOffset");
            Checks.atLeast(courses, 1, "ExplanationsRef.courses");
            Checks.atLeast(slots, 0, "ExplanationsRef.slots");
        }
    }

    /** A result without an assignment: invalid input or a failure, with its problems. */
    public static RunCompleted rejected(String runId, Status status, List<Problem> problems, long solveMs, long seed) {
        return new RunCompleted(runId, status, null, List.of(), List.of(), List.of(), problems, solveMs, seed);
    }

    /**
     * The score of one constraint.
     *
     * @param constraint constraint name as the solver calls it, e.g. {@code No overlapping meetings}
     * @param score      its score contribution, e.g. {@code 0hard/0medium/-120soft}
     * @param matches    how many times it matched
     */
    public record ConstraintScore(String constraint, String score, int matches) {
        public ConstraintScore {
            Checks.text(constraint, "ConstraintScore.constraint");
            Checks.text(score, "ConstraintScore.score");
            Checks.atLeast(matches, 0, "ConstraintScore.matches");
        }
    }

    /**
     * One slot of a course and who fills it.
     *
     * @param applicantId the TA, or {@code null} when the slot stayed empty
     * @param pinned      the coordinator fixed this TA to this slot
     * @param explanation why; null (since v2) when it travels on {@code assignment.run.explanations}
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Assignment(String courseId, int slotIndex, String applicantId, boolean pinned, Explanation explanation) {
        public Assignment {
            Checks.id(courseId, "Assignment.courseId");
            Checks.range(slotIndex, 0, 999, "Assignment.slotIndex");
            Checks.optionalId(applicantId, "Assignment.applicantId");
        }
    }

    /**
     * Why a slot got its TA, in words a coordinator can read.
     *
     * @param summary   one sentence
     * @param reasons   the preferences and constraints that decided it
     * @param runnerUps the next best candidates and why they lost
     */
    public record Explanation(String summary, List<String> reasons, List<Candidate> runnerUps) {
        public Explanation {
            Checks.text(summary, "Explanation.summary");
            reasons = Checks.texts(reasons, "Explanation.reasons");
            runnerUps = Checks.list(runnerUps, "Explanation.runnerUps");
        }
    }

    /** An applicant considered for a slot and the reason they did not (or could not) get it. */
    public record Candidate(String applicantId, String name, String reason) {
        public Candidate {
            Checks.id(applicantId, "Candidate.applicantId");
            Checks.text(name, "Candidate.name");
            Checks.text(reason, "Candidate.reason");
        }
    }

    /** An empty slot, with a summary and what blocked each candidate. */
    public record UnassignedSlot(String courseId, int slotIndex, String summary, List<Candidate> blockers) {
        public UnassignedSlot {
            Checks.id(courseId, "UnassignedSlot.courseId");
            Checks.range(slotIndex, 0, 999, "UnassignedSlot.slotIndex");
            Checks.text(summary, "UnassignedSlot.summary");
            blockers = Checks.list(blockers, "UnassignedSlot.blockers");
        }
    }

    /**
     * A reason the input cannot be solved (or the run failed), with the ids it concerns.
     *
     * @param code upper-case code; see the constants of this record for the usual ones
     */
    public record Problem(String code, String message, List<String> ids) {

        public static final Pattern CODE = Pattern.compile("[A-Z][A-Z0-9_]{0,63}");
        /** A preference, pin or previous assignment names a course or applicant that does not exist. */
        public static final String UNKNOWN_ID = "UNKNOWN_ID";
        /** Two courses or two applicants share an id. */
        public static final String DUPLICATE_ID = "DUPLICATE_ID";
        /** A course needs a skill that no applicant has. */
        public static final String SKILL_NOBODY_HAS = "SKILL_NOBODY_HAS";
        /** The courses need more hours than all applicants can give together. */
        public static final String HOURS_OVER_CAPACITY = "HOURS_OVER_CAPACITY";
        /** A pin or previous assignment names a slot index beyond the course's slots. */
        public static final String SLOT_OUT_OF_RANGE = "SLOT_OUT_OF_RANGE";
        /** Two pins contradict each other or a hard rule. */
        public static final String PIN_CONFLICT = "PIN_CONFLICT";
        /** The solver failed unexpectedly. */
        public static final String SOLVER_ERROR = "SOLVER_ERROR";

        public Problem {
            Checks.matches(code, CODE, "Problem.code");
            Checks.text(message, "Problem.message");
            ids = Checks.ids(ids, "Problem.ids");
        }
    }
}
