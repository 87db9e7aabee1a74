package tapipeline.solver.search;

import java.util.Arrays;
import java.util.List;
import org.optaplanner.core.api.domain.variable.VariableListener;
import org.optaplanner.core.api.score.director.ScoreDirector;
import org.optaplanner.core.impl.domain.variable.descriptor.VariableDescriptor;
import org.optaplanner.core.impl.domain.variable.listener.SourcedVariableListener;
import org.optaplanner.core.impl.domain.variable.supply.SupplyManager;
import tapipeline.solver.domain.TaApplicant;
import tapipeline.solver.domain.TaAssignmentSolution;
import tapipeline.solver.domain.TaSlot;

/**
 * Which slots each TA holds and how many hours that makes, kept up to date by the score director as
 * moves are tried and undone (a variable listener on the slot's TA, handed out by the supply manager
 * like OptaPlanner's own inverse variable supply, which it replaces for the custom moves).
 *
 * <p>Per TA a small array in solution order (course index, then slot number), so a seed reproduces
 * a run without sorting, and an hours total, so the moves need not add it up. OptaPlanner's
 * collection inverse supply answers the same question from an identity set per TA, which the moves
 * then had to copy, sort and sum at every look: about a tenth of a 60-course run's time.
 *
 * <p>Needs each applicant's index to be its position in the solution's list (see {@link MoveIndex}).
 * The score director announces a change before the slot's TA changes and triggers the "after" half
 * later, so one slot must not change twice before the listeners are triggered.
 */
final class HeldSlots implements SourcedVariableListener<TaAssignmentSolution>, VariableListener<TaAssignmentSolution, Object> {

    private static final TaSlot[] NONE = {};

    private final VariableDescriptor<TaAssignmentSolution> variable;
    private TaSlot[][] held = {};
    private int[] count = {};
    private int[] hours = {};

    private HeldSlots(VariableDescriptor<TaAssignmentSolution> variable) {
        this.variable = variable;
    }

    /** The slots {@code ta} holds, in solution order; a copy the caller may keep. */
    List<TaSlot> heldBy(TaApplicant ta) {
        int i = ta.index();
        return count[i] == 0 ? List.of() : Arrays.asList(Arrays.copyOf(held[i], count[i]));
    }

    /** The hours {@code ta} holds. */
    int hours(TaApplicant ta) {
        return hours[ta.index()];
    }

    @Override
    public VariableDescriptor<TaAssignmentSolution> getSourceVariableDescriptor() {
        return variable;
    }

    @Override
    public void resetWorkingSolution(ScoreDirector<TaAssignmentSolution> scoreDirector) {
        TaAssignmentSolution solution = scoreDirector.getWorkingSolution();
        int size = 0;
        for (TaApplicant a : solution.getApplicants()) {
            size = Math.max(size, a.index() + 1);
        }
        held = new TaSlot[size][];
        Arrays.fill(held, NONE);
        count = new int[size];
        hours = new int[size];
        for (TaSlot slot : solution.getSlots()) {
            insert(slot);
        }
    }

    @Override
    public void beforeVariableChanged(ScoreDirector<TaAssignmentSolution> scoreDirector, Object slot) {
        retract((TaSlot) slot);
    }

    @Override
    public void afterVariableChanged(ScoreDirector<TaAssignmentSolution> scoreDirector, Object slot) {
        insert((TaSlot) slot);
    }

    @Override
    public void beforeEntityAdded(ScoreDirector<TaAssignmentSolution> scoreDirector, Object slot) {
        // counted once it is in: afterEntityAdded
    }

    @Override
    public void afterEntityAdded(ScoreDirector<TaAssignmentSolution> scoreDirector, Object slot) {
        insert((TaSlot) slot);
    }

    @Override
    public void beforeEntityRemoved(ScoreDirector<TaAssignmentSolution> scoreDirector, Object slot) {
        retract((TaSlot) slot);
    }

    @Override
    public void afterEntityRemoved(ScoreDirector<TaAssignmentSolution> scoreDirector, Object slot) {
        // taken out before: beforeEntityRemoved
    }

    private void insert(TaSlot slot) {
        TaApplicant ta = slot.getTa();
        if (ta == null) {
            return;
        }
        int i = ta.index();
        TaSlot[] slots = held[i];
        int n = count[i];
        if (n == slots.length) {
            slots = held[i] = Arrays.copyOf(slots, Math.max(4, n * 2));
        }
        int at = n;
        while (at > 0 && slot.isBefore(slots[at - 1])) {
            slots[at] = slots[at - 1];
            at--;
        }
        slots[at] = slot;
        count[i] = n + 1;
        hours[i] += slot.getHours();
    }

    private void retract(TaSlot slot) {
        TaApplicant ta = slot.getTa();
        if (ta == null) {
            return;
        }
        int i = ta.index();
        TaSlot[] slots = held[i];
        int n = count[i];
        for (int at = 0; at < n; at++) {
            if (slots[at] == slot) {
                System.arraycopy(slots, at + 1, slots, at, n - at - 1);
                slots[n - 1] = null;
                count[i] = n - 1;
                hours[i] -= slot.getHours();
                return;
            }
        }
        throw new IllegalStateException("Slot " + slot + " is not among the slots of " + ta
                + ": a slot's TA changed without the score director being told before");
    }

    /** Asks for the held slots of one planning variable; equal demands share one supply. */
    static final class Of extends KeyedDemand<HeldSlots, VariableDescriptor<TaAssignmentSolution>> {

        Of(VariableDescriptor<TaAssignmentSolution> variable) {
            super(variable);
        }

        @Override
        public HeldSlots createExternalizedSupply(SupplyManager supplyManager) {
            return new HeldSlots(key);
        }
    }
}
