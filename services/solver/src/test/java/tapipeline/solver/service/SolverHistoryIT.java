package tapipeline.solver.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import tapipeline.platform.kafka.Events;
import tapipeline.platform.kafka.KafkaClients;
import tapipeline.platform.kafka.KeyTail;
import tapipeline.platform.kafka.Topics;
import tapipeline.platform.service.RunningService;
import tapipeline.platform.testing.KafkaBrokerExtension;
import tapipeline.platform.testing.ServiceHarness;
import tapipeline.platform.testing.TestRecords;
import tapipeline.schemas.EventCodec;
import tapipeline.schemas.EventTypes;
import tapipeline.schemas.assignment.RunCompleted;
import tapipeline.schemas.assignment.RunStatus;
import tapipeline.schemas.assignment.SolverSettings;
import tapipeline.solver.generator.DepartmentGenerator;

/**
 * Old data: a completed run written before {@code assignment.run.status} existed is still known after
 * a restart (its status is written once at start), so its redelivered request is not solved again.
 */
@ExtendWith(KafkaBrokerExtension.class)
class SolverHistoryIT {

    @Test
    void a_completed_run_without_a_status_is_indexed_once_and_not_solved_again() throws Exception {
        String bootstrap = KafkaBrokerExtension.bootstrapServers();
        String runId = "old-" + UUID.randomUUID();
        RunCompleted old = new RunCompleted(runId, RunCompleted.Status.SOLVED, "0hard/-3medium/-100soft", List.of(),
                List.of(), List.of(), List.of(), 1234L, 1L);
        ServiceHarness.start(new SolverService(), Map.of()).close(); // topics exist
        try (KafkaProducer<String, byte[]> p = new KafkaClients(bootstrap).producer("history-it")) {
            // written as an older solver did: completed event only, no status
            Events.send(p, EventTypes.RUN_COMPLETED, runId, old).get(10, TimeUnit.SECONDS);
        }
        RunningService solver = ServiceHarness.start(new SolverService(), Map.of());
        try {
            List<RunStatus> statuses = statuses(bootstrap, runId);
            assertThat(statuses).as("status written at start").hasSize(1);
            assertThat(statuses.get(0).status()).isEqualTo(RunCompleted.Status.SOLVED);
            assertThat(statuses.get(0).solveMs()).isEqualTo(1234L);
            String runs = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                    solver.urls().get("solver runs"))).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(runs).contains(runId);

            try (KafkaProducer<String, byte[]> p = new KafkaClients(bootstrap).producer("history-it")) {
                Events.send(p, EventTypes.RUN_REQUESTED, runId, DepartmentGenerator.generate(10, 30, 1L)
                        .withRunId(runId).withSettings(new SolverSettings(2, 0, 1L, null, Map.of())))
                        .get(10, TimeUnit.SECONDS);
            }
            Thread.sleep(8000);
            assertThat(completed(bootstrap, runId)).as("the redelivered request was not solved again").hasSize(1);
        } finally {
            solver.close();
        }
        RunningService again = ServiceHarness.start(new SolverService(), Map.of());
        again.close();
        assertThat(statuses(bootstrap, runId)).as("indexed once: the next start writes no second status").hasSize(1);
    }

    @Test
    void a_run_whose_solver_died_between_its_completed_event_and_its_status_is_not_solved_again() throws Exception {
        String bootstrap = KafkaBrokerExtension.bootstrapServers();
        String died = "died-" + UUID.randomUUID();
        String later = "later-" + UUID.randomUUID();
        RunningService solver = ServiceHarness.start(new SolverService(), Map.of());
        try (KafkaProducer<String, byte[]> p = new KafkaClients(bootstrap).producer("history-it-died")) {
            // the solver of `died` wrote its completed event and stopped before its status; a later run of
            // the same partition completed normally, so its status points past the gap
            Events.send(p, EventTypes.RUN_COMPLETED, died, completedRun(died)).get(10, TimeUnit.SECONDS);
            int partitions = partitionsOf(bootstrap, Topics.RUN_COMPLETED.name());
            int partition = KeyTail.partitionOf(died, partitions);
            String sameRunPartition = later;
            for (int i = 0; KeyTail.partitionOf(sameRunPartition, partitions) != partition; i++) {
                sameRunPartition = later + "-" + i;
            }
            var at = Events.send(p, EventTypes.RUN_COMPLETED, sameRunPartition, completedRun(sameRunPartition))
                    .get(10, TimeUnit.SECONDS);
            Events.send(p, EventTypes.RUN_STATUS, sameRunPartition, RunStatus.of(completedRun(sameRunPartition),
                    java.time.Instant.now(), at.partition(), at.offset())).get(10, TimeUnit.SECONDS);
            Thread.sleep(2000);
            // the request of `died` is read again by the partition's next owner: this running instance
            Events.send(p, EventTypes.RUN_REQUESTED, died, DepartmentGenerator.generate(10, 30, 1L)
                    .withRunId(died).withSettings(new SolverSettings(2, 0, 1L, null, Map.of())))
                    .get(10, TimeUnit.SECONDS);
            Thread.sleep(8000);
            assertThat(completed(bootstrap, died)).as("not solved a second time").hasSize(1);
            assertThat(statuses(bootstrap, died)).as("its missing status written").hasSize(1);
        } finally {
            solver.close();
        }
    }

    private static int partitionsOf(String bootstrap, String topic) {
        try (var c = new KafkaClients(bootstrap).consumer("history-it-meta-" + UUID.randomUUID(), "history-it")) {
            return c.partitionsFor(topic, Duration.ofSeconds(10)).size();
        }
    }

    private static RunCompleted completedRun(String runId) {
        return new RunCompleted(runId, RunCompleted.Status.SOLVED, "0hard/-3medium/-100soft", List.of(),
                List.of(), List.of(), List.of(), 1234L, 1L);
    }

    private static List<RunStatus> statuses(String bootstrap, String runId) {
        return TestRecords.readAll(bootstrap, Topics.RUN_STATUS.name(), Duration.ofSeconds(10)).stream()
                .filter(r -> runId.equals(r.key()) && r.value() != null)
                .map(r -> (RunStatus) EventCodec.standard().decodeAny(r.value().getBytes(StandardCharsets.UTF_8)).payload())
                .toList();
    }

    private static List<?> completed(String bootstrap, String runId) {
        return TestRecords.readAll(bootstrap, Topics.RUN_COMPLETED.name(), Duration.ofSeconds(10)).stream()
                .filter(r -> runId.equals(r.key())).toList();
    }
}
