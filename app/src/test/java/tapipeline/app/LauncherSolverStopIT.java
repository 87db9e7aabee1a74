package tapipeline.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.optaplanner.core.api.score.buildin.hardmediumsoftlong.HardMediumSoftLongScore;

import tapipeline.platform.kafka.Events;
import tapipeline.platform.kafka.KafkaClients;
import tapipeline.platform.kafka.Topics;
import tapipeline.platform.testing.TestRecords;
import tapipeline.schemas.EventCodec;
import tapipeline.schemas.EventTypes;
import tapipeline.schemas.assignment.AssignmentProblem;
import tapipeline.schemas.assignment.RunCheckpoint;
import tapipeline.schemas.assignment.RunCompleted;
import tapipeline.schemas.assignment.RunProgress;
import tapipeline.schemas.assignment.SolverSettings;
import tapipeline.solver.generator.DepartmentGenerator;

/**
 * SIGTERM to a real launcher process while the solver works on a run: the run is handed back (no
 * dead letter, no completed event), the launcher stops within 10 s, and after a restart the run
 * completes once, starting from the checkpoint the stop wrote.
 */
class LauncherSolverStopIT {

    private static final EventCodec CODEC = EventCodec.standard();
    /** Checkpoints every 2 s, so the run has one well before the SIGTERM. */
    private static final Map<String, String> CHECKPOINT_EVERY_2_S = Map.of("SOLVER_CHECKPOINT_SECONDS", "2");

    @Test
    void sigterm_mid_run_hands_the_run_back_and_the_restart_resumes_it(@TempDir Path data) throws Exception {
        String runId = "launcher-stop-1";
        AssignmentProblem problem = DepartmentGenerator.generate(100, 300, 9L).withRunId(runId)
                .withSettings(new SolverSettings(20, 0, 9L, null, Map.of())); // still solving at the SIGTERM, ~5 s in
        Path firstLog = data.resolve("first.log");
        Process first = LauncherProcess.start(data, firstLog, "768m", CHECKPOINT_EVERY_2_S);
        String bootstrap = LauncherProcess.awaitBootstrap(first, firstLog);
        try (KafkaProducer<String, byte[]> p = new KafkaClients(bootstrap).producer("launcher-stop-it")) {
            p.send(Events.record(EventTypes.RUN_REQUESTED, runId, problem)).get(10, TimeUnit.SECONDS);
        }
        long deadline = System.currentTimeMillis() + 90_000;
        while (checkpoints(bootstrap, runId).isEmpty()) {
            assertThat(System.currentTimeMillis()).as("a checkpoint within 90 s").isLessThan(deadline);
            Thread.sleep(500);
        }
        Thread.sleep(3000);

        long stopStart = System.nanoTime();
        first.destroy(); // SIGTERM
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).as("launcher stopped").isTrue();
        long stopMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopStart);
        assertThat(stopMs).as("SIGTERM to exit, broker included, took %d ms", stopMs).isLessThan(10_000);
        String log = Files.readString(firstLog);
        assertThat(log).contains("handed back").doesNotContain("Progress listener").doesNotContain("giving up on");

        Path secondLog = data.resolve("second.log");
        Process second = LauncherProcess.start(data, secondLog, "768m", CHECKPOINT_EVERY_2_S);
        try {
            assertThat(LauncherProcess.awaitBootstrap(second, secondLog)).isEqualTo(bootstrap);
            List<RunCheckpoint> before = checkpoints(bootstrap, runId);
            RunCheckpoint last = before.get(before.size() - 1);
            assertThat(completed(bootstrap, runId)).as("no completed event from the stopped run").isEmpty();

            deadline = System.currentTimeMillis() + 120_000;
            while (completed(bootstrap, runId).isEmpty()) {
                assertThat(System.currentTimeMillis()).as("run completed after the restart").isLessThan(deadline);
                Thread.sleep(1000);
            }
            Thread.sleep(2000);
            List<RunCompleted> done = completed(bootstrap, runId);
            assertThat(done).as("completed exactly once").hasSize(1);
            assertThat(done.get(0).status()).isEqualTo(RunCompleted.Status.SOLVED);
            assertThat(TestRecords.readAll(bootstrap, Topics.deadLetterTopicOf(Topics.RUN_REQUESTED.name()),
                    Duration.ofSeconds(10))).as("no dead letter").isEmpty();

            List<RunProgress> progress = payloads(bootstrap, Topics.RUN_PROGRESS.name(), RunProgress.class, runId);
            int restart = 0;
            for (int i = 0; i < progress.size(); i++) {
                if (progress.get(i).phase() == RunProgress.Phase.STARTING) {
                    restart = i; // the last STARTING: the second launcher's solve
                }
            }
            RunProgress firstSearch = progress.subList(restart, progress.size()).stream()
                    .filter(p -> p.phase() == RunProgress.Phase.LOCAL_SEARCH).findFirst().orElseThrow();
            assertThat(restart).as("solved twice: before and after the restart").isPositive();
            assertThat(HardMediumSoftLongScore.parseScore(firstSearch.bestScore()))
                    .as("first progress after the restart %s vs checkpoint %s", firstSearch.bestScore(), last.score())
                    .isGreaterThanOrEqualTo(HardMediumSoftLongScore.parseScore(last.score()));
        } finally {
            second.destroy();
            second.waitFor(90, TimeUnit.SECONDS);
        }
    }

    private static List<RunCheckpoint> checkpoints(String bootstrap, String runId) {
        return payloads(bootstrap, Topics.RUN_CHECKPOINT.name(), RunCheckpoint.class, runId);
    }

    private static List<RunCompleted> completed(String bootstrap, String runId) {
        return payloads(bootstrap, Topics.RUN_COMPLETED.name(), RunCompleted.class, runId);
    }

    private static <T> List<T> payloads(String bootstrap, String topic, Class<T> type, String runId) {
        List<T> out = new ArrayList<>();
        for (ConsumerRecord<String, String> r : TestRecords.readAll(bootstrap, topic, Duration.ofSeconds(30))) {
            if (runId.equals(r.key()) && r.value() != null) {
                Object payload = CODEC.decodeAny(r.value().getBytes(StandardCharsets.UTF_8)).payload();
                if (type.isInstance(payload)) {
                    out.add(type.cast(payload));
                }
            }
        }
        return out;
    }
}
