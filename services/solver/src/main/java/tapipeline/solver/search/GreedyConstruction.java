package tapipeline.solver.search;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.optaplanner.core.api.score.director.ScoreDirector;
import org.optaplanner.core.impl.phase.custom.CustomPhaseCommand;
import tapipeline.solver.domain.TaApplicant;
import tapipeline.solver.domain.TaAssignmentSolution;
import tapipeline.solver.domain.TaSlot;
import tapipeline.solver.domain.TaSlotDifficultyComparator;

/**
 * A fast first solution. First a repair: a re-solve starts from the previous assignment, and where a
 * pin now puts a TA somewhere new, that TA's other slots that clash with the pin (same time, same
 * course, or too many hours) are emptied, so no rule is broken at the start. Then the empty slots,
 * hardest first, each get their best-listed candidate that still has the hours, no meeting clash and
 * no other slot of the course. Linear in slots x candidates
 * with plain checks, so it takes well under a second at university size, where OptaPlanner's
 * first-fit-decreasing would weigh every candidate with the full score.
 */
public class GreedyConstruction implements CustomPhaseCommand<TaAssignmentSolution> {

    @Override
    public void changeWorkingSolution(ScoreDirector<TaAssignmentSolution> scoreDirector) {
        TaAssignmentSolution solution = scoreDirector.getWorkingSolution();
        Map<TaApplicant, List<TaSlot>> held = new HashMap<>();
        Map<TaApplicant, Integer> hours = new HashMap<>();
        // pinned slots first, so that what clashes with a pin is what gets emptied
        List<TaSlot> filled = new ArrayList<>();
        solution.getSlots().stream().filter(s -> s.getTa() != null && s.isPinned()).forEach(filled::add);
        solution.getSlots().stream().filter(s -> s.getTa() != null && !s.isPinned()).forEach(filled::add);
        for (TaSlot slot : filled) {
            TaApplicant ta = slot.getTa();
            if (slot.isPinned() || fits(ta, slot, held.getOrDefault(ta, List.of()), hours.getOrDefault(ta, 0))) {
                held.computeIfAbsent(ta, k -> new ArrayList<>()).add(slot);
                hours.merge(ta, slot.getHours(), Integer::sum);
            } else {
                assign(scoreDirector, slot, null);
            }
        }
        List<TaSlot> open = new ArrayList<>();
        for (TaSlot slot : solution.getSlots()) {
            if (slot.getTa() == null && !slot.isPinned()) {
                open.add(slot);
            }
        }
        open.sort(new TaSlotDifficultyComparator().reversed());
        for (TaSlot slot : open) {
            for (TaApplicant candidate : slot.getCandidates()) {
                if (fits(candidate, slot, held.getOrDefault(candidate, List.of()), hours.getOrDefault(candidate, 0))) {
                    assign(scoreDirector, slot, candidate);
                    held.computeIfAbsent(candidate, k -> new ArrayList<>()).add(slot);
                    hours.merge(candidate, slot.getHours(), Integer::sum);
                    break;
                }
            }
        }
    }

    private static void assign(ScoreDirector<TaAssignmentSolution> scoreDirector, TaSlot slot, TaApplicant ta) {
        scoreDirector.beforeVariableChanged(slot, "ta");
        slot.setTa(ta);
        scoreDirector.afterVariableChanged(slot, "ta");
        scoreDirector.triggerVariableListeners();
    }

    static boolean fits(TaApplicant candidate, TaSlot slot, List<TaSlot> held, int hours) {
        if (hours + slot.getHours() > candidate.maxHours()) {
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
