package tapipeline.schemas.assignment;

import java.util.List;
import tapipeline.schemas.support.Checks;

/**
 * A TA applicant.
 *
 * @param id               unique id within the problem
 * @param name             display name, any script
 * @param program          degree program, e.g. {@code MSc Computer Science}
 * @param year             year in the program (1..15)
 * @param minHours         hours per week owed by the funding package (0 = none)
 * @param maxHours         hard maximum hours per week (1..60)
 * @param targetHours      hours per week the department aims for; minHours <= target <= maxHours
 * @param unavailable      weekly blocks the applicant cannot work
 * @param skills           skills and qualifications (matched against {@link Course#requiredSkills()})
 * @param coursesTaken     courses taken, with grade
 * @param previouslyTaught course codes the applicant has TA'd before
 * @param conflicts        conflicts of interest (hard: never assigned to those courses)
 */
public record Applicant(
        String id,
        String name,
        String program,
        int year,
        int minHours,
        int maxHours,
        int targetHours,
        List<Meeting> unavailable,
        List<String> skills,
        List<CourseGrade> coursesTaken,
        List<String> previouslyTaught,
        List<ConflictOfInterest> conflicts) {

    public Applicant {
        Checks.id(id, "Applicant.id");
        Checks.text(name, "Applicant.name");
        Checks.anyText(program, "Applicant.program");
        Checks.range(year, 1, 15, "Applicant.year");
        Checks.range(minHours, 0, 60, "Applicant.minHours");
        Checks.range(maxHours, 1, 60, "Applicant.maxHours");
        Checks.range(targetHours, 0, 60, "Applicant.targetHours");
        Checks.ordered(minHours, "Applicant.minHours", targetHours, "Applicant.targetHours");
        Checks.ordered(targetHours, "Applicant.targetHours", maxHours, "Applicant.maxHours");
        unavailable = Checks.list(unavailable, "Applicant.unavailable");
        skills = Checks.texts(skills, "Applicant.skills");
        coursesTaken = Checks.list(coursesTaken, "Applicant.coursesTaken");
        previouslyTaught = Checks.texts(previouslyTaught, "Applicant.previouslyTaught");
        conflicts = Checks.list(conflicts, "Applicant.conflicts");
    }
}
