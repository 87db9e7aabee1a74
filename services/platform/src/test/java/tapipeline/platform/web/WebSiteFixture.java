package tapipeline.platform.web;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.errors.TopicExistsException;

import tapipeline.platform.config.Config;
import tapipeline.platform.kafka.Topics;
import tapipeline.platform.service.ServiceRuntime;
import tapipeline.platform.testing.KafkaBrokerExtension;
import tapipeline.platform.testing.TestTopics;
import tapipeline.schemas.coordinator.Account.Role;

/**
 * The test site running on a real port in a real {@link ServiceRuntime}, its accounts replayed from
 * {@code coordinator.accounts} on the embedded broker and written there with {@link AccountWriter}.
 */
final class WebSiteFixture implements AutoCloseable {

    static final String PASSWORD = "a long test password";

    final ServiceRuntime runtime;
    final TestSite site = new TestSite();
    final Web web;
    final String base;
    final AccountWriter writer;
    final String prefix = "u" + Long.toHexString(System.nanoTime());

    WebSiteFixture() throws Exception {
        String bootstrap = KafkaBrokerExtension.bootstrapServers();
        for (String t : List.of(Topics.ACCOUNTS.name(), Topics.ACCOUNTS.name() + ".dlq")) {
            try {
                TestTopics.create(bootstrap, t, 1, t.equals(Topics.ACCOUNTS.name()));
            } catch (RuntimeException e) {
                if (!(e.getCause() != null && e.getCause().getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        }
        runtime = new ServiceRuntime("websitetest", Config.of(Map.of("KAFKA_BOOTSTRAP_SERVERS", bootstrap,
                "WEB_SESSION_SECRET", "an-integration-test-secret-of-40-characters",
                // each test client poses as its own address, so one test's failed sign-ins do not throttle another's
                "WEB_TRUST_FORWARDED", "true")));
        writer = new AccountWriter(runtime.producer(), new PasswordHasher());
        web = runtime.startWeb(0, "Test site <&>", site::declare);
        base = runtime.httpBaseUrl();
        if (!runtime.accounts().ready()) {
            long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!runtime.accounts().ready() && System.nanoTime() < until) {
                Thread.sleep(50);
            }
        }
    }

    /** Writes an account (username prefixed per fixture) and waits until this service's store has it. */
    String account(String name, List<Role> roles, boolean disabled) throws Exception {
        String username = prefix + "-" + name;
        writer.write(username, "Display " + name, roles, PASSWORD.toCharArray(), disabled);
        awaitStore(username, roles, disabled);
        return username;
    }

    void awaitStore(String username, List<Role> roles, boolean disabled) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < until) {
            var a = runtime.accounts().find(username);
            if (a.isPresent() && a.get().roles().equals(roles) && a.get().disabled() == disabled) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("account " + username + " did not reach the store");
    }

    @Override
    public void close() {
        runtime.close();
    }
}
