package tapipeline.coordinator.api;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.producer.KafkaProducer;

import tapipeline.coordinator.service.CoordinatorService;
import tapipeline.platform.kafka.KafkaClients;
import tapipeline.platform.testing.KafkaBrokerExtension;
import tapipeline.platform.testing.ServiceHarness;
import tapipeline.platform.testing.web.WebClient;
import tapipeline.platform.web.AccountWriter;
import tapipeline.platform.web.PasswordHasher;
import tapipeline.schemas.coordinator.Account.Role;

/**
 * A coordinator service on the shared test broker (free port), with three accounts of its own: a
 * coordinator, a viewer and an account with no role; and a unique term per test.
 */
public final class CoordinatorFixture implements AutoCloseable {

    public static final String PASSWORD = "a long test password";

    public final CoordinatorService.Running service;
    public final String base;
    public final String prefix = "t" + UUID.randomUUID().toString().substring(0, 6);
    public final String coordinator = prefix + "-coord";
    public final String viewer = prefix + "-viewer";
    public final String nobody = prefix + "-norole";
    private final KafkaProducer<String, byte[]> producer;
    public final AccountWriter writer;

    public CoordinatorFixture(Map<String, String> settings) throws Exception {
        Map<String, String> s = new HashMap<>(settings);
        s.putIfAbsent("WEB_SESSION_SECRET", "a test secret that is long enough to sign cookies 0123456789");
        service = (CoordinatorService.Running) ServiceHarness.start(new CoordinatorService(), s);
        base = service.urls().get("coordinator").replaceAll("/$", "");
        producer = new KafkaClients(KafkaBrokerExtension.bootstrapServers()).producer("fixture-accounts");
        writer = new AccountWriter(producer, new PasswordHasher());
        writer.write(coordinator, "Test <b>Coordinator</b>", List.of(Role.COORDINATOR), PASSWORD.toCharArray(), false);
        writer.write(viewer, "Test Viewer", List.of(Role.VIEWER), PASSWORD.toCharArray(), false);
        writer.write(nobody, "Test Nobody", List.of(), PASSWORD.toCharArray(), false);
        await().atMost(Duration.ofSeconds(60)).until(() -> service.runtime().accounts().find(nobody).isPresent());
        if (!service.data().awaitReady(Duration.ofSeconds(60))) {
            throw new AssertionError("the coordinator did not replay its state");
        }
    }

    public String term() {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 4);
    }

    /** A client signed in as the given user. */
    public WebClient signedIn(String user) {
        WebClient c = new WebClient(base);
        var r = c.signIn(user, PASSWORD);
        if (r.statusCode() != 200) {
            throw new AssertionError("cannot sign in as " + user + ": " + r.statusCode() + " " + r.body());
        }
        return c;
    }

    @Override
    public void close() {
        producer.close();
        service.close();
    }
}
