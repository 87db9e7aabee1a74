package tapipeline.coordinator.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tapipeline.coordinator.api.CoordinatorFixture;
import tapipeline.platform.kafka.Events;
import tapipeline.platform.kafka.ExplanationsWriter;
import tapipeline.platform.kafka.KafkaClients;
import tapipeline.platform.kafka.KeyTail;
import tapipeline.platform.kafka.Topics;
import tapipeline.platform.testing.KafkaBrokerExtension;
import tapipeline.platform.testing.web.WebClient;
import tapipeline.schemas.EventTypes;
import tapipeline.schemas.assignment.AssignmentProblem;
import tapipeline.schemas.assignment.RunCompleted;
import tapipeline.schemas.samples.SampleEvents;

/**
 * The review reads each slot's explanation on demand from assignment.run.explanations when the result
 * says where it is (the solver service's shape since assignment.run.completed v2), and still shows the
 * explanation of a result of the old shape, inline; the board keeps no explanation in memory.
 */
@ExtendWith(KafkaBrokerExtension.class)
class RunExplanationsIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void every_slots_explanation_is_read_on_demand_and_old_results_still_show_theirs() throws Exception {
        KafkaClients clients = new KafkaClients(KafkaBrokerExtension.bootstrapServers());
        try (CoordinatorFixture f = new CoordinatorFixture(Map.of());
             KafkaProducer<String, byte[]> producer = clients.producer("it-explanations")) {
            String term = f.term();
            String leanRun = f.prefix + "-lean";
            String oldRun = f.prefix + "-v1";
            AssignmentProblem sample = SampleEvents.problem();
            RunCompleted full = SampleEvents.runCompleted();

            // the solver service's way: explanations first, one record per course, then the lean result
            send(producer, EventTypes.RUN_REQUESTED, leanRun, problem(sample, leanRun, term));
            RunCompleted lean = ExplanationsWriter.publish(producer, rename(full, leanRun));
            send(producer, EventTypes.RUN_COMPLETED, leanRun, lean);
            // a result of the old shape, explanations inline
            send(producer, EventTypes.RUN_REQUESTED, oldRun, problem(sample, oldRun, term));
            send(producer, EventTypes.RUN_COMPLETED, oldRun, rename(full, oldRun));

            RunBoard board = f.service.runs().board();
            await().atMost(Duration.ofSeconds(30)).until(() -> board.get(leanRun).map(RunBoard.Run::reviewable).orElse(false)
                    && board.get(oldRun).map(RunBoard.Run::reviewable).orElse(false));
            assertThat(board.get(leanRun).orElseThrow().result().hasInlineExplanations())
                    .as("the board holds no explanation of the new shape").isFalse();

            // written per course, in the run's partition, keyed by run and course (the compaction key)
            List<ConsumerRecord<String, byte[]>> records = explanationRecords(clients, leanRun, lean.explanations());
            int partitions = producer.partitionsFor(Topics.RUN_EXPLANATIONS.name()).size();
            assertThat(lean.explanations().partition()).isEqualTo(KeyTail.partitionOf(leanRun, partitions));
            assertThat(records).extracting(ConsumerRecord::key).containsExactly(leanRun + " cpsc110-101",
                    leanRun + " cpsc221-201", leanRun + " cpsc340-101");

            WebClient viewer = f.signedIn(f.viewer);
            for (String run : List.of(leanRun, oldRun)) {
                for (RunCompleted.Assignment a : full.assignments()) {
                    JsonNode slot = JSON.readTree(viewer.get("/api/runs/" + run + "/slots/" + a.courseId() + "/"
                            + a.slotIndex(), "application/json").body());
                    assertThat(slot.path("explanation").path("summary").asText()).as(run + " " + a.courseId() + "#"
                            + a.slotIndex()).isEqualTo(a.explanation().summary());
                    assertThat(slot.has("explanationMissing")).isFalse();
                }
                JsonNode empty = JSON.readTree(viewer.get("/api/runs/" + run + "/slots/cpsc221-201/1", "application/json")
                        .body());
                assertThat(empty.path("blocked").path("blockers")).as(run).hasSize(3);

                String page = viewer.get("/runs/" + run + "/slots/cpsc221-201/1", "text/html").body();
                assertThat(page).contains("Why").contains("No qualified TA with free hours")
                        .contains("Banned by the instructor");
                String runnerUp = viewer.get("/runs/" + run + "/slots/cpsc110-101/0", "text/html").body();
                assertThat(runnerUp).contains("Instructor request, rank 1").contains("has not taught it");

                // bin/coordinator show --why: every slot's explanation, one course at a time
                java.nio.file.Path password = java.nio.file.Files.createTempFile("it-password", "");
                java.nio.file.Files.writeString(password, CoordinatorFixture.PASSWORD + "\n");
                picocli.CommandLine cli = tapipeline.coordinator.cli.CoordinatorCli.commandLine();
                java.io.StringWriter out = new java.io.StringWriter();
                cli.setOut(new java.io.PrintWriter(out, true));
                int exit = cli.execute("show", run, "--why", "--url", f.base, "--user", f.viewer, "--password-file",
                        password.toString());
                assertThat(exit).as(out.toString()).isZero();
                for (RunCompleted.Assignment a : full.assignments()) {
                    if (a.applicantId() != null) {
                        assertThat(out.toString()).contains("slot " + (a.slotIndex() + 1) + " ")
                                .contains(a.explanation().summary());
                    }
                }
                assertThat(out.toString()).contains("slot 2 (empty): No qualified TA with free hours (3 candidates blocked)");
            }
        }
    }

    @Test
    void a_course_the_solver_wrote_no_explanation_for_says_so() throws Exception {
        KafkaClients clients = new KafkaClients(KafkaBrokerExtension.bootstrapServers());
        try (CoordinatorFixture f = new CoordinatorFixture(Map.of());
             KafkaProducer<String, byte[]> producer = clients.producer("it-explanations-missing")) {
            String run = f.prefix + "-partial";
            RunCompleted full = rename(SampleEvents.runCompleted(), run);
            send(producer, EventTypes.RUN_REQUESTED, run, problem(SampleEvents.problem(), run, f.term()));
            // only the first course's record exists (say, explanations cut short): the others are said to be missing
            // and of that course only slots 1 and 2 (0-based 0 and 1), as if the solver cut explanations short
            RunCompleted firstCourse = ExplanationsWriter.publish(producer, new RunCompleted(run, full.status(),
                    full.score(), full.scoreBreakdown(), full.assignments().subList(0, 2), List.of(), List.of(),
                    full.solveMs(), full.seed()));
            assertThat(firstCourse.explanations().courses()).isEqualTo(1);
            send(producer, EventTypes.RUN_COMPLETED, run, full.withExplanationsAt(firstCourse.explanations()));
            await().atMost(Duration.ofSeconds(30)).until(() -> f.service.runs().board().get(run)
                    .map(RunBoard.Run::reviewable).orElse(false));

            WebClient viewer = f.signedIn(f.viewer);
            JsonNode known = JSON.readTree(viewer.get("/api/runs/" + run + "/slots/cpsc110-101/1", "application/json").body());
            assertThat(known.path("explanation").path("summary").asText()).startsWith("Nguyễn Thị Hương");
            JsonNode unknown = JSON.readTree(viewer.get("/api/runs/" + run + "/slots/cpsc221-201/0", "application/json").body());
            assertThat(unknown.path("explanationMissing").asText()).contains("no explanation for course cpsc221-201");
            JsonNode cutShort = JSON.readTree(viewer.get("/api/runs/" + run + "/slots/cpsc110-101/2", "application/json").body());
            assertThat(cutShort.path("explanationMissing").asText())
                    .contains("no explanation for slot 3 of course cpsc110-101");
            assertThat(viewer.get("/runs/" + run + "/slots/cpsc110-101/2", "text/html").body())
                    .contains("The solver wrote no explanation for slot 3 of course cpsc110-101");
        }
    }

    private static <T> void send(KafkaProducer<String, byte[]> producer, tapipeline.schemas.EventType<T> type, String key,
                                 T payload) throws Exception {
        Events.send(producer, type, key, payload).get(30, TimeUnit.SECONDS);
    }

    private static AssignmentProblem problem(AssignmentProblem p, String runId, String term) {
        return new AssignmentProblem(runId, term, p.department(), p.courses(), p.applicants(), p.preferences(),
                p.instructorPreferences(), p.pins(), p.previousAssignment(), p.settings());
    }

    private static RunCompleted rename(RunCompleted r, String runId) {
        return new RunCompleted(runId, r.status(), r.score(), r.scoreBreakdown(), r.assignments(), r.unassigned(),
                r.problems(), r.solveMs(), r.seed());
    }

    /** The run's records in the range its result names. */
    private static List<ConsumerRecord<String, byte[]>> explanationRecords(KafkaClients clients, String runId,
                                                                           RunCompleted.ExplanationsRef where) {
        var props = clients.consumerProps(null, "it-explanations-reader");
        props.remove(org.apache.kafka.clients.consumer.ConsumerConfig.GROUP_ID_CONFIG);
        try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<String, byte[]>(props)) {
            var tp = new org.apache.kafka.common.TopicPartition(Topics.RUN_EXPLANATIONS.name(), where.partition());
            consumer.assign(List.of(tp));
            consumer.seek(tp, where.firstOffset());
            List<ConsumerRecord<String, byte[]>> out = new java.util.ArrayList<>();
            long deadline = System.currentTimeMillis() + 20_000;
            while (consumer.position(tp) <= where.lastOffset() && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.offset() <= where.lastOffset() && r.key().startsWith(runId + " ")) {
                        out.add(r);
                    }
                }
            }
            return out;
        }
    }
}
