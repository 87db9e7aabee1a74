package tapipeline.solver.search;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.optaplanner.core.api.score.director.ScoreDirector;
import org.optaplanner.core.impl.heuristic.move.AbstractMove;
import tapipeline.solver.domain.TaApplicant;
import tapipeline.solver.domain.TaAssignmentSolution;
import tapipeline.solver.domain.TaSlot;

/**
 * Gives several slots new TAs (or none) in one step, e.g. two TAs trading sets of slots of equal
 * hours. Each slot appears once; a move that changes nothing is not doable.
 */
public final class ReassignMove extends AbstractMove<TaAssignmentSolution> {

    static final String VARIABLE = "ta";

    private final TaSlot[] slots;
    private final TaApplicant[] tas;
    private final String type;

    ReassignMove(TaSlot[] slots, TaApplicant[] tas, String type) {
        if (slots.length != tas.length) {
            throw new IllegalArgumentException("slots and TAs differ in length");
        }
        this.slots = slots;
        this.tas = tas;
        this.type = type;
    }

    @Override
    public boolean isMoveDoable(ScoreDirector<TaAssignmentSolution> scoreDirector) {
        boolean changes = false;
        for (int i = 0; i < slots.length; i++) {
            if (slots[i].isPinned()) {
                return false;
            }
            changes |= slots[i].getTa() != tas[i];
        }
        return changes;
    }

    @Override
    protected ReassignMove createUndoMove(ScoreDirector<TaAssignmentSolution> scoreDirector) {
        TaApplicant[] before = new TaApplicant[slots.length];
        for (int i = 0; i < slots.length; i++) {
            before[i] = slots[i].getTa();
        }
        return new ReassignMove(slots, before, type);
    }

    @Override
    protected void doMoveOnGenuineVariables(ScoreDirector<TaAssignmentSolution> scoreDirector) {
        for (int i = 0; i < slots.length; i++) {
            scoreDirector.beforeVariableChanged(slots[i], VARIABLE);
            slots[i].setTa(tas[i]);
            scoreDirector.afterVariableChanged(slots[i], VARIABLE);
        }
    }

    @Override
    public ReassignMove rebase(ScoreDirector<TaAssignmentSolution> destination) {
        return new ReassignMove(lookUp(slots, destination), lookUp(tas, destination), type);
    }

    /** Copies an array into the destination score director's working objects (move threads). */
    @SuppressWarnings("unchecked")
    private static <T> T[] lookUp(T[] source, ScoreDirector<TaAssignmentSolution> destination) {
        T[] copy = Arrays.copyOf(source, source.length);
        for (int i = 0; i < copy.length; i++) {
            copy[i] = copy[i] == null ? null : destination.lookUpWorkingObject(copy[i]);
        }
        return copy;
    }

    @Override
    public String getSimpleMoveTypeDescription() {
        return "ReassignMove(" + type + ")";
    }

    @Override
    public List<TaSlot> getPlanningEntities() {
        return List.of(slots);
    }

    @Override
    public List<TaApplicant> getPlanningValues() {
        List<TaApplicant> values = new ArrayList<>(tas.length);
        for (TaApplicant ta : tas) {
            if (ta != null) {
                values.add(ta);
            }
        }
        return values;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReassignMove m && Arrays.equals(slots, m.slots) && Arrays.equals(tas, m.tas);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(slots), Arrays.hashCode(tas));
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(type).append('{');
        for (int i = 0; i < slots.length; i++) {
            s.append(i == 0 ? "" : ", ").append(slots[i].getId()).append(" -> ")
                    .append(tas[i] == null ? "-" : tas[i].id());
        }
        return s.append('}').toString();
    }
}
