package tapipeline.bench.solver;

import com.google.ortools.Loader;
import com.google.ortools.sat.BoolVar;
import com.google.ortools.sat.CpModel;
import com.google.ortools.sat.CpSolver;
import com.google.ortools.sat.CpSolverSolutionCallback;
import com.google.ortools.sat.CpSolverStatus;
import com.google.ortools.sat.IntVar;
import com.google.ortools.sat.LinearArgument;
import com.google.ortools.sat.LinearExpr;
import com.google.ortools.sat.LinearExprBuilder;
import com.google.ortools.sat.Literal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.optaplanner.core.api.score.buildin.hardmediumsoftlong.HardMediumSoftLongScore;
import tapipeline.schemas.assignment.AssignmentProblem;
import tapipeline.solver.domain.TaApplicant;
import tapipeline.solver.domain.TaAssignmentSolution;
import tapipeline.solver.domain.TaCourse;
import tapipeline.solver.domain.TaSlot;
import tapipeline.solver.domain.TimeWindow;

/**
 * The exact peer: a CP-SAT model of the same problem and the same objective.
 *
 * <p>Variables: one boolean per (course, candidate) — the candidates are the solver's own eligible
 * applicants, so qualification, conflicts of interest, bans, "will not", unavailability and
 * hours-per-slot above the maximum are ruled out by construction. "At most {@code slots} TAs per
 * course" replaces the symmetric slot variables (slot numbers are given afterwards, lowest first).
 * Hard rules: a TA's hours at most their maximum; no two courses of one TA meeting at the same time,
 * as one at-most-one per (TA, instant at which a meeting starts) over the courses meeting then —
 * that clique cover is exact for overlapping time windows.
 *
 * <p>Objective: {@link Objective}'s medium and soft penalties, the medium level scaled by a factor
 * larger than the whole possible range of the soft level, so minimizing the sum is exactly the
 * lexicographic HardMediumSoft order. Nonlinear parts (unfilled slots by count, hours owed and the
 * squared fair load by a TA's hours) are exact element constraints over tables, strengthened with
 * the secant cuts of those convex tables for the LP relaxation.
 */
final class CpSatPeer {

    private final Objective objective;
    private final CpModel model = new CpModel();
    private final BoolVar[][] x;
    private final long scale;
    private final long softLow;
    private int constraints;

    CpSatPeer(Objective objective) {
        this.objective = objective;
        int n = objective.courseCount();
        x = new BoolVar[n][];
        long[] softRange = softRange(objective);
        softLow = softRange[0];
        scale = softRange[1] - softRange[0] + 1;
        build();
    }

    /** Lowest and highest soft penalty any assignment can have (loose but safe). */
    static long[] softRange(Objective o) {
        long lo = o.constSoft;
        long hi = o.constSoft;
        for (int c = 0; c < o.courseCount(); c++) {
            int limit = Math.min(o.courses.get(c).slots(), o.candidates.get(c).size());
            long[] ps = o.pairSoft[c].clone();
            Arrays.sort(ps);
            long courseLo = Long.MAX_VALUE;
            long courseHi = Long.MIN_VALUE;
            long sumLo = 0;
            long sumHi = 0;
            for (int got = 0; got <= limit; got++) {
                if (got > 0) {
                    sumLo += ps[got - 1];
                    sumHi += ps[ps.length - got];
                }
                courseLo = Math.min(courseLo, o.countSoft[c][got] + sumLo);
                courseHi = Math.max(courseHi, o.countSoft[c][got] + sumHi);
            }
            lo += courseLo;
            hi += courseHi;
            if (o.experienced[c] != null) {
                lo += Math.min(0, o.experienceSoft);
                hi += Math.max(0, o.experienceSoft);
            }
        }
        for (int t = 0; t < o.tas.size(); t++) {
            lo += Arrays.stream(o.loadSoft[t]).min().orElse(0);
            hi += Arrays.stream(o.loadSoft[t]).max().orElse(0);
        }
        return new long[] {lo, hi};
    }

