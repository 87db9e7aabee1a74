package tapipeline.solver.solver;

import java.util.IdentityHashMap;
import java.util.Map;
import org.optaplanner.core.api.score.director.ScoreDirector;
import org.optaplanner.core.config.heuristic.selector.entity.EntitySelectorConfig;
import org.optaplanner.core.config.heuristic.selector.move.MoveSelectorConfig;
import org.optaplanner.core.config.heuristic.selector.move.composite.CartesianProductMoveSelectorConfig;
import org.optaplanner.core.config.heuristic.selector.move.generic.ChangeMoveSelectorConfig;
import org.optaplanner.core.config.heuristic.selector.move.generic.SwapMoveSelectorConfig;
import org.optaplanner.core.impl.heuristic.selector.common.decorator.SelectionFilter;
import org.optaplanner.core.impl.heuristic.selector.common.decorator.SelectionProbabilityWeightFactory;
import org.optaplanner.core.impl.heuristic.selector.move.MoveSelector;
import org.optaplanner.core.impl.heuristic.selector.move.composite.CartesianProductMoveSelector;
import tapipeline.solver.domain.TaAssignmentSolution;
import tapipeline.solver.domain.TaCourse;
import tapipeline.solver.domain.TaSlot;

/**
 * Fill by ejection: an empty slot takes the TA of another slot, which at once takes another
 * candidate. Built from OptaPlanner's own selectors: swap(empty slot, slot A), then a change on the
 * same A (a mimic selector). Plain change and swap moves cannot make that step without first losing
 * a filled slot, which late acceptance rarely accepts on the medium level. Found with OptaPlanner's
 * benchmarker (bench/results/solver-configs.md).
 */
public final class EjectionMoves {

    private EjectionMoves() {
    }

    /** The composite move; its weight in a union comes from {@link Weight}. */
    public static MoveSelectorConfig<?> selector() {
        return new CartesianProductMoveSelectorConfig().withIgnoreEmptyChildIterators(true).withMoveSelectors(
                new SwapMoveSelectorConfig()
                        .withEntitySelectorConfig(new EntitySelectorConfig().withFilterClass(EmptySlot.class))
                        .withSecondaryEntitySelectorConfig(new EntitySelectorConfig().withId("ejected")),
                new ChangeMoveSelectorConfig()
                        .withEntitySelectorConfig(new EntitySelectorConfig().withMimicSelectorRef("ejected")));
    }

    /**
     * Union weights, re-evaluated every step: every move selector weighs 1, except the ejection
     * move, which weighs 1 while some slot is empty and its course still has a candidate it does
     * not hold, and 0 otherwise (every slot that can be filled is, so the moves would be wasted).
     */
    public static final class Weight
            implements SelectionProbabilityWeightFactory<TaAssignmentSolution, MoveSelector<TaAssignmentSolution>> {
        @Override
        public double createProbabilityWeight(ScoreDirector<TaAssignmentSolution> scoreDirector,
                MoveSelector<TaAssignmentSolution> selector) {
            if (!(selector instanceof CartesianProductMoveSelector)) {
                return 1.0;
            }
            // per course: filled slots, empty unpinned slots, candidates
            Map<TaCourse, int[]> courses = new IdentityHashMap<>();
            for (TaSlot slot : scoreDirector.getWorkingSolution().getSlots()) {
                int[] c = courses.computeIfAbsent(slot.getCourse(), k -> new int[3]);
                if (slot.getTa() != null) {
                    c[0]++;
                } else if (!slot.isPinned()) {
                    c[1]++;
                }
                c[2] = Math.max(c[2], slot.getCandidates().size());
            }
            for (int[] c : courses.values()) {
                if (c[1] > 0 && c[0] < c[2]) {
                    return 1.0;
                }
            }
            return 0.0;
        }
    }

    /** Selects only unpinned slots without a TA. */
    public static final class EmptySlot implements SelectionFilter<TaAssignmentSolution, TaSlot> {
        @Override
        public boolean accept(ScoreDirector<TaAssignmentSolution> scoreDirector, TaSlot slot) {
            return slot.getTa() == null && !slot.isPinned();
        }
    }
}
