package tapipeline.solver.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.optaplanner.core.api.score.buildin.hardmediumsoftlong.HardMediumSoftLongScore;

import tapipeline.schemas.assignment.AssignmentProblem;
import tapipeline.schemas.assignment.Pin;
import tapipeline.schemas.assignment.RunCheckpoint;
import tapipeline.schemas.assignment.RunCompleted;
import tapipeline.schemas.assignment.RunProgress;
import tapipeline.schemas.assignment.SlotAssignment;
import tapipeline.schemas.assignment.SolverSettings;
import tapipeline.solver.domain.TaApplicant;
import tapipeline.solver.domain.TaAssignmentSolution;
import tapipeline.solver.domain.TaSlot;
import tapipeline.solver.generator.DepartmentGenerator;
import tapipeline.solver.io.ProblemMapper;

/** Interrupting a solve hands it back with a checkpoint; a solve from a checkpoint continues it. */
class CheckpointResumeTest {

    @Test
    void an_interrupted_solve_writes_a_last_checkpoint_and_has_no_result() throws Exception {
        AssignmentProblem problem = DepartmentGenerator.generate(40, 120, 3L).withRunId("interrupt-me")
                .withSettings(new SolverSettings(60, 0, 3L, null, Map.of()));
        List<RunCheckpoint> checkpoints = new CopyOnWriteArrayList<>();
        List<RunProgress> progress = new CopyOnWriteArrayList<>();
        CancellationToken token = new CancellationToken();
        Thread stopper = new Thread(() -> {
            while (progress.stream().noneMatch(p -> p.phase() == RunProgress.Phase.LOCAL_SEARCH)) {
                Thread.onSpinWait();
            }
            try {
                Thread.sleep(1500);
            } catch (InterruptedException e) {
                return;
            }
            token.interrupt("shutting down");
        });
        stopper.start();
        long start = System.nanoTime();
        assertThatThrownBy(() -> new SolverEngine().solve(problem, progress::add, token,
                new Checkpointing(null, checkpoints::add, Duration.ofHours(1))))
                .isInstanceOf(RunInterruptedException.class).hasMessageContaining("shutting down");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
        assertThat(checkpoints).as("only the last one (the periodic interval is an hour)").hasSize(1);
        assertThat(checkpoints.get(0).assignments()).isNotEmpty();
        assertThat(checkpoints.get(0).score()).startsWith("0hard/");
        assertThat(progress).extracting(RunProgress::phase).as("no explanations after an interrupt")
                .doesNotContain(RunProgress.Phase.FINISHING);
    }

    @Test
    void a_cancel_is_not_an_interrupt() {
        AssignmentProblem problem = DepartmentGenerator.generate(20, 60, 3L).withRunId("cancel-me")
                .withSettings(new SolverSettings(60, 0, 3L, null, Map.of()));
        CancellationToken token = new CancellationToken();
        token.cancel("user");
        RunCompleted result = new SolverEngine().solve(problem, p -> { }, token,
                new Checkpointing(null, c -> { }, Duration.ofSeconds(1)));
        assertThat(result.status()).isEqualTo(RunCompleted.Status.CANCELLED);
    }

    @Test
    void a_resumed_solve_starts_from_the_checkpoint_with_the_time_left() {
        AssignmentProblem problem = DepartmentGenerator.generate(40, 120, 5L).withRunId("resume-me")
                .withSettings(new SolverSettings(20, 0, 5L, null, Map.of()));
        RunCompleted earlier = new SolverEngine().solve(problem.withSettings(new SolverSettings(3, 0, 5L, null, Map.of())));
        List<SlotAssignment> filled = earlier.assignments().stream().filter(a -> a.applicantId() != null)
                .map(a -> new SlotAssignment(a.courseId(), a.slotIndex(), a.applicantId())).toList();
        RunCheckpoint checkpoint = new RunCheckpoint("resume-me", earlier.score(), 18_000L, filled);

        List<RunProgress> progress = new CopyOnWriteArrayList<>();
        long start = System.nanoTime();
        RunCompleted resumed = new SolverEngine().solve(problem, progress::add, CancellationToken.none(),
                new Checkpointing(checkpoint, c -> { }, Duration.ofSeconds(1)));
        long tookMs = Duration.ofNanos(System.nanoTime() - start).toMillis();

        assertThat(resumed.status()).isEqualTo(RunCompleted.Status.SOLVED);
        assertThat(tookMs).as("20 s limit, 18 s used before: about 2 s left").isLessThan(8_000);
        assertThat(resumed.solveMs()).as("solve time counts the earlier 18 s").isGreaterThanOrEqualTo(18_000);
        HardMediumSoftLongScore from = HardMediumSoftLongScore.parseScore(checkpoint.score());
        List<String> scores = new ArrayList<>();
        progress.stream().filter(p -> p.bestScore() != null).forEach(p -> scores.add(p.bestScore()));
        assertThat(scores).isNotEmpty().allSatisfy(s -> assertThat(HardMediumSoftLongScore.parseScore(s))
                .as("every reported score vs the checkpoint's %s", from).isGreaterThanOrEqualTo(from));
    }

    @Test
    void checkpoint_entries_the_data_no_longer_allows_are_dropped() {
        AssignmentProblem problem = DepartmentGenerator.generate(10, 30, 9L).withRunId("drop");
        TaAssignmentSolution model = ProblemMapper.toSolution(problem);
        TaSlot first = model.getSlots().get(0);
        TaApplicant eligible = first.getCandidates().get(0);
        TaApplicant ineligible = model.getApplicants().stream().filter(a -> !first.getCandidates().contains(a))
                .findFirst().orElseThrow();
        TaSlot sameCourse = model.getSlots().stream().filter(s -> s != first && s.getCourse() == first.getCourse())
                .findFirst().orElseThrow();
        TaSlot other = model.getSlots().stream().filter(s -> s.getCourse() != first.getCourse()).findFirst().orElseThrow();
        String course = first.getCourse().id();
        RunCheckpoint checkpoint = new RunCheckpoint("drop", null, 1000L, List.of(
                new SlotAssignment(course, first.getSlotIndex(), eligible.id()),
                new SlotAssignment(course, sameCourse.getSlotIndex(), eligible.id()), // twice in one course
                new SlotAssignment(other.getCourse().id(), other.getSlotIndex(), "nobody-by-this-id"),
                new SlotAssignment("no-such-course", 0, eligible.id())));
        int kept = SolverEngine.resume(model, checkpoint);
        assertThat(kept).isEqualTo(1);
        assertThat(first.getTa()).isEqualTo(eligible);
        assertThat(sameCourse.getTa()).isNull();
        assertThat(other.getTa()).isNull();

        TaAssignmentSolution again = ProblemMapper.toSolution(problem);
        int ineligibleKept = SolverEngine.resume(again, new RunCheckpoint("drop", null, 0L,
                List.of(new SlotAssignment(course, 0, ineligible.id()))));
        assertThat(ineligibleKept).as("an applicant no longer eligible for the slot").isZero();

        TaAssignmentSolution pinned = ProblemMapper.toSolution(problem.withPins(
                List.of(new Pin(course, 0, first.getCandidates().get(1).id()))));
        SolverEngine.resume(pinned, new RunCheckpoint("drop", null, 0L, List.of(new SlotAssignment(course, 0, eligible.id()))));
        assertThat(pinned.getSlots().get(0).getTa().id()).as("a pin wins over the checkpoint")
                .isEqualTo(first.getCandidates().get(1).id());
    }
}
