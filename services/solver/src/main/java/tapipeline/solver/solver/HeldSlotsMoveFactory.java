package tapipeline.solver.solver;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.optaplanner.core.api.score.director.ScoreDirector;
import org.optaplanner.core.impl.domain.variable.descriptor.GenuineVariableDescriptor;
import org.optaplanner.core.impl.domain.variable.inverserelation.CollectionInverseVariableDemand;
import org.optaplanner.core.impl.domain.variable.inverserelation.CollectionInverseVariableSupply;
import org.optaplanner.core.impl.domain.variable.supply.SupplyManager;
import org.optaplanner.core.impl.heuristic.selector.move.factory.MoveIteratorFactory;
import org.optaplanner.core.impl.score.director.InnerScoreDirector;
import tapipeline.solver.domain.TaApplicant;
import tapipeline.solver.domain.TaAssignmentSolution;
import tapipeline.solver.domain.TaCourse;
import tapipeline.solver.domain.TaSlot;

/**
 * What the custom move factories share: which slots each TA holds right now (OptaPlanner's inverse
 * variable supply, which the score director keeps up to date while moves are tried and undone), and
 * quick checks of the rules a move must not break (candidate lists, hours, meeting clashes, one slot
 * per course). Held slots come back in solution order, so that a seed reproduces a run. Random
 * selection (local search) only. Needs each applicant's and course's index to be its position in
 * the solution's lists, as {@link tapipeline.solver.io.ProblemMapper} builds them.
 */
abstract class HeldSlotsMoveFactory implements MoveIteratorFactory<TaAssignmentSolution, ReassignMove> {

    /** Slots as ProblemMapper lists them: by course, then slot number. */
    private static final Comparator<TaSlot> SOLUTION_ORDER = Comparator
            .comparingInt((TaSlot s) -> s.getCourse().index()).thenComparingInt(TaSlot::getSlotIndex);

    private List<TaSlot> slots;
    private Map<List<TaApplicant>, BitSet> candidateBits;
    /** By course index: the courses (by index) a TA of this course cannot also hold (itself, and those meeting at the same time). */
    private BitSet[] clashes;
    private AssignmentEstimate estimate;
    private SupplyManager supplyManager;
    private CollectionInverseVariableDemand<TaAssignmentSolution> demand;
    private CollectionInverseVariableSupply held;

    @Override
    @SuppressWarnings("unchecked")
    public void phaseStarted(ScoreDirector<TaAssignmentSolution> scoreDirector) {
        InnerScoreDirector<TaAssignmentSolution, ?> inner = (InnerScoreDirector<TaAssignmentSolution, ?>) scoreDirector;
        GenuineVariableDescriptor<TaAssignmentSolution> variable = inner.getSolutionDescriptor()
                .findEntityDescriptorOrFail(TaSlot.class).getGenuineVariableDescriptor(ReassignMove.VARIABLE);
        supplyManager = inner.getSupplyManager();
        demand = new CollectionInverseVariableDemand<>(variable);
        held = supplyManager.demand(demand);
        TaAssignmentSolution solution = scoreDirector.getWorkingSolution();
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
        // candidate lists are shared by the slots of a course: one bit set per list
        candidateBits = new IdentityHashMap<>();
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

    @Override
    public void phaseEnded(ScoreDirector<TaAssignmentSolution> scoreDirector) {
        if (supplyManager != null) {
            supplyManager.cancel(demand);
        }
        supplyManager = null;
        held = null;
        slots = null;
        candidateBits = null;
        clashes = null;
        estimate = null;
    }

    @Override
    public long getSize(ScoreDirector<TaAssignmentSolution> scoreDirector) {
        // an estimate: every slot with every candidate, like the change moves
        long size = 0;
        for (TaSlot slot : scoreDirector.getWorkingSolution().getSlots()) {
            size += slot.getCandidates().size();
        }
        return size;
    }

    @Override
    public Iterator<ReassignMove> createOriginalMoveIterator(ScoreDirector<TaAssignmentSolution> scoreDirector) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " is for random selection (local search) only");
    }

    @Override
    public Iterator<ReassignMove> createRandomMoveIterator(ScoreDirector<TaAssignmentSolution> scoreDirector, Random random) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public ReassignMove next() {
                ReassignMove move = nextMove(random);
                if (move != null) {
                    return move;
                }
                // nothing found: a move that changes nothing, which the solver skips as not doable
                TaSlot slot = randomSlot(random);
                return new ReassignMove(new TaSlot[] {slot}, new TaApplicant[] {slot.getTa()}, "none");
            }
        };
    }

    /** The next random move, or null if none was found in a few attempts. */
    abstract ReassignMove nextMove(Random random);

    AssignmentEstimate estimate() {
        return estimate;
    }

    TaSlot randomSlot(Random random) {
        return slots.get(random.nextInt(slots.size()));
    }

    boolean isCandidate(TaSlot slot, TaApplicant ta) {
        return candidateBits.get(slot.getCandidates()).get(ta.index());
    }

    /** The slots a TA holds, in solution order. */
    List<TaSlot> heldBy(TaApplicant ta) {
        Collection<?> inverse = held.getInverseCollection(ta);
        List<TaSlot> list = new ArrayList<>(inverse == null ? 0 : inverse.size());
        if (inverse != null) {
            for (Object o : inverse) {
                list.add((TaSlot) o);
            }
        }
        if (list.size() > 1) {
            list.sort(SOLUTION_ORDER);
        }
        return list;
    }

    /** Whether {@code slot} can join {@code held} minus the slot {@code except} (null: none). */
    boolean fitsNextTo(TaSlot slot, List<TaSlot> held, TaSlot except) {
        for (TaSlot kept : held) {
            if (kept != except && clash(slot, kept)) {
                return false;
            }
        }
        return true;
    }

    /** Same course, or meetings at the same time. */
    boolean clash(TaSlot s, TaSlot t) {
        return clashes[s.getCourse().index()].get(t.getCourse().index());
    }

    static int hours(List<TaSlot> list) {
        int sum = 0;
        for (TaSlot s : list) {
            sum += s.getHours();
        }
        return sum;
    }
}
