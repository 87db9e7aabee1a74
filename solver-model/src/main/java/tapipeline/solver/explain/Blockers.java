package tapipeline.solver.explain;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import tapipeline.solver.domain.TaApplicant;
import tapipeline.solver.domain.TaCourse;
import tapipeline.solver.domain.TaSlot;
import tapipeline.solver.domain.TimeWindow;

/**
 * What keeps an applicant off a slot, in words: first the rules that never change ("lacks skill:
 * CUDA", "conflict of interest"), then those that depend on the rest of the assignment ("at 20/20 h",
 * "conflicts at TUE 10:00 with CPSC 213-101").
 */
public final class Blockers {

    /** Kinds of static blocker, used to count them in summaries. */
    public enum Kind {
        HOURS_TOO_FEW, SKILL, CONFLICT_OF_INTEREST, BAN, WILL_NOT, UNAVAILABLE
    }

    /** A static blocker: its kind, its group in a summary, and the words for this applicant. */
    public record StaticBlocker(Kind kind, Group group, String text) {
    }

    /** What a summary says of the applicants a blocker keeps off, in the plural and of one ("lack CUDA", "lacks CUDA"). */
    public record Group(String ofMany, String ofOne) {

        /** "3 lack CUDA", "1 lacks CUDA". */
        public String count(int n) {
            return n + " " + (n == 1 ? ofOne : ofMany);
        }
    }

    private Blockers() {
    }

    /** The rules that keep the applicant off this course whatever else is assigned; empty when eligible. */
    public static List<StaticBlocker> staticBlockers(TaApplicant a, TaCourse course) {
        List<StaticBlocker> out = new ArrayList<>();
        if (course.hoursPerSlot() > a.maxHours()) {
            out.add(new StaticBlocker(Kind.HOURS_TOO_FEW,
                    new Group("can work fewer hours than a slot needs", "can work fewer hours than a slot needs"),
                    "can work at most " + a.maxHours() + " h, a slot needs " + course.hoursPerSlot() + " h"));
        }
        if (a.missingSkillCount(course) > 0) {
            TreeSet<String> missing = new TreeSet<>(course.requiredSkills());
            missing.removeAll(a.skills());
            out.add(new StaticBlocker(Kind.SKILL, new Group("lack " + andList(missing), "lacks " + andList(missing)),
                    "lacks skill: " + String.join(", ", missing)));
        }
        if (a.hasConflictWith(course)) {
            out.add(new StaticBlocker(Kind.CONFLICT_OF_INTEREST,
                    new Group("have a conflict of interest", "has a conflict of interest"),
                    "conflict of interest: " + a.conflicts().get(course.id())));
        }
        if (course.bans(a)) {
            out.add(new StaticBlocker(Kind.BAN, new Group("are banned by the instructor", "is banned by the instructor"),
                    "banned by the instructor"));
        }
        if (a.willNotTa(course)) {
            out.add(new StaticBlocker(Kind.WILL_NOT, new Group("said they will not TA it", "said they will not TA it"),
                    "said they will not TA it"));
        }
        TimeWindow[] clash = TimeWindow.firstOverlap(course.meetings(), a.unavailable());
        if (clash != null) {
            out.add(new StaticBlocker(Kind.UNAVAILABLE, new Group("are unavailable when it meets", "is unavailable when it meets"),
                    "unavailable " + clash[1].label()));
        }
        return out;
    }

    /**
     * What in the current assignment keeps the applicant off the slot, or {@code null} when nothing
     * does. {@code held} is every slot the applicant holds.
     */
    public static String dynamicBlocker(TaApplicant a, TaSlot slot, List<TaSlot> held) {
        int hours = 0;
        for (TaSlot other : held) {
            if (other == slot) {
                continue;
            }
            if (other.getCourse() == slot.getCourse()) {
                return "already TAs this course";
            }
            TimeWindow[] clash = TimeWindow.firstOverlap(slot.getCourse().meetings(), other.getCourse().meetings());
            if (clash != null) {
                return "conflicts at " + startOf(clash[0]) + " with " + other.getCourse().label();
            }
            hours += other.getHours();
        }
        if (hours + slot.getHours() > a.maxHours()) {
            return hours == a.maxHours()
                    ? "at " + hours + "/" + a.maxHours() + " h"
                    : "at " + hours + "/" + a.maxHours() + " h, the slot needs " + slot.getHours() + " h";
        }
        return null;
    }

    /** Every reason, static then dynamic; {@code null} when the applicant could take the slot now. */
    public static String firstBlocker(TaApplicant a, TaSlot slot, Map<TaApplicant, List<TaSlot>> held) {
        List<StaticBlocker> fixed = staticBlockers(a, slot.getCourse());
        if (!fixed.isEmpty()) {
            List<String> texts = new ArrayList<>();
            fixed.forEach(b -> texts.add(b.text()));
            return String.join("; ", texts);
        }
        return dynamicBlocker(a, slot, held.getOrDefault(a, List.of()));
    }

    /** {@code [LaTeX]} reads "LaTeX", {@code [C, CUDA, R]} reads "C, CUDA and R". */
    static String andList(Collection<String> items) {
        List<String> list = new ArrayList<>(items);
        int n = list.size();
        return n <= 1 ? String.join("", list)
                : String.join(", ", list.subList(0, n - 1)) + " and " + list.get(n - 1);
    }

    /** {@code TUE 10:00-11:20} becomes {@code TUE 10:00}. */
    static String startOf(TimeWindow window) {
        String label = window.label();
        int dash = label.indexOf('-');
        return dash < 0 ? label : label.substring(0, dash);
    }
}
