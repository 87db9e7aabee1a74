package tapipeline.solver.explain;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.optaplanner.core.api.score.ScoreExplanation;
import org.optaplanner.core.api.score.buildin.hardmediumsoftlong.HardMediumSoftLongScore;
import org.optaplanner.core.api.score.constraint.ConstraintMatch;
import org.optaplanner.core.api.score.constraint.ConstraintMatchTotal;
import tapipeline.schemas.assignment.RunCompleted.Assignment;
import tapipeline.schemas.assignment.RunCompleted.Candidate;
import tapipeline.schemas.assignment.RunCompleted.ConstraintScore;
import tapipeline.schemas.assignment.RunCompleted.Explanation;
import tapipeline.schemas.assignment.RunCompleted.UnassignedSlot;
import tapipeline.solver.domain.CandidateList;
import tapipeline.solver.domain.InstructorRequest;
import tapipeline.solver.domain.TaApplicant;
import tapipeline.solver.domain.TaAssignmentSolution;
import tapipeline.solver.domain.TaConstraintConfiguration;
import tapipeline.solver.domain.TaSlot;
import tapipeline.solver.constraints.TaJustification;

/**
 * Explains a solved assignment to a coordinator: per constraint, its share of the score; per filled
 * slot, why this TA (summary, reasons, runner-ups and why they lost); per empty slot, what blocked
 * each candidate. Works on the score explanation of OptaPlanner's {@code SolutionManager} plus the
 * model's own eligibility checks ({@link Blockers}).
 */
public final class Explainer {

    /** Runner-ups listed per filled slot. */
    public static final int RUNNER_UPS = 3;
    /** Candidates listed per empty slot (the summary counts all of them). */
    public static final int MAX_BLOCKERS = 25;

    private final TaAssignmentSolution solution;
    private final ScoreExplanation<TaAssignmentSolution, HardMediumSoftLongScore> explanation;
    private final Map<TaApplicant, List<TaSlot>> held = new HashMap<>();
    private final Map<String, Integer> requestRank = new HashMap<>();
    private final Map<String, TaApplicant> applicantsById = new HashMap<>();
    private final Map<String, UnassignedSlot> unassignedCache = new HashMap<>();
    /** Every applicant's index is its position in the solution's list (as the problem mapper makes them). */
    private final boolean indexed;
    private final Map<String, List<String>> slotNotes = new HashMap<>();
    private final Map<String, List<String>> applicantNotes = new HashMap<>();
    private final Map<String, List<String>> courseNotes = new HashMap<>();
    /** {@link System#nanoTime} after which slots get a short note instead of an explanation. */
    private long deadlineNanos;
    private boolean limited;
    private final java.util.Set<String> leftOut = new java.util.HashSet<>();

    /** What a slot's explanation says when the time limit left it out. */
    public static final String LEFT_OUT = "explanation left out: the run's time limit was reached";

    /**
     * An explainer without the solver's score explanation, for a run with no time left to work it
     * out: no constraint notes in the reasons, and an empty {@link #scoreBreakdown()}.
     */
    public Explainer(TaAssignmentSolution solution) {
        this(solution, null);
    }

    /** @param explanation the score explanation of OptaPlanner's {@code SolutionManager}; null: see {@link #Explainer(TaAssignmentSolution)} */
    public Explainer(TaAssignmentSolution solution,
            ScoreExplanation<TaAssignmentSolution, HardMediumSoftLongScore> explanation) {
        this.solution = solution;
        this.explanation = explanation;
        for (TaSlot slot : solution.getSlots()) {
            if (slot.getTa() != null) {
                held.computeIfAbsent(slot.getTa(), k -> new ArrayList<>()).add(slot);
            }
        }
        solution.getApplicants().forEach(a -> applicantsById.put(a.id(), a));
        boolean atIndex = true;
        for (int i = 0; i < solution.getApplicants().size(); i++) {
            atIndex &= solution.getApplicants().get(i).index() == i;
        }
        indexed = atIndex;
        for (InstructorRequest r : solution.getRequests()) {
            requestRank.merge(r.course().id() + "|" + r.applicant().id(), r.rank(), Math::min);
        }
        for (ConstraintMatchTotal<HardMediumSoftLongScore> total : explanation == null ? List.<ConstraintMatchTotal<HardMediumSoftLongScore>>of()
                : explanation.getConstraintMatchTotalMap().values()) {
            for (ConstraintMatch<HardMediumSoftLongScore> match : total.getConstraintMatchSet()) {
                if (match.getJustification() instanceof TaJustification j) {
                    String note = j.text() + " (" + total.getConstraintName() + ": " + match.getScore() + ")";
                    if (j.slotIndex() >= 0) {
                        slotNotes.computeIfAbsent(j.courseId() + "#" + j.slotIndex(), k -> new ArrayList<>()).add(note);
                    } else if (j.courseId() == null && j.applicantId() != null) {
                        applicantNotes.computeIfAbsent(j.applicantId(), k -> new ArrayList<>()).add(note);
                    } else if (j.courseId() != null) {
                        courseNotes.computeIfAbsent(j.courseId(), k -> new ArrayList<>()).add(note);
                    }
                }
            }
        }
        slotNotes.values().forEach(list -> list.sort(null));
        applicantNotes.values().forEach(list -> list.sort(null));
        courseNotes.values().forEach(list -> list.sort(null));
    }

