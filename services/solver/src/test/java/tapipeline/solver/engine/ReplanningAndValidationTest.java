package tapipeline.solver.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static tapipeline.solver.engine.SolverEngineTest.filled;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tapipeline.schemas.assignment.Applicant;
import tapipeline.schemas.assignment.AssignmentProblem;
import tapipeline.schemas.assignment.Course;
import tapipeline.schemas.assignment.Day;
import tapipeline.schemas.assignment.Meeting;
import tapipeline.schemas.assignment.Pin;
import tapipeline.schemas.assignment.Preference;
import tapipeline.schemas.assignment.RunCompleted;
import tapipeline.schemas.assignment.RunProgress;
import tapipeline.schemas.assignment.SlotAssignment;
import tapipeline.schemas.assignment.SolverSettings;
import tapipeline.solver.check.HardRuleChecker;
import tapipeline.solver.generator.DepartmentGenerator;
import tapipeline.solver.search.TaSolverConfig;

class ReplanningAndValidationTest {

    private static SolverSettings quick(long seed) {
        return new SolverSettings(3, 1, seed, null, Map.of());
    }

    @Test
    void reSolveWithPinsKeepsEveryPinAndChangesFewOtherSlots() {
        AssignmentProblem problem = DepartmentGenerator.generate(30, 90, 5).withSettings(quick(5));
        // a fixed amount of work instead of a time limit: the same outcome on a busy machine
        SolverEngine engine = new SolverEngine((p, pairs) -> TaSolverConfig.create(p.settings(),
                TaSolverConfig.scoreCalculations(60_000), pairs));
        RunCompleted first = engine.solve(problem);
        List<SlotAssignment> previous = filled(first);

        // the coordinator moves two TAs: pin each to a slot someone else had, where they are eligible
        List<Pin> pins = new ArrayList<>();
        for (RunCompleted.Assignment a : first.assignments()) {
            if (pins.size() == 2) {
                break;
            }
            for (RunCompleted.Candidate runnerUp : a.explanation().runnerUps()) {
                if (a.applicantId() != null && pins.stream().noneMatch(p -> p.applicantId().equals(runnerUp.applicantId())
                        || p.courseId().equals(a.courseId()))) {
                    pins.add(new Pin(a.courseId(), a.slotIndex(), runnerUp.applicantId()));
                    break;
                }
            }
        }
        assertThat(pins).hasSize(2);
        AssignmentProblem resolve = problem.withPreviousAssignment(previous).withPins(pins).withRunId("resolve");

        RunCompleted second = engine.solve(resolve);

        List<SlotAssignment> now = filled(second);
        assertThat(HardRuleChecker.violations(resolve, now)).isEmpty();
        for (Pin pin : pins) {
            assertThat(second.assignments()).anySatisfy(a -> {
                assertThat(a.courseId()).isEqualTo(pin.courseId());
                assertThat(a.slotIndex()).isEqualTo(pin.slotIndex());
                assertThat(a.applicantId()).isEqualTo(pin.applicantId());
                assertThat(a.pinned()).isTrue();
            });
        }
        Map<String, String> before = new HashMap<>();
        previous.forEach(s -> before.put(s.courseId() + "#" + s.slotIndex(), s.applicantId()));
        long changed = second.assignments().stream()
                .filter(a -> pins.stream().noneMatch(p -> p.courseId().equals(a.courseId()) && p.slotIndex() == a.slotIndex()))
                .filter(a -> before.containsKey(a.courseId() + "#" + a.slotIndex())
                        && !before.get(a.courseId() + "#" + a.slotIndex()).equals(a.applicantId()))
                .count();
        System.out.println("re-solve: " + first.score() + " -> " + second.score() + ", changed " + changed);
        assertThat(changed).as("slots changed besides the pins").isLessThanOrEqualTo(8);
    }

