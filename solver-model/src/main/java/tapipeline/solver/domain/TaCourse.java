package tapipeline.solver.domain;

import java.util.List;
import java.util.Set;
import org.optaplanner.core.api.domain.lookup.PlanningId;

/**
 * A course section as the solver sees it (a problem fact). Immutable; built by the problem mapper.
 * Equality is identity: the solver joins on courses, and comparing every field would be slow.
 *
 * @param index           position in the problem's course list (stable tie-breaker)
 * @param label           code and section for explanations, e.g. {@code CPSC 110-101}
 * @param bannedApplicants ids of applicants the instructor banned
 */
public record TaCourse(
        String id,
        int index,
        String label,
        String title,
        int slots,
        int hoursPerSlot,
        int minTas,
        int priority,
        boolean wantsExperienced,
        String code,
        Set<String> requiredSkills,
        List<TimeWindow> meetings,
        Set<String> bannedApplicants) {

    public TaCourse {
        requiredSkills = Set.copyOf(requiredSkills);
        meetings = List.copyOf(meetings);
        bannedApplicants = Set.copyOf(bannedApplicants);
    }

    /** A course with no meetings, skills or bans; handy in tests. */
    public static TaCourse simple(String id, int slots, int hoursPerSlot, int priority) {
        return new TaCourse(id, 0, id, id, slots, hoursPerSlot, 0, priority, false, id,
                Set.of(), List.of(), Set.of());
    }

    public boolean bans(TaApplicant applicant) {
        return bannedApplicants.contains(applicant.id());
    }

    /** True when a meeting of this course overlaps a meeting of the other. */
    public boolean meetsAtSameTimeAs(TaCourse other) {
        return TimeWindow.anyOverlap(meetings, other.meetings);
    }

    public TaCourse withMeetings(List<TimeWindow> newMeetings) {
        return new TaCourse(id, index, label, title, slots, hoursPerSlot, minTas, priority, wantsExperienced,
                code, requiredSkills, newMeetings, bannedApplicants);
    }

    public TaCourse withRequiredSkills(Set<String> skills) {
        return new TaCourse(id, index, label, title, slots, hoursPerSlot, minTas, priority, wantsExperienced,
                code, skills, meetings, bannedApplicants);
    }

    public TaCourse withBans(Set<String> bans) {
        return new TaCourse(id, index, label, title, slots, hoursPerSlot, minTas, priority, wantsExperienced,
                code, requiredSkills, meetings, bans);
    }

    public TaCourse withMinTas(int min) {
        return new TaCourse(id, index, label, title, slots, hoursPerSlot, min, priority, wantsExperienced,
                code, requiredSkills, meetings, bannedApplicants);
    }

    public TaCourse withWantsExperienced(boolean wants) {
        return new TaCourse(id, index, label, title, slots, hoursPerSlot, minTas, priority, wants,
                code, requiredSkills, meetings, bannedApplicants);
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
        return label;
    }
}