    private void build() {
        List<TaCourse> courses = objective.courses;
        int nTas = objective.tas.size();
        LinearExprBuilder obj = LinearExpr.newBuilder();
        obj.add(scale * objective.constMedium + objective.constSoft);
        // per TA: its (course, candidate position) pairs, and a lookup course -> position
        List<List<int[]>> pairsOf = new ArrayList<>();
        for (int t = 0; t < nTas; t++) {
            pairsOf.add(new ArrayList<>());
        }
        int[][] position = new int[courses.size()][];
        for (int c = 0; c < courses.size(); c++) {
            List<TaApplicant> cand = objective.candidates.get(c);
            x[c] = new BoolVar[cand.size()];
            position[c] = new int[nTas];
            Arrays.fill(position[c], -1);
            for (int k = 0; k < cand.size(); k++) {
                x[c][k] = model.newBoolVar("x" + c + "_" + k);
                long coef = scale * objective.pairMedium[c][k] + objective.pairSoft[c][k];
                if (coef != 0) {
                    obj.addTerm(x[c][k], coef);
                }
                int t = objective.taIndex.get(cand.get(k));
                pairsOf.get(t).add(new int[] {c, k});
                position[c][t] = k;
            }
            // how many TAs the course gets: at most its slots; the unfilled-slot penalty by that count
            TaCourse course = courses.get(c);
            int limit = Math.min(course.slots(), cand.size());
            long[] table = combined(objective.countMedium[c], objective.countSoft[c]);
            if (cand.isEmpty()) {
                obj.add(table[0]);
            } else {
                IntVar count = model.newIntVar(0, limit, "n" + c);
                model.addEquality(LinearExpr.sum(x[c]), count);
                constraints++;
                obj.add(tableTerm(count, table, limit, 1, "u" + c));
            }
            // a course asking for an experienced TA: e = 1 unless one is chosen
            if (objective.experienced[c] != null) {
                BoolVar none = model.newBoolVar("e" + c);
                LinearExprBuilder some = LinearExpr.newBuilder().add(none);
                for (int k : objective.experienced[c]) {
                    some.add(x[c][k]);
                }
                model.addGreaterOrEqual(some, 1);
                constraints++;
                // and e = 0 as soon as one is chosen, so the objective is exact on every solution, not only
                // on optimal ones
                for (int k : objective.experienced[c]) {
                    model.addLessOrEqual(LinearExpr.newBuilder().add(none).add(x[c][k]), 1);
                    constraints++;
                }
                obj.addTerm(none, scale * objective.experienceMedium + objective.experienceSoft);
            }
        }

        // per TA: hours within the maximum; hours owed and fair load by the hours
        for (int t = 0; t < nTas; t++) {
            TaApplicant ta = objective.tas.get(t);
            long[] table = combined(objective.loadMedium[t], objective.loadSoft[t]);
            List<int[]> pairs = pairsOf.get(t);
            if (pairs.isEmpty()) {
                obj.add(table[0]);
                continue;
            }
            LinearExprBuilder hours = LinearExpr.newBuilder();
            int step = 0;
            for (int[] p : pairs) {
                int h = courses.get(p[0]).hoursPerSlot();
                hours.addTerm(x[p[0]][p[1]], h);
                step = gcd(step, h);
            }
            IntVar load = model.newIntVar(0, ta.maxHours(), "h" + t);
            model.addEquality(hours, load);
            constraints++;
            obj.add(tableTerm(load, table, ta.maxHours(), step, "f" + t));
        }

        // no two courses of a TA meeting at the same time
        List<int[]> cliques = timeCliques(courses);
        for (int t = 0; t < nTas; t++) {
            Set<List<Integer>> seen = new HashSet<>();
            for (int[] clique : cliques) {
                List<Integer> ks = new ArrayList<>();
                for (int c : clique) {
                    if (position[c][t] >= 0) {
                        ks.add(c);
                    }
                }
                if (ks.size() >= 2 && seen.add(ks)) {
                    Literal[] lits = new Literal[ks.size()];
                    for (int i = 0; i < ks.size(); i++) {
                        lits[i] = x[ks.get(i)][position[ks.get(i)][t]];
                    }
                    model.addAtMostOne(lits);
                    constraints++;
                }
            }
        }
        model.minimize(obj);
    }

    /**
     * For every instant at which some meeting starts, the courses with a meeting running then. Two
     * courses overlap exactly when they share one of these sets (at the later of the two starts).
     */
    static List<int[]> timeCliques(List<TaCourse> courses) {
        TreeSet<Integer> starts = new TreeSet<>();
        for (TaCourse c : courses) {
            for (TimeWindow w : c.meetings()) {
                starts.add(w.startMinute());
            }
        }
        Set<List<Integer>> distinct = new HashSet<>();
        List<int[]> cliques = new ArrayList<>();
        for (int p : starts) {
            List<Integer> members = new ArrayList<>();
            for (int c = 0; c < courses.size(); c++) {
                for (TimeWindow w : courses.get(c).meetings()) {
                    if (w.startMinute() <= p && p < w.endMinute()) {
                        members.add(c);
                        break;
                    }
                }
            }
            if (members.size() >= 2 && distinct.add(members)) {
                cliques.add(members.stream().mapToInt(Integer::intValue).toArray());
            }
        }
        return cliques;
    }

    private long[] combined(long[] medium, long[] soft) {
        long[] t = new long[medium.length];
        for (int i = 0; i < t.length; i++) {
            t[i] = scale * medium[i] + soft[i];
        }
        return t;
    }

