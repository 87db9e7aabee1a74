package tapipeline.solver.search;

import static tapipeline.solver.domain.TaConstraintConfiguration.CONTINUITY;
import static tapipeline.solver.domain.TaConstraintConfiguration.FAIR_LOAD;
import static tapipeline.solver.domain.TaConstraintConfiguration.FAIR_LOAD_IDLE;
import static tapipeline.solver.domain.TaConstraintConfiguration.HOURS_OWED;
import static tapipeline.solver.domain.TaConstraintConfiguration.HOURS_OWED_IDLE;
import static tapipeline.solver.domain.TaConstraintConfiguration.INSTRUCTOR_REQUEST;
import static tapipeline.solver.domain.TaConstraintConfiguration.PREVIOUS_ASSIGNMENT;
import static tapipeline.solver.domain.TaConstraintConfiguration.TA_PREFERENCE;

import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;
import org.optaplanner.core.api.score.buildin.hardmediumsoftlong.HardMediumSoftLongScore;
import tapipeline.solver.domain.InstructorRequest;
import tapipeline.solver.domain.PairFacts;
import tapipeline.solver.domain.TaApplicant;
import tapipeline.solver.domain.TaAssignmentSolution;
import tapipeline.solver.domain.TaConstraintConfiguration;
import tapipeline.solver.domain.TaCourse;
import tapipeline.solver.domain.TaSlot;

/**
 * A quick estimate of what a move does to the score, for the custom moves to rank the moves they
 * could propose. It covers the terms that depend on who holds a slot (preference, continuity,
 * instructor requests, distance from the previous assignment) and on a TA's hours (fair load, hours
 * owed), with the weights in force, levels kept apart in one number; it leaves out the experience
 * mix and the rules the moves never break. It only ranks proposals: the real score (the constraint
 * streams) and the acceptor decide every step.
 */
final class AssignmentEstimate {

    private final long wPreference;
    private final long wContinuity;
    private final long wRequest;
    private final long wPrevious;
    private final long wFair;
    private final long wFairIdle;
    private final long wOwed;
    private final long wOwedIdle;
    /** By course index: requested applicant to the weight of the request; null for a course without requests. */
    private final Map<TaApplicant, Integer>[] requestWeight;
    /** Marks a pair not computed yet in {@link #courseCosts}. */
    private static final long UNKNOWN = Long.MIN_VALUE;
    /** By course index, then applicant index: {@link #courseCost}, or {@link #UNKNOWN}; a row is made on first use; null on large problems. */
    private final long[][] courseCosts;
    private final int applicantCount;

    @SuppressWarnings("unchecked")
    AssignmentEstimate(TaAssignmentSolution solution) {
        TaConstraintConfiguration weights = solution.getConstraintConfiguration();
        wPreference = level(weights.get(TA_PREFERENCE));
        wContinuity = level(weights.get(CONTINUITY));
        wRequest = level(weights.get(INSTRUCTOR_REQUEST));
        wPrevious = level(weights.get(PREVIOUS_ASSIGNMENT));
        wFair = level(weights.get(FAIR_LOAD));
        wFairIdle = level(weights.get(FAIR_LOAD_IDLE));
        wOwed = level(weights.get(HOURS_OWED));
        wOwedIdle = level(weights.get(HOURS_OWED_IDLE));
        requestWeight = new Map[solution.getCourses().size()];
        applicantCount = solution.getApplicants().size();
        courseCosts = (long) applicantCount * solution.getCourses().size() <= PairFacts.KEEP_UP_TO_PAIRS
                ? new long[solution.getCourses().size()][] : null;
        for (InstructorRequest r : solution.getRequests()) {
            int course = r.course().index();
            if (requestWeight[course] == null) {
                requestWeight[course] = new IdentityHashMap<>();
            }
            requestWeight[course].merge(r.applicant(), r.weight(), Integer::sum);
        }
    }

    /** One number per weight that keeps the levels apart. */
    private static long level(HardMediumSoftLongScore w) {
        return w.hardScore() * 1_000_000_000_000L + w.mediumScore() * 1_000_000L + w.softScore();
    }

    /** What it costs that {@code ta} holds {@code slot} (lower is better). */
    long pairCost(TaApplicant ta, TaSlot slot) {
        long cost = courseCost(ta, slot);
        if (slot.getPreviousTa() != null && slot.getPreviousTa() != ta) {
            cost += wPrevious;
        }
        return cost;
    }

    /**
     * The part of {@link #pairCost} that depends on the course only (preference by the course's
     * hours per slot, continuity, instructor requests). Up to {@link PairFacts#KEEP_UP_TO_PAIRS}
     * applicant-course pairs it is computed once per pair and kept in a table per course that is made
     * on first use (the moves look the same pairs up again and again); above, such tables would not
     * fit the heap, and it is worked out from the course's {@link PairFacts} each time.
     */
    private long courseCost(TaApplicant ta, TaSlot slot) {
        TaCourse course = slot.getCourse();
        if (courseCosts == null) {
            return computeCourseCost(ta, slot);
        }
        long[] row = courseCosts[course.index()];
        if (row == null) {
            row = new long[applicantCount];
            Arrays.fill(row, UNKNOWN);
            courseCosts[course.index()] = row;
        }
        long cost = row[ta.index()];
        if (cost == UNKNOWN) {
            cost = computeCourseCost(ta, slot);
            row[ta.index()] = cost;
        }
        return cost;
    }

    private long computeCourseCost(TaApplicant ta, TaSlot slot) {
        TaCourse course = slot.getCourse();
        PairFacts facts = slot.facts();
        long cost = wPreference * (5 - facts.rating(ta)) * course.hoursPerSlot();
        if (facts.taught(ta)) {
            cost -= wContinuity;
        }
        Map<TaApplicant, Integer> requests = requestWeight[course.index()];
        Integer requested = requests == null ? null : requests.get(ta);
        if (requested != null) {
            cost -= wRequest * requested;
        }
        return cost;
    }

    /** What a TA's hours cost: squared distance from the target, and hours owed not given. */
    long loadCost(TaApplicant ta, int hours) {
        if (hours == 0) {
            return wFairIdle * ta.targetHours() * ta.targetHours() + wOwedIdle * ta.minHours();
        }
        long off = hours - ta.targetHours();
        return wFair * off * off + wOwed * Math.max(0, ta.minHours() - hours);
    }
}
