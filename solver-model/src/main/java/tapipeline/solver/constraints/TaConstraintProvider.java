package tapipeline.solver.constraints;

import static org.optaplanner.core.api.score.stream.ConstraintCollectors.sum;
import static org.optaplanner.core.api.score.stream.Joiners.equal;
import static org.optaplanner.core.api.score.stream.Joiners.filtering;
import static tapipeline.solver.domain.TaConstraintConfiguration.CONTINUITY;
import static tapipeline.solver.domain.TaConstraintConfiguration.EXPERIENCE_MIX;
import static tapipeline.solver.domain.TaConstraintConfiguration.FAIR_LOAD;
import static tapipeline.solver.domain.TaConstraintConfiguration.FAIR_LOAD_IDLE;
import static tapipeline.solver.domain.TaConstraintConfiguration.HOURS_OWED;
import static tapipeline.solver.domain.TaConstraintConfiguration.HOURS_OWED_IDLE;
import static tapipeline.solver.domain.TaConstraintConfiguration.INSTRUCTOR_REQUEST;
import static tapipeline.solver.domain.TaConstraintConfiguration.NOT_WHEN_UNAVAILABLE;
import static tapipeline.solver.domain.TaConstraintConfiguration.NO_CONFLICT_OF_INTEREST;
import static tapipeline.solver.domain.TaConstraintConfiguration.NO_INSTRUCTOR_BAN;
import static tapipeline.solver.domain.TaConstraintConfiguration.NO_OVERLAPPING_MEETINGS;
import static tapipeline.solver.domain.TaConstraintConfiguration.ONE_SLOT_PER_COURSE;
import static tapipeline.solver.domain.TaConstraintConfiguration.PREVIOUS_ASSIGNMENT;
import static tapipeline.solver.domain.TaConstraintConfiguration.REQUIRED_SKILLS;
import static tapipeline.solver.domain.TaConstraintConfiguration.TA_PREFERENCE;
import static tapipeline.solver.domain.TaConstraintConfiguration.UNFILLED_SLOT;
import static tapipeline.solver.domain.TaConstraintConfiguration.WILL_NOT_RESPECTED;
import static tapipeline.solver.domain.TaConstraintConfiguration.WITHIN_MAX_HOURS;

import java.util.TreeSet;
import org.optaplanner.core.api.score.stream.Constraint;
import org.optaplanner.core.api.score.stream.bi.BiConstraintStream;
import org.optaplanner.core.api.score.stream.uni.UniConstraintStream;
import org.optaplanner.core.api.score.stream.ConstraintFactory;
import org.optaplanner.core.api.score.stream.ConstraintProvider;
import tapipeline.solver.domain.InstructorRequest;
import tapipeline.solver.domain.TaApplicant;
import tapipeline.solver.domain.TaCourse;
import tapipeline.solver.domain.TaSlot;

/**
 * The rules of a TA assignment, one method each. Weights come from
 * {@link tapipeline.solver.domain.TaConstraintConfiguration}; each method's penalty is per unit of
 * that weight.
 */
public class TaConstraintProvider implements ConstraintProvider {

    /** The factory the shared streams were built for; a provider is used from one thread at a time. */
    private ConstraintFactory sharedFactory;
    private BiConstraintStream<TaApplicant, Integer> hoursPerTa;
    private UniConstraintStream<TaApplicant> idleTas;
    private BiConstraintStream<TaSlot, TaSlot> slotPairsPerTa;

    @Override
    public Constraint[] defineConstraints(ConstraintFactory factory) {
        return new Constraint[] {
                // Hard: rules that must hold
                requiredSkills(factory),
                withinMaxHours(factory),
                noOverlappingMeetings(factory),
                notWhenUnavailable(factory),
                noConflictOfInterest(factory),
                noInstructorBan(factory),
                willNotRespected(factory),
                oneSlotPerCourse(factory),
                // Medium: fill the slots and give TAs the hours they are owed
                unfilledSlot(factory),
                hoursOwed(factory),
                hoursOwedIdle(factory),
                // Soft: a good, fair and stable assignment
                taPreference(factory),
                instructorRequest(factory),
                experienceMix(factory),
                fairLoad(factory),
                fairLoadIdle(factory),
                continuity(factory),
                previousAssignment(factory)
        };
    }