    /**
     * Explains slots only until {@code deadlineNanos} ({@link System#nanoTime} time); the slots after
     * it get a one-line explanation that says it was left out ({@link #LEFT_OUT}). Returns this.
     */
    public Explainer until(long deadlineNanos) {
        this.deadlineNanos = deadlineNanos;
        this.limited = true;
        return this;
    }

    /** How many slots got the short note instead of an explanation so far. */
    public int leftOutCount() {
        return leftOut.size();
    }

    private boolean overTime(TaSlot slot) {
        if (leftOut.contains(slot.getId())) {
            return true;
        }
        if (limited && System.nanoTime() - deadlineNanos >= 0 && !unassignedCache.containsKey(slot.getId())) {
            leftOut.add(slot.getId());
            return true;
        }
        return false;
    }

    /** The score of every constraint, in the documented order, including those that did not match. */
    public List<ConstraintScore> scoreBreakdown() {
        if (explanation == null) {
            return List.of();
        }
        Map<String, ConstraintScore> byName = new LinkedHashMap<>();
        for (String name : TaConstraintConfiguration.DEFAULTS.keySet()) {
            byName.put(name, new ConstraintScore(name, HardMediumSoftLongScore.ZERO.toString(), 0));
        }
        for (ConstraintMatchTotal<HardMediumSoftLongScore> total : explanation.getConstraintMatchTotalMap().values()) {
            byName.put(total.getConstraintName(), new ConstraintScore(total.getConstraintName(),
                    total.getScore().toString(), total.getConstraintMatchCount()));
        }
        return List.copyOf(byName.values());
    }

    /** One entry per slot, filled or not, in problem order. */
    public List<Assignment> assignments() {
        List<Assignment> out = new ArrayList<>(solution.getSlots().size());
        for (TaSlot slot : solution.getSlots()) {
            TaApplicant ta = slot.getTa();
            Explanation why = overTime(slot) ? leftOutExplanation(ta)
                    : ta == null ? explainEmpty(slot) : explainFilled(slot);
            out.add(new Assignment(slot.getCourse().id(), slot.getSlotIndex(), ta == null ? null : ta.id(),
                    slot.isPinned(), why));
        }
        return out;
    }

    /** One slot's entry, as in {@link #assignments()}, without explaining the others; null when there is no such slot. */
    public Assignment assignment(String courseId, int slotIndex) {
        for (TaSlot slot : solution.getSlots()) {
            if (slot.getSlotIndex() == slotIndex && slot.getCourse().id().equals(courseId)) {
                TaApplicant ta = slot.getTa();
                return new Assignment(courseId, slotIndex, ta == null ? null : ta.id(), slot.isPinned(),
                        ta == null ? explainEmpty(slot) : explainFilled(slot));
            }
        }
        return null;
    }

    /** The empty slots with what blocked each candidate. */
    public List<UnassignedSlot> unassigned() {
        List<UnassignedSlot> out = new ArrayList<>();
        for (TaSlot slot : solution.getSlots()) {
            if (slot.getTa() == null) {
                out.add(overTime(slot) ? new UnassignedSlot(slot.getCourse().id(), slot.getSlotIndex(),
                        "Empty; " + LEFT_OUT + ".", List.of()) : unassigned(slot));
            }
        }
        return out;
    }

    private static Explanation leftOutExplanation(TaApplicant ta) {
        return new Explanation((ta == null ? "Empty" : ta.name()) + "; " + LEFT_OUT + ".", List.of(), List.of());
    }

