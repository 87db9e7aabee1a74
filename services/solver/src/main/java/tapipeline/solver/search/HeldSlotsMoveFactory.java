package tapipeline.solver.search;

import java.util.Iterator;
import java.util.List;
import java.util.Random;
import org.optaplanner.core.api.score.director.ScoreDirector;
import org.optaplanner.core.impl.domain.variable.descriptor.GenuineVariableDescriptor;
import org.optaplanner.core.impl.domain.variable.supply.SupplyManager;
import org.optaplanner.core.impl.heuristic.selector.move.factory.MoveIteratorFactory;
import org.optaplanner.core.impl.score.director.InnerScoreDirector;
import tapipeline.solver.domain.TaApplicant;
import tapipeline.solver.domain.TaAssignmentSolution;
import tapipeline.solver.domain.TaSlot;

/**
 * What the custom move factories share: which slots each TA holds right now ({@link HeldSlots},
 * which the score director keeps up to date while moves are tried and undone), and
 * quick checks of the rules a move must not break (candidate lists, hours, meeting clashes, one slot
 * per course) from the tables of {@link MoveIndex}, built once and shared by all factories. Held
 * slots come back in solution order, so that a seed reproduces a run. Random selection (local
 * search) only.
 */
abstract class HeldSlotsMoveFactory implements MoveIteratorFactory<TaAssignmentSolution, ReassignMove> {

    private MoveIndex index;
    private MoveIndex.Of indexDemand;
    private SupplyManager supplyManager;
    private HeldSlots.Of demand;
    private HeldSlots held;

    @Override
    @SuppressWarnings("unchecked")
    public void phaseStarted(ScoreDirector<TaAssignmentSolution> scoreDirector) {
        InnerScoreDirector<TaAssignmentSolution, ?> inner = (InnerScoreDirector<TaAssignmentSolution, ?>) scoreDirector;
        GenuineVariableDescriptor<TaAssignmentSolution> variable = inner.getSolutionDescriptor()
                .findEntityDescriptorOrFail(TaSlot.class).getGenuineVariableDescriptor(ReassignMove.VARIABLE);
        supplyManager = inner.getSupplyManager();
        demand = new HeldSlots.Of(variable);
        held = supplyManager.demand(demand);
        // the tables are the same for every factory of this solver: built by the first, shared by the rest
        indexDemand = new MoveIndex.Of(scoreDirector.getWorkingSolution());
        index = supplyManager.demand(indexDemand);
    }

    @Override
    public void phaseEnded(ScoreDirector<TaAssignmentSolution> scoreDirector) {
        if (supplyManager != null) {
            supplyManager.cancel(demand);
            supplyManager.cancel(indexDemand);
        }
        supplyManager = null;
        held = null;
        index = null;
        indexDemand = null;
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
        return index.estimate;
    }

    TaSlot randomSlot(Random random) {
        return index.slots.get(random.nextInt(index.slots.size()));
    }

    boolean isCandidate(TaSlot slot, TaApplicant ta) {
        return index.isCandidate(slot, ta);
    }

    /** The slots a TA holds, in solution order. */
    List<TaSlot> heldBy(TaApplicant ta) {
        return held.heldBy(ta);
    }

    /** The hours a TA holds right now. */
    int hoursOf(TaApplicant ta) {
        return held.hours(ta);
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
        return s.getCourse() == t.getCourse() || s.meetsAtSameTimeAs(t);
    }
}
