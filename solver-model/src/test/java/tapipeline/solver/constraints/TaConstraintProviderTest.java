package tapipeline.solver.constraints;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.optaplanner.core.api.score.stream.ConstraintStreamImplType;
import org.optaplanner.test.api.score.stream.ConstraintVerifier;
import tapipeline.solver.domain.InstructorRequest;
import tapipeline.solver.domain.TaApplicant;
import org.optaplanner.core.api.score.buildin.hardmediumsoftlong.HardMediumSoftLongScore;
import tapipeline.solver.domain.TaAssignmentSolution;
import tapipeline.solver.domain.TaConstraintConfiguration;
import tapipeline.solver.domain.TaCourse;
import tapipeline.solver.domain.TaSlot;
import tapipeline.solver.domain.TimeWindow;

class TaConstraintProviderTest {

    private static final TimeWindow MON_9_10 = new TimeWindow(9 * 60, 10 * 60, "MON 09:00-10:00");
    private static final TimeWindow MON_930_11 = new TimeWindow(9 * 60 + 30, 11 * 60, "MON 09:30-11:00");
    private static final TimeWindow MON_10_11 = new TimeWindow(10 * 60, 11 * 60, "MON 10:00-11:00");

    private final ConstraintVerifier<TaConstraintProvider, TaAssignmentSolution> verifier =
            ConstraintVerifier.build(new TaConstraintProvider(), TaAssignmentSolution.class, TaSlot.class)
                    .withConstraintStreamImplType(ConstraintStreamImplType.BAVET);

    private final TaCourse algebra = TaCourse.simple("MATH-100", 2, 10, 3);
    private final TaCourse physics = TaCourse.simple("PHYS-100", 2, 5, 5);
    private final TaApplicant ana = TaApplicant.simple("ana", 0, 20, 10);
    private final TaApplicant bo = TaApplicant.simple("bo", 0, 20, 10);

    @Test
    void taMissingTwoRequiredSkillsIsPenalizedTwice() {
        TaCourse gpu = algebra.withRequiredSkills(Set.of("CUDA", "C++", "Python"));
        TaApplicant python = ana.withSkills(Set.of("Python"));
        verifier.verifyThat(TaConstraintProvider::requiredSkills)
                .given(gpu, python, TaSlot.of(gpu, 0, python))
                .penalizesBy(2);
        verifier.verifyThat(TaConstraintProvider::requiredSkills)
                .given(gpu, TaSlot.of(gpu, 0, python.withSkills(Set.of("CUDA", "C++", "Python"))))
                .penalizesBy(0);
    }

    @Test
    void hoursAboveMaximumArePenalizedPerHour() {
        TaApplicant small = TaApplicant.simple("small", 0, 12, 10);
        verifier.verifyThat(TaConstraintProvider::withinMaxHours)
                .given(TaSlot.of(algebra, 0, small), TaSlot.of(physics, 0, small))
                .penalizesBy(3);
        verifier.verifyThat(TaConstraintProvider::withinMaxHours)
                .given(TaSlot.of(algebra, 0, small), TaSlot.of(physics, 0, ana))
                .penalizesBy(0);
    }

    @Test
    void taInTwoCoursesMeetingAtTheSameTimeIsPenalized() {
        TaCourse early = algebra.withMeetings(List.of(MON_9_10));
        TaCourse overlapping = physics.withMeetings(List.of(MON_930_11));
        TaCourse later = TaCourse.simple("CHEM-100", 1, 5, 1).withMeetings(List.of(MON_10_11));
        verifier.verifyThat(TaConstraintProvider::noOverlappingMeetings)
                .given(TaSlot.of(early, 0, ana), TaSlot.of(overlapping, 0, ana))
                .penalizesBy(1);
        verifier.verifyThat(TaConstraintProvider::noOverlappingMeetings)
                .given(TaSlot.of(early, 0, ana), TaSlot.of(later, 0, ana))
                .penalizesBy(0);
        verifier.verifyThat(TaConstraintProvider::noOverlappingMeetings)
                .given(TaSlot.of(early, 0, ana), TaSlot.of(overlapping, 0, bo))
                .penalizesBy(0);
    }

