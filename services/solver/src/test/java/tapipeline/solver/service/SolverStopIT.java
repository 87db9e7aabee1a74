package tapipeline.solver.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.optaplanner.core.api.score.buildin.hardmediumsoftlong.HardMediumSoftLongScore;

import tapipeline.platform.kafka.Events;
import tapipeline.platform.kafka.KafkaClients;
import tapipeline.platform.kafka.Topics;
import tapipeline.platform.service.RunningService;
import tapipeline.platform.testing.EventWatcher;
import tapipeline.platform.testing.KafkaBrokerExtension;
import tapipeline.platform.testing.ServiceHarness;
import tapipeline.platform.testing.TestRecords;
import tapipeline.schemas.Envelope;
import tapipeline.schemas.EventTypes;
import tapipeline.schemas.assignment.AssignmentProblem;
import tapipeline.schemas.assignment.RunCheckpoint;
import tapipeline.schemas.assignment.RunCompleted;
import tapipeline.schemas.assignment.RunProgress;
import tapipeline.schemas.assignment.SolverSettings;
import tapipeline.solver.check.HardRuleChecker;
import tapipeline.solver.generator.DepartmentGenerator;

/**
 * A stop hands work back: closing a solver mid-run (what SIGTERM does through the shutdown hook)
 * neither fails nor dead-letters the run, and the next instance resumes it from its checkpoint; and a
 * second instance joining takes partitions without holding up or disturbing a run in progress.
 */
@ExtendWith(KafkaBrokerExtension.class)
class SolverStopIT {

    private static EventWatcher watcher;
    private static KafkaProducer<String, byte[]> producer;
    private static String bootstrap;

    @BeforeAll
    static void start() {
        bootstrap = KafkaBrokerExtension.bootstrapServers();
        watcher = new EventWatcher(bootstrap, Topics.RUN_PROGRESS.name(), Topics.RUN_COMPLETED.name(),
                Topics.RUN_CHECKPOINT.name());
        producer = new KafkaClients(bootstrap).producer("solver-stop-it");
    }

    @AfterAll
    static void stop() throws Exception {
        producer.close();
        watcher.close();
    }

    @Test
    void a_stop_mid_run_hands_it_back_and_the_next_instance_resumes_from_its_checkpoint() throws Exception {
        String runId = "stop-" + UUID.randomUUID();
        int limitSeconds = 25;
        AssignmentProblem problem = DepartmentGenerator.generate(100, 300, 7L).withRunId(runId)
                .withSettings(new SolverSettings(limitSeconds, 0, 7L, null, Map.of()));
        Map<String, String> settings = Map.of("SOLVER_MAX_CONCURRENT_RUNS", "1", "SOLVER_CHECKPOINT_SECONDS", "2");
        RunningService first = ServiceHarness.start(new SolverService(), settings);
        request(problem);
        watcher.await(RunCheckpoint.class, c -> c.runId().equals(runId), Duration.ofSeconds(90));
        Thread.sleep(4000); // solving on: the final checkpoint must be later than the periodic one

        long stopStart = System.nanoTime();
        first.close();
        long stopMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopStart);
        assertThat(stopMs).as("stop took %d ms", stopMs).isLessThan(10_000);

        Thread.sleep(1000); // let the watcher see what the stop wrote
        assertThat(watcher.payloads(RunCompleted.class, c -> c.runId().equals(runId)))
                .as("no completed (FAILED or otherwise) event for the stopped run").isEmpty();
        assertThat(deadLetters(runId)).as("request not dead-lettered").isEmpty();
        List<RunCheckpoint> checkpoints = watcher.payloads(RunCheckpoint.class, c -> c.runId().equals(runId));
        RunCheckpoint last = checkpoints.get(checkpoints.size() - 1);
        assertThat(last.assignments()).isNotEmpty();
        assertThat(last.solveMs()).as("the last checkpoint was written at the stop").isGreaterThan(5000);

        int seenBeforeRestart = watcher.all().size();
        RunningService second = ServiceHarness.start(new SolverService(), settings);
        try {
            long resumed = System.nanoTime();
            RunCompleted done = watcher.await(RunCompleted.class, c -> c.runId().equals(runId), Duration.ofSeconds(120));
            long secondSolveMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - resumed);
            assertThat(done.status()).isEqualTo(RunCompleted.Status.SOLVED);
            assertThat(HardRuleChecker.violations(problem, done.assignments().stream()
                    .filter(a -> a.applicantId() != null)
                    .map(a -> new tapipeline.schemas.assignment.SlotAssignment(a.courseId(), a.slotIndex(), a.applicantId()))
                    .toList())).isEmpty();
            assertThat(secondSolveMs).as("the resumed run only used the time it had left (%d ms used before)",
                    last.solveMs()).isLessThan(limitSeconds * 1000L - last.solveMs() + 15_000);
            assertThat(done.solveMs()).as("solve time counts both instances").isGreaterThanOrEqualTo(last.solveMs());

