package tapipeline.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tapipeline.embedded.EmbeddedKafka;
import tapipeline.platform.config.Config;
import tapipeline.platform.kafka.ClientProperties;
import tapipeline.platform.kafka.Events;
import tapipeline.platform.kafka.KafkaClients;
import tapipeline.platform.kafka.KeyTail;
import tapipeline.platform.kafka.TopicAdmin;
import tapipeline.platform.kafka.Topics;
import tapipeline.platform.kafka.access.AclPlan;
import tapipeline.platform.kafka.access.KafkaAccess;
import tapipeline.platform.service.RunningService;
import tapipeline.platform.service.ServiceModule;
import tapipeline.platform.testing.TestRecords;
import tapipeline.schemas.EventTypes;
import tapipeline.schemas.assignment.SolverSettings;
import tapipeline.solver.generator.DepartmentGenerator;

/**
 * Every service runs as its own SCRAM principal on a broker with the standard authorizer and no ACL
 * but the plan's ({@link AclPlan#discover()}): each starts and becomes ready (its replays, groups,
 * transactional ids and Admin calls are all allowed), a run submitted as the operator's principal is
 * solved, and a principal is refused what its declaration leaves out (the solver writing
 * {@code site.links} or reading {@code coordinator.accounts}): denied, nothing written.
 */
class ServicePrincipalsIT {

    private static final String MECHANISM = "SCRAM-SHA-512";
    private static final Duration READY = Duration.ofSeconds(180);

    private static EmbeddedKafka broker;
    private static final List<RunningService> running = new ArrayList<>();
    private static final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    static Path data;

    private static String password(String principal) {
        return "pw-" + principal + "-5d1e";
    }

    private static KafkaClients clientsOf(String principal) {
        return new KafkaClients(broker.saslBootstrapServers(),
                ClientProperties.of(broker.scramClientProperties(principal, password(principal))));
    }

