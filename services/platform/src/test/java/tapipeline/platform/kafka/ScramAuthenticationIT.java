package tapipeline.platform.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import tapipeline.embedded.EmbeddedKafka;
import tapipeline.platform.config.Config;
import tapipeline.platform.service.ServiceRuntime;
import tapipeline.platform.testing.TestRecords;
import tapipeline.schemas.Envelope;
import tapipeline.schemas.EventTypes;
import tapipeline.schemas.audit.AuditEntry;

/**
 * A service configured only through KAFKA_CLIENT_* keys signs in to a SCRAM-SHA-512 listener of a
 * real embedded broker and round-trips an event through its consumer loop and producer; with a wrong
 * password its start-up fails fast with a plain reason, its loop goes DOWN on /health with a plain
 * reason, and the password never reaches a log line or /health.
 */
class ScramAuthenticationIT {

    private static final String MECHANISM = "SCRAM-SHA-512";
    private static final String PASSWORD = "alice-pw-7f3c9e";
    private static final String WRONG_PASSWORD = "not-alices-pw-41d2";

    private static EmbeddedKafka broker;
    private final HttpClient http = HttpClient.newHttpClient();
    private ListAppender<ILoggingEvent> logs;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafka.builder().scramListener(MECHANISM).scramUser("alice", PASSWORD).build().start();
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @BeforeEach
    void captureLogs() {
        logs = new ListAppender<>();
        logs.start();
        root().addAppender(logs);
    }

    @AfterEach
    void releaseLogs() {
        root().detachAppender(logs);
    }

    @Test
    void a_service_signs_in_with_scram_and_round_trips_an_event() throws Exception {
        String in = "scram.in." + System.nanoTime();
        String out = "scram.out." + System.nanoTime();
        Config config = serviceConfig("alice", PASSWORD);
        try (ServiceRuntime service = new ServiceRuntime("scram-echo", config)) {
            // the start-up path: topics through the service's own (SASL) admin client
            try (Admin admin = service.clients().admin()) {
                new TopicAdmin(admin, 1, (short) 1).ensure(List.of(TopicSpec.events(in, "test input"), TopicSpec.events(out, "test output")));
            }
            service.startConsumerLoop("echo", Events.decoder(EventTypes.AUDIT), (event, record) ->
                    service.producer().send(new ProducerRecord<>(out, record.key(), record.value())),
                    in);
            String base = "http://127.0.0.1:" + service.startHttp(0, routes -> { }).port();
            await().atMost(Duration.ofSeconds(30)).until(() -> get(base + "/health").statusCode() == 200);

            try (KafkaProducer<String, byte[]> producer = service.clients().producer("scram-it")) {
                AuditEntry entry = new AuditEntry("signed-in", "it", "write", "over SCRAM", Instant.parse("2027-01-10T09:00:00Z"));
                producer.send(new ProducerRecord<>(in, "signed-in",
                        Events.codec().encode(Envelope.of(EventTypes.AUDIT, "signed-in", entry)))).get(30, TimeUnit.SECONDS);
            }
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> !TestRecords.readAll(broker.bootstrapServers(), out, Duration.ofSeconds(5)).isEmpty());
            List<ConsumerRecord<String, String>> echoed = TestRecords.readAll(broker.bootstrapServers(), out, Duration.ofSeconds(5));
            assertThat(echoed).singleElement().satisfies(r -> assertThat(r.value()).contains("over SCRAM"));
            assertThat(service.clients().consumerProps("g", "c")).containsEntry("security.protocol", "SASL_PLAINTEXT");
        }
        assertNoSecretLogged();
    }

    @Test
    void a_wrong_password_fails_fast_with_a_plain_reason_and_a_down_health_check() throws Exception {
        String in = "scram.denied." + System.nanoTime();
        try (Admin plain = new KafkaClients(broker.bootstrapServers()).admin()) {
            new TopicAdmin(plain, 1, (short) 1).ensure(List.of(TopicSpec.events(in, "test input")));
        }
        Config config = serviceConfig("alice", WRONG_PASSWORD);
        try (ServiceRuntime service = new ServiceRuntime("scram-denied", config)) {
            Instant begin = Instant.now();
            try (Admin admin = service.clients().admin()) {
                assertThatThrownBy(() -> new TopicAdmin(admin, 1, (short) 1).ensure(List.of(TopicSpec.events(in, "test input"))))
                        .hasMessageContaining("authentication failed").hasMessageContaining("KAFKA_CLIENT_")
                        .hasMessageNotContaining(WRONG_PASSWORD);
            }
            assertThat(Duration.between(begin, Instant.now())).as("topic set-up fails fast").isLessThan(Duration.ofSeconds(15));

            ConsumerLoop<?> loop = service.startConsumerLoop("denied", Events.decoder(EventTypes.AUDIT), (event, record) -> { }, in);
            String base = "http://127.0.0.1:" + service.startHttp(0, routes -> { }).port();
            Instant started = Instant.now();
            await().atMost(Duration.ofSeconds(20)).until(() -> loop.state() == LoopState.FAILED);
            assertThat(Duration.between(started, Instant.now())).as("the loop fails, not hangs").isLessThan(Duration.ofSeconds(20));

            // the other loops' start-up paths: a replay's partitionsFor, a transactional producer's initTransactions
            ReplayLoop<?> replay = service.startReplayLoop("denied-replay", Events.decoder(EventTypes.AUDIT),
                    (event, record) -> { }, () -> { }, in);
            TransactionalLoop<?> tx = service.startTransactionalLoop("denied-tx", Events.decoder(EventTypes.AUDIT),
                    (event, record, outbox) -> { }, in);
            await().atMost(Duration.ofSeconds(20)).until(() -> replay.state() == LoopState.FAILED && tx.state() == LoopState.FAILED);
            assertThat(replay.readiness().detail()).contains("authentication failed");
            Instant waiting = Instant.now();
            assertThatThrownBy(() -> replay.awaitCaughtUp(Duration.ofSeconds(60))).as("a service waiting for its state")
                    .hasMessageContaining("authentication failed");
            assertThat(Duration.between(waiting, Instant.now())).isLessThan(Duration.ofSeconds(5));
            assertThat(tx.readiness().detail()).contains("authentication failed");

            HttpResponse<String> health = get(base + "/health");
            assertThat(health.statusCode()).isEqualTo(503);
            assertThat(health.body()).contains("authentication failed").contains("KAFKA_CLIENT_")
                    .doesNotContain("Exception").doesNotContain("\tat ").doesNotContain(WRONG_PASSWORD);
        }
        assertNoSecretLogged();
    }

    private static Config serviceConfig(String user, String password) {
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", broker.saslBootstrapServers());
        broker.scramClientProperties(user, password).forEach((name, value) ->
                env.put("KAFKA_CLIENT_" + name.toUpperCase().replace('.', '_'), value));
        env.put("CONSUMER_RETRY_BACKOFF_MS", "10");
        return Config.from(env, Map.of());
    }

    private void assertNoSecretLogged() {
        assertThat(logs.list).isNotEmpty();
        assertThat(logs.list).as("log lines").noneSatisfy(e -> assertThat(e.getFormattedMessage())
                .containsAnyOf(PASSWORD, WRONG_PASSWORD));
        assertThat(logs.list).anySatisfy(e -> assertThat(e.getFormattedMessage()).contains("sasl.jaas.config=[hidden]"));
    }

    private static Logger root() {
        return ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
