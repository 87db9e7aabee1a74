package tapipeline.solver.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tapipeline.solver.generator.DepartmentGenerator;
import tapipeline.solver.io.ProblemMapper;

/**
 * The cached answers the constraints read must be the applicant's and course's own answers, for
 * every pair of a generated department (asked twice: worked out, then from the table), and stay
 * right for objects that are not the problem's own but share an index with one of them, as
 * hand-built test objects do.
 */
class PairFactsTest {

    @Test
    void answersAsTheApplicantAndCourseDo() {
        TaAssignmentSolution solution = ProblemMapper.toSolution(DepartmentGenerator.generate(20, 60, 11));
        int taught = 0;
        int unavailable = 0;
        int clashing = 0;
        for (TaCourse course : solution.getCourses()) {
            PairFacts facts = new PairFacts(course, solution.getApplicants(), solution.getCourses());
            for (int round = 0; round < 2; round++) {
                for (TaApplicant ta : solution.getApplicants()) {
                    assertThat(facts.rating(ta)).isEqualTo(ta.ratingFor(course));
                    assertThat(facts.missingSkills(ta)).isEqualTo(ta.missingSkillCount(course));
                    assertThat(facts.unavailable(ta)).isEqualTo(ta.isUnavailableFor(course));
                    assertThat(facts.conflict(ta)).isEqualTo(ta.hasConflictWith(course));
                    assertThat(facts.banned(ta)).isEqualTo(course.bans(ta));
                    assertThat(facts.willNot(ta)).isEqualTo(ta.willNotTa(course));
                    assertThat(facts.taught(ta)).isEqualTo(ta.hasTaught(course));
                    assertThat(facts.experienced(ta)).isEqualTo(ta.isExperiencedFor(course));
                    taught += round == 0 && facts.taught(ta) ? 1 : 0;
                    unavailable += round == 0 && facts.unavailable(ta) ? 1 : 0;
                }
                for (TaCourse other : solution.getCourses()) {
                    assertThat(facts.meetsWith(other)).isEqualTo(course.meetsAtSameTimeAs(other));
                    clashing += round == 0 && other != course && facts.meetsWith(other) ? 1 : 0;
                }
            }
        }
        // the department exercises both answers of each
        assertThat(taught).isPositive();
        assertThat(unavailable).isPositive();
        assertThat(clashing).isPositive();
    }

    @Test
    void objectsSharingAnIndexGetTheirOwnAnswers() {
        TaCourse course = TaCourse.simple("C1", 1, 5, 3)
                .withMeetings(List.of(new TimeWindow(600, 660, "MON 10:00-11:00")));
        TaApplicant likes = TaApplicant.simple("A", 0, 10, 5).withRatings(Map.of("C1", 5));
        TaApplicant dislikes = TaApplicant.simple("B", 0, 10, 5).withRatings(Map.of("C1", 1))
                .withHistory(Set.of("C1"), Set.of());
        TaCourse sameTime = TaCourse.simple("C2", 1, 5, 3).withMeetings(course.meetings());
        TaCourse otherTime = TaCourse.simple("C3", 1, 5, 3)
                .withMeetings(List.of(new TimeWindow(4 * 1440 + 600, 4 * 1440 + 660, "FRI 10:00-11:00")));
        // both applicants have index 0, as have the three courses; only the listed ones are kept
        PairFacts facts = new PairFacts(course, List.of(likes), List.of(sameTime));

        for (int round = 0; round < 2; round++) {
            assertThat(facts.rating(likes)).isEqualTo(5);
            assertThat(facts.rating(dislikes)).isEqualTo(1);
            assertThat(facts.taught(likes)).isFalse();
            assertThat(facts.taught(dislikes)).isTrue();
            assertThat(facts.meetsWith(sameTime)).isTrue();
            assertThat(facts.meetsWith(otherTime)).isFalse();
        }
    }
}