    @Test
    void taUnavailableWhenTheCourseMeetsIsPenalized() {
        TaCourse monday = algebra.withMeetings(List.of(MON_9_10));
        verifier.verifyThat(TaConstraintProvider::notWhenUnavailable)
                .given(TaSlot.of(monday, 0, ana.withUnavailable(List.of(MON_930_11))))
                .penalizesBy(1);
        verifier.verifyThat(TaConstraintProvider::notWhenUnavailable)
                .given(TaSlot.of(monday, 0, ana.withUnavailable(List.of(MON_10_11))))
                .penalizesBy(0);
    }

    @Test
    void taWithAConflictOfInterestIsPenalized() {
        TaApplicant enrolled = ana.withConflicts(Map.of("MATH-100", "enrolled in the course"));
        verifier.verifyThat(TaConstraintProvider::noConflictOfInterest)
                .given(TaSlot.of(algebra, 0, enrolled), TaSlot.of(physics, 0, enrolled))
                .penalizesBy(1);
    }

    @Test
    void taBannedByTheInstructorIsPenalized() {
        TaCourse banning = algebra.withBans(Set.of("ana"));
        verifier.verifyThat(TaConstraintProvider::noInstructorBan)
                .given(TaSlot.of(banning, 0, ana), TaSlot.of(banning, 1, bo))
                .penalizesBy(1);
    }

    @Test
    void taWhoWillNotTaTheCourseIsPenalized() {
        TaApplicant unwilling = ana.withWillNot(Set.of("MATH-100"));
        verifier.verifyThat(TaConstraintProvider::willNotRespected)
                .given(TaSlot.of(algebra, 0, unwilling), TaSlot.of(physics, 0, unwilling))
                .penalizesBy(1);
    }

    @Test
    void sameTaInTwoSlotsOfOneCourseIsPenalized() {
        verifier.verifyThat(TaConstraintProvider::oneSlotPerCourse)
                .given(TaSlot.of(algebra, 0, ana), TaSlot.of(algebra, 1, ana), TaSlot.of(physics, 0, ana))
                .penalizesBy(1);
    }

    @Test
    void emptySlotCostsCoursePriorityDoubledBelowMinimum() {
        TaCourse needsOne = algebra.withMinTas(1); // priority 3
        verifier.verifyThat(TaConstraintProvider::unfilledSlot)
                .given(TaSlot.of(needsOne, 0, null), TaSlot.of(needsOne, 1, null), TaSlot.of(physics, 0, ana))
                .penalizesBy(3 * 2 + 3);
    }

    @Test
    void hoursOwedButNotGivenArePenalizedPerHour() {
        TaApplicant funded = TaApplicant.simple("funded", 15, 20, 15);
        verifier.verifyThat(TaConstraintProvider::hoursOwed)
                .given(funded, TaSlot.of(algebra, 0, funded))
                .penalizesBy(5);
        verifier.verifyThat(TaConstraintProvider::hoursOwed)
                .given(funded, TaSlot.of(algebra, 0, funded), TaSlot.of(physics, 0, funded))
                .penalizesBy(0);
    }

    @Test
    void idleTaOwedHoursIsPenalizedByAllOwedHours() {
        TaApplicant funded = TaApplicant.simple("funded", 15, 20, 15);
        verifier.verifyThat(TaConstraintProvider::hoursOwedIdle)
                .given(funded, bo, TaSlot.of(algebra, 0, bo))
                .penalizesBy(15);
        verifier.verifyThat(TaConstraintProvider::hoursOwedIdle)
                .given(funded, TaSlot.of(algebra, 0, funded))
                .penalizesBy(0);
    }

    @Test
    void lowerRatedCourseCostsRatingGapTimesHours() {
        TaApplicant rater = ana.withRatings(Map.of("MATH-100", 2, "PHYS-100", 5));
        verifier.verifyThat(TaConstraintProvider::taPreference)
                .given(TaSlot.of(algebra, 0, rater), TaSlot.of(physics, 0, rater))
                .penalizesBy((5 - 2) * 10);
        verifier.verifyThat(TaConstraintProvider::taPreference)
                .given(TaSlot.of(physics, 0, bo)) // unrated counts as 3
                .penalizesBy((5 - 3) * 5);
    }

    @Test
    void unmetInstructorRequestCostsByRank() {
        verifier.verifyThat(TaConstraintProvider::instructorRequest)
                .given(new InstructorRequest(algebra, ana, 1), new InstructorRequest(algebra, bo, 2),
                        new InstructorRequest(physics, bo, 5), TaSlot.of(algebra, 0, bo))
                .penalizesBy(3 + 1);
    }

