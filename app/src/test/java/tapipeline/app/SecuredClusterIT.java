package tapipeline.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tapipeline.embedded.ChildJvm;
import tapipeline.embedded.EmbeddedKafka;
import tapipeline.platform.config.Config;
import tapipeline.platform.kafka.KafkaClients;
import tapipeline.platform.kafka.TopicSpec;
import tapipeline.platform.kafka.Topics;
import tapipeline.platform.testing.TestRecords;
import tapipeline.solver.cli.SolverCli;

/**
 * The whole system on a cluster that signs clients in with SCRAM, configured only through
 * KAFKA_CLIENT_* keys: the launcher's topic step, both services (consumer, replay and transactional
 * loops, producers), the sample data, and the solver's command line (its KeyTail and producer, in a
 * process of its own reading the variables from its environment). Wrong credentials on the command
 * line end it with Kafka's reason, not a hang.
 */
class SecuredClusterIT {

    private static final String MECHANISM = "SCRAM-SHA-256";
    private static final String PASSWORD = "pipeline-pw-5e1a";

    private static EmbeddedKafka broker;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafka.builder().scramListener(MECHANISM).scramUser("pipeline", PASSWORD).build().start();
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void the_launcher_services_sample_data_and_cli_work_over_scram(@TempDir Path dir) throws Exception {
        Map<String, String> values = new HashMap<>(clientEnv(PASSWORD));
        values.putAll(Map.of("KAFKA_BOOTSTRAP_SERVERS", broker.saslBootstrapServers(), "DATA_DIR", dir.toString(),
                "SOLVER_PORT", "0", "HANDBOOK_PORT", "0", "COORDINATOR_PORT", "0", "SITE_PORT", "0",
                "MONITOR_PORT", "0", "OFFERS_PORT", "0", "HANDBOOK_QUIET_MS", "200"));
        // HANDBOOK_VALIDATE stays true: the publisher refuses (and /health reports) an edition without
        // its PDF/UA-1 and PDF/A-2 results
        try (Launcher launcher = new Launcher().start(Config.of(values), true)) {
            try (Admin plain = new KafkaClients(broker.bootstrapServers()).admin()) {
                assertThat(plain.listTopics().names().get(10, TimeUnit.SECONDS)).as("topics made over SCRAM")
                        .containsAll(Topics.allWithDeadLetters().stream().map(TopicSpec::name).toList());
            }
            HttpClient http = HttpClient.newHttpClient();
            for (String url : launcher.urls().entrySet().stream().filter(e -> e.getKey().endsWith(" health"))
                    .map(Map.Entry::getValue).toList()) {
                await().atMost(Duration.ofSeconds(90)).until(() -> http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
            }
            assertThat(TestRecords.readAll(broker.bootstrapServers(), Topics.HANDBOOK_CONTENT.name(), Duration.ofSeconds(10)))
                    .as("sample data written over SCRAM").isNotEmpty();
            await().atMost(Duration.ofSeconds(90)).until(() -> !TestRecords.readAll(broker.bootstrapServers(),
                    "handbook.rendered", Duration.ofSeconds(5)).isEmpty());

            Path problem = dir.resolve("problem.json");
            assertThat(SolverCli.run("generate", "--courses", "6", "--applicants", "18", "-o", problem.toString())).isZero();
            Path result = dir.resolve("result.json");
            CliRun ok = submit(dir, problem, "scram-cli-1", result, PASSWORD);
            assertThat(ok.exit()).as("submit over SCRAM; its output:\n%s", ok.output()).isZero();
            assertThat(Files.readString(result)).contains("\"runId\"").contains("scram-cli-1").contains("SOLVED");

            CliRun denied = submit(dir, problem, "scram-cli-2", dir.resolve("denied.json"), "wrong-pw");
            assertThat(denied.exit()).isNotZero();
            assertThat(denied.output()).contains("Authentication failed").doesNotContain("wrong-pw");
            assertThat(denied.took()).as("refused, not hung").isLessThan(Duration.ofSeconds(30));
        }
    }

    private record CliRun(int exit, String output, Duration took) {
    }

    private static CliRun submit(Path dir, Path problem, String runId, Path result, String password) throws Exception {
        Path out = dir.resolve(runId + ".log");
        ProcessBuilder pb = new ProcessBuilder(ChildJvm.javaBinary(), "-Xmx256m", "-cp", ChildJvm.classpathString(),
                SolverCli.class.getName(), "submit", problem.toString(), "--run-id", runId, "--seconds", "2",
                "--quiet", "-o", result.toString())
                .redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("KAFKA_"));
        pb.environment().putAll(clientEnv(password));
        pb.environment().put("KAFKA_BOOTSTRAP_SERVERS", broker.saslBootstrapServers());
        Instant begin = Instant.now();
        Process p = pb.start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("submit finished; see %s", out).isTrue();
        return new CliRun(p.exitValue(), Files.readString(out), Duration.between(begin, Instant.now()));
    }

    private static Map<String, String> clientEnv(String password) {
        Map<String, String> env = new HashMap<>();
        broker.scramClientProperties("pipeline", password).forEach((name, value) ->
                env.put("KAFKA_CLIENT_" + name.toUpperCase().replace('.', '_'), value));
        return env;
    }
}
