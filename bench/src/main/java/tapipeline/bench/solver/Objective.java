package tapipeline.bench.solver;

import static tapipeline.solver.domain.TaConstraintConfiguration.CONTINUITY;
import static tapipeline.solver.domain.TaConstraintConfiguration.EXPERIENCE_MIX;
import static tapipeline.solver.domain.TaConstraintConfiguration.FAIR_LOAD;
import static tapipeline.solver.domain.TaConstraintConfiguration.FAIR_LOAD_IDLE;
import static tapipeline.solver.domain.TaConstraintConfiguration.HOURS_OWED;
import static tapipeline.solver.domain.TaConstraintConfiguration.HOURS_OWED_IDLE;
import static tapipeline.solver.domain.TaConstraintConfiguration.INSTRUCTOR_REQUEST;
import static tapipeline.solver.domain.TaConstraintConfiguration.TA_PREFERENCE;
import static tapipeline.solver.domain.TaConstraintConfiguration.UNFILLED_SLOT;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.optaplanner.core.api.score.buildin.hardmediumsoftlong.HardMediumSoftLongScore;
import tapipeline.solver.domain.InstructorRequest;
import tapipeline.solver.domain.TaApplicant;
import tapipeline.solver.domain.TaAssignmentSolution;
import tapipeline.solver.domain.TaConstraintConfiguration;
import tapipeline.solver.domain.TaCourse;
import tapipeline.solver.domain.TaSlot;

/**
 * The medium and soft levels of the solver's score, rewritten over course-level choices: which of a
 * course's candidates it gets (its slots are numbered afterwards, lowest first). Built from the
 * solution's own constraint weights, constraint by constraint as {@code TaConstraintProvider} defines
 * them, as
 * <ul>
 *   <li>a coefficient per (course, candidate): TA preference, instructor request, continuity;</li>
 *   <li>a table per course over how many TAs it gets: the unfilled slots (below-minimum slots weigh
 *       double, and numbering lowest first leaves the cheapest slots empty);</li>
 *   <li>a table per TA over their total hours: hours owed (with and without a slot) and fair load
 *       (squared deviation from the target, with and without a slot) — exact, no linearization;</li>
 *   <li>a 0/1 "no experienced TA" term per course that asks for one;</li>
 *   <li>constants for requests and experience wishes no candidate can meet.</li>
 * </ul>
 * Penalties are positive here (the score is their negation). The CP-SAT model, the greedy baseline's
 * bookkeeping and the simple upper bound all use this one description; {@link #evaluate} recomputes
 * a score from it, which the benchmark compares against OptaPlanner's own score calculator.
 */
final class Objective {

    final TaAssignmentSolution solution;
    final List<TaCourse> courses;
    final List<TaApplicant> tas;
    final Map<TaApplicant, Integer> taIndex = new IdentityHashMap<>();
    /** Per course: its candidates (as the solver's slots list them). */
    final List<List<TaApplicant>> candidates = new ArrayList<>();
    /** Per course and candidate position: penalty on the medium and soft level if chosen. */
    final long[][] pairMedium;
    final long[][] pairSoft;
    /** Per course: penalty by number of TAs it gets, 0..slots. */
    final long[][] countMedium;
    final long[][] countSoft;
    /** Per TA: penalty by total hours, 0..max hours. */
    final long[][] loadMedium;
    final long[][] loadSoft;
    /** Per course: candidate positions that count as experienced (null if the course does not ask). */
    final int[][] experienced;
    final long experienceMedium;
    final long experienceSoft;
    long constMedium;
    long constSoft;