    Explanation explainFilled(TaSlot slot) {
        TaApplicant ta = slot.getTa();
        List<String> positives = positives(slot, ta);
        String summary = ta.name() + ": " + (positives.isEmpty() ? "eligible with free hours" : String.join(", ", positives));
        List<String> reasons = new ArrayList<>(positives);
        int hours = hoursOf(ta);
        reasons.add(ta.name() + " now has " + hours + " of at most " + ta.maxHours() + " h (target " + ta.targetHours()
                + " h" + (ta.minHours() > 0 ? ", owed " + ta.minHours() + " h" : "") + ")");
        reasons.addAll(slotNotes.getOrDefault(slot.getId(), List.of()));
        reasons.addAll(applicantNotes.getOrDefault(ta.id(), List.of()));
        reasons.addAll(courseNotes.getOrDefault(slot.getCourse().id(), List.of()));
        List<Candidate> runnerUps = new ArrayList<>();
        if (!slot.isPinned()) {
            // the best-listed others, but always including the best one who was free to take it
            List<TaApplicant> picked = new ArrayList<>();
            for (TaApplicant other : slot.getCandidates()) {
                if (picked.size() == RUNNER_UPS - 1) {
                    break;
                }
                if (other != ta) {
                    picked.add(other);
                }
            }
            boolean freeListed = picked.stream().anyMatch(o -> isFree(o, slot));
            TaApplicant bestFree = freeListed ? null : bestFree(slot, o -> o != ta && !picked.contains(o));
            if (bestFree != null) {
                picked.add(bestFree);
            } else {
                slot.getCandidates().stream().filter(o -> o != ta && !picked.contains(o)).findFirst().ifPresent(picked::add);
            }
            for (TaApplicant other : picked) {
                runnerUps.add(new Candidate(other.id(), other.name(), whyNot(other, slot, ta)));
            }
        }
        return new Explanation(summary, capped(reasons), runnerUps);
    }

    /** At most this many reasons per slot, as the run.completed schema allows. */
    static final int MAX_REASONS = 1000;

    /** The reasons, the last one saying how many were left out when there are more than {@link #MAX_REASONS}. */
    static List<String> capped(List<String> reasons) {
        if (reasons.size() <= MAX_REASONS) {
            return reasons;
        }
        List<String> out = new ArrayList<>(reasons.subList(0, MAX_REASONS - 1));
        out.add("and " + (reasons.size() - out.size()) + " more reasons not listed");
        return out;
    }

    private List<String> positives(TaSlot slot, TaApplicant ta) {
        List<String> out = new ArrayList<>();
        if (slot.isPinned()) {
            out.add("pinned by the coordinator");
        }
        out.add(ta.hasRated(slot.getCourse()) ? "rated " + ta.ratingFor(slot.getCourse()) + "/5" : "did not rate it");
        Integer rank = requestRank.get(slot.getCourse().id() + "|" + ta.id());
        if (rank != null) {
            out.add("instructor request #" + rank);
        }
        if (ta.hasTaught(slot.getCourse())) {
            out.add("TA'd it before");
        } else if (ta.isExperiencedFor(slot.getCourse())) {
            out.add("took it with a good grade");
        }
        if (slot.getPreviousTa() == ta) {
            out.add("kept from the previous assignment");
        }
        return out;
    }

    private String whyNot(TaApplicant other, TaSlot slot, TaApplicant winner) {
        String blocked = Blockers.dynamicBlocker(other, slot, held.getOrDefault(other, List.of()));
        if (blocked != null) {
            return blocked;
        }
        List<String> parts = new ArrayList<>();
        int theirs = other.ratingFor(slot.getCourse());
        int mine = winner.ratingFor(slot.getCourse());
        if (theirs < mine) {
            parts.add("rated it " + theirs + "/5 (vs " + mine + "/5)");
        }
        Integer winnerRank = requestRank.get(slot.getCourse().id() + "|" + winner.id());
        Integer otherRank = requestRank.get(slot.getCourse().id() + "|" + other.id());
        if (winnerRank != null && (otherRank == null || otherRank > winnerRank)) {
            parts.add("the instructor asked for " + winner.name() + " first");
        }
        if (winner.hasTaught(slot.getCourse()) && !other.hasTaught(slot.getCourse())) {
            parts.add("has not TA'd it before");
        }
        int winnerHours = hoursOf(winner);
        if (winner.minHours() > 0 && winnerHours - slot.getHours() < winner.minHours()) {
            parts.add(winner.name() + " is owed " + winner.minHours() + " h and needs this slot to get them");
        }
        int hours = hoursOf(other);
        if (hours + slot.getHours() > other.targetHours()) {
            parts.add("would go to " + (hours + slot.getHours()) + " h against a target of " + other.targetHours() + " h");
        }
        List<TaSlot> theirSlots = held.getOrDefault(other, List.of());
        if (!theirSlots.isEmpty() && parts.isEmpty()) {
            parts.add("fits better in " + theirSlots.get(0).getCourse().label());
        }
        if (parts.isEmpty()) {
            parts.add("an equal fit; the overall score was better with " + winner.name());
        }
        return String.join("; ", parts);
    }