            RunProgress firstSearch = watcher.all().subList(seenBeforeRestart, watcher.all().size()).stream()
                    .map(Envelope::payload)
                    .filter(p -> p instanceof RunProgress r && r.runId().equals(runId)
                            && r.phase() == RunProgress.Phase.LOCAL_SEARCH)
                    .map(RunProgress.class::cast).findFirst().orElseThrow();
            assertThat(HardMediumSoftLongScore.parseScore(firstSearch.bestScore()))
                    .as("first progress after the restart (%s) vs the checkpoint (%s)", firstSearch.bestScore(), last.score())
                    .isGreaterThanOrEqualTo(HardMediumSoftLongScore.parseScore(last.score()));

            Thread.sleep(2000);
            assertThat(watcher.payloads(RunCompleted.class, c -> c.runId().equals(runId))).as("completed once").hasSize(1);
            assertThat(deadLetters(runId)).isEmpty();
        } finally {
            second.close();
        }
    }

    @Test
    void a_joining_instance_takes_a_waiting_request_while_the_first_solves() throws Exception {
        String prefix = "join-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        Map<Integer, String> byPartition = runIdsByPartition(prefix);
        String longRun = byPartition.get(0);
        List<String> waiting = List.of(byPartition.get(1), byPartition.get(2));
        Map<String, String> one = Map.of("SOLVER_MAX_CONCURRENT_RUNS", "1", "SOLVER_CHECKPOINT_SECONDS", "2");
        RunningService first = ServiceHarness.start(new SolverService(), one);
        RunningService second = null;
        try {
            int longSeconds = 30; // outlasts both waiting runs (5 s each, one after the other on the second instance)
            request(DepartmentGenerator.generate(60, 180, 3L).withRunId(longRun)
                    .withSettings(new SolverSettings(longSeconds, 0, 3L, null, Map.of())));
            watcher.await(RunProgress.class, p -> p.runId().equals(longRun) && p.phase() == RunProgress.Phase.LOCAL_SEARCH,
                    Duration.ofSeconds(60));
            for (String runId : waiting) {
                request(DepartmentGenerator.generate(20, 60, 5L).withRunId(runId)
                        .withSettings(new SolverSettings(5, 0, 5L, null, Map.of())));
            }
            Thread.sleep(2000);
            assertThat(watcher.payloads(RunProgress.class, p -> waiting.contains(p.runId())))
                    .as("the first instance is at capacity: the other requests wait in Kafka").isEmpty();

            long joined = System.nanoTime();
            second = ServiceHarness.start(new SolverService(), one);
            RunProgress taken = watcher.await(RunProgress.class, p -> waiting.contains(p.runId()), Duration.ofSeconds(30));
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - joined);
            assertThat(tookMs).as("second instance started a waiting run %d ms after it started", tookMs)
                    .isLessThan(10_000);
            RunCompleted quick = watcher.await(RunCompleted.class, c -> c.runId().equals(taken.runId()),
                    Duration.ofSeconds(40));
            assertThat(quick.status()).isEqualTo(RunCompleted.Status.SOLVED);
            assertThat(watcher.payloads(RunCompleted.class, c -> c.runId().equals(longRun)))
                    .as("the waiting run finished before the long run").isEmpty();

            for (String runId : List.of(longRun, waiting.get(0), waiting.get(1))) {
                watcher.await(RunCompleted.class, c -> c.runId().equals(runId), Duration.ofSeconds(150));
            }
            Thread.sleep(2000);
            for (String runId : List.of(longRun, waiting.get(0), waiting.get(1))) {
                assertThat(watcher.payloads(RunCompleted.class, c -> c.runId().equals(runId)))
                        .as("%s completed exactly once", runId).hasSize(1)
                        .allSatisfy(c -> assertThat(c.status()).isEqualTo(RunCompleted.Status.SOLVED));
            }
            assertThat(watcher.payloads(RunProgress.class, p -> p.runId().equals(longRun)
                    && p.phase() == RunProgress.Phase.STARTING)).as("the long run was never interrupted and restarted")
                    .hasSize(1);
            RunCompleted longDone = watcher.payloads(RunCompleted.class, c -> c.runId().equals(longRun)).get(0);
            assertThat(longDone.solveMs()).as("the long run was not restarted from zero by the rebalance")
                    .isLessThan(longSeconds * 1000L + 15_000);
        } finally {
            if (second != null) {
                second.close();
            }
            first.close();
        }
    }

    private static Map<Integer, String> runIdsByPartition(String prefix) {
        int partitions = 3; // ServiceHarness creates topics with 3 partitions
        Map<Integer, String> byPartition = new TreeMap<>();
        for (int i = 0; byPartition.size() < partitions; i++) {
            String runId = prefix + i;
            int partition = Utils.toPositive(Utils.murmur2(runId.getBytes(StandardCharsets.UTF_8))) % partitions;
            byPartition.putIfAbsent(partition, runId);
        }
        return byPartition;
    }

    private static List<?> deadLetters(String runId) {
        return TestRecords.readAll(bootstrap, Topics.deadLetterTopicOf(Topics.RUN_REQUESTED.name()), Duration.ofSeconds(10))
                .stream().filter(r -> runId.equals(r.key())).toList();
    }

    private static void request(AssignmentProblem problem) throws Exception {
        producer.send(Events.record(EventTypes.RUN_REQUESTED, problem.runId(), problem)).get(10, TimeUnit.SECONDS);
    }
}
