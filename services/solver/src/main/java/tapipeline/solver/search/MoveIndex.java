package tapipeline.solver.search;

import java.util.BitSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.optaplanner.core.impl.domain.variable.supply.Supply;
import org.optaplanner.core.impl.domain.variable.supply.SupplyManager;
import tapipeline.solver.domain.CandidateList;
import tapipeline.solver.domain.TaApplicant;
import tapipeline.solver.domain.TaAssignmentSolution;
import tapipeline.solver.domain.TaCourse;
import tapipeline.solver.domain.TaSlot;

/**
 * The tables the custom move factories look things up in, built once per problem and shared by all
 * of them through OptaPlanner's supply manager (the mechanism it shares its own inverse variable
 * supplies by): candidate bit sets (for lists that are not {@link CandidateList}s) and the score
 * estimate with its pair-cost table. None of it changes while solving. Which courses clash is the
 * slots' own {@link tapipeline.solver.domain.PairFacts} answer (kept per meeting pattern). Needs each applicant's and course's
 * index to be its position in the solution's lists, as {@link tapipeline.solver.io.ProblemMapper}
 * builds them.
 */
final class MoveIndex implements Supply {

    final List<TaSlot> slots;
    /**
     * Candidate lists are shared by the slots of a course: one bit set (by applicant index) per list
     * that is not a {@link CandidateList} (which answers by itself), e.g. a pinned slot's.
     */
    private final Map<List<TaApplicant>, BitSet> candidateBits = new IdentityHashMap<>();
    final AssignmentEstimate estimate;

    private MoveIndex(TaAssignmentSolution solution) {
        slots = solution.getSlots();
        List<TaApplicant> applicants = solution.getApplicants();
        List<TaCourse> courses = solution.getCourses();
        for (int i = 0; i < applicants.size(); i++) {
            requirePosition(applicants.get(i).index(), i, "applicant " + applicants.get(i).id());
        }
        for (int i = 0; i < courses.size(); i++) {
            requirePosition(courses.get(i).index(), i, "course " + courses.get(i).id());
        }
        estimate = new AssignmentEstimate(solution);
        for (TaSlot slot : slots) {
            if (!(slot.getCandidates() instanceof CandidateList)) {
                candidateBits.computeIfAbsent(slot.getCandidates(), list -> {
                    BitSet bits = new BitSet(applicants.size());
                    for (TaApplicant a : list) {
                        bits.set(a.index());
                    }
                    return bits;
                });
            }
        }
    }

    /** Whether {@code ta} is one of the slot's candidates. */
    boolean isCandidate(TaSlot slot, TaApplicant ta) {
        return slot.getCandidates() instanceof CandidateList list ? list.containsIndex(ta.index())
                : candidateBits.get(slot.getCandidates()).get(ta.index());
    }

    private static void requirePosition(int index, int position, String what) {
        if (index != position) {
            throw new IllegalStateException(what + " has index " + index + " but is at position " + position
                    + " of the solution's list; the moves need index = position (ProblemMapper builds it so)");
        }
    }

    /** Asks for the index of one working solution; equal demands share one index. */
    static final class Of extends KeyedDemand<MoveIndex, TaAssignmentSolution> {

        Of(TaAssignmentSolution solution) {
            super(solution);
        }

        @Override
        public MoveIndex createExternalizedSupply(SupplyManager supplyManager) {
            return new MoveIndex(key);
        }
    }
}
