package tapipeline.solver.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import tapipeline.platform.kafka.Events;
import tapipeline.platform.kafka.KafkaClients;
import tapipeline.platform.kafka.Topics;
import tapipeline.platform.service.RunningService;
import tapipeline.platform.testing.EventWatcher;
import tapipeline.platform.testing.KafkaBrokerExtension;
import tapipeline.platform.testing.ServiceHarness;
import tapipeline.schemas.EventTypes;
import tapipeline.schemas.assignment.AssignmentProblem;
import tapipeline.schemas.assignment.Pin;
import tapipeline.schemas.assignment.RunCancel;
import tapipeline.schemas.assignment.RunCompleted;
import tapipeline.schemas.assignment.RunProgress;
import tapipeline.schemas.assignment.SlotAssignment;
import tapipeline.schemas.assignment.SolverSettings;
import tapipeline.solver.check.HardRuleChecker;
import tapipeline.solver.generator.DepartmentGenerator;

/**
 * The solver service on the real broker: request in, progress and a completed event out, checked
 * by the independent hard-rule checker; cancel; re-solve with pins.
 */
@ExtendWith(KafkaBrokerExtension.class)
class SolverServiceIT {

    private static RunningService service;
    private static EventWatcher watcher;
    private static KafkaClients clients;
    private static KafkaProducer<String, byte[]> producer;

    @BeforeAll
    static void startSolver() throws Exception {
        String bootstrap = KafkaBrokerExtension.bootstrapServers();
        clients = new KafkaClients(bootstrap);
        service = ServiceHarness.start(new SolverService(), Map.of("SOLVER_MAX_CONCURRENT_RUNS", "2"));
        watcher = new EventWatcher(bootstrap, Topics.RUN_PROGRESS.name(), Topics.RUN_COMPLETED.name());
        producer = clients.producer("solver-it");
    }

    @AfterAll
    static void stop() throws Exception {
        producer.close();
        watcher.close();
        service.close();
    }

