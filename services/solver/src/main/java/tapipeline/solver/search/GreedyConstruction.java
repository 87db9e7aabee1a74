package tapipeline.solver.search;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.optaplanner.core.api.score.director.ScoreDirector;
import org.optaplanner.core.impl.phase.custom.CustomPhaseCommand;
import tapipeline.solver.domain.CandidateList;
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

    private final TimeBox timeBox;

    /** A construction that fills every slot it can, however long that takes (tests, benchmarks). */
    public GreedyConstruction() {
        this(TimeBox.unlimited());
    }

    /**
     * A construction that stops filling slots when its time box is over, leaving the rest empty for
     * local search (which fills empty slots too), and says so in the time box.
     */
    public GreedyConstruction(TimeBox timeBox) {
        this.timeBox = timeBox;
    }

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
        Room room = new Room(solution, hours);
        int done = 0;
        for (TaSlot slot : open) {
            if ((done & 63) == 0 && timeBox.isOver()) {
                timeBox.cut(String.format(java.util.Locale.ROOT, "construction: the greedy start reached %,d of the"
                        + " %,d empty slots in its share of the time; local search went on from there", done, open.size()));
                return;
            }
            done++;
            TaApplicant candidate = room.first(slot, c -> fits(c, slot, held.getOrDefault(c, List.of()),
                    hours.getOrDefault(c, 0)));
            if (candidate != null) {
                assign(scoreDirector, slot, candidate);
                held.computeIfAbsent(candidate, k -> new ArrayList<>()).add(slot);
                room.changed(candidate, hours.merge(candidate, slot.getHours(), Integer::sum));
            }
        }
    }

    /**
     * Per slot length, the applicants with room for it: a slot's best-listed candidate that fits is
     * then found among them, a word of 64 at a time, instead of testing every candidate who is
     * already full (most of them, late in a large construction).
     */
    private static final class Room {
        private final TaAssignmentSolution solution;
        private final boolean indexed;
        private final Map<Integer, long[]> byHours = new HashMap<>();

        Room(TaAssignmentSolution solution, Map<TaApplicant, Integer> hours) {
            this.solution = solution;
            List<TaApplicant> applicants = solution.getApplicants();
            boolean atIndex = true;
            for (int i = 0; i < applicants.size(); i++) {
                atIndex &= applicants.get(i).index() == i;
            }
            this.indexed = atIndex;
            if (indexed) {
                for (TaSlot slot : solution.getSlots()) {
                    byHours.computeIfAbsent(slot.getHours(), h -> {
                        long[] words = new long[(applicants.size() + 63) >>> 6];
                        for (TaApplicant a : applicants) {
                            if (hours.getOrDefault(a, 0) + h <= a.maxHours()) {
                                words[a.index() >>> 6] |= 1L << a.index();
                            }
                        }
                        return words;
                    });
                }
            }
        }

        TaApplicant first(TaSlot slot, Predicate<TaApplicant> fits) {
            if (indexed && slot.getCandidates() instanceof CandidateList list) {
                return list.first(byHours.get(slot.getHours()), fits);
            }
            for (TaApplicant candidate : slot.getCandidates()) {
                if (fits.test(candidate)) {
                    return candidate;
                }
            }
            return null;
        }

        void changed(TaApplicant ta, int hoursNow) {
            if (!indexed) {
                return;
            }
            for (Map.Entry<Integer, long[]> e : byHours.entrySet()) {
                if (hoursNow + e.getKey() > ta.maxHours()) {
                    e.getValue()[ta.index() >>> 6] &= ~(1L << ta.index());
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
