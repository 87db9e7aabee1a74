package tapipeline.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tapipeline.coordinator.cli.CoordinatorCli;
import tapipeline.coordinator.service.CoordinatorService;
import tapipeline.platform.kafka.Events;
import tapipeline.platform.kafka.KafkaClients;
import tapipeline.platform.service.RunningService;
import tapipeline.platform.testing.KafkaBrokerExtension;
import tapipeline.platform.testing.ServiceHarness;
import tapipeline.platform.web.AccountWriter;
import tapipeline.platform.web.PasswordHasher;
import tapipeline.schemas.EventTypes;
import tapipeline.schemas.assignment.AssignmentProblem;
import tapipeline.schemas.coordinator.Account;
import tapipeline.schemas.coordinator.Dataset;
import tapipeline.solver.generator.DepartmentGenerator;
import tapipeline.solver.service.SolverService;

/** {@code bin/coordinator} run, wait, show, approve and export-assignment against the real services, signed in. */
@ExtendWith(KafkaBrokerExtension.class)
class CoordinatorCliRunsIT {

    private static final String PASSWORD = "cli runs test password 0123";

    record Result(int status, String out, String err) {
    }

    private static Result cli(String... args) {
        CommandLine cl = CoordinatorCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int status = cl.execute(args);
        return new Result(status, out.toString(), err.toString());
    }

    @Test
    void run_wait_show_approve_and_export_through_the_cli(@TempDir Path dir) throws Exception {
        String term = "CLI-" + UUID.randomUUID().toString().substring(0, 6);
        try (RunningService solver = ServiceHarness.start(new SolverService(), Map.of());
             RunningService coordinator = ServiceHarness.start(new CoordinatorService(),
                     Map.of("WEB_SESSION_SECRET", "cli-runs-it-secret-0123456789-0123456789"));
             KafkaProducer<String, byte[]> producer = new KafkaClients(KafkaBrokerExtension.bootstrapServers())
                     .producer("coordinator-cli-runs-it")) {
            new AccountWriter(producer, new PasswordHasher()).write("cli-coord", "CLI Coordinator",
                    List.of(Account.Role.COORDINATOR), PASSWORD.toCharArray(), false);
            AssignmentProblem p = DepartmentGenerator.generate(20, 60, 5L);
            Events.send(producer, EventTypes.COORDINATOR_DATASETS, term, new Dataset(term, 1, p.courses(), p.applicants(),
                    p.preferences(), p.instructorPreferences(), List.of())).get(10, TimeUnit.SECONDS);
            Path password = dir.resolve("password");
            Files.writeString(password, PASSWORD + "\n", StandardCharsets.UTF_8);
            String base = coordinator.urls().get("coordinator").replaceAll("/$", "");
            List<String> who = List.of("--url", base, "--user", "cli-coord", "--password-file", password.toString());

            Result run = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline) { // the account and the dataset reach the coordinator first
                run = cli(args(List.of("run", "--term", term, "--seconds", "5", "--seed", "5", "--wait",
                        "--reason", "from the CLI"), who));
                if (run.status() == 0) {
                    break;
                }
                Thread.sleep(500);
            }
            assertThat(run.status()).as(run.err()).isZero();
            String runId = run.out().lines().findFirst().orElseThrow();
            assertThat(run.out()).contains(runId + " SOLVED");
            assertThat(run.err()).contains(runId + ": ");

            Result show = cli(args(List.of("show", runId), who));
            assertThat(show.status()).as(show.err()).isZero();
            assertThat(show.out()).contains("SOLVED").contains(p.courses().get(0).code() + "-");
            Result tas = cli(args(List.of("show", runId, "--tas"), who));
            assertThat(tas.out()).contains("owed").contains(p.applicants().get(0).id());

            Path csv = dir.resolve("assignment.csv");
            Result export = cli(args(List.of("export-assignment", runId, "-o", csv.toString()), who));
            assertThat(export.status()).as(export.err()).isZero();
            assertThat(Files.readString(csv)).startsWith("course_id,code,title,section,instructor,slot,applicant_id");

            Result approve = cli(args(List.of("approve", runId, "--reason", "scripted approval"), who));
            assertThat(approve.status()).as(approve.err()).isZero();
            assertThat(approve.out()).contains("approved " + runId + " for term " + term);

            Result unknown = cli(args(List.of("approve", "no-such-run", "--reason", "x"), who));
            assertThat(unknown.status()).isEqualTo(1);
            assertThat(unknown.err()).contains("no run no-such-run");
        }
    }

    private static String[] args(List<String> command, List<String> who) {
        List<String> all = new ArrayList<>(command);
        all.addAll(who);
        return all.toArray(String[]::new);
    }
}