    // A TA must have every skill the course requires (one penalty per missing skill).
    Constraint requiredSkills(ConstraintFactory factory) {
        return factory.forEach(TaSlot.class)
                .filter(slot -> slot.taMissingSkills() > 0)
                .penalizeConfigurable(TaSlot::taMissingSkills)
                .justifyWith((slot, score) -> TaJustification.ofSlot(slot, slot.getTa().name() + " lacks "
                        + missingSkills(slot.getTa(), slot.getCourse()) + " for " + slot.getCourse().label()))
                .asConstraint(REQUIRED_SKILLS);
    }

    // A TA's slots must not add up to more than their maximum hours (one penalty per hour over).
    Constraint withinMaxHours(ConstraintFactory factory) {
        return hoursPerTa(factory)
                .filter((ta, hours) -> hours > ta.maxHours())
                .penalizeConfigurable((ta, hours) -> hours - ta.maxHours())
                .justifyWith((ta, hours, score) -> TaJustification.ofApplicant(ta,
                        ta.name() + " has " + hours + " h, above the maximum of " + ta.maxHours() + " h"))
                .asConstraint(WITHIN_MAX_HOURS);
    }

    // A TA cannot be in two courses that meet at the same time.
    Constraint noOverlappingMeetings(ConstraintFactory factory) {
        return slotPairsPerTa(factory)
                .filter((a, b) -> a.getCourse() != b.getCourse() && a.meetsAtSameTimeAs(b))
                .penalizeConfigurable()
                .justifyWith((a, b, score) -> TaJustification.ofSlot(a, a.getTa().name() + " is in "
                        + a.getCourse().label() + " and " + b.getCourse().label() + ", which meet at the same time"))
                .asConstraint(NO_OVERLAPPING_MEETINGS);
    }

    // A TA cannot take a course that meets when they are unavailable.
    Constraint notWhenUnavailable(ConstraintFactory factory) {
        return factory.forEach(TaSlot.class)
                .filter(TaSlot::taUnavailable)
                .penalizeConfigurable()
                .justifyWith((slot, score) -> TaJustification.ofSlot(slot, slot.getTa().name()
                        + " is unavailable when " + slot.getCourse().label() + " meets"))
                .asConstraint(NOT_WHEN_UNAVAILABLE);
    }

    // A TA never works on a course they have a conflict of interest with.
    Constraint noConflictOfInterest(ConstraintFactory factory) {
        return factory.forEach(TaSlot.class)
                .filter(TaSlot::taHasConflict)
                .penalizeConfigurable()
                .justifyWith((slot, score) -> TaJustification.ofSlot(slot, slot.getTa().name()
                        + " has a conflict of interest with " + slot.getCourse().label() + ": "
                        + slot.getTa().conflicts().get(slot.getCourse().id())))
                .asConstraint(NO_CONFLICT_OF_INTEREST);
    }

    // A TA the instructor banned is never put on their course.
    Constraint noInstructorBan(ConstraintFactory factory) {
        return factory.forEach(TaSlot.class)
                .filter(TaSlot::taBanned)
                .penalizeConfigurable()
                .justifyWith((slot, score) -> TaJustification.ofSlot(slot, "the instructor of "
                        + slot.getCourse().label() + " banned " + slot.getTa().name()))
                .asConstraint(NO_INSTRUCTOR_BAN);
    }

    // A TA who said "will not" for a course is never put on it.
    Constraint willNotRespected(ConstraintFactory factory) {
        return factory.forEach(TaSlot.class)
                .filter(TaSlot::taWillNot)
                .penalizeConfigurable()
                .justifyWith((slot, score) -> TaJustification.ofSlot(slot, slot.getTa().name()
                        + " will not TA " + slot.getCourse().label()))
                .asConstraint(WILL_NOT_RESPECTED);
    }

    // The same TA does not hold two slots of one course.
    Constraint oneSlotPerCourse(ConstraintFactory factory) {
        return slotPairsPerTa(factory)
                .filter((a, b) -> a.getCourse() == b.getCourse())
                .penalizeConfigurable()
                .justifyWith((a, b, score) -> TaJustification.ofSlot(a, a.getTa().name() + " holds slots "
                        + (a.getSlotIndex() + 1) + " and " + (b.getSlotIndex() + 1) + " of " + a.getCourse().label()))
                .asConstraint(ONE_SLOT_PER_COURSE);
    }

