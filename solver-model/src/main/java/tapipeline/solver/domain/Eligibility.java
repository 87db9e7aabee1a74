package tapipeline.solver.domain;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which applicants each course may have, as a bit set by position in the problem's applicant list:
 * exactly {@link TaApplicant#isEligibleFor}, worked out with set operations instead of one check per
 * pair. Per skill the applicants who have it, per slot length those with the hours, per meeting
 * pattern those unavailable then, and the few exceptions (conflicts, "will not"s, bans) cleared by
 * name. At 10,000 courses and 20,000 applicants the pair-by-pair check took about 40 s each time the
 * validator and the mapper made it; this takes well under a second.
 *
 * <p>Not thread-safe (its caches fill on use); one instance per problem.
 */
public final class Eligibility {

    private final List<TaApplicant> applicants;
    private final Map<String, List<Integer>> positionsById = new HashMap<>();
    private final Map<String, BitSet> bySkill = new HashMap<>();
    private final Map<Integer, BitSet> byHours = new HashMap<>();
    private final Map<List<Long>, BitSet> unavailableByMeetings = new HashMap<>();
    private final Map<String, List<Integer>> conflicts = new HashMap<>();
    private final Map<String, List<Integer>> willNot = new HashMap<>();
    private final List<Integer> withUnavailable = new ArrayList<>();

    /** @param applicants the problem's applicants; bit {@code i} of an answer is {@code applicants.get(i)} */
    public Eligibility(List<TaApplicant> applicants) {
        this.applicants = applicants;
        for (int i = 0; i < applicants.size(); i++) {
            TaApplicant a = applicants.get(i);
            positionsById.computeIfAbsent(a.id(), k -> new ArrayList<>(1)).add(i);
            for (String skill : a.skills()) {
                bySkill.computeIfAbsent(skill, k -> new BitSet(applicants.size())).set(i);
            }
            for (String courseId : a.conflicts().keySet()) {
                conflicts.computeIfAbsent(courseId, k -> new ArrayList<>()).add(i);
            }
            for (String courseId : a.willNot()) {
                willNot.computeIfAbsent(courseId, k -> new ArrayList<>()).add(i);
            }
            if (!a.unavailable().isEmpty()) {
                withUnavailable.add(i);
            }
        }
    }

    /** The applicants eligible for {@code course}: a new bit set the caller may change. */
    public BitSet eligible(TaCourse course) {
        BitSet bits = (BitSet) withHours(course.hoursPerSlot()).clone();
        for (String skill : course.requiredSkills()) {
            BitSet having = bySkill.get(skill);
            if (having == null) {
                bits.clear();
                return bits;
            }
            bits.and(having);
        }
        if (bits.isEmpty()) {
            return bits;
        }
        bits.andNot(unavailableFor(course.meetings()));
        for (int i : conflicts.getOrDefault(course.id(), List.of())) {
            bits.clear(i);
        }
        for (int i : willNot.getOrDefault(course.id(), List.of())) {
            bits.clear(i);
        }
        for (String banned : course.bannedApplicants()) {
            for (int i : positionsById.getOrDefault(banned, List.of())) {
                bits.clear(i);
            }
        }
        return bits;
    }

    /** How many applicants are eligible for {@code course}. */
    public int count(TaCourse course) {
        return eligible(course).cardinality();
    }

    private BitSet withHours(int hours) {
        return byHours.computeIfAbsent(hours, h -> {
            BitSet bits = new BitSet(applicants.size());
            for (int i = 0; i < applicants.size(); i++) {
                if (h <= applicants.get(i).maxHours()) {
                    bits.set(i);
                }
            }
            return bits;
        });
    }

    private BitSet unavailableFor(List<TimeWindow> meetings) {
        if (meetings.isEmpty() || withUnavailable.isEmpty()) {
            return new BitSet();
        }
        return unavailableByMeetings.computeIfAbsent(key(meetings), k -> {
            BitSet bits = new BitSet(applicants.size());
            for (int i : withUnavailable) {
                if (TimeWindow.anyOverlap(meetings, applicants.get(i).unavailable())) {
                    bits.set(i);
                }
            }
            return bits;
        });
    }

    /** The meeting times without their labels: courses meeting at the same times share an answer. */
    static List<Long> key(List<TimeWindow> meetings) {
        List<Long> key = new ArrayList<>(meetings.size());
        for (TimeWindow w : meetings) {
            key.add((long) w.startMinute() << 32 | (w.endMinute() & 0xFFFF_FFFFL));
        }
        return key;
    }
}