    @BeforeAll
    static void startEverythingAsItsOwnPrincipal() throws Exception {
        List<KafkaAccess> plan = AclPlan.discover();
        EmbeddedKafka.Builder b = EmbeddedKafka.builder().scramListener(MECHANISM)
                .brokerProperty("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer")
                // the plaintext listener (controller, inter-broker, this test's admin) is the super user
                .brokerProperty("super.users", "User:ANONYMOUS")
                .brokerProperty("allow.everyone.if.no.acl.found", "false");
        for (KafkaAccess a : plan) {
            b.scramUser(a.principal(), password(a.principal()));
        }
        broker = b.build().start();
        try (Admin admin = new KafkaClients(broker.bootstrapServers()).admin()) {
            new TopicAdmin(admin, 3, (short) 1).ensure(Topics.allWithDeadLetters());
            admin.createAcls(AclPlan.bindings(plan)).all().get(30, TimeUnit.SECONDS);
            // the broker's authorizer applies them from the metadata log a moment after the controller commits
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (admin.describeAcls(org.apache.kafka.common.acl.AclBindingFilter.ANY).values().get(30, TimeUnit.SECONDS).size()
                    < AclPlan.bindings(plan).size() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
        }
        List<ServiceModule> modules = new ArrayList<>();
        ServiceLoader.load(ServiceModule.class).forEach(modules::add);
        modules.sort(Comparator.comparingInt(ServiceModule::startOrder));
        for (ServiceModule m : modules) {
            Map<String, String> settings = new HashMap<>();
            m.configKeys().stream().filter(k -> k.name().endsWith("_PORT")).forEach(k -> settings.put(k.name(), "0"));
            settings.put("KAFKA_BOOTSTRAP_SERVERS", broker.saslBootstrapServers());
            broker.scramClientProperties(m.kafkaAccess().principal(), password(m.kafkaAccess().principal()))
                    .forEach((k, v) -> settings.put(ClientProperties.KEY_PREFIX + k.toUpperCase(java.util.Locale.ROOT).replace('.', '_'), v));
            settings.put("DATA_DIR", data.resolve(m.name()).toString());
            settings.put("INSTANCE_ID", m.name() + "-1");
            settings.put("HANDBOOK_VALIDATE", "false");
            settings.put("MONITOR_SERVICE_URLS", "");
            running.add(m.start(Config.of(settings)));
        }
    }

    @AfterAll
    static void stopAll() {
        for (int i = running.size() - 1; i >= 0; i--) {
            running.get(i).close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    /** /health of each service: 200 within the time, or the last body (which names the failing loop). */
    private static void awaitReady() throws Exception {
        for (RunningService s : running) {
            String url = s.urls().get(s.name() + " health");
            assertThat(url).as("%s lists its health URL", s.name()).isNotNull();
            long deadline = System.nanoTime() + READY.toNanos();
            HttpResponse<String> last;
            do {
                last = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (last.statusCode() == 200) {
                    break;
                }
                Thread.sleep(250);
            } while (System.nanoTime() < deadline);
            assertThat(last.statusCode()).as("%s /health as User:%s: %s", s.name(), s.name(), last.body()).isEqualTo(200);
        }
    }

    @Test
    void each_service_works_as_its_own_principal_and_a_run_submitted_as_the_operator_is_solved() throws Exception {
        awaitReady();
        assertThat(running).extracting(RunningService::name)
                .containsExactlyInAnyOrder("solver", "handbook", "coordinator", "publisher", "monitor", "offers");

        String runId = "acl-run-1";
        KafkaClients operator = clientsOf("operator");
        try (KeyTail done = KeyTail.fromNow(operator, runId, Duration.ofSeconds(30), Topics.RUN_COMPLETED.name());
             KafkaProducer<String, byte[]> p = operator.producer("acl-it-operator")) {
            Events.send(p, EventTypes.RUN_REQUESTED, runId, DepartmentGenerator.generate(10, 30, 1L).withRunId(runId)
                    .withSettings(new SolverSettings(2, 0, 1L, null, Map.of()))).get(30, TimeUnit.SECONDS);
            List<ConsumerRecord<String, byte[]>> completed = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (completed.isEmpty() && System.nanoTime() < deadline) {
                completed.addAll(done.poll(Duration.ofMillis(500)));
            }
            assertThat(completed).as("the solver, as User:solver, completed the run the operator submitted").isNotEmpty();
        }
        // the offers service, as User:offers, turns an approval (written as User:coordinator) into an offer:
        // its consumer group, its transactional id and its writes are all allowed
        try (KafkaProducer<String, byte[]> c = clientsOf("coordinator").producer("acl-it-coordinator")) {
            Events.send(c, EventTypes.ASSIGNMENT_APPROVED, "acl-term", new tapipeline.schemas.assignment.AssignmentApproved(
                    "acl-term", "acl-approval-1", "cora", java.time.Instant.now(), List.of(
                            new tapipeline.schemas.assignment.AssignmentApproved.ApprovedCourse("c1", "CS1", "Course", "",
                                    "", List.of(new tapipeline.schemas.assignment.AssignmentApproved.ApprovedTa("a1",
                                    "Ann", 5)))))).get(30, TimeUnit.SECONDS);
        }
        long offerDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        boolean offered = false;
        while (!offered && System.nanoTime() < offerDeadline) {
            offered = TestRecords.readAll(broker.bootstrapServers(), Topics.OFFERS_STATE.name(), Duration.ofSeconds(2))
                    .stream().anyMatch(r -> r.value() != null && r.value().contains("acl-approval-1"));
        }
        assertThat(offered).as("the offers service, as User:offers, wrote an offer for the approval").isTrue();
        awaitReady(); // nothing failed on the way (dead letters, statuses, checkpoints were all allowed)
    }

    @Test
    void the_solver_cannot_write_site_links_nor_read_accounts() throws Exception {
        KafkaClients solver = clientsOf("solver");
        try (KafkaProducer<String, byte[]> p = solver.producer("acl-it-solver")) {
            assertThatThrownBy(() -> p.send(new ProducerRecord<>(Topics.SITE_LINKS.name(), "acl-it-link", new byte[] {1}))
                    .get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TopicAuthorizationException.class);
        }
        assertThat(TestRecords.readAll(broker.bootstrapServers(), Topics.SITE_LINKS.name(), Duration.ofSeconds(30)))
                .as("nothing was written").noneMatch(r -> "acl-it-link".equals(r.key()));
        Map<String, Object> props = solver.consumerProps(null, "acl-it-solver-reader");
        props.remove(org.apache.kafka.clients.consumer.ConsumerConfig.GROUP_ID_CONFIG);
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(props)) {
            assertThatThrownBy(() -> c.partitionsFor(Topics.ACCOUNTS.name(), Duration.ofSeconds(30)))
                    .isInstanceOf(TopicAuthorizationException.class);
        }
    }
}