    // Every slot should be filled; an empty one costs its course priority, double below the course minimum.
    Constraint unfilledSlot(ConstraintFactory factory) {
        return factory.forEachIncludingNullVars(TaSlot.class)
                .filter(slot -> slot.getTa() == null)
                .penalizeConfigurable(TaConstraintProvider::unfilledWeight)
                .justifyWith((slot, score) -> TaJustification.ofSlot(slot, "slot " + (slot.getSlotIndex() + 1)
                        + " of " + slot.getCourse().label() + " (priority " + slot.getCourse().priority()
                        + (slot.isBelowMinimum() ? ", below the course minimum" : "") + ") is empty"))
                .asConstraint(UNFILLED_SLOT);
    }

    // A TA with some slots should get at least their owed (funded) hours.
    Constraint hoursOwed(ConstraintFactory factory) {
        return hoursPerTa(factory)
                .filter((ta, hours) -> hours < ta.minHours())
                .penalizeConfigurable((ta, hours) -> ta.minHours() - hours)
                .justifyWith((ta, hours, score) -> TaJustification.ofApplicant(ta, ta.name() + " has " + hours
                        + " h of the " + ta.minHours() + " h they are owed"))
                .asConstraint(HOURS_OWED);
    }

    // A TA who is owed hours but got no slot at all misses all of them.
    Constraint hoursOwedIdle(ConstraintFactory factory) {
        return idleTas(factory)
                .filter(ta -> ta.minHours() > 0)
                .penalizeConfigurable(TaApplicant::minHours)
                .justifyWith((ta, score) -> TaJustification.ofApplicant(ta, ta.name() + " has no slot but is owed "
                        + ta.minHours() + " h"))
                .asConstraint(HOURS_OWED_IDLE);
    }

    // TAs should get courses they rated highly: (5 - rating) per hour of the slot.
    Constraint taPreference(ConstraintFactory factory) {
        return factory.forEach(TaSlot.class)
                .filter(slot -> slot.taRating() < 5)
                .penalizeConfigurable(slot -> (5 - slot.taRating()) * slot.getHours())
                .justifyWith((slot, score) -> TaJustification.ofSlot(slot, slot.getTa().name() + " rated "
                        + slot.getCourse().label() + " " + ratingText(slot.getTa(), slot.getCourse())))
                .asConstraint(TA_PREFERENCE);
    }

    // An instructor's requested TA should be on their course; rank 1 weighs most.
    Constraint instructorRequest(ConstraintFactory factory) {
        return factory.forEach(InstructorRequest.class)
                .ifNotExists(TaSlot.class, equal(InstructorRequest::course, TaSlot::getCourse),
                        equal(InstructorRequest::applicant, TaSlot::getTa))
                .penalizeConfigurable(InstructorRequest::weight)
                .justifyWith((request, score) -> new TaJustification(request.course().id(), -1,
                        request.applicant().id(), "the instructor of " + request.course().label() + " requested "
                        + request.applicant().name() + " (#" + request.rank() + ") but did not get them"))
                .asConstraint(INSTRUCTOR_REQUEST);
    }

    // A course that asks for an experienced TA should get at least one (TA'd it, or took it with B+ or better).
    Constraint experienceMix(ConstraintFactory factory) {
        return factory.forEach(TaCourse.class)
                .filter(TaCourse::wantsExperienced)
                .ifNotExists(TaSlot.class, equal(course -> course, TaSlot::getCourse),
                        filtering((course, slot) -> slot.taIsExperienced()))
                .penalizeConfigurable()
                .justifyWith((course, score) -> new TaJustification(course.id(), -1, null,
                        course.label() + " asked for an experienced TA and has none"))
                .asConstraint(EXPERIENCE_MIX);
    }

    // Each TA's hours should be close to their target: the squared difference.
    Constraint fairLoad(ConstraintFactory factory) {
        return hoursPerTa(factory)
                .filter((ta, hours) -> hours != ta.targetHours())
                .penalizeConfigurableLong((ta, hours) -> square(hours - ta.targetHours()))
                .justifyWith((ta, hours, score) -> TaJustification.ofApplicant(ta, ta.name() + " has " + hours
                        + " h against a target of " + ta.targetHours() + " h"))
                .asConstraint(FAIR_LOAD);
    }

