package tapipeline.schemas.assignment;

import java.util.List;
import tapipeline.schemas.support.Checks;

/**
 * A course section that wants teaching assistants.
 *
 * @param id                unique id within the problem (referenced by preferences, pins, ...)
 * @param code              catalogue code, e.g. {@code CPSC 110}
 * @param title             course title
 * @param section           section label, e.g. {@code 101}
 * @param term              term the section runs in, e.g. {@code 2027W1}
 * @param instructor        instructor's display name (may be empty when not yet known)
 * @param meetings          weekly meeting times a TA must attend
 * @param slots             TA positions wanted (>= 1); slot indexes run from 0 to slots-1
 * @param hoursPerSlot      hours per week of each position (1..40)
 * @param requiredSkills    skills every TA of this course must have
 * @param minTas            below this many TAs the course counts as understaffed (0..slots)
 * @param maxTas            upper bound on TAs (>= slots)
 * @param priority          1 (lowest) to 5 (highest); weighs unfilled slots
 * @param wantsExperienced  the instructor asks for at least one TA who has taught the course before
 */
public record Course(
        String id,
        String code,
        String title,
        String section,
        String term,
        String instructor,
        List<Meeting> meetings,
        int slots,
        int hoursPerSlot,
        List<String> requiredSkills,
        int minTas,
        int maxTas,
        int priority,
        boolean wantsExperienced) {

    public Course {
        Checks.id(id, "Course.id");
        Checks.text(code, "Course.code");
        Checks.text(title, "Course.title");
        Checks.anyText(section, "Course.section");
        Checks.anyText(term, "Course.term");
        Checks.anyText(instructor, "Course.instructor");
        meetings = Checks.list(meetings, "Course.meetings");
        Checks.range(slots, 1, 1000, "Course.slots");
        Checks.range(hoursPerSlot, 1, 40, "Course.hoursPerSlot");
        requiredSkills = Checks.texts(requiredSkills, "Course.requiredSkills");
        Checks.atLeast(minTas, 0, "Course.minTas");
        Checks.ordered(minTas, "Course.minTas", slots, "Course.slots");
        Checks.ordered(slots, "Course.slots", maxTas, "Course.maxTas");
        Checks.range(priority, 1, 5, "Course.priority");
    }

    /** Total TA hours per week the course wants. */
    public int totalHours() {
        return slots * hoursPerSlot;
    }
}
