package tapipeline.bench.solver;

import java.util.List;
import tapipeline.schemas.assignment.AssignmentProblem;
import tapipeline.solver.domain.TaAssignmentSolution;
import tapipeline.solver.domain.TaSlot;
import tapipeline.solver.generator.DepartmentGenerator;
import tapipeline.solver.io.ProblemMapper;

/**
 * One benchmark instance: a seeded problem from the solver's own generator. Every method (OptaPlanner,
 * CP-SAT, greedy) maps it with the solver's {@link ProblemMapper}, so all of them see the same
 * candidates (the applicants no static rule forbids) and the same constraint weights.
 */
public record Instance(int courses, int applicants, long seed) {

    /** The three sizes of the issue, with the generator's matching applicant counts. */
    public static final List<Instance> SIZES = List.of(
            new Instance(60, 180, 42),
            new Instance(300, 900, 42),
            new Instance(1500, 2500, 42));

    public AssignmentProblem problem() {
        return DepartmentGenerator.generate(courses, applicants, seed);
    }

    /** A fresh, empty solution of the problem (each call maps anew, so runs never share state). */
    public TaAssignmentSolution solution() {
        return ProblemMapper.toSolution(problem());
    }

    public String label() {
        return courses + " courses / " + applicants + " TAs";
    }

    /** Sum over slots of their candidates: the size measure the solver's configuration uses. */
    public static long slotCandidatePairs(TaAssignmentSolution solution) {
        long pairs = 0;
        for (TaSlot slot : solution.getSlots()) {
            pairs += slot.getCandidates().size();
        }
        return pairs;
    }

    /** Sum over courses of their candidates: the number of booleans of the CP-SAT model. */
    public static long courseCandidatePairs(TaAssignmentSolution solution) {
        long pairs = 0;
        java.util.Set<Object> seen = new java.util.HashSet<>();
        for (TaSlot slot : solution.getSlots()) {
            if (seen.add(slot.getCourse())) {
                pairs += slot.getCandidates().size();
            }
        }
        return pairs;
    }
}
