package tapipeline.solver.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tapipeline.schemas.assignment.AssignmentProblem;
import tapipeline.schemas.assignment.InstructorPreference;
import tapipeline.solver.generator.DepartmentGenerator;
import tapipeline.solver.io.ProblemMapper;

/**
 * The candidates the mapper works out with bit sets ({@link Eligibility}, {@link CandidateList}) are
 * exactly those of the pair-by-pair rule ({@link TaApplicant#isEligibleFor}), in exactly the order
 * the candidate ordering promises (requested by rank, rating, taught before, position), on a
 * generated problem with every kind of exception (skills, hours, unavailable times, conflicts,
 * "will not"s, bans, requests); and a {@link CandidateList} answers like the list it stands for.
 */
class EligibilityTest {

    @Test
    void candidatesAreThoseAndInTheOrderThePairByPairRuleGives() {
        AssignmentProblem problem = DepartmentGenerator.generate(300, 900, 21);
        TaAssignmentSolution solution = ProblemMapper.toSolution(problem);
        Map<String, Map<String, Integer>> ranks = new HashMap<>();
        for (InstructorPreference p : problem.instructorPreferences()) {
            if (p.kind() == InstructorPreference.Kind.REQUEST) {
                ranks.computeIfAbsent(p.courseId(), k -> new HashMap<>())
                        .merge(p.applicantId(), p.rank() == null ? 1 : p.rank(), Math::min);
            }
        }
        int checked = 0;
        int ineligible = 0;
        for (TaSlot slot : solution.getSlots()) {
            if (slot.isPinned() || slot.getSlotIndex() > 0) {
                continue;
            }
            TaCourse course = slot.getCourse();
            Map<String, Integer> rank = ranks.getOrDefault(course.id(), Map.of());
            List<TaApplicant> expected = new ArrayList<>();
            for (TaApplicant a : solution.getApplicants()) {
                if (a.isEligibleFor(course)) {
                    expected.add(a);
                } else {
                    ineligible++;
                }
            }
            expected.sort(Comparator.<TaApplicant>comparingInt(a -> Math.min(rank.getOrDefault(a.id(), 4095), 4095))
                    .thenComparingInt(a -> 5 - a.ratingFor(course))
                    .thenComparingInt(a -> a.hasTaught(course) ? 0 : 1)
                    .thenComparingInt(TaApplicant::index));
            List<TaApplicant> actual = slot.getCandidates();
            assertThat(actual).isInstanceOf(CandidateList.class);
            assertThat(new ArrayList<>(actual)).as(course.id()).isEqualTo(expected);   // by iteration
            for (int i = 0; i < expected.size(); i++) {
                assertThat(actual.get(i)).isSameAs(expected.get(i));                 // by index
            }
            for (TaApplicant a : solution.getApplicants()) {
                assertThat(actual.contains(a)).isEqualTo(a.isEligibleFor(course));
            }
            checked++;
        }
        assertThat(checked).isEqualTo(300);
        assertThat(ineligible).isPositive();
    }

    @Test
    void firstMatchingIsTheFirstInListOrderAmongTheGivenOnes() {
        TaAssignmentSolution solution = ProblemMapper.toSolution(DepartmentGenerator.generate(60, 180, 8));
        Random random = new Random(3);
        for (TaSlot slot : solution.getSlots()) {
            CandidateList list = (CandidateList) slot.getCandidates();
            BitSet among = new BitSet();
            for (TaApplicant a : solution.getApplicants()) {
                if (random.nextInt(3) == 0) {
                    among.set(a.index());
                }
            }
            int odd = random.nextInt(2);
            TaApplicant expected = list.stream().filter(a -> among.get(a.index()) && a.index() % 2 == odd)
                    .findFirst().orElse(null);
            assertThat(list.first(among.toLongArray(), a -> a.index() % 2 == odd)).isSameAs(expected);
        }
    }
}
