package tapipeline.bench.solver;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.optaplanner.core.api.score.buildin.hardmediumsoftlong.HardMediumSoftLongScore;
import org.optaplanner.core.api.score.constraint.ConstraintMatchTotal;
import org.optaplanner.core.api.solver.SolutionManager;
import org.optaplanner.core.api.solver.SolverFactory;
import org.optaplanner.core.config.solver.SolverConfig;
import org.optaplanner.core.config.solver.termination.TerminationConfig;
import tapipeline.schemas.assignment.SolverSettings;
import tapipeline.solver.domain.TaApplicant;
import tapipeline.solver.domain.TaAssignmentSolution;
import tapipeline.solver.domain.TaSlot;
import tapipeline.solver.search.TaSolverConfig;

/**
 * Where one OptaPlanner run falls short of the optimum, for whoever tunes the solver next: the
 * 60-course instance solved by CP-SAT (60 s, the proven optimum there) and by the production
 * configuration with a given solver seed, then each constraint's total side by side, the courses
 * whose TAs differ and the TAs whose hours differ.
 *
 * <pre>
 *   bench/run tapipeline.bench.solver.GapAnalysis [solver seed, default 42] [seconds, default 10]
 * </pre>
 */
public final class GapAnalysis {

    private GapAnalysis() {
    }

    public static void main(String[] args) {
        SolverBench.quietLogging();
        long seed = args.length > 0 ? Long.parseLong(args[0]) : 42;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        Instance instance = Instance.SIZES.get(0);
        TaAssignmentSolution optimum = CpSatPeer.best(instance, 60, SolverBench.CPSAT_WORKERS);

        SolverSettings settings = instance.problem().settings().withRandomSeed(seed);
        TaAssignmentSolution input = instance.solution();
        SolverConfig config = TaSolverConfig.create(settings,
                new TerminationConfig().withSpentLimit(Duration.ofSeconds(seconds)), Instance.slotCandidatePairs(input));
        TaAssignmentSolution ours = SolverFactory.<TaAssignmentSolution>create(config).buildSolver().solve(input);

        SolutionManager<TaAssignmentSolution, HardMediumSoftLongScore> manager = SolutionManager.create(SolverFactory.create(config));
        Map<String, ConstraintMatchTotal<HardMediumSoftLongScore>> opt = manager.explain(optimum).getConstraintMatchTotalMap();
        Map<String, ConstraintMatchTotal<HardMediumSoftLongScore>> run = manager.explain(ours).getConstraintMatchTotalMap();
        System.out.printf("%s, solver seed %d, %d s: %s; CP-SAT (60 s): %s%n%n", instance.label(), seed, seconds,
                ours.getScore(), optimum.getScore());
        System.out.printf("%-28s %-30s %-30s%n", "Constraint", "OptaPlanner (matches)", "CP-SAT (matches)");
        Set<String> names = new TreeSet<>(opt.keySet());
        names.addAll(run.keySet());
        for (String name : names) {
            System.out.printf("%-28s %-30s %-30s%n", name.substring(name.lastIndexOf('/') + 1), total(run.get(name)),
                    total(opt.get(name)));
        }

        Map<String, Set<String>> optCourses = tasByCourse(optimum);
        Map<String, Set<String>> runCourses = tasByCourse(ours);
        int differ = 0;
        System.out.println();
        for (Map.Entry<String, Set<String>> e : optCourses.entrySet()) {
            Set<String> mine = runCourses.get(e.getKey());
            if (!e.getValue().equals(mine)) {
                differ++;
                Set<String> onlyRun = new TreeSet<>(mine);
                onlyRun.removeAll(e.getValue());
                Set<String> onlyOpt = new TreeSet<>(e.getValue());
                onlyOpt.removeAll(mine);
                System.out.printf("%s: OptaPlanner only %s, CP-SAT only %s%n", e.getKey(), onlyRun, onlyOpt);
            }
        }
        System.out.printf("%d of %d courses differ%n%n", differ, optCourses.size());
        Map<String, Integer> optHours = hoursByTa(optimum);
        Map<String, Integer> runHours = hoursByTa(ours);
        for (TaApplicant a : input.getApplicants()) {
            int x = runHours.getOrDefault(a.id(), 0);
            int y = optHours.getOrDefault(a.id(), 0);
            if (x != y) {
                System.out.printf("%s (min %d, target %d, max %d h): OptaPlanner %d h, CP-SAT %d h%n", a.id(), a.minHours(),
                        a.targetHours(), a.maxHours(), x, y);
            }
        }
    }

    private static String total(ConstraintMatchTotal<HardMediumSoftLongScore> t) {
        return t == null ? "-" : t.getScore() + " (" + t.getConstraintMatchCount() + ")";
    }

    private static Map<String, Set<String>> tasByCourse(TaAssignmentSolution solution) {
        Map<String, Set<String>> map = new TreeMap<>();
        for (TaSlot slot : solution.getSlots()) {
            Set<String> tas = map.computeIfAbsent(slot.getCourse().id() + " (" + slot.getHours() + " h)", k -> new TreeSet<>());
            if (slot.getTa() != null) {
                tas.add(slot.getTa().id());
            }
        }
        return map;
    }

    private static Map<String, Integer> hoursByTa(TaAssignmentSolution solution) {
        Map<String, Integer> map = new HashMap<>();
        for (TaSlot slot : solution.getSlots()) {
            if (slot.getTa() != null) {
                map.merge(slot.getTa().id(), slot.getHours(), Integer::sum);
            }
        }
        return map;
    }
}
