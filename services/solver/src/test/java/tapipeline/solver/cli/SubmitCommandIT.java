package tapipeline.solver.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import tapipeline.platform.kafka.KafkaClients;
import tapipeline.platform.kafka.Topics;
import tapipeline.platform.service.RunningService;
import tapipeline.platform.testing.EventWatcher;
import tapipeline.platform.testing.KafkaBrokerExtension;
import tapipeline.platform.testing.ServiceHarness;
import tapipeline.schemas.assignment.AssignmentProblem;
import tapipeline.schemas.assignment.RunCompleted;
import tapipeline.schemas.assignment.RunProgress;
import tapipeline.schemas.assignment.SlotAssignment;
import tapipeline.solver.check.HardRuleChecker;
import tapipeline.solver.generator.DepartmentGenerator;
import tapipeline.solver.service.SolverService;

/**
 * {@code submit} and {@code cancel} against the solver service on the real broker: the command sends
 * the request, follows the run to its completed event and writes it; a second submit of the same run
 * id prints the earlier result without requesting it again; a cancel stops a long run early.
 */
@ExtendWith(KafkaBrokerExtension.class)
class SubmitCommandIT {

    private static RunningService service;
    private static EventWatcher watcher;

    @TempDir
    Path dir;

    @BeforeAll
    static void startSolver() throws Exception {
        service = ServiceHarness.start(new SolverService(), Map.of("SOLVER_MAX_CONCURRENT_RUNS", "2"));
        watcher = new EventWatcher(KafkaBrokerExtension.bootstrapServers(), Topics.RUN_REQUESTED.name(),
                Topics.RUN_PROGRESS.name());
    }

    @AfterAll
    static void stop() throws Exception {
        watcher.close();
        service.close();
    }

    @Test
    void submit_follows_the_run_and_writes_its_result_and_a_second_submit_reuses_it() throws Exception {
        AssignmentProblem problem = DepartmentGenerator.generate(12, 36, 8L);
        Path file = write(problem);
        Path out = dir.resolve("result.json");

        int exit = SolverCli.run("submit", file.toString(), "--kafka", KafkaBrokerExtension.bootstrapServers(),
                "--run-id", "cli-submit", "--seconds", "3", "--quiet", "-o", out.toString());

        assertThat(exit).isZero();
        RunCompleted result = SolverCli.JSON.readValue(out.toFile(), RunCompleted.class);
        assertThat(result.runId()).isEqualTo("cli-submit");
        assertThat(result.status()).isEqualTo(RunCompleted.Status.SOLVED);
        List<SlotAssignment> filled = filled(result);
        assertThat(filled).isNotEmpty();
        assertThat(HardRuleChecker.violations(problem, filled)).as("independent hard-rule check").isEmpty();
        assertThat(watcher.payloads(RunProgress.class, p -> p.runId().equals("cli-submit"))).isNotEmpty();

        Path again = dir.resolve("again.json");
        int secondExit = SolverCli.run("submit", file.toString(), "--kafka", KafkaBrokerExtension.bootstrapServers(),
                "--run-id", "cli-submit", "--quiet", "--wait-seconds", "30", "-o", again.toString());

        assertThat(secondExit).isZero();
        RunCompleted second = SolverCli.JSON.readValue(again.toFile(), RunCompleted.class);
        assertThat(second.score()).isEqualTo(result.score());
        assertThat(filled(second)).isEqualTo(filled);
        assertThat(watcher.payloads(AssignmentProblem.class, p -> p.runId().equals("cli-submit")))
                .as("the run was requested once").hasSize(1);
    }

    @Test
    void cancel_stops_a_submitted_long_run_with_its_best_solution() throws Exception {
        AssignmentProblem problem = DepartmentGenerator.generate(60, 180, 9L);
        Path file = write(problem);
        String kafka = KafkaBrokerExtension.bootstrapServers();
        long start = System.nanoTime();

        assertThat(SolverCli.run("submit", file.toString(), "--kafka", kafka, "--run-id", "cli-cancel",
                "--seconds", "300", "--no-wait")).isZero();
        watcher.await(RunProgress.class, p -> p.runId().equals("cli-cancel") && p.assigned() > 0, Duration.ofSeconds(90));
        assertThat(SolverCli.run("cancel", "cli-cancel", "--kafka", kafka)).isZero();

        // following the run again waits for, or finds, its completed event
        Path out = dir.resolve("cancelled.json");
        assertThat(SolverCli.run("submit", file.toString(), "--kafka", kafka, "--run-id", "cli-cancel",
                "--quiet", "--wait-seconds", "120", "-o", out.toString())).isZero();
        RunCompleted result = SolverCli.JSON.readValue(out.toFile(), RunCompleted.class);
        assertThat(result.status()).isEqualTo(RunCompleted.Status.CANCELLED);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("stopped long before its 300 s limit")
                .isLessThan(Duration.ofSeconds(150));
        assertThat(filled(result)).as("best solution so far").isNotEmpty();
        assertThat(HardRuleChecker.violations(problem, filled(result))).isEmpty();
    }

    @Test
    void an_unreadable_record_of_the_run_is_skipped_not_fatal() throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaClients(KafkaBrokerExtension.bootstrapServers())
                .producer("it-poison")) {
            producer.send(new ProducerRecord<>(Topics.RUN_COMPLETED.name(), "cli-poison",
                    "not an event".getBytes(StandardCharsets.UTF_8))).get(10, TimeUnit.SECONDS);
        }
        Path file = write(DepartmentGenerator.generate(8, 24, 4L));
        Path out = dir.resolve("poison.json");
        Outcome outcome = runCapturingStderr("submit", file.toString(), "--kafka", KafkaBrokerExtension.bootstrapServers(),
                "--run-id", "cli-poison", "--seconds", "2", "--quiet", "--wait-seconds", "60", "-o", out.toString());

        assertThat(outcome.exit()).isZero();
        assertThat(outcome.stderr()).contains("Skipped an unreadable record at assignment.run.completed");
        assertThat(SolverCli.JSON.readValue(out.toFile(), RunCompleted.class).status()).isEqualTo(RunCompleted.Status.SOLVED);
    }

    @Test
    void submit_names_what_is_wrong_with_a_problem_file_before_sending_anything() throws Exception {
        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{\"runId\": ");
        Outcome outcome = runCapturingStderr("submit", broken.toString(), "--kafka", KafkaBrokerExtension.bootstrapServers(),
                "--run-id", "cli-broken");

        assertThat(outcome.exit()).isEqualTo(1);
        assertThat(outcome.stderr()).contains("broken.json is not a valid problem: MALFORMED_JSON");
        assertThat(watcher.payloads(AssignmentProblem.class, p -> p.runId().equals("cli-broken"))).isEmpty();
    }

    private record Outcome(int exit, String stderr) {
    }

    /** Runs the command line and keeps what it wrote on stderr. */
    private static Outcome runCapturingStderr(String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream original = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int exit = SolverCli.run(args);
            return new Outcome(exit, err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(original);
        }
    }

    private Path write(AssignmentProblem problem) throws Exception {
        Path file = dir.resolve(problem.runId() + ".json");
        Files.writeString(file, SolverCli.JSON.writeValueAsString(problem));
        return file;
    }

    private static List<SlotAssignment> filled(RunCompleted done) {
        return done.assignments().stream().filter(a -> a.applicantId() != null)
                .map(a -> new SlotAssignment(a.courseId(), a.slotIndex(), a.applicantId())).toList();
    }
}