    Objective(TaAssignmentSolution solution) {
        this.solution = solution;
        for (TaSlot slot : solution.getSlots()) {
            if (slot.isPinned() || slot.getPreviousTa() != null) {
                throw new IllegalArgumentException("the course-level model has no pins or previous assignment;"
                        + " the benchmark instances have neither");
            }
        }
        TaConstraintConfiguration weights = solution.getConstraintConfiguration();
        courses = solution.getCourses();
        tas = solution.getApplicants();
        for (int i = 0; i < tas.size(); i++) {
            taIndex.put(tas.get(i), i);
        }
        Map<TaCourse, List<TaApplicant>> byCourse = new IdentityHashMap<>();
        for (TaSlot slot : solution.getSlots()) {
            byCourse.putIfAbsent(slot.getCourse(), slot.getCandidates());
        }
        int n = courses.size();
        pairMedium = new long[n][];
        pairSoft = new long[n][];
        countMedium = new long[n][];
        countSoft = new long[n][];
        experienced = new int[n][];
        HardMediumSoftLongScore pref = weights.get(TA_PREFERENCE);
        HardMediumSoftLongScore cont = weights.get(CONTINUITY);
        HardMediumSoftLongScore unfilled = weights.get(UNFILLED_SLOT);
        HardMediumSoftLongScore exp = weights.get(EXPERIENCE_MIX);
        experienceMedium = exp.mediumScore();
        experienceSoft = exp.softScore();

        Map<TaCourse, Map<TaApplicant, Long>> requestWeight = new IdentityHashMap<>();
        HardMediumSoftLongScore req = weights.get(INSTRUCTOR_REQUEST);
        for (InstructorRequest r : solution.getRequests()) {
            requestWeight.computeIfAbsent(r.course(), k -> new IdentityHashMap<>()).merge(r.applicant(),
                    (long) r.weight(), Long::sum);
        }

        for (int c = 0; c < n; c++) {
            TaCourse course = courses.get(c);
            List<TaApplicant> cand = byCourse.getOrDefault(course, List.of());
            candidates.add(cand);
            long[] pm = new long[cand.size()];
            long[] ps = new long[cand.size()];
            Map<TaApplicant, Long> requests = requestWeight.getOrDefault(course, Map.of());
            Map<TaApplicant, Long> unmetRequests = new HashMap<>(requests);
            List<Integer> exper = new ArrayList<>();
            for (int k = 0; k < cand.size(); k++) {
                TaApplicant ta = cand.get(k);
                int rating = ta.ratingFor(course);
                if (rating < 5) {
                    long units = (long) (5 - rating) * course.hoursPerSlot();
                    pm[k] += units * pref.mediumScore();
                    ps[k] += units * pref.softScore();
                }
                if (ta.hasTaught(course)) {
                    pm[k] -= cont.mediumScore();
                    ps[k] -= cont.softScore();
                }
                Long w = requests.get(ta);
                if (w != null) {
                    // the request costs its weight unless this candidate is chosen
                    pm[k] -= w * req.mediumScore();
                    ps[k] -= w * req.softScore();
                    constMedium += w * req.mediumScore();
                    constSoft += w * req.softScore();
                    unmetRequests.remove(ta);
                }
                if (ta.isExperiencedFor(course)) {
                    exper.add(k);
                }
            }
            // requests for applicants who are not candidates can never be met
            for (long w : unmetRequests.values()) {
                constMedium += w * req.mediumScore();
                constSoft += w * req.softScore();
            }
            pairMedium[c] = pm;
            pairSoft[c] = ps;
            if (course.wantsExperienced()) {
                if (exper.isEmpty()) {
                    constMedium += experienceMedium;
                    constSoft += experienceSoft;
                } else {
                    experienced[c] = exper.stream().mapToInt(Integer::intValue).toArray();
                }
            }
            long[] cm = new long[course.slots() + 1];
            long[] cs = new long[course.slots() + 1];
            for (int got = 0; got <= course.slots(); got++) {
                for (int slot = got; slot < course.slots(); slot++) {
                    long units = (long) course.priority() * (slot < course.minTas() ? 2 : 1);
                    cm[got] += units * unfilled.mediumScore();
                    cs[got] += units * unfilled.softScore();
                }
            }
            countMedium[c] = cm;
            countSoft[c] = cs;
        }

        HardMediumSoftLongScore owed = weights.get(HOURS_OWED);
        HardMediumSoftLongScore owedIdle = weights.get(HOURS_OWED_IDLE);
        HardMediumSoftLongScore fair = weights.get(FAIR_LOAD);
        HardMediumSoftLongScore fairIdle = weights.get(FAIR_LOAD_IDLE);
        loadMedium = new long[tas.size()][];
        loadSoft = new long[tas.size()][];
        for (int t = 0; t < tas.size(); t++) {
            TaApplicant ta = tas.get(t);
            int max = Math.max(0, ta.maxHours());
            long[] lm = new long[max + 1];
            long[] ls = new long[max + 1];
            for (int h = 0; h <= max; h++) {
                if (h == 0) {
                    // no slot at all (every slot has hours > 0)
                    long owedUnits = Math.max(0, ta.minHours());
                    long fairUnits = ta.targetHours() > 0 ? (long) ta.targetHours() * ta.targetHours() : 0;
                    lm[h] = owedUnits * owedIdle.mediumScore() + fairUnits * fairIdle.mediumScore();
                    ls[h] = owedUnits * owedIdle.softScore() + fairUnits * fairIdle.softScore();
                } else {
                    long owedUnits = Math.max(0, ta.minHours() - h);
                    long d = h - ta.targetHours();
                    lm[h] = owedUnits * owed.mediumScore() + d * d * fair.mediumScore();
                    ls[h] = owedUnits * owed.softScore() + d * d * fair.softScore();
                }
            }
            loadMedium[t] = lm;
            loadSoft[t] = ls;
        }
    }

    int courseCount() {
        return courses.size();
    }

