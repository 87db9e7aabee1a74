package tapipeline.bench.solver;

import com.google.ortools.Loader;
import com.google.ortools.linearsolver.MPConstraint;
import com.google.ortools.linearsolver.MPObjective;
import com.google.ortools.linearsolver.MPSolver;
import com.google.ortools.linearsolver.MPVariable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.optaplanner.core.api.score.buildin.hardmediumsoftlong.HardMediumSoftLongScore;
import tapipeline.solver.domain.TaApplicant;

/**
 * A bound from the linear relaxation of the CP-SAT model (GLOP), for the instances where CP-SAT
 * itself gives none in the time limit: the same course-candidate variables taken as fractions, the
 * same clique rows for meeting clashes, hours within the maximum, and the count and hours tables
 * replaced by their convex envelopes (secant cuts; a table that is not convex counts only its
 * minimum). Lexicographic in two stages: the least medium penalty the relaxation allows, then the
 * least soft penalty among fractional solutions that do not exceed that medium level rounded up.
 * A bound, not a solution: it says how far from the optimum any solution can at most be.
 */
final class LpBound {

    private LpBound() {
    }

    static RunRecord run(Instance instance, int secondsPerStage) {
        Loader.loadNativeLibraries();
        RunRecord r = new RunRecord();
        r.method = "LP bound";
        long t0 = System.nanoTime();
        Objective o = new Objective(instance.solution());
        MPSolver lp = MPSolver.createSolver("GLOP");
        lp.setTimeLimit(secondsPerStage * 1000L);
        int n = o.courseCount();
        MPVariable[][] x = new MPVariable[n][];
        List<MPVariable> mediumVars = new ArrayList<>();
        List<Double> mediumCoefs = new ArrayList<>();
        List<MPVariable> softVars = new ArrayList<>();
        List<Double> softCoefs = new ArrayList<>();
        int nTas = o.tas.size();
        List<List<int[]>> pairsOf = new ArrayList<>();
        for (int t = 0; t < nTas; t++) {
            pairsOf.add(new ArrayList<>());
        }
        int[][] position = new int[n][];
        double constMedium = o.constMedium;
        double constSoft = o.constSoft;
        int rows = 0;
        for (int c = 0; c < n; c++) {
            List<TaApplicant> cand = o.candidates.get(c);
            x[c] = new MPVariable[cand.size()];
            position[c] = new int[nTas];
            java.util.Arrays.fill(position[c], -1);
            int limit = Math.min(o.courses.get(c).slots(), cand.size());
            MPVariable count = lp.makeNumVar(0, limit, "");
            MPConstraint sum = lp.makeConstraint(0, 0);
            sum.setCoefficient(count, -1);
            rows++;
            for (int k = 0; k < cand.size(); k++) {
                x[c][k] = lp.makeNumVar(0, 1, "");
                sum.setCoefficient(x[c][k], 1);
                add(mediumVars, mediumCoefs, x[c][k], o.pairMedium[c][k]);
                add(softVars, softCoefs, x[c][k], o.pairSoft[c][k]);
                int t = o.taIndex.get(cand.get(k));
                pairsOf.get(t).add(new int[] {c, k});
                position[c][t] = k;
            }
            rows += envelope(lp, count, o.countMedium[c], limit, 1, mediumVars, mediumCoefs);
            rows += envelope(lp, count, o.countSoft[c], limit, 1, softVars, softCoefs);
            if (o.experienced[c] != null) {
                MPVariable none = lp.makeNumVar(0, 1, "");
                MPConstraint some = lp.makeConstraint(1, Double.POSITIVE_INFINITY);
                some.setCoefficient(none, 1);
                for (int k : o.experienced[c]) {
                    some.setCoefficient(x[c][k], 1);
                }
                rows++;
                add(mediumVars, mediumCoefs, none, o.experienceMedium);
                add(softVars, softCoefs, none, o.experienceSoft);
            }
        }
        for (int t = 0; t < nTas; t++) {
            List<int[]> pairs = pairsOf.get(t);
            int max = o.tas.get(t).maxHours();
            if (pairs.isEmpty()) {
                constMedium += o.loadMedium[t][0];
                constSoft += o.loadSoft[t][0];
                continue;
            }
            MPVariable load = lp.makeNumVar(0, max, "");
            MPConstraint sum = lp.makeConstraint(0, 0);
            sum.setCoefficient(load, -1);
            rows++;
            int step = 0;
            for (int[] p : pairs) {
                int h = o.courses.get(p[0]).hoursPerSlot();
                sum.setCoefficient(x[p[0]][p[1]], h);
                step = gcd(step, h);
            }
            rows += envelope(lp, load, o.loadMedium[t], max, step, mediumVars, mediumCoefs);
            rows += envelope(lp, load, o.loadSoft[t], max, step, softVars, softCoefs);
        }
        List<int[]> cliques = CpSatPeer.timeCliques(o.courses);
        for (int t = 0; t < nTas; t++) {
            Set<List<Integer>> seen = new HashSet<>();
            for (int[] clique : cliques) {
                List<Integer> cs = new ArrayList<>();
                for (int c : clique) {
                    if (position[c][t] >= 0) {
                        cs.add(c);
                    }
                }
                if (cs.size() >= 2 && seen.add(cs)) {
                    MPConstraint atMostOne = lp.makeConstraint(Double.NEGATIVE_INFINITY, 1);
                    for (int c : cs) {
                        atMostOne.setCoefficient(x[c][position[c][t]], 1);
                    }
                    rows++;
                }
            }
        }
        r.modelSize = lp.numVariables() + " columns, " + rows + " rows";
        r.buildMillis = (System.nanoTime() - t0) / 1_000_000;

        long s0 = System.nanoTime();
        MPObjective objective = lp.objective();
        objective.setMinimization();
        set(objective, mediumVars, mediumCoefs, constMedium);
        MPSolver.ResultStatus first = lp.solve();
        if (first != MPSolver.ResultStatus.OPTIMAL) {
            r.status = "medium stage " + first;
            r.solveMillis = (System.nanoTime() - s0) / 1_000_000;
            return r;
        }
        long medium = (long) Math.ceil(objective.value() - 1e-6 * Math.max(1, Math.abs(objective.value())));
        medium = Math.max(0, medium);
        // soft stage: fractional solutions whose medium penalty is at most the bound rounded up
        MPConstraint cap = lp.makeConstraint(Double.NEGATIVE_INFINITY, medium - constMedium);
        for (int i = 0; i < mediumVars.size(); i++) {
            cap.setCoefficient(mediumVars.get(i), cap.getCoefficient(mediumVars.get(i)) + mediumCoefs.get(i));
        }
        objective.clear();
        objective.setMinimization();
        set(objective, softVars, softCoefs, constSoft);
        MPSolver.ResultStatus second = lp.solve();
        r.solveMillis = (System.nanoTime() - s0) / 1_000_000;
        if (second != MPSolver.ResultStatus.OPTIMAL) {
            r.status = "soft stage " + second;
            r.boundAtEnd = HardMediumSoftLongScore.of(0, -medium, Long.MAX_VALUE / 4).toString();
            return r;
        }
        long soft = (long) Math.ceil(objective.value() - 1e-6 * Math.max(1, Math.abs(objective.value())) - 1);
        r.status = "OPTIMAL";
        r.boundAtEnd = HardMediumSoftLongScore.of(0, -medium, -soft).toString();
        return r;
    }

