package tapipeline.solver.constraints;

import java.util.Comparator;
import java.util.Objects;
import org.optaplanner.core.api.score.stream.ConstraintJustification;
import tapipeline.solver.domain.TaApplicant;
import tapipeline.solver.domain.TaSlot;

/**
 * Why a constraint matched, in words: "Ana Silva lacks CUDA for CS 415-101". {@code courseId},
 * {@code slotIndex} and {@code applicantId} say what it concerns ({@code null} / -1 when not one slot
 * or not one applicant), so explanations can pick the matches of a slot or a TA.
 */
public record TaJustification(String courseId, int slotIndex, String applicantId, String text)
        implements ConstraintJustification, Comparable<TaJustification> {

    private static final Comparator<TaJustification> ORDER = Comparator
            .comparing(TaJustification::courseId, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparingInt(TaJustification::slotIndex)
            .thenComparing(TaJustification::applicantId, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(TaJustification::text);

    public TaJustification {
        Objects.requireNonNull(text, "text");
    }

    static TaJustification ofSlot(TaSlot slot, String text) {
        TaApplicant ta = slot.getTa();
        return new TaJustification(slot.getCourse().id(), slot.getSlotIndex(), ta == null ? null : ta.id(), text);
    }

    static TaJustification ofApplicant(TaApplicant applicant, String text) {
        return new TaJustification(null, -1, applicant.id(), text);
    }

    @Override
    public int compareTo(TaJustification other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return text;
    }
}
