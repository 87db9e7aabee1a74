package tapipeline.solver.search;

import java.util.BitSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.optaplanner.core.impl.domain.variable.supply.Supply;
import org.optaplanner.core.impl.domain.variable.supply.SupplyManager;
import tapipeline.solver.domain.TaApplicant;
import tapipeline.solver.domain.TaAssignmentSolution;
import tapipeline.solver.domain.TaCourse;
import tapipeline.solver.domain.TaSlot;

/**
 * The tables the custom move factories look things up in, built once per problem and shared by all
 * of them through OptaPlanner's supply manager (the mechanism it shares its own inverse variable
 * supplies by): candidate bit sets, the courses each course clashes with, and the score estimate
 * with its pair-cost table. None of it changes while solving. Needs each applicant's and course's
 * index to be its position in the solution's lists, as {@link tapipeline.solver.io.ProblemMapper}
 * builds them.
 */
final class MoveIndex implements Supply {

    final List<TaSlot> slots;
    /** Candidate lists are shared by the slots of a course: one bit set (by applicant index) per list. */
    final Map<List<TaApplicant>, BitSet> candidateBits = new IdentityHashMap<>();
    /** By course index: the courses (by index) a TA of this course cannot also hold (itself, and those meeting at the same time). */
    final BitSet[] clashes;
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
        clashes = new BitSet[courses.size()];
        for (int i = 0; i < courses.size(); i++) {
            clashes[i] = new BitSet(courses.size());
            clashes[i].set(i);
            for (int j = 0; j < i; j++) {
                if (courses.get(i).meetsAtSameTimeAs(courses.get(j))) {
                    clashes[i].set(j);
                    clashes[j].set(i);
                }
            }
        }
        for (TaSlot slot : slots) {
            candidateBits.computeIfAbsent(slot.getCandidates(), list -> {
                BitSet bits = new BitSet(applicants.size());
                for (TaApplicant a : list) {
                    bits.set(a.index());
                }
                return bits;
            });
        }
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
