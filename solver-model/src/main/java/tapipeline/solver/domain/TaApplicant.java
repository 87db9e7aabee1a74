package tapipeline.solver.domain;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.optaplanner.core.api.domain.lookup.PlanningId;

/**
 * A TA applicant as the solver sees it (a problem fact), with everything the constraints look up
 * precomputed into sets and maps. Immutable; equality is identity (see {@link TaCourse}).
 *
 * @param ratings          course id to rating 1..5 (courses not rated count as {@link #UNRATED})
 * @param willNot          course ids the applicant will not TA
 * @param conflicts        course id to the reason of a conflict of interest
 * @param previouslyTaught course codes the applicant TA'd before
 * @param goodGrades       course codes taken with a good grade (see {@link Grades#isGood})
 */
public record TaApplicant(
        String id,
        int index,
        String name,
        int minHours,
        int maxHours,
        int targetHours,
        Set<String> skills,
        List<TimeWindow> unavailable,
        Map<String, Integer> ratings,
        Set<String> willNot,
        Map<String, String> conflicts,
        Set<String> previouslyTaught,
        Set<String> goodGrades) {

    /** The rating assumed for a course the applicant did not rate: neutral. */
    public static final int UNRATED = 3;

    public TaApplicant {
        skills = Set.copyOf(skills);
        unavailable = List.copyOf(unavailable);
        ratings = Map.copyOf(ratings);
        willNot = Set.copyOf(willNot);
        conflicts = Map.copyOf(conflicts);
        previouslyTaught = Set.copyOf(previouslyTaught);
        goodGrades = Set.copyOf(goodGrades);
    }

    /** An applicant with the given hours and nothing else; handy in tests. */
    public static TaApplicant simple(String id, int minHours, int maxHours, int targetHours) {
        return new TaApplicant(id, 0, id, minHours, maxHours, targetHours, Set.of(), List.of(), Map.of(),
                Set.of(), Map.of(), Set.of(), Set.of());
    }

    public int ratingFor(TaCourse course) {
        return ratings.getOrDefault(course.id(), UNRATED);
    }

    public boolean hasRated(TaCourse course) {
        return ratings.containsKey(course.id());
    }

    public boolean willNotTa(TaCourse course) {
        return willNot.contains(course.id());
    }

    public boolean hasConflictWith(TaCourse course) {
        return conflicts.containsKey(course.id());
    }

    /** How many of the course's required skills this applicant lacks. */
    public int missingSkillCount(TaCourse course) {
        int missing = 0;
        for (String skill : course.requiredSkills()) {
            if (!skills.contains(skill)) {
                missing++;
            }
        }
        return missing;
    }

    public boolean isUnavailableFor(TaCourse course) {
        return TimeWindow.anyOverlap(course.meetings(), unavailable);
    }

    public boolean hasTaught(TaCourse course) {
        return previouslyTaught.contains(course.code());
    }

    /** TA'd the course before, or took it with a good grade. */
    public boolean isExperiencedFor(TaCourse course) {
        return hasTaught(course) || goodGrades.contains(course.code());
    }

    /** No static rule forbids this applicant on the course (the rules that depend on other slots aside). */
    public boolean isEligibleFor(TaCourse course) {
        return course.hoursPerSlot() <= maxHours
                && missingSkillCount(course) == 0
                && !hasConflictWith(course)
                && !willNotTa(course)
                && !course.bans(this)
                && !isUnavailableFor(course);
    }

    public TaApplicant withSkills(Set<String> newSkills) {
        return new TaApplicant(id, index, name, minHours, maxHours, targetHours, newSkills, unavailable, ratings,
                willNot, conflicts, previouslyTaught, goodGrades);
    }

    public TaApplicant withUnavailable(List<TimeWindow> windows) {
        return new TaApplicant(id, index, name, minHours, maxHours, targetHours, skills, windows, ratings,
                willNot, conflicts, previouslyTaught, goodGrades);
    }

    public TaApplicant withRatings(Map<String, Integer> newRatings) {
        return new TaApplicant(id, index, name, minHours, maxHours, targetHours, skills, unavailable, newRatings,
                willNot, conflicts, previouslyTaught, goodGrades);
    }

    public TaApplicant withWillNot(Set<String> courseIds) {
        return new TaApplicant(id, index, name, minHours, maxHours, targetHours, skills, unavailable, ratings,
                courseIds, conflicts, previouslyTaught, goodGrades);
    }

    public TaApplicant withConflicts(Map<String, String> newConflicts) {
        return new TaApplicant(id, index, name, minHours, maxHours, targetHours, skills, unavailable, ratings,
                willNot, newConflicts, previouslyTaught, goodGrades);
    }

    public TaApplicant withHistory(Set<String> taught, Set<String> good) {
        return new TaApplicant(id, index, name, minHours, maxHours, targetHours, skills, unavailable, ratings,
                willNot, conflicts, taught, good);
    }

    /** The id, for OptaPlanner's lookups (multithreaded solving); records cannot annotate only the field. */
    @PlanningId
    public String getPlanningId() {
        return id;
    }

    @Override
    public boolean equals(Object o) {
        return this == o;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }

    @Override
    public String toString() {
        return name;
    }
}
