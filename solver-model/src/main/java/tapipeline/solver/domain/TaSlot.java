package tapipeline.solver.domain;

import java.util.List;
import org.optaplanner.core.api.domain.entity.PlanningEntity;
import org.optaplanner.core.api.domain.entity.PlanningPin;
import org.optaplanner.core.api.domain.lookup.PlanningId;
import org.optaplanner.core.api.domain.valuerange.ValueRangeProvider;
import org.optaplanner.core.api.domain.variable.PlanningVariable;

/**
 * One TA position of a course: the planning entity. The solver picks {@link #getTa()} from
 * {@link #getCandidates()}, the applicants no static rule forbids; {@code null} means unfilled.
 */
@PlanningEntity(difficultyComparatorClass = TaSlotDifficultyComparator.class)
public class TaSlot {

    @PlanningId
    private String id;
    private TaCourse course;
    private int slotIndex;
    /** Shared between the slots of a course; a pinned slot has its own one-element list. */
    private List<TaApplicant> candidates;
    /** The course's answers about each applicant, shared by the course's slots (see {@link PairFacts}). */
    private PairFacts facts;
    /** Who had this slot in the previous assignment, for minimal change; may be null. */
    private TaApplicant previousTa;

    @PlanningPin
    private boolean pinned;

    @PlanningVariable(valueRangeProviderRefs = "candidates", nullable = true)
    private TaApplicant ta;

    /** The TA whose {@link PairFacts} answers {@link #factsOfTa} holds (the solver sets {@link #ta} directly). */
    private TaApplicant factsTa;
    private int factsOfTa;

    /** For OptaPlanner's solution cloner. */
    public TaSlot() {
    }

    public TaSlot(TaCourse course, int slotIndex, List<TaApplicant> candidates) {
        this(course, slotIndex, candidates, new PairFacts(course));
    }

    /** A slot sharing its course's {@link PairFacts} with the course's other slots. */
    public TaSlot(TaCourse course, int slotIndex, List<TaApplicant> candidates, PairFacts facts) {
        this.id = course.id() + "#" + slotIndex;
        this.course = course;
        this.slotIndex = slotIndex;
        this.candidates = candidates;
        this.facts = facts;
    }

    /** A copy with the same course, candidates, facts and TA, for {@link TaSolutionCloner}. */
    TaSlot copy() {
        TaSlot copy = new TaSlot();
        copy.id = id;
        copy.course = course;
        copy.slotIndex = slotIndex;
        copy.candidates = candidates;
        copy.facts = facts;
        copy.previousTa = previousTa;
        copy.pinned = pinned;
        copy.ta = ta;
        copy.factsTa = factsTa;
        copy.factsOfTa = factsOfTa;
        return copy;
    }

    /** A slot for constraint tests: every given applicant is a candidate, already assigned {@code ta}. */
    public static TaSlot of(TaCourse course, int slotIndex, TaApplicant ta) {
        TaSlot slot = new TaSlot(course, slotIndex, ta == null ? List.of() : List.of(ta));
        slot.setTa(ta);
        return slot;
    }

    @ValueRangeProvider(id = "candidates")
    public List<TaApplicant> getCandidates() {
        return candidates;
    }

    public String getId() {
        return id;
    }

    public TaCourse getCourse() {
        return course;
    }

    public int getSlotIndex() {
        return slotIndex;
    }

    public int getHours() {
        return course.hoursPerSlot();
    }

    /** Slots below the course's minimum number of TAs weigh double when unfilled. */
    public boolean isBelowMinimum() {
        return slotIndex < course.minTas();
    }

    public TaApplicant getPreviousTa() {
        return previousTa;
    }

    public void setPreviousTa(TaApplicant previousTa) {
        this.previousTa = previousTa;
    }

    public boolean isPinned() {
        return pinned;
    }

    /** Fixes this slot to an applicant; the solver will not change it. */
    public void pinTo(TaApplicant applicant) {
        this.ta = applicant;
        this.pinned = true;
        this.candidates = List.of(applicant);
    }

    public TaApplicant getTa() {
        return ta;
    }

    public void setTa(TaApplicant ta) {
        this.ta = ta;
    }

    /**
     * The course's answers about the assigned TA, kept until the TA changes: the constraints read
     * several of them at every change, and on large problems {@link PairFacts} works them out when asked.
     */
    private int taFacts() {
        TaApplicant current = ta;
        if (factsTa != current) {
            factsOfTa = facts.of(current);
            factsTa = current;
        }
        return factsOfTa;
    }

    /** The assigned TA's rating of this course (call only when assigned). */
    public int taRating() {
        return PairFacts.rating(taFacts());
    }

    /** How many of the course's required skills the assigned TA lacks. */
    public int taMissingSkills() {
        return PairFacts.missingSkills(taFacts());
    }

    public boolean taUnavailable() {
        return PairFacts.unavailable(taFacts());
    }

    public boolean taHasConflict() {
        return PairFacts.conflict(taFacts());
    }

    public boolean taBanned() {
        return PairFacts.banned(taFacts());
    }

    public boolean taWillNot() {
        return PairFacts.willNot(taFacts());
    }

    public boolean taHasTaught() {
        return PairFacts.taught(taFacts());
    }

    public boolean taIsExperienced() {
        return PairFacts.experienced(taFacts());
    }

    /** The course's answers about another applicant (for moves weighing candidates). */
    public PairFacts facts() {
        return facts;
    }

    /** Whether this slot's course meets at the same time as {@code other}'s. */
    public boolean meetsAtSameTimeAs(TaSlot other) {
        return facts.meetsWith(other.course);
    }

    /**
     * Whether {@code this} comes before {@code other} in solution order: by course index, then slot
     * number, as {@link tapipeline.solver.io.ProblemMapper} lists slots. Course indexes can repeat in
     * hand-built problems, so the id breaks a tie: distinct slots are always ordered.
     */
    public boolean isBefore(TaSlot other) {
        int byCourse = Integer.compare(course.index(), other.course.index());
        if (byCourse != 0) {
            return byCourse < 0;
        }
        int bySlot = Integer.compare(slotIndex, other.slotIndex);
        return bySlot != 0 ? bySlot < 0 : id.compareTo(other.id) < 0;
    }

    public boolean differsFromPrevious() {
        return previousTa != null && previousTa != ta;
    }

    @Override
    public String toString() {
        return id + "=" + (ta == null ? "-" : ta.id());
    }
}