    private static void add(List<MPVariable> vars, List<Double> coefs, MPVariable v, double coef) {
        if (coef != 0) {
            vars.add(v);
            coefs.add(coef);
        }
    }

    private static void set(MPObjective objective, List<MPVariable> vars, List<Double> coefs, double offset) {
        for (int i = 0; i < vars.size(); i++) {
            objective.setCoefficient(vars.get(i), objective.getCoefficient(vars.get(i)) + coefs.get(i));
        }
        objective.setOffset(offset);
    }

    /**
     * A variable y with y >= table(index) on the points 0, step, 2 step ... max when the table is convex
     * there (its secants), else y >= the table's minimum; y enters the objective with weight 1.
     * Returns the number of rows added.
     */
    private static int envelope(MPSolver lp, MPVariable index, long[] table, int max, int step,
            List<MPVariable> vars, List<Double> coefs) {
        step = Math.max(1, step);
        long min = Long.MAX_VALUE;
        long maxValue = Long.MIN_VALUE;
        for (int v = 0; v <= max; v += step) {
            min = Math.min(min, table[v]);
            maxValue = Math.max(maxValue, table[v]);
        }
        if (min == maxValue) {
            MPVariable y = lp.makeNumVar(min, min, "");
            add(vars, coefs, y, 1);
            return 0;
        }
        MPVariable y = lp.makeNumVar(min, Double.POSITIVE_INFINITY, "");
        add(vars, coefs, y, 1);
        boolean convex = true;
        for (int v = step; v + step <= max; v += step) {
            if (table[v + step] - table[v] < table[v] - table[v - step]) {
                convex = false;
                break;
            }
        }
        if (!convex) {
            return 0;
        }
        int rows = 0;
        for (int v = 0; v + step <= max; v += step) {
            // y >= f(v) + slope * (index - v), slope = (f(v+step) - f(v)) / step
            double slope = (double) (table[v + step] - table[v]) / step;
            MPConstraint cut = lp.makeConstraint(table[v] - slope * v, Double.POSITIVE_INFINITY);
            cut.setCoefficient(y, 1);
            cut.setCoefficient(index, -slope);
            rows++;
        }
        return rows;
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }
}
