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

    /**
     * The scale on the wire, sized for CI: a generated problem padded past 8 MiB of JSON (each
     * applicant lists many courses taken that no course of the problem has, so the model is the small
     * generated one) goes through submit to the running service, and its result comes back with every
     * slot's explanation, read back from assignment.run.explanations, while the completed record itself
     * stays small.
     */
    @Test
    void a_problem_over_8_MiB_of_json_goes_through_submit_and_its_result_comes_back() throws Exception {
        AssignmentProblem small = DepartmentGenerator.generate(40, 120, 21L);
        AssignmentProblem problem = padded(small, 9L * 1024 * 1024, false);
        Path file = write(problem.withRunId("cli-big"));
        assertThat(Files.size(file)).as("problem JSON bytes").isGreaterThan(Topics.SNAPSHOT_MAX_BYTES);
        Path out = dir.resolve("big-result.json");
        EventWatcher completed = new EventWatcher(KafkaBrokerExtension.bootstrapServers(), Topics.RUN_COMPLETED.name(),
                Topics.RUN_EXPLANATIONS.name());
        try (completed) {
            int exit = SolverCli.run("submit", file.toString(), "--kafka", KafkaBrokerExtension.bootstrapServers(),
                    "--seconds", "3", "--quiet", "--wait-seconds", "240", "-o", out.toString());

            assertThat(exit).isZero();
            RunCompleted result = SolverCli.JSON.readValue(out.toFile(), RunCompleted.class);
            assertThat(result.runId()).isEqualTo("cli-big");
            assertThat(result.status()).isEqualTo(RunCompleted.Status.SOLVED);
            int slots = small.courses().stream().mapToInt(c -> c.slots()).sum();
            assertThat(result.assignments()).hasSize(slots);
            assertThat(result.assignments()).as("every slot's explanation, read back on demand")
                    .allSatisfy(a -> assertThat(a.explanation()).isNotNull());
            assertThat(result.explanations()).as("the file is the whole result, as `solve` writes it").isNull();
            assertThat(HardRuleChecker.violations(problem, filled(result))).isEmpty();

            // on the wire: the completed event points at the explanations, one record per course keyed by run and course
            RunCompleted lean = completed.await(RunCompleted.class, c -> c.runId().equals("cli-big"), Duration.ofSeconds(30));
            assertThat(lean.explanations()).isNotNull();
            assertThat(lean.hasInlineExplanations()).isFalse();
            assertThat(lean.explanations().courses()).isEqualTo(small.courses().size());
            assertThat(lean.explanations().slots()).isEqualTo(slots);
            assertThat(completed.payloads(tapipeline.schemas.assignment.RunExplanations.class,
                    e -> e.runId().equals("cli-big"))).hasSize(small.courses().size())
                    .allSatisfy(e -> assertThat(EventTypesKey.of(e)).isEqualTo("cli-big " + e.courseId()));
        }
    }

    @Test
    void a_problem_too_large_even_compressed_is_refused_naming_its_size_and_the_limit() throws Exception {
        // random letters hardly compress: about 22 MB of JSON stays over the topic's 8 MiB after zstd
        AssignmentProblem problem = padded(DepartmentGenerator.generate(8, 100, 5L), 20L * 1024 * 1024, true);
        Path file = write(problem.withRunId("cli-too-big"));
        Outcome outcome = runCapturingStderr("submit", file.toString(), "--kafka", KafkaBrokerExtension.bootstrapServers(),
                "--seconds", "2", "--quiet", "--wait-seconds", "30");

        assertThat(outcome.exit()).isEqualTo(1);
        assertThat(outcome.stderr()).contains("cli-too-big.json cannot be sent")
                .contains("record too large for topic assignment.run.requested")
                .contains("bytes before compression")
                .contains(String.format(java.util.Locale.ROOT, "%,d bytes after compression", Topics.SNAPSHOT_MAX_BYTES))
                .doesNotContain("is ./run up");
        assertThat(watcher.payloads(AssignmentProblem.class, p -> p.runId().equals("cli-too-big"))).isEmpty();
    }

    /** Key of an explanations record as the event type computes it. */
    private static final class EventTypesKey {
        static String of(tapipeline.schemas.assignment.RunExplanations e) {
            return tapipeline.schemas.EventTypes.RUN_EXPLANATIONS.keyOf(e);
        }
    }

    /**
     * The problem with each applicant's courses taken padded with courses no course of the problem has,
     * until its JSON passes {@code bytes}; {@code random}: codes of random letters (hardly compressible).
     */
    private static AssignmentProblem padded(AssignmentProblem p, long bytes, boolean random) {
        java.util.Random rnd = new java.util.Random(7);
        int perApplicant = 500; // the schema's limit of coursesTaken
        long perEntry = Math.max(40, bytes / ((long) p.applicants().size() * perApplicant) + 1);
        int codeLength = (int) Math.min(480, perEntry);
        List<tapipeline.schemas.assignment.Applicant> applicants = new java.util.ArrayList<>();
        for (tapipeline.schemas.assignment.Applicant a : p.applicants()) {
            List<tapipeline.schemas.assignment.CourseGrade> taken = new java.util.ArrayList<>(a.coursesTaken());
            for (int i = taken.size(); i < perApplicant; i++) {
                StringBuilder code = new StringBuilder("PAD-").append(a.id()).append('-').append(i).append('-');
                while (code.length() < codeLength) {
                    code.append(random ? (char) ('a' + rnd.nextInt(26)) : 'x');
                }
                taken.add(new tapipeline.schemas.assignment.CourseGrade(code.toString(), "B+"));
            }
            applicants.add(new tapipeline.schemas.assignment.Applicant(a.id(), a.name(), a.program(), a.year(),
                    a.minHours(), a.maxHours(), a.targetHours(), a.unavailable(), a.skills(), taken,
                    a.previouslyTaught(), a.conflicts()));
        }
        return new AssignmentProblem(p.runId(), p.term(), p.department(), p.courses(), applicants, p.preferences(),
                p.instructorPreferences(), p.pins(), p.previousAssignment(), p.settings());
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
