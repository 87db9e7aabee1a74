package tapipeline.coordinator.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import tapipeline.schemas.assignment.Applicant;
import tapipeline.schemas.assignment.AssignmentProblem;
import tapipeline.schemas.assignment.Course;
import tapipeline.schemas.assignment.RunCompleted;
import tapipeline.schemas.assignment.SlotAssignment;
import tapipeline.schemas.assignment.SolverSettings;

/** The side-by-side comparison: slots filled, TAs moved (a different set of courses), who gains and who loses. */
class ComparisonTest {

    static final Course A = ScenarioEditsTest.course("a", 2, 1, 2);   // 5 h a slot
    static final Course B = ScenarioEditsTest.course("b", 1, 1, 1);
    static final Course C = new Course("c", "C", "Course c", "101", "T", "Prof", List.of(), 1, 10, List.of(), 1, 1, 3, false);

    static Applicant ta(String id) {
        return ScenarioEditsTest.applicant(id, 0, 10, 20, List.of());
    }

    static AssignmentProblem problem(List<Course> courses, List<Applicant> tas) {
        return new AssignmentProblem("r", "T", "D", courses, tas, List.of(), List.of(), List.of(), List.of(),
                SolverSettings.defaults());
    }

    static RunCompleted result(String score, RunCompleted.ConstraintScore... breakdown) {
        return new RunCompleted("r", RunCompleted.Status.SOLVED, score, List.of(breakdown), List.of(), List.of(), List.of(),
                1, 1);
    }

    static SlotAssignment at(String course, int slot, String ta) {
        return new SlotAssignment(course, slot, ta);
    }

    @Test
    void moved_gains_and_losses_per_TA_with_courses_and_hours_before_and_after() {
        // plan: a = {ann, bob}, b = cat, c = dan;  scenario (course c removed, a with one TA fewer):
        // a = {ann}, b = bob  -> ann same, bob swaps a for b (same hours), cat loses b, dan loses c
        Comparison.Input plan = new Comparison.Input(problem(List.of(A, B, C), List.of(ta("ann"), ta("bob"), ta("cat"),
                ta("dan"))), result("0hard/-2medium/-100soft", new RunCompleted.ConstraintScore("Fill slots", "0hard/-2medium/0soft", 2),
                new RunCompleted.ConstraintScore("Preferences", "0hard/0medium/-100soft", 4)),
                List.of(at("a", 0, "ann"), at("a", 1, "bob"), at("b", 0, "cat"), at("c", 0, "dan")));
        Course a1 = ScenarioEditsTest.course("a", 1, 1, 1);
        Comparison.Input scenario = new Comparison.Input(problem(List.of(a1, B), List.of(ta("ann"), ta("bob"), ta("cat"),
                ta("dan"), ta("eve"))), result("0hard/0medium/-130soft",
                new RunCompleted.ConstraintScore("Preferences", "0hard/0medium/-130soft", 2),
                new RunCompleted.ConstraintScore("Fairness", "0hard/0medium/0soft", 0)),
                List.of(at("a", 0, "ann"), at("b", 0, "bob")));
        Comparison c = Comparison.of("plan-run", plan, "what-if-run", scenario);

        assertThat(c.plan()).isEqualTo(new Comparison.Side("plan-run", "0hard/-2medium/-100soft", 4, 4));
        assertThat(c.scenario()).isEqualTo(new Comparison.Side("what-if-run", "0hard/0medium/-130soft", 2, 2));
        assertThat(c.scoreDifference()).isEqualTo("0hard/+2medium/-30soft");
        assertThat(c.constraints()).extracting(Comparison.ConstraintRow::constraint)
                .containsExactly("Fill slots", "Preferences", "Fairness");
        assertThat(c.constraints().get(0).scenario()).as("a constraint only the plan has").isEmpty();
        assertThat(c.constraints().get(0).difference()).isEqualTo("0hard/+2medium/0soft");
        assertThat(c.constraints().get(1).difference()).isEqualTo("0hard/0medium/-30soft");
        assertThat(c.constraints().get(1).planMatches()).isEqualTo(4);
        assertThat(c.constraints().get(2).difference()).isEqualTo("0hard/0medium/0soft");

        assertThat(c.moved()).extracting(Comparison.TaChange::applicantId).containsExactly("bob", "cat", "dan");
        Comparison.TaChange bob = c.moved().get(0);
        assertThat(bob.before()).containsExactly("A-101");
        assertThat(bob.after()).containsExactly("B-101");
        assertThat(bob.gained()).containsExactly("B-101");
        assertThat(bob.lost()).containsExactly("A-101");
        assertThat(bob.hoursBefore()).isEqualTo(5);
        assertThat(bob.hoursAfter()).isEqualTo(5);
        assertThat(bob.gains()).isFalse();
        assertThat(bob.loses()).isFalse();
        Comparison.TaChange dan = c.moved().get(2);
        assertThat(dan.before()).containsExactly("C-101");
        assertThat(dan.hoursBefore()).isEqualTo(10);
        assertThat(dan.after()).isEmpty();
        assertThat(dan.hoursDifference()).isEqualTo(-10);
        assertThat(dan.loses()).isTrue();
        assertThat(c.gainers()).isZero();
        assertThat(c.losers()).isEqualTo(2);
        assertThat(ScenarioViews.ComparePage.change(bob)).isEqualTo("gains B-101; loses A-101; same hours");
        assertThat(ScenarioViews.ComparePage.change(dan)).isEqualTo("loses C-101; hours down 10");
    }

    @Test
    void a_TA_with_a_second_course_gains_and_the_same_assignment_moves_nobody() {
        Comparison.Input plan = new Comparison.Input(problem(List.of(A, B), List.of(ta("ann"), ta("bob"))),
                result("0hard/0medium/-5soft"), List.of(at("a", 0, "ann"), at("b", 0, "bob")));
        Comparison.Input more = new Comparison.Input(problem(List.of(A, B), List.of(ta("ann"), ta("bob"))),
                result("0hard/0medium/-4soft"), List.of(at("a", 0, "ann"), at("a", 1, "bob"), at("b", 0, "bob")));
        Comparison c = Comparison.of("p", plan, "s", more);
        assertThat(c.moved()).hasSize(1);
        assertThat(c.moved().get(0).applicantId()).isEqualTo("bob");
        assertThat(c.moved().get(0).hoursAfter()).isEqualTo(10);
        assertThat(c.moved().get(0).gains()).isTrue();
        assertThat(c.gainers()).isEqualTo(1);
        assertThat(c.scenario().filled()).isEqualTo(3);
        assertThat(c.plan().filled()).isEqualTo(2);
        assertThat(c.plan().total()).isEqualTo(3);
        assertThat(c.scoreDifference()).isEqualTo("0hard/0medium/+1soft");

        Comparison same = Comparison.of("p", plan, "s", plan);
        assertThat(same.moved()).isEmpty();
        assertThat(same.scoreDifference()).isEqualTo("0hard/0medium/0soft");
        assertThat(Comparison.difference("not a score", "0hard/0soft")).isEmpty();
    }
}
