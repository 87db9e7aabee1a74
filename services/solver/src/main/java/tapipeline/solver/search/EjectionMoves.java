package tapipeline.solver.search;

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
     * Working that out visits every slot; on problems of more than {@link #EXACT_UP_TO_SLOTS} slots
     * it is worked out every (slots / {@value #SLOTS_PER_STEP_BETWEEN}) steps and kept in between (at
     * 24,000 slots visiting them at every step was half the search's time), so it costs about
     * {@value #SLOTS_PER_STEP_BETWEEN} slot visits per step. Counted in steps, so a seed still
     * reproduces a run.
     */
    public static final class Weight
            implements SelectionProbabilityWeightFactory<TaAssignmentSolution, MoveSelector<TaAssignmentSolution>> {

        /** Up to this many slots the weight is worked out at every step. */
        static final int EXACT_UP_TO_SLOTS = 1000;
        /** Above {@link #EXACT_UP_TO_SLOTS}, slots per step of keeping the weight. */
        static final int SLOTS_PER_STEP_BETWEEN = 100;

        private int stepsLeft;
        private double weight;

        @Override
        public double createProbabilityWeight(ScoreDirector<TaAssignmentSolution> scoreDirector,
                MoveSelector<TaAssignmentSolution> selector) {
            if (!(selector instanceof CartesianProductMoveSelector)) {
                return 1.0;
            }
            if (stepsLeft > 0) {
                stepsLeft--;
                return weight;
            }
            TaAssignmentSolution solution = scoreDirector.getWorkingSolution();
            int slots = solution.getSlots().size();
            stepsLeft = slots <= EXACT_UP_TO_SLOTS ? 0 : slots / SLOTS_PER_STEP_BETWEEN;
            weight = anyFillable(solution) ? 1.0 : 0.0;
            return weight;
        }

        private static boolean anyFillable(TaAssignmentSolution solution) {
            // per course (by index): filled slots, empty unpinned slots, candidates; arrays, not a map,
            // since this runs at every step
            int courses = solution.getCourses().size();
            int[] filled = new int[courses];
            int[] empty = new int[courses];
            int[] candidates = new int[courses];
            for (TaSlot slot : solution.getSlots()) {
                int c = slot.getCourse().index();
                if (slot.getTa() != null) {
                    filled[c]++;
                } else if (!slot.isPinned()) {
                    empty[c]++;
                }
                candidates[c] = Math.max(candidates[c], slot.getCandidates().size());
            }
            for (int c = 0; c < courses; c++) {
                if (empty[c] > 0 && filled[c] < candidates[c]) {
                    return true;
                }
            }
            return false;
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