    private Explanation explainEmpty(TaSlot slot) {
        UnassignedSlot u = unassigned(slot);
        List<String> reasons = new ArrayList<>();
        reasons.addAll(slotNotes.getOrDefault(slot.getId(), List.of()));
        reasons.addAll(courseNotes.getOrDefault(slot.getCourse().id(), List.of()));
        return new Explanation(u.summary(), capped(reasons), u.blockers());
    }

    UnassignedSlot unassigned(TaSlot slot) {
        return unassignedCache.computeIfAbsent(slot.getId(), id -> describeUnassigned(slot));
    }

    private UnassignedSlot describeUnassigned(TaSlot slot) {
        List<Candidate> blockers = new ArrayList<>();
        List<String> freeNames = new ArrayList<>();
        int freeCount = 0;
        List<String> blockedTexts = new ArrayList<>();
        int blockedCount = 0;
        for (TaApplicant a : slot.getCandidates()) {
            boolean free = isFree(a, slot);
            boolean listed = blockers.size() < MAX_BLOCKERS;
            if (free) {
                if (freeNames.size() < 4) {
                    freeNames.add(a.name());
                }
                freeCount++;
                if (listed) {
                    blockers.add(new Candidate(a.id(), a.name(), "could take it: free, eligible"));
                }
            } else {
                // the words only for what is shown: the first few blocked and the listed ones
                if (blockedTexts.size() < 5 || listed) {
                    String why = Blockers.dynamicBlocker(a, slot, held.getOrDefault(a, List.of()));
                    if (blockedTexts.size() < 5) {
                        blockedTexts.add(a.name() + " " + (why.startsWith("at ") ? "is " + why : why));
                    }
                    if (listed) {
                        blockers.add(new Candidate(a.id(), a.name(), why));
                    }
                }
                blockedCount++;
            }
        }
        StaticPart fixed = staticPart(slot);
        Map<Blockers.Group, Integer> staticCounts = fixed.counts();
        for (Candidate c : fixed.blocked()) {
            if (blockers.size() >= MAX_BLOCKERS) {
                break;
            }
            blockers.add(c);
        }

        StringBuilder summary = new StringBuilder();
        if (freeCount > 0) {
            summary.append("Not filled in the time given: ").append(String.join(", ", head(freeNames, 3)))
                    .append(freeCount > 3 ? " and others" : "").append(" could take it.");
        } else if (blockedCount > 0) {
            summary.append("No qualified TA with free hours: ").append(String.join(", ", head(blockedTexts, 4)));
            if (blockedCount > 4) {
                summary.append(" and ").append(blockedCount - 4).append(" more are busy");
            }
            summary.append('.');
        } else {
            summary.append("No applicant can take ").append(slot.getCourse().label()).append('.');
        }
        if (!staticCounts.isEmpty()) {
            List<String> counts = new ArrayList<>();
            staticCounts.entrySet().stream()
                    .sorted((x, y) -> Integer.compare(y.getValue(), x.getValue()))
                    .forEach(e -> counts.add(e.getKey().count(e.getValue())));
            summary.append(' ').append(capitalize(String.join("; ", head(counts, 5)))).append('.');
        }
        return new UnassignedSlot(slot.getCourse().id(), slot.getSlotIndex(), summary.toString(), blockers);
    }

    /** What the rules that never change say of a course's applicants: counts per group, and the blocked ones, nearest misses first. */
    private record StaticPart(Map<Blockers.Group, Integer> counts, List<Candidate> blocked) {
    }

    private final Map<tapipeline.solver.domain.TaCourse, StaticPart> staticParts = new HashMap<>();