    // A TA with a target but no slot is as far from it as can be: the target squared.
    Constraint fairLoadIdle(ConstraintFactory factory) {
        return idleTas(factory)
                .filter(ta -> ta.targetHours() > 0)
                .penalizeConfigurableLong(ta -> square(ta.targetHours()))
                .justifyWith((ta, score) -> TaJustification.ofApplicant(ta, ta.name() + " has no slot against a target of "
                        + ta.targetHours() + " h"))
                .asConstraint(FAIR_LOAD_IDLE);
    }

    // A TA who TA'd the course before is a plus.
    Constraint continuity(ConstraintFactory factory) {
        return factory.forEach(TaSlot.class)
                .filter(TaSlot::taHasTaught)
                .rewardConfigurable()
                .justifyWith((slot, score) -> TaJustification.ofSlot(slot, slot.getTa().name() + " TA'd "
                        + slot.getCourse().code() + " before"))
                .asConstraint(CONTINUITY);
    }

    // When re-solving, each slot whose TA differs from the previous assignment costs.
    Constraint previousAssignment(ConstraintFactory factory) {
        return factory.forEachIncludingNullVars(TaSlot.class)
                .filter(TaSlot::differsFromPrevious)
                .penalizeConfigurable()
                .justifyWith((slot, score) -> TaJustification.ofSlot(slot, "slot " + (slot.getSlotIndex() + 1)
                        + " of " + slot.getCourse().label() + " was " + slot.getPreviousTa().name() + ", now "
                        + (slot.getTa() == null ? "empty" : slot.getTa().name())))
                .asConstraint(PREVIOUS_ASSIGNMENT);
    }

    /**
     * Each TA with at least one slot, and the hours of their slots. Three constraints read it; they get
     * the one stream built for this factory, so the score director keeps one group node for all three
     * (Bavet shares a node only when the same stream object is reused: group streams are never equal).
     */
    private BiConstraintStream<TaApplicant, Integer> hoursPerTa(ConstraintFactory factory) {
        shareWith(factory);
        return hoursPerTa;
    }

    /** Each TA without any slot; read by the two "idle" constraints, one node for both (as {@link #hoursPerTa}). */
    private UniConstraintStream<TaApplicant> idleTas(ConstraintFactory factory) {
        shareWith(factory);
        return idleTas;
    }

    /**
     * Each pair of slots one TA holds, once (a before b); read by the overlap and the one-slot-per-course
     * rules, one join node for both (as {@link #hoursPerTa}). A filter orders the pair, not
     * forEachUniquePair's lessThan joiner: a TA holds only a few slots and the ordered index of that
     * joiner costs more than it saves.
     */
    private BiConstraintStream<TaSlot, TaSlot> slotPairsPerTa(ConstraintFactory factory) {
        shareWith(factory);
        return slotPairsPerTa;
    }

    /** Builds the shared streams for this factory, once. */
    private void shareWith(ConstraintFactory factory) {
        if (sharedFactory != factory) {
            hoursPerTa = factory.forEach(TaSlot.class).groupBy(TaSlot::getTa, sum(TaSlot::getHours));
            idleTas = factory.forEach(TaApplicant.class).ifNotExists(TaSlot.class, equal(ta -> ta, TaSlot::getTa));
            slotPairsPerTa = factory.forEach(TaSlot.class)
                    .join(TaSlot.class, equal(TaSlot::getTa), filtering(TaSlot::isBefore));
            sharedFactory = factory;
        }
    }

    /** Priority 1..5, doubled for a slot below the course's minimum number of TAs. */
    public static int unfilledWeight(TaSlot slot) {
        return slot.getCourse().priority() * (slot.isBelowMinimum() ? 2 : 1);
    }

    private static long square(long x) {
        return x * x;
    }

    private static String missingSkills(TaApplicant ta, TaCourse course) {
        TreeSet<String> missing = new TreeSet<>(course.requiredSkills());
        missing.removeAll(ta.skills());
        return String.join(", ", missing);
    }

    private static String ratingText(TaApplicant ta, TaCourse course) {
        return ta.hasRated(course) ? ta.ratingFor(course) + "/5" : "not at all (counts as " + TaApplicant.UNRATED + "/5)";
    }
}