    /**
     * Medium and soft penalty of a course-level assignment: for each course the candidate positions
     * it gets. Hard rules are not checked here.
     */
    long[] evaluate(int[][] chosen) {
        long med = constMedium;
        long soft = constSoft;
        int[] load = new int[tas.size()];
        for (int c = 0; c < courses.size(); c++) {
            int[] ks = chosen[c];
            med += countMedium[c][Math.min(ks.length, countMedium[c].length - 1)];
            soft += countSoft[c][Math.min(ks.length, countSoft[c].length - 1)];
            boolean gotExperienced = false;
            for (int k : ks) {
                med += pairMedium[c][k];
                soft += pairSoft[c][k];
                load[taIndex.get(candidates.get(c).get(k))] += courses.get(c).hoursPerSlot();
                if (experienced[c] != null && Arrays.binarySearch(experienced[c], k) >= 0) {
                    gotExperienced = true;
                }
            }
            if (experienced[c] != null && !gotExperienced) {
                med += experienceMedium;
                soft += experienceSoft;
            }
        }
        for (int t = 0; t < tas.size(); t++) {
            int h = Math.min(load[t], loadMedium[t].length - 1);
            med += loadMedium[t][h];
            soft += loadSoft[t][h];
        }
        return new long[] {med, soft};
    }

    /**
     * The course-level choice of a solution (which candidates each course's slots hold), matched by
     * course and applicant id, so it works on any mapping of the same problem.
     */
    int[][] chosenOf(TaAssignmentSolution s) {
        Map<String, Integer> courseIndex = new HashMap<>();
        List<Map<String, Integer>> position = new ArrayList<>();
        for (int c = 0; c < courses.size(); c++) {
            courseIndex.put(courses.get(c).id(), c);
            Map<String, Integer> pos = new HashMap<>();
            List<TaApplicant> cand = candidates.get(c);
            for (int k = 0; k < cand.size(); k++) {
                pos.put(cand.get(k).id(), k);
            }
            position.add(pos);
        }
        List<List<Integer>> picks = new ArrayList<>();
        for (int c = 0; c < courses.size(); c++) {
            picks.add(new ArrayList<>());
        }
        for (TaSlot slot : s.getSlots()) {
            if (slot.getTa() != null) {
                int c = courseIndex.get(slot.getCourse().id());
                Integer k = position.get(c).get(slot.getTa().id());
                if (k == null) {
                    throw new IllegalArgumentException(slot.getTa().id() + " is not a candidate of " + slot.getCourse().id());
                }
                picks.get(c).add(k);
            }
        }
        int[][] chosen = new int[courses.size()][];
        for (int c = 0; c < courses.size(); c++) {
            chosen[c] = picks.get(c).stream().mapToInt(Integer::intValue).sorted().toArray();
        }
        return chosen;
    }

    /**
     * A simple bound no assignment can beat: every course gets its best candidates (as many as it
     * has slots, or fewer where that is cheaper), no TA is owed hours, every experience wish is met
     * where some candidate is experienced, and the fair load is only what the spare capacity forces
     * (by Cauchy-Schwarz: the targets exceed the slot hours by D, spread over N TAs, costs at least
     * D²/N). On the medium level it counts only slots that have too few candidates to be filled.
     */
    HardMediumSoftLongScore simpleBound() {
        long med = constMedium;
        long soft = constSoft;
        long slotHours = 0;
        for (int c = 0; c < courses.size(); c++) {
            slotHours += (long) courses.get(c).slots() * courses.get(c).hoursPerSlot();
            int limit = Math.min(courses.get(c).slots(), candidates.get(c).size());
            long[] pm = pairMedium[c].clone();
            long[] ps = pairSoft[c].clone();
            Arrays.sort(pm);
            Arrays.sort(ps);
            long bestMed = Long.MAX_VALUE;
            long bestSoft = Long.MAX_VALUE;
            long sumMed = 0;
            long sumSoft = 0;
            for (int got = 0; got <= limit; got++) {
                if (got > 0) {
                    sumMed += pm[got - 1];
                    sumSoft += ps[got - 1];
                }
                bestMed = Math.min(bestMed, countMedium[c][got] + sumMed);
                bestSoft = Math.min(bestSoft, countSoft[c][got] + sumSoft);
            }
            med += bestMed;
            soft += bestSoft;
        }
        long targets = 0;
        for (int t = 0; t < tas.size(); t++) {
            med += Arrays.stream(loadMedium[t]).min().orElse(0);
            targets += Math.max(0, tas.get(t).targetHours());
        }
        HardMediumSoftLongScore fair = solution.getConstraintConfiguration().get(FAIR_LOAD);
        HardMediumSoftLongScore fairIdle = solution.getConstraintConfiguration().get(FAIR_LOAD_IDLE);
        long deficit = targets - slotHours;
        if (fair.equals(fairIdle) && deficit > 0 && !tas.isEmpty()) {
            soft += fair.softScore() * (deficit * deficit / tas.size());
        } else {
            for (int t = 0; t < tas.size(); t++) {
                soft += Arrays.stream(loadSoft[t]).min().orElse(0);
            }
        }
        return HardMediumSoftLongScore.of(0, -med, -soft);
    }
}