    private StaticPart staticPart(TaSlot slot) {
        // an unpinned slot's candidates are the course's eligible applicants; a pinned slot's are not
        List<TaApplicant> eligible = slot.isPinned() || !(slot.getCandidates() instanceof CandidateList)
                ? null : slot.getCandidates();
        return staticParts.computeIfAbsent(slot.getCourse(), c -> {
            Map<Blockers.Group, Integer> staticCounts = new LinkedHashMap<>();
            List<Candidate> staticBlocked = new ArrayList<>();
            for (TaApplicant a : solution.getApplicants()) {
                if (eligible != null && eligible.contains(a)) {
                    continue;   // eligible: no rule that never changes keeps them off
                }
                List<Blockers.StaticBlocker> fixed = Blockers.staticBlockers(a, c);
                if (fixed.isEmpty()) {
                    continue;
                }
                for (Blockers.StaticBlocker b : fixed) {
                    staticCounts.merge(b.group(), 1, Integer::sum);
                }
                List<String> texts = new ArrayList<>();
                fixed.forEach(b -> texts.add(b.text()));
                staticBlocked.add(new Candidate(a.id(), a.name(), String.join("; ", texts)));
            }
            // nearest misses first: applicants who rated the course highest (stable: ties keep the list's order)
            int[] ratings = new int[staticBlocked.size()];
            Integer[] order = new Integer[staticBlocked.size()];
            for (int i = 0; i < ratings.length; i++) {
                ratings[i] = rating(staticBlocked.get(i).applicantId(), c);
                order[i] = i;
            }
            java.util.Arrays.sort(order, (x, y) -> Integer.compare(ratings[y], ratings[x]));
            List<Candidate> sorted = new ArrayList<>(Math.min(MAX_BLOCKERS, order.length));
            for (int i = 0; i < order.length && sorted.size() < MAX_BLOCKERS; i++) {
                sorted.add(staticBlocked.get(order[i]));
            }
            staticBlocked = sorted;
            return new StaticPart(staticCounts, staticBlocked);
        });
    }

    /** Whether nothing in the current assignment keeps {@code a} off the slot: {@link Blockers#dynamicBlocker} is null. */
    private boolean isFree(TaApplicant a, TaSlot slot) {
        int hours = 0;
        for (TaSlot other : held.getOrDefault(a, List.of())) {
            if (other == slot) {
                continue;
            }
            if (other.getCourse() == slot.getCourse() || slot.meetsAtSameTimeAs(other)) {
                return false;
            }
            hours += other.getHours();
        }
        return hours + slot.getHours() <= a.maxHours();
    }

    /** By slot hours: the applicants whose held hours leave room for that many more (bit set words by index). */
    private final Map<Integer, long[]> roomFor = new HashMap<>();

    /** The best-listed candidate of the slot that passes {@code test} and is free to take it, or null. */
    private TaApplicant bestFree(TaSlot slot, java.util.function.Predicate<TaApplicant> test) {
        if (slot.getCandidates() instanceof CandidateList list && indexed) {
            long[] room = roomFor.computeIfAbsent(slot.getHours(), h -> {
                java.util.BitSet bits = new java.util.BitSet();
                for (TaApplicant a : solution.getApplicants()) {
                    if (hoursOf(a) + h <= a.maxHours()) {
                        bits.set(a.index());
                    }
                }
                return bits.toLongArray();
            });
            // room is counted with every slot held; a TA holding this very slot is not a runner-up
            return list.first(room, o -> test.test(o) && isFree(o, slot));
        }
        for (TaApplicant o : slot.getCandidates()) {
            if (test.test(o) && isFree(o, slot)) {
                return o;
            }
        }
        return null;
    }

    private int rating(String applicantId, tapipeline.solver.domain.TaCourse course) {
        TaApplicant a = applicantsById.get(applicantId);
        return a == null ? 0 : a.ratingFor(course);
    }

    private int rating(String applicantId, TaSlot slot) {
        TaApplicant a = applicantsById.get(applicantId);
        return a == null ? 0 : a.ratingFor(slot.getCourse());
    }

    private int hoursOf(TaApplicant a) {
        int hours = 0;
        for (TaSlot s : held.getOrDefault(a, List.of())) {
            hours += s.getHours();
        }
        return hours;
    }

    private static List<String> head(List<String> list, int n) {
        return list.size() <= n ? list : list.subList(0, n);
    }

    private static String capitalize(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