    @Test
    void courseWantingExperienceWithoutAnExperiencedTaIsPenalized() {
        TaCourse wants = algebra.withWantsExperienced(true);
        TaApplicant veteran = bo.withHistory(Set.of("MATH-100"), Set.of());
        TaApplicant goodGrade = bo.withHistory(Set.of(), Set.of("MATH-100"));
        verifier.verifyThat(TaConstraintProvider::experienceMix)
                .given(wants, TaSlot.of(wants, 0, ana), TaSlot.of(wants, 1, null))
                .penalizesBy(1);
        verifier.verifyThat(TaConstraintProvider::experienceMix)
                .given(wants, TaSlot.of(wants, 0, ana), TaSlot.of(wants, 1, veteran))
                .penalizesBy(0);
        verifier.verifyThat(TaConstraintProvider::experienceMix)
                .given(wants, TaSlot.of(wants, 0, goodGrade))
                .penalizesBy(0);
    }

    @Test
    void loadAwayFromTargetCostsTheSquaredDifference() {
        // ana: 10 + 5 = 15 h against 10 -> 25; bo: 5 h against 10 -> 25
        verifier.verifyThat(TaConstraintProvider::fairLoad)
                .given(TaSlot.of(algebra, 0, ana), TaSlot.of(physics, 0, ana), TaSlot.of(physics, 1, bo))
                .penalizesBy(50);
    }

    @Test
    void idleTaCostsTheirTargetSquared() {
        verifier.verifyThat(TaConstraintProvider::fairLoadIdle)
                .given(ana, bo, TaSlot.of(algebra, 0, ana))
                .penalizesBy(100);
    }

    @Test
    void taWhoTaughtTheCourseBeforeIsRewarded() {
        TaApplicant veteran = ana.withHistory(Set.of("MATH-100"), Set.of());
        verifier.verifyThat(TaConstraintProvider::continuity)
                .given(TaSlot.of(algebra, 0, veteran), TaSlot.of(physics, 0, veteran))
                .rewardsWith(1);
    }

    @Test
    void slotChangedFromPreviousAssignmentIsPenalized() {
        TaSlot kept = TaSlot.of(algebra, 0, ana);
        kept.setPreviousTa(ana);
        TaSlot changed = TaSlot.of(algebra, 1, bo);
        changed.setPreviousTa(ana);
        TaSlot emptied = TaSlot.of(physics, 0, null);
        emptied.setPreviousTa(bo);
        TaSlot neverAssigned = TaSlot.of(physics, 1, ana);
        verifier.verifyThat(TaConstraintProvider::previousAssignment)
                .given(kept, changed, emptied, neverAssigned)
                .penalizesBy(2);
    }

    @Test
    void maximumOwedAndFairLoadEachScoreTheirPartOfOneSharedHoursGroup() {
        // the three constraints read one groupBy(TA, sum(hours)) node; the whole score must still be
        // the sum of each one's penalty: small has 10 + 5 = 15 h (3 over the maximum of 12, 5 off the
        // target of 10), funded has 10 h (5 of 15 owed, 5 off the target of 15), physics slot 2 is
        // empty (priority 5), and every slot is unrated (3 of 5: 2 points per hour, 25 h)
        TaApplicant small = TaApplicant.simple("small", 0, 12, 10);
        TaApplicant funded = TaApplicant.simple("funded", 15, 20, 15);
        TaConstraintConfiguration weights = new TaConstraintConfiguration();
        TaAssignmentSolution solution = new TaAssignmentSolution(List.of(algebra, physics), List.of(small, funded), List.of(),
                List.of(TaSlot.of(algebra, 0, small), TaSlot.of(physics, 0, small), TaSlot.of(algebra, 1, funded),
                        TaSlot.of(physics, 1, null)),
                weights);
        HardMediumSoftLongScore expected = weights.get(TaConstraintConfiguration.WITHIN_MAX_HOURS).multiply(3)
                .add(weights.get(TaConstraintConfiguration.HOURS_OWED).multiply(5))
                .add(weights.get(TaConstraintConfiguration.FAIR_LOAD).multiply(25 + 25))
                .add(weights.get(TaConstraintConfiguration.UNFILLED_SLOT).multiply(5))
                .add(weights.get(TaConstraintConfiguration.TA_PREFERENCE).multiply(2 * 25))
                .negate();
        verifier.verifyThat().givenSolution(solution).scores(expected);
    }
}