    @Test
    void a_request_gives_progress_and_a_completed_assignment_that_breaks_no_hard_rule() throws Exception {
        AssignmentProblem problem = DepartmentGenerator.generate(25, 75, 11L).withRunId("it-solve")
                .withSettings(new SolverSettings(6, 3, 11L, null, Map.of()));
        request(problem);

        RunCompleted done = awaitCompleted("it-solve", Duration.ofSeconds(90));
        assertThat(done.status()).isEqualTo(RunCompleted.Status.SOLVED);
        assertThat(watcher.payloads(RunProgress.class, p -> p.runId().equals("it-solve"))).isNotEmpty();

        List<SlotAssignment> filled = filled(done);
        assertThat(filled).isNotEmpty();
        assertThat(HardRuleChecker.violations(problem, filled)).as("independent hard-rule check").isEmpty();
        assertThat(done.assignments()).filteredOn(a -> a.applicantId() != null)
                .allSatisfy(a -> assertThat(a.explanation().summary()).isNotBlank());
        assertThat(done.unassigned()).allSatisfy(u -> assertThat(u.summary()).isNotBlank());
        assertThat(done.scoreBreakdown()).isNotEmpty();

        String runs = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(service.urls().get("solver runs"))).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        assertThat(runs).contains("\"runId\":\"it-solve\"").contains("\"status\":\"SOLVED\"");
    }

    @Test
    void a_cancel_stops_a_long_run_early_with_its_best_solution() throws Exception {
        AssignmentProblem problem = DepartmentGenerator.generate(120, 360, 5L).withRunId("it-cancel")
                .withSettings(new SolverSettings(300, 0, 5L, null, Map.of()));
        long start = System.nanoTime();
        request(problem);
        watcher.await(RunProgress.class, p -> p.runId().equals("it-cancel") && p.assigned() > 0, Duration.ofSeconds(90));
        producer.send(Events.record(EventTypes.RUN_CANCEL, "it-cancel",
                new RunCancel("it-cancel", "coordinator changed the data", "it"))).get(10, TimeUnit.SECONDS);

        RunCompleted done = awaitCompleted("it-cancel", Duration.ofSeconds(60));
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
        assertThat(done.status()).isEqualTo(RunCompleted.Status.CANCELLED);
        assertThat(seconds).as("stopped long before its 300 s limit").isLessThan(150);
        assertThat(filled(done)).as("best solution so far").isNotEmpty();
        assertThat(HardRuleChecker.violations(problem, filled(done))).isEmpty();
    }

    @Test
    void a_re_solve_keeps_every_pin_and_changes_few_other_slots() throws Exception {
        AssignmentProblem problem = DepartmentGenerator.generate(25, 75, 23L).withRunId("it-first")
                .withSettings(new SolverSettings(6, 3, 23L, null, Map.of()));
        request(problem);
        RunCompleted first = awaitCompleted("it-first", Duration.ofSeconds(90));
        List<SlotAssignment> previous = filled(first);

        // the coordinator overrides three slots with the solver's own runner-up candidates
        List<Pin> pins = new ArrayList<>();
        // (three different courses and TAs, so the pins themselves cannot break a hard rule)
        for (RunCompleted.Assignment a : first.assignments()) {
            if (pins.size() < 3 && a.applicantId() != null && !a.explanation().runnerUps().isEmpty()
                    && pins.stream().noneMatch(p -> p.courseId().equals(a.courseId()))) {
                String runnerUp = a.explanation().runnerUps().get(0).applicantId();
                if (pins.stream().noneMatch(p -> p.applicantId().equals(runnerUp))) {
                    pins.add(new Pin(a.courseId(), a.slotIndex(), runnerUp));
                }
            }
        }
        assertThat(pins).hasSize(3);
        AssignmentProblem resolve = problem.withRunId("it-resolve").withPins(pins).withPreviousAssignment(previous);
        request(resolve);
        RunCompleted second = awaitCompleted("it-resolve", Duration.ofSeconds(90));

        Map<String, String> after = new HashMap<>();
        second.assignments().forEach(a -> after.put(a.courseId() + "#" + a.slotIndex(), a.applicantId()));
        for (Pin pin : pins) {
            assertThat(after.get(pin.courseId() + "#" + pin.slotIndex())).as("pin %s", pin).isEqualTo(pin.applicantId());
        }
        long changedBesidesPins = previous.stream()
                .filter(s -> pins.stream().noneMatch(p -> p.courseId().equals(s.courseId()) && p.slotIndex() == s.slotIndex()))
                .filter(s -> !s.applicantId().equals(after.get(s.courseId() + "#" + s.slotIndex())))
                .count();
        // each pin displaces one TA's hours, so a short chain of moves per pin is expected; a solve
        // from scratch with another seed shows how much changes without minimal-change planning
        assertThat(changedBesidesPins).as("slots changed besides the 3 pins, of %d", previous.size())
                .isLessThanOrEqualTo(3L * pins.size());
        assertThat(HardRuleChecker.violations(resolve, filled(second))).isEmpty();

        request(problem.withRunId("it-scratch").withPins(pins)
                .withSettings(new SolverSettings(6, 3, 99L, null, Map.of())));
        RunCompleted scratch = awaitCompleted("it-scratch", Duration.ofSeconds(90));
        Map<String, String> fresh = new HashMap<>();
        scratch.assignments().forEach(a -> fresh.put(a.courseId() + "#" + a.slotIndex(), a.applicantId()));
        long changedFromScratch = previous.stream()
                .filter(s -> !s.applicantId().equals(fresh.get(s.courseId() + "#" + s.slotIndex()))).count();
        assertThat(changedBesidesPins).as("minimal change vs %d changes from scratch", changedFromScratch)
                .isLessThan(changedFromScratch / 3);
    }

    @Test
    void runs_are_solved_two_at_a_time_as_configured_and_the_rest_wait() throws Exception {
        // one run per partition of assignment.run.requested (3): two loops own them, so exactly two
        // runs can be solving at any moment and the third waits for its loop
        int partitions = Topics.RUN_REQUESTED.partitions() > 0 ? Topics.RUN_REQUESTED.partitions() : 3;
        java.util.Map<Integer, String> runByPartition = new java.util.TreeMap<>();
        for (int i = 0; runByPartition.size() < partitions; i++) {
            String runId = "it-conc-" + i;
            int partition = org.apache.kafka.common.utils.Utils.toPositive(
                    org.apache.kafka.common.utils.Utils.murmur2(runId.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                    % partitions;
            runByPartition.putIfAbsent(partition, runId);
        }
        for (String runId : runByPartition.values()) {
            request(DepartmentGenerator.generate(20, 60, 3L).withRunId(runId)
                    .withSettings(new SolverSettings(5, 0, 3L, null, Map.of())));
        }
        List<long[]> spans = new ArrayList<>();
        for (String runId : runByPartition.values()) {
            awaitCompleted(runId, Duration.ofSeconds(120));
            long start = watcher.all().stream()
                    .filter(e -> e.payload() instanceof RunProgress p && p.runId().equals(runId)
                            && p.phase() != RunProgress.Phase.QUEUED)
                    .mapToLong(e -> e.occurredAt().toEpochMilli()).min().orElseThrow();
            long end = watcher.all().stream()
                    .filter(e -> e.payload() instanceof RunCompleted c && c.runId().equals(runId))
                    .mapToLong(e -> e.occurredAt().toEpochMilli()).min().orElseThrow();
            spans.add(new long[] {start, end});
        }
        int most = 0;
        for (long[] span : spans) {
            long at = span[0];
            most = Math.max(most, (int) spans.stream().filter(o -> o[0] <= at && at < o[1]).count());
        }
        assertThat(most).as("runs solving at once, spans %s", spans.stream().map(java.util.Arrays::toString).toList())
                .isEqualTo(2);
    }

    private static void request(AssignmentProblem problem) throws Exception {
        producer.send(Events.record(EventTypes.RUN_REQUESTED, problem.runId(), problem)).get(10, TimeUnit.SECONDS);
    }

    /**
     * The run's completed event with its explanations read back from assignment.run.explanations, as a
     * reader does: the event itself carries none inline (v2), only where they are.
     */
    private static RunCompleted awaitCompleted(String runId, Duration timeout) throws InterruptedException {
        RunCompleted onTheWire = watcher.await(RunCompleted.class, c -> c.runId().equals(runId), timeout);
        assertThat(onTheWire.hasInlineExplanations()).as("explanations travel on their own topic").isFalse();
        if (onTheWire.explanations() == null) {
            return onTheWire;   // nothing to explain (e.g. cancelled before it started)
        }
        try (tapipeline.platform.kafka.ExplanationsReader reader = new tapipeline.platform.kafka.ExplanationsReader(
                clients, "solver-it-explanations", Duration.ofSeconds(30))) {
            return onTheWire.withExplanationsInline(reader.all(runId, onTheWire.explanations()));
        }
    }

    private static List<SlotAssignment> filled(RunCompleted done) {
        return done.assignments().stream().filter(a -> a.applicantId() != null)
                .map(a -> new SlotAssignment(a.courseId(), a.slotIndex(), a.applicantId())).toList();
    }
}