    @Test
    void unknownIdsAndDuplicatesAreAnsweredInPlainWordsNotExceptions() {
        AssignmentProblem problem = DepartmentGenerator.generate(5, 10, 1);
        List<Preference> preferences = new ArrayList<>(problem.preferences());
        preferences.add(new Preference("A99999", "C0001", 5, false));
        List<Applicant> applicants = new ArrayList<>(problem.applicants());
        applicants.add(problem.applicants().get(0));
        AssignmentProblem bad = new AssignmentProblem("bad", problem.term(), problem.department(), problem.courses(),
                applicants, preferences, problem.instructorPreferences(),
                List.of(new Pin("NOPE", 0, "A00001"), new Pin("C0001", 99, "A00001")), List.of(), quick(1));

        RunCompleted result = new SolverEngine().solve(bad);

        assertThat(result.status()).isEqualTo(RunCompleted.Status.INVALID_INPUT);
        assertThat(result.assignments()).isEmpty();
        assertThat(result.problems()).extracting(RunCompleted.Problem::code)
                .contains(RunCompleted.Problem.UNKNOWN_ID, RunCompleted.Problem.DUPLICATE_ID,
                        RunCompleted.Problem.SLOT_OUT_OF_RANGE);
        assertThat(result.problems()).anySatisfy(p -> {
            assertThat(p.message()).contains("A99999").contains("a preference");
            assertThat(p.ids()).contains("A99999");
        });
        assertThat(result.problems()).anySatisfy(p -> assertThat(p.ids()).contains("NOPE"));
    }

    @Test
    void skillNobodyHasAndTooFewHoursAreReportedWithTheCoursesThatCannotBeStaffed() {
        Course gpu = course("GPU", 2, 20, List.of("CUDA"), 5);
        Course big = course("BIG", 3, 20, List.of(), 1);
        Applicant ana = applicant("ana", "Ana Silva", 20, List.of("Python"), List.of());
        AssignmentProblem problem = problem(List.of(gpu, big), List.of(ana), List.of());

        RunCompleted result = new SolverEngine().solve(problem);

        assertThat(result.status()).isEqualTo(RunCompleted.Status.SOLVED);
        assertThat(result.problems()).anySatisfy(p -> {
            assertThat(p.code()).isEqualTo(RunCompleted.Problem.SKILL_NOBODY_HAS);
            assertThat(p.message()).contains("CUDA");
            assertThat(p.ids()).containsExactly("GPU");
        });
        assertThat(result.problems()).anySatisfy(p -> {
            assertThat(p.code()).isEqualTo(RunCompleted.Problem.HOURS_OVER_CAPACITY);
            assertThat(p.message()).contains("want 100 TA hours").contains("at most 20");
            assertThat(p.ids()).contains("BIG");
        });
    }

    @Test
    void aPinThatBreaksAHardRuleIsKeptAndReportedAsAPinConflict() {
        Course gpu = course("GPU", 1, 10, List.of("CUDA"), 3);
        Applicant ana = applicant("ana", "Ana Silva", 20, List.of("Python"), List.of());
        AssignmentProblem problem = problem(List.of(gpu), List.of(ana), List.of())
                .withPins(List.of(new Pin("GPU", 0, "ana")));

        RunCompleted result = new SolverEngine().solve(problem);

        assertThat(result.status()).isEqualTo(RunCompleted.Status.SOLVED);
        assertThat(result.assignments().get(0).applicantId()).isEqualTo("ana");
        assertThat(result.score()).startsWith("-1hard/");
        assertThat(result.problems()).anySatisfy(p -> {
            assertThat(p.code()).isEqualTo(RunCompleted.Problem.PIN_CONFLICT);
            assertThat(p.message()).contains("Ana Silva").contains("lacks skill: CUDA");
        });
        assertThat(HardRuleChecker.violations(problem, filled(result))).containsExactly("ana lacks skill CUDA for GPU");
    }

    @Test
    void explanationOfAnUnfilledSlotNamesWhatBlockedEachCandidate() {
        Meeting tue10 = new Meeting(Day.TUE, "10:00", "11:20");
        Course networks = course("NET", 1, 10, List.of(), 5, tue10);
        Course systems = course("SYS", 1, 10, List.of(), 1, tue10);
        Course gpu = course("GPU", 1, 10, List.of("CUDA"), 1);
        Applicant ana = applicant("ana", "Ana Silva", 10, List.of("CUDA"), List.of());
        Applicant bo = applicant("bo", "Bo Chen", 20, List.of(), List.of());
        AssignmentProblem problem = problem(List.of(networks, systems, gpu), List.of(ana, bo),
                List.of(new Preference("ana", "GPU", 5, false), new Preference("bo", "NET", 5, false)));

        RunCompleted result = new SolverEngine().solve(problem);

        assertThat(HardRuleChecker.violations(problem, filled(result))).isEmpty();
        RunCompleted.UnassignedSlot empty = result.unassigned().stream()
                .filter(u -> u.courseId().equals("SYS")).findFirst().orElseThrow();
        assertThat(empty.blockers()).anySatisfy(b -> {
            assertThat(b.name()).isEqualTo("Bo Chen");
            assertThat(b.reason()).isEqualTo("conflicts at TUE 10:00 with NET-101");
        });
        assertThat(empty.blockers()).anySatisfy(b -> {
            assertThat(b.name()).isEqualTo("Ana Silva");
            assertThat(b.reason()).isEqualTo("at 10/10 h");
        });
        assertThat(empty.summary()).startsWith("No qualified TA with free hours:").contains("Ana Silva is at 10/10 h");
        RunCompleted.Assignment gpuSlot = result.assignments().stream()
                .filter(a -> a.courseId().equals("GPU")).findFirst().orElseThrow();
        assertThat(gpuSlot.explanation().summary()).isEqualTo("Ana Silva: rated 5/5");
    }

