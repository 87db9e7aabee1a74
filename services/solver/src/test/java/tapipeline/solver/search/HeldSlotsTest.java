package tapipeline.solver.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.optaplanner.core.api.solver.SolverFactory;
import org.optaplanner.core.impl.domain.variable.descriptor.GenuineVariableDescriptor;
import org.optaplanner.core.impl.score.director.InnerScoreDirector;
import org.optaplanner.core.impl.solver.DefaultSolverFactory;
import tapipeline.schemas.assignment.SolverSettings;
import tapipeline.solver.domain.TaApplicant;
import tapipeline.solver.domain.TaAssignmentSolution;
import tapipeline.solver.domain.TaSlot;
import tapipeline.solver.generator.DepartmentGenerator;
import tapipeline.solver.io.ProblemMapper;

/**
 * The moves' record of who holds which slot, kept by the score director's notifications: after
 * every change (single ones, and pairs of slots changed before the listeners run, as a swap does),
 * each TA's slots in solution order and their hours must equal a count made from scratch.
 */
class HeldSlotsTest {

    private static final Comparator<TaSlot> SOLUTION_ORDER = Comparator
            .comparingInt((TaSlot s) -> s.getCourse().index()).thenComparingInt(TaSlot::getSlotIndex);

    @Test
    void followsEveryChangeTheScoreDirectorIsToldOf() {
        InnerScoreDirector<TaAssignmentSolution, ?> director = scoreDirector();
        TaAssignmentSolution solution = ProblemMapper.toSolution(DepartmentGenerator.generate(12, 36, 7));
        director.setWorkingSolution(solution);
        HeldSlots held = director.getSupplyManager().demand(new HeldSlots.Of(variable(director)));
        assertMatches(held, solution);

        Random random = new Random(3);
        List<TaSlot> slots = solution.getSlots();
        for (int i = 0; i < 2_000; i++) {
            TaSlot a = slots.get(random.nextInt(slots.size()));
            if (random.nextBoolean()) {
                change(director, a, pick(a, random));
            } else {
                // a swap: both slots announced before the listeners run
                TaSlot b = slots.get(random.nextInt(slots.size()));
                if (a == b) {
                    continue;
                }
                TaApplicant ta = a.getTa();
                director.beforeVariableChanged(a, ReassignMove.VARIABLE);
                a.setTa(b.getTa());
                director.afterVariableChanged(a, ReassignMove.VARIABLE);
                director.beforeVariableChanged(b, ReassignMove.VARIABLE);
                b.setTa(ta);
                director.afterVariableChanged(b, ReassignMove.VARIABLE);
                director.triggerVariableListeners();
            }
            assertMatches(held, solution);
        }
    }

    @Test
    void aChangeNotAnnouncedIsCaughtAtTheNextOne() {
        InnerScoreDirector<TaAssignmentSolution, ?> director = scoreDirector();
        TaAssignmentSolution solution = ProblemMapper.toSolution(DepartmentGenerator.generate(6, 18, 2));
        director.setWorkingSolution(solution);
        director.getSupplyManager().demand(new HeldSlots.Of(variable(director)));
        TaSlot slot = solution.getSlots().stream().filter(s -> s.getCandidates().size() > 1).findFirst().orElseThrow();
        TaApplicant other = slot.getCandidates().stream().filter(c -> c != slot.getTa()).findFirst().orElseThrow();
        slot.setTa(other);   // behind the score director's back

        assertThatThrownBy(() -> change(director, slot, null))
                .hasStackTraceContaining("is not among the slots of");
    }

    private static TaApplicant pick(TaSlot slot, Random random) {
        List<TaApplicant> candidates = slot.getCandidates();
        int i = random.nextInt(candidates.size() + 1);
        return i == candidates.size() ? null : candidates.get(i);
    }

    private static void change(InnerScoreDirector<TaAssignmentSolution, ?> director, TaSlot slot, TaApplicant ta) {
        director.beforeVariableChanged(slot, ReassignMove.VARIABLE);
        slot.setTa(ta);
        director.afterVariableChanged(slot, ReassignMove.VARIABLE);
        director.triggerVariableListeners();
    }

    private static void assertMatches(HeldSlots held, TaAssignmentSolution solution) {
        for (TaApplicant ta : solution.getApplicants()) {
            List<TaSlot> expected = new ArrayList<>();
            int hours = 0;
            for (TaSlot slot : solution.getSlots()) {
                if (slot.getTa() == ta) {
                    expected.add(slot);
                    hours += slot.getHours();
                }
            }
            expected.sort(SOLUTION_ORDER);
            assertThat(held.heldBy(ta)).as("slots of %s", ta.id()).containsExactlyElementsOf(expected);
            assertThat(held.hours(ta)).as("hours of %s", ta.id()).isEqualTo(hours);
        }
    }

    @SuppressWarnings("unchecked")
    private static InnerScoreDirector<TaAssignmentSolution, ?> scoreDirector() {
        SolverSettings settings = new SolverSettings(10, 0, 1, null, Map.of());
        DefaultSolverFactory<TaAssignmentSolution> factory = (DefaultSolverFactory<TaAssignmentSolution>)
                SolverFactory.<TaAssignmentSolution>create(TaSolverConfig.create(settings, TaSolverConfig.scoreCalculations(1), 0));
        return (InnerScoreDirector<TaAssignmentSolution, ?>) factory.getScoreDirectorFactory().buildScoreDirector(false, false);
    }

    private static GenuineVariableDescriptor<TaAssignmentSolution> variable(InnerScoreDirector<TaAssignmentSolution, ?> director) {
        return director.getSolutionDescriptor().findEntityDescriptorOrFail(TaSlot.class)
                .getGenuineVariableDescriptor(ReassignMove.VARIABLE);
    }
}
