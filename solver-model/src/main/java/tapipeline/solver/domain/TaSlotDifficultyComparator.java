package tapipeline.solver.domain;

import java.util.Comparator;

/**
 * Orders slots from easiest to hardest to fill, so that "first fit decreasing" fills the hard ones
 * first: higher course priority, a slot below the course minimum, fewer candidates and more hours
 * make a slot harder. The id breaks ties, keeping the order (and the solve) reproducible.
 */
public class TaSlotDifficultyComparator implements Comparator<TaSlot> {

    private static final Comparator<TaSlot> ORDER = Comparator
            .comparingInt((TaSlot s) -> s.getCourse().priority())
            .thenComparing(TaSlot::isBelowMinimum)
            .thenComparingInt(s -> -s.getCandidates().size())
            .thenComparingInt(TaSlot::getHours)
            .thenComparing(s -> -s.getSlotIndex())
            .thenComparing(TaSlot::getId, Comparator.reverseOrder());

    @Override
    public int compare(TaSlot a, TaSlot b) {
        return ORDER.compare(a, b);
    }
}