    @Test
    void summaryOfAnUnfilledSlotCountsTheStaticBlockersInPlainWords() {
        Course gpu = course("GPU", 1, 10, List.of("CUDA", "LaTeX"), 1);
        Applicant ana = applicant("ana", "Ana Silva", 10, List.of(), List.of());
        Applicant bo = applicant("bo", "Bo Chen", 10, List.of(), List.of());
        Applicant cy = applicant("cy", "Cy Diaz", 10, List.of("CUDA"), List.of());
        Applicant di = applicant("di", "Di Park", 5, List.of("CUDA", "LaTeX"), List.of());
        AssignmentProblem problem = problem(List.of(gpu), List.of(ana, bo, cy, di), List.of());

        RunCompleted result = new SolverEngine().solve(problem);

        RunCompleted.UnassignedSlot empty = result.unassigned().get(0);
        assertThat(empty.summary()).isEqualTo("No applicant can take GPU-101."
                + " 2 lack CUDA and LaTeX; 1 lacks LaTeX; 1 can work fewer hours than a slot needs.");
        assertThat(empty.blockers()).anySatisfy(b -> {
            assertThat(b.name()).isEqualTo("Ana Silva");
            assertThat(b.reason()).isEqualTo("lacks skill: CUDA, LaTeX");
        });
    }

    @Test
    void cancellingALongRunReturnsItsBestSolutionMarkedCancelled() throws Exception {
        AssignmentProblem problem = DepartmentGenerator.generate(40, 120, 3)
                .withSettings(new SolverSettings(60, 0, 3, null, Map.of()));
        List<RunProgress> progress = new CopyOnWriteArrayList<>();
        try (SolveScheduler scheduler = new SolveScheduler(new SolverEngine(), 1)) {
            CompletableFuture<RunCompleted> run = scheduler.submit(problem, progress::add);
            AssignmentProblem second = problem.withRunId("queued");
            CompletableFuture<RunCompleted> queued = scheduler.submit(second, progress::add);
            long deadline = System.currentTimeMillis() + 20_000;
            while (progress.stream().noneMatch(p -> p.phase() == RunProgress.Phase.LOCAL_SEARCH)
                    && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            assertThat(scheduler.queued()).isEqualTo(1);
            assertThat(scheduler.cancel("queued", "not needed")).isTrue();
            assertThat(scheduler.cancel(problem.runId(), "coordinator stopped it")).isTrue();

            RunCompleted result = run.get(20, TimeUnit.SECONDS);
            assertThat(result.status()).isEqualTo(RunCompleted.Status.CANCELLED);
            assertThat(result.solveMs()).isLessThan(30_000);
            assertThat(result.assignments()).isNotEmpty();
            assertThat(HardRuleChecker.violations(problem, filled(result))).isEmpty();
            assertThat(queued.get(20, TimeUnit.SECONDS).status()).isEqualTo(RunCompleted.Status.CANCELLED);
            assertThat(progress).filteredOn(p -> p.runId().equals("queued")).extracting(RunProgress::phase)
                    .contains(RunProgress.Phase.QUEUED);
        }
    }

    private static Course course(String id, int slots, int hours, List<String> skills, int priority, Meeting... meetings) {
        return new Course(id, id, "Course " + id, "101", "2027W1", "Prof", List.of(meetings), slots, hours, skills,
                0, slots, priority, false);
    }

    private static Applicant applicant(String id, String name, int maxHours, List<String> skills, List<Meeting> unavailable) {
        return new Applicant(id, name, "MSc", 1, 0, maxHours, maxHours, unavailable, skills, List.of(), List.of(),
                List.of());
    }

    private static AssignmentProblem problem(List<Course> courses, List<Applicant> applicants, List<Preference> prefs) {
        return new AssignmentProblem("run-1", "2027W1", "Test", courses, applicants, prefs, List.of(), List.of(),
                List.of(), new SolverSettings(2, 1, 1, null, Map.of()));
    }
}
