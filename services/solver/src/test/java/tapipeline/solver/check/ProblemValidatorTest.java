package tapipeline.solver.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import tapipeline.schemas.assignment.AssignmentProblem;
import tapipeline.schemas.assignment.Course;
import tapipeline.schemas.assignment.Preference;
import tapipeline.schemas.assignment.RunCompleted;
import tapipeline.solver.domain.TaSlot;
import tapipeline.solver.engine.SolverEngine;
import tapipeline.solver.generator.DepartmentGenerator;
import tapipeline.solver.io.ProblemMapper;

/** The caps on a problem's size, and the bounds on what the validator writes back. */
class ProblemValidatorTest {

    /** The model's size the way the engine counts it: every slot's candidate list. */
    private static long pairsOfTheModel(AssignmentProblem problem) {
        long pairs = 0;
        for (TaSlot slot : ProblemMapper.toSolution(problem).getSlots()) {
            pairs += slot.getCandidates().size();
        }
        return pairs;
    }

    @Test
    void aProblemAtThePairCapPassesAndOnePairFewerInTheCapRefusesItNamingCountAndCap() {
        AssignmentProblem problem = DepartmentGenerator.generate(40, 120, 3);
        long pairs = pairsOfTheModel(problem);

        assertThat(ProblemValidator.validate(problem, pairs).ok()).isTrue();

        ProblemValidator.Result over = ProblemValidator.validate(problem, pairs - 1);
        assertThat(over.ok()).isFalse();
        assertThat(over.errors()).singleElement().satisfies(p -> {
            assertThat(p.code()).isEqualTo(ProblemValidator.TOO_LARGE);
            assertThat(p.message())
                    .contains(String.format(Locale.ROOT, "more than %,d slot-candidate pairs", pairs - 1))
                    .contains(String.format(Locale.ROOT, "at most %,d", pairs - 1))
                    .contains("MAX_SLOT_CANDIDATE_PAIRS");
        });
    }

    @Test
    void theEngineAnswersAProblemOverTheDefaultCapWithInvalidInputBeforeBuildingTheModel() {
        // 30,000 slots open to nearly all of 20,000 applicants: about half a billion pairs
        AssignmentProblem base = DepartmentGenerator.generate(30, 20_000, 1);
        List<Course> open = new ArrayList<>();
        for (Course c : base.courses()) {
            open.add(new Course(c.id(), c.code(), c.title(), c.section(), c.term(), c.instructor(), c.meetings(),
                    1_000, 5, List.of(), 0, 1_000, c.priority(), c.wantsExperienced()));
        }
        AssignmentProblem huge = withCourses(base, open);

        long start = System.nanoTime();
        RunCompleted result = new SolverEngine().solve(huge);

        assertThat(result.status()).isEqualTo(RunCompleted.Status.INVALID_INPUT);
        assertThat(result.problems()).singleElement().satisfies(p -> {
            assertThat(p.code()).isEqualTo(ProblemValidator.TOO_LARGE);
            assertThat(p.message()).contains("at most 400,000,000");
        });
        assertThat(result.assignments()).isEmpty();
        System.out.printf("refused in %d ms%n", (System.nanoTime() - start) / 1_000_000);
    }

    @Test
    void thirtyThousandSlotsPassTheSlotCapAndOneMoreIsRefusedNamingCountAndCap() {
        AssignmentProblem base = DepartmentGenerator.generate(31, 10, 2);
        List<Course> courses = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            courses.add(withSlots(base.courses().get(i), 1_000));
        }
        AssignmentProblem atCap = withCourses(base, courses);
        assertThat(ProblemValidator.validate(atCap).errors()).noneMatch(p -> p.code().equals(ProblemValidator.TOO_LARGE));

        courses.add(withSlots(base.courses().get(30), 1));
        ProblemValidator.Result over = ProblemValidator.validate(withCourses(base, courses));
        assertThat(over.errors()).singleElement().satisfies(p -> {
            assertThat(p.code()).isEqualTo(ProblemValidator.TOO_LARGE);
            assertThat(p.message()).contains("30,001 TA slots").contains("at most 30,000").contains("MAX_SLOTS");
        });
    }

    private static Course withSlots(Course c, int slots) {
        return new Course(c.id(), c.code(), c.title(), c.section(), c.term(), c.instructor(), c.meetings(), slots,
                c.hoursPerSlot(), c.requiredSkills(), 0, slots, c.priority(), c.wantsExperienced());
    }

    private static AssignmentProblem withCourses(AssignmentProblem p, List<Course> courses) {
        return new AssignmentProblem(p.runId(), p.term(), p.department(), courses, p.applicants(),
                p.preferences().stream().filter(x -> courses.stream().anyMatch(c -> c.id().equals(x.courseId()))).toList(),
                p.instructorPreferences().stream()
                        .filter(x -> courses.stream().anyMatch(c -> c.id().equals(x.courseId()))).toList(),
                List.of(), List.of(), p.settings());
    }

    @Test
    void manyUnknownIdsGiveOneBoundedProblem() {
        AssignmentProblem problem = DepartmentGenerator.generate(5, 10, 1);
        List<Preference> preferences = new ArrayList<>(problem.preferences());
        for (int i = 0; i < 2_000; i++) {
            preferences.add(new Preference(String.format("X%05d", i), problem.courses().get(0).id(), 3, false));
        }
        AssignmentProblem bad = new AssignmentProblem("bad", problem.term(), problem.department(), problem.courses(),
                problem.applicants(), preferences, problem.instructorPreferences(), List.of(), List.of(),
                problem.settings());

        ProblemValidator.Result result = ProblemValidator.validate(bad);

        assertThat(result.errors()).singleElement().satisfies(p -> {
            assertThat(p.code()).isEqualTo(RunCompleted.Problem.UNKNOWN_ID);
            assertThat(p.ids()).hasSize(ProblemValidator.MAX_IDS).startsWith("X00000");
            assertThat(p.message()).contains("X00000, X00001").contains("and 1,975 more").hasSizeLessThan(1_000);
        });
    }

    @Test
    void pastTheLimitTheLastProblemCountsTheRest() {
        List<RunCompleted.Problem> many = new ArrayList<>();
        for (int i = 0; i < 1_500; i++) {
            many.add(new RunCompleted.Problem("PIN_CONFLICT", "pin " + i, List.of()));
        }
        List<RunCompleted.Problem> bounded = ProblemValidator.bounded(many);
        assertThat(bounded).hasSize(ProblemValidator.MAX_PROBLEMS);
        assertThat(bounded.get(bounded.size() - 1).message()).startsWith("501 more problems");
        assertThat(ProblemValidator.bounded(many.subList(0, 1_000))).hasSize(1_000).doesNotContainNull();
    }
}