    /**
     * A variable equal to {@code table[index]} (exact, by an element constraint). The index only takes
     * multiples of {@code step} up to {@code max}; where the table is convex on those points, the
     * secant through each pair of neighbours is also added as a linear cut, which the LP relaxation
     * needs to see the cost.
     */
    private LinearArgument tableTerm(IntVar index, long[] table, int max, int step, String name) {
        long lo = Long.MAX_VALUE;
        long hi = Long.MIN_VALUE;
        for (int v = 0; v <= max; v++) {
            lo = Math.min(lo, table[v]);
            hi = Math.max(hi, table[v]);
        }
        if (lo == hi) {
            return LinearExpr.constant(lo);
        }
        long[] values = Arrays.copyOf(table, max + 1);
        IntVar y = model.newIntVar(lo, hi, name);
        model.addElement(index, values, y);
        constraints++;
        step = Math.max(1, step);
        boolean convex = true;
        for (int v = step; v + step <= max; v += step) {
            if (table[v + step] - table[v] < table[v] - table[v - step]) {
                convex = false;
                break;
            }
        }
        if (convex) {
            for (int v = 0; v + step <= max; v += step) {
                // step*y >= step*f(v) + (f(v+step) - f(v)) * (index - v)
                long slope = table[v + step] - table[v];
                LinearExprBuilder lhs = LinearExpr.newBuilder().addTerm(y, step).addTerm(index, -slope);
                model.addGreaterOrEqual(lhs, step * table[v] - slope * v);
                constraints++;
            }
        }
        return y;
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    String size() {
        long vars = Arrays.stream(x).mapToLong(a -> a.length).sum();
        return vars + " course-candidate booleans, " + constraints + " constraints";
    }

    /** Medium and soft penalty of a combined objective value. */
    HardMediumSoftLongScore scoreOf(long objectiveValue) {
        long medium = Math.floorDiv(objectiveValue - softLow, scale);
        long soft = objectiveValue - scale * medium;
        return HardMediumSoftLongScore.of(0, -medium, -soft);
    }

    /**
     * The best score any assignment can have given a lower bound on the combined objective: the
     * medium level cannot beat floor((bound - softLow) / scale), and a solution that reaches it
     * cannot beat the rest on the soft level.
     */
    HardMediumSoftLongScore boundOf(double bound) {
        long b = (long) Math.ceil(bound - 1e-6);
        // medium penalties are never negative, so a weaker bound than 0 on that level says nothing more
        long medium = Math.max(0, Math.floorDiv(b - softLow, scale));
        return HardMediumSoftLongScore.of(0, -medium, -(b - scale * medium));
    }

    private int[][] chosen(java.util.function.Predicate<BoolVar> value) {
        int[][] chosen = new int[x.length][];
        for (int c = 0; c < x.length; c++) {
            List<Integer> ks = new ArrayList<>();
            for (int k = 0; k < x[c].length; k++) {
                if (value.test(x[c][k])) {
                    ks.add(k);
                }
            }
            chosen[c] = ks.stream().mapToInt(Integer::intValue).toArray();
        }
        return chosen;
    }

    /** Puts a course-level choice into a fresh solution: each course's chosen TAs in slots 0, 1, ... */
    static TaAssignmentSolution toSolution(Objective objective, TaAssignmentSolution fresh, int[][] chosen) {
        java.util.Map<String, Integer> courseIndex = new java.util.HashMap<>();
        for (int c = 0; c < objective.courses.size(); c++) {
            courseIndex.put(objective.courses.get(c).id(), c);
        }
        for (TaSlot slot : fresh.getSlots()) {
            int c = courseIndex.get(slot.getCourse().id());
            if (slot.getSlotIndex() < chosen[c].length) {
                TaApplicant ta = objective.candidates.get(c).get(chosen[c][slot.getSlotIndex()]);
                // the fresh solution has its own applicant objects: find the same one by position
                slot.setTa(fresh.getApplicants().get(objective.taIndex.get(ta)));
            }
        }
        return fresh;
    }

    /** CP-SAT's best assignment within the time (the optimum, when it proves one), for analyses. */
    static TaAssignmentSolution best(Instance instance, int seconds, int workers) {
        Loader.loadNativeLibraries();
        Objective objective = new Objective(instance.solution());
        CpSatPeer peer = new CpSatPeer(objective);
        CpSolver solver = new CpSolver();
        solver.getParameters().setNumWorkers(workers).setMaxTimeInSeconds(seconds).setRandomSeed((int) instance.seed());
        CpSolverStatus status = solver.solve(peer.model);
        if (status != CpSolverStatus.OPTIMAL && status != CpSolverStatus.FEASIBLE) {
            throw new IllegalStateException("CP-SAT found no solution: " + status);
        }
        return toSolution(objective, instance.solution(), peer.chosen(v -> solver.booleanValue(v)));
    }

    /** Solves with CP-SAT and reports like the other methods, every solution re-scored by the yardstick. */
    static RunRecord run(Instance instance, int seconds, int snapshotSeconds, int workers, boolean greedyHint) {
        Loader.loadNativeLibraries();
        RunRecord r = new RunRecord();
        r.method = greedyHint ? "CP-SAT + greedy hint" : "CP-SAT";
        long t0 = System.nanoTime();
        AssignmentProblem problem = instance.problem();
        Objective objective = new Objective(instance.solution());
        CpSatPeer peer = new CpSatPeer(objective);
        if (greedyHint) {
            // the greedy baseline's assignment as a solution hint, as OptaPlanner starts from its own greedy
            int[][] hint = objective.chosenOf(GreedyBaseline.solve(instance.solution()));
            for (int c = 0; c < peer.x.length; c++) {
                for (int k = 0; k < peer.x[c].length; k++) {
                    peer.model.addHint(peer.x[c][k], Arrays.binarySearch(hint[c], k) >= 0);
                }
            }
        }
        r.modelSize = peer.size();
        r.buildMillis = (System.nanoTime() - t0) / 1_000_000;

        CpSolver solver = new CpSolver();
        solver.getParameters().setNumWorkers(workers).setMaxTimeInSeconds(seconds).setRandomSeed((int) instance.seed())
                .setLogSearchProgress(false);
        long[] solveStart = new long[1];
        // an explicit class, not a lambda: the native side looks up accept(Double) by its exact signature
        solver.setBestBoundCallback(new java.util.function.Consumer<Double>() {
            @Override
            public void accept(Double bound) {
                synchronized (r) {
                    r.bounds.add(new RunRecord.Point((System.nanoTime() - solveStart[0]) / 1_000_000,
                            peer.boundOf(bound).toString()));
                }
            }
        });
        int[][][] snapshot = new int[1][][];
        long[] snapshotObjective = new long[1];
        CpSolverSolutionCallback callback = new CpSolverSolutionCallback() {
            @Override
            public void onSolutionCallback() {
                long ms = Math.round(wallTime() * 1000);
                long value = Math.round(objectiveValue());
                synchronized (r) {
                    r.timeline.add(new RunRecord.Point(ms, peer.scoreOf(value).toString()));
                    if (r.firstFeasibleMillis == null) {
                        r.firstFeasibleMillis = ms;
                    }
                    if (ms <= snapshotSeconds * 1000L) {
                        snapshot[0] = peer.chosen(v -> solutionBooleanValue(v.getIndex()));
                        snapshotObjective[0] = value;
                    }
                }
            }
        };
        solveStart[0] = System.nanoTime();
        CpSolverStatus status = solver.solve(peer.model, callback);
        r.solveMillis = (System.nanoTime() - solveStart[0]) / 1_000_000;
        r.status = status.toString();
        double bound = solver.bestObjectiveBound();
        if (Double.isFinite(bound)) {
            r.boundAtEnd = peer.boundOf(bound).toString();
        }
        synchronized (r) {
            for (RunRecord.Point p : r.bounds) {
                if (p.millis() <= snapshotSeconds * 1000L) {
                    r.boundAtSnapshot = p.score();
                }
            }
        }
        List<String> checks = new ArrayList<>();
        if (status == CpSolverStatus.OPTIMAL || status == CpSolverStatus.FEASIBLE) {
            int[][] end = peer.chosen(v -> solver.booleanValue(v));
            long value = Math.round(solver.objectiveValue());
            TaAssignmentSolution s = toSolution(objective, instance.solution(), end);
            HardMediumSoftLongScore score = Yardstick.score(s);
            r.scoreAtEnd = score.toString();
            r.violationsAtEnd = Yardstick.violations(problem, s);
            checks.add(check("end", peer.scoreOf(value), score));
        }
        if (snapshot[0] != null) {
            TaAssignmentSolution s = toSolution(objective, instance.solution(), snapshot[0]);
            HardMediumSoftLongScore score = Yardstick.score(s);
            r.scoreAtSnapshot = score.toString();
            r.violationsAtSnapshot = Yardstick.violations(problem, s);
            checks.add(check(snapshotSeconds + " s", peer.scoreOf(snapshotObjective[0]), score));
        }
        r.objectiveCheck = checks.isEmpty() ? "no solution to check" : String.join("; ", checks);
        return r;
    }

    private static String check(String when, HardMediumSoftLongScore model, HardMediumSoftLongScore yardstick) {
        return model.equals(yardstick) ? "objective = OptaPlanner score at " + when
                : "MISMATCH at " + when + ": model " + model + " vs OptaPlanner " + yardstick;
    }
}
