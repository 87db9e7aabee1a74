package tapipeline.bench.solver;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tapipeline.solver.domain.TaApplicant;
import tapipeline.solver.domain.TaAssignmentSolution;
import tapipeline.solver.domain.TaSlot;

/**
 * The kind of assignment departments make by hand or in a spreadsheet today: take the slots in order
 * of course priority (slots below the course's minimum first, then those with the fewest
 * candidates) and give each the best-rated candidate who still fits (free hours, no meeting clash,
 * not already on the course). No look-ahead, no repair. Written independently of the solver's
 * {@code GreedyConstruction} (which uses the solver's own candidate order).
 */
final class GreedyBaseline {

    private GreedyBaseline() {
    }

    static TaAssignmentSolution solve(TaAssignmentSolution solution) {
        List<TaSlot> order = new ArrayList<>(solution.getSlots());
        order.sort(Comparator.comparingInt((TaSlot s) -> -s.getCourse().priority())
                .thenComparing(s -> !s.isBelowMinimum())
                .thenComparingInt(s -> s.getCandidates().size())
                .thenComparing(TaSlot::getId));
        Map<TaApplicant, Integer> hours = new HashMap<>();
        Map<TaApplicant, List<TaSlot>> held = new HashMap<>();
        for (TaSlot slot : order) {
            TaApplicant best = null;
            for (TaApplicant candidate : slot.getCandidates()) {
                if (fits(candidate, slot, hours.getOrDefault(candidate, 0), held.getOrDefault(candidate, List.of()))
                        && (best == null || candidate.ratingFor(slot.getCourse()) > best.ratingFor(slot.getCourse()))) {
                    best = candidate;
                }
            }
            if (best != null) {
                slot.setTa(best);
                hours.merge(best, slot.getHours(), Integer::sum);
                held.computeIfAbsent(best, k -> new ArrayList<>()).add(slot);
            }
        }
        return solution;
    }

    private static boolean fits(TaApplicant ta, TaSlot slot, int hours, List<TaSlot> held) {
        if (hours + slot.getHours() > ta.maxHours()) {
            return false;
        }
        for (TaSlot other : held) {
            if (other.getCourse() == slot.getCourse() || other.getCourse().meetsAtSameTimeAs(slot.getCourse())) {
                return false;
            }
        }
        return true;
    }
}
