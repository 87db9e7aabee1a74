package tapipeline.coordinator.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import tapipeline.coordinator.audit.AuditLog;
import tapipeline.platform.config.Config;
import tapipeline.platform.kafka.KafkaClients;
import tapipeline.platform.kafka.TopicAdmin;
import tapipeline.platform.kafka.Topics;
import tapipeline.platform.service.ServiceRuntime;
import tapipeline.platform.testing.KafkaBrokerExtension;
import tapipeline.platform.testing.TestRecords;
import tapipeline.platform.testing.web.WebClient;
import tapipeline.platform.web.Access;
import tapipeline.platform.web.AccountStore;
import tapipeline.platform.web.Site;
import tapipeline.platform.web.Web;

/**
 * The first-start setup link on a real server and broker: the setup pages of {@link AccountsAdmin} behind
 * the web layer, with an account store that is empty (a fresh store: the shared test broker has other
 * tests' accounts). The link creates one coordinator, once; a wrong, used or expired token is refused.
 */
@ExtendWith(KafkaBrokerExtension.class)
class SetupLinkIT {

    @Test
    void the_setup_link_creates_the_first_coordinator_once_and_expires() throws Exception {
        String bootstrap = KafkaBrokerExtension.bootstrapServers();
        try (var admin = new KafkaClients(bootstrap).admin()) {
            new TopicAdmin(admin, 3, (short) 1).ensure(Topics.allWithDeadLetters());
        }
        Config config = Config.of(Map.of("KAFKA_BOOTSTRAP_SERVERS", bootstrap, "WEB_SESSION_SECRET",
                "a test secret that is long enough to sign cookies 0123456789"));
        AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2027-01-01T00:00:00Z"));
        Clock clock = new Clock() {
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            public Instant instant() {
                return now.get();
            }
        };
        try (ServiceRuntime runtime = new ServiceRuntime("coordinator", config)) {
            AuditLog audit = new AuditLog(runtime, Clock.systemUTC());
            AccountStore empty = AccountStore.inMemory();
            AccountsAdmin accounts = new AccountsAdmin(empty, AccountsAdmin.writer(runtime.producer()), audit, clock,
                    () -> "http://x");
            Site site = new Site("Coordinator").get("/setup", Access.PUBLIC, accounts::setupPage)
                    .post("/setup", Access.PUBLIC, accounts::setupPost);
            Web web = Web.builder(site).fromConfig(config).accounts(empty).build();
            runtime.startHttp(0, web::install);
            String base = runtime.httpBaseUrl();

            String link = accounts.bootstrap(config, Duration.ofSeconds(5)).orElseThrow();
            String token = link.substring(link.indexOf("token=") + 6);
            WebClient c = new WebClient(base);
            assertThat(c.get("/setup?token=wrong", WebClient.HTML).statusCode()).isEqualTo(403);
            HttpResponse<String> form = c.get("/setup?token=" + token, WebClient.HTML);
            assertThat(form.statusCode()).isEqualTo(200);
            assertThat(form.body()).contains("create the first coordinator").contains("name=\"_csrf\"");
            assertThat(form.headers().firstValue("Cache-Control")).contains("no-store");
            String csrf = form.body().replaceAll("(?s).*name=\"_csrf\" value=\"([^\"]+)\".*", "$1");

            String user = "first-" + UUID.randomUUID().toString().substring(0, 6);
            HttpResponse<String> shortPw = c.postForm("/setup", WebClient.HTML, WebClient.form("_csrf", csrf, "token", token,
                    "username", user, "displayName", "First", "password", "short"));
            assertThat(shortPw.statusCode()).as("a refused form keeps the link usable").isEqualTo(422);
            HttpResponse<String> created = c.postForm("/setup", WebClient.HTML, WebClient.form("_csrf", csrf, "token", token,
                    "username", user, "displayName", "First Coordinator", "password", "the first long password"));
            assertThat(created.statusCode()).as(created.body()).isEqualTo(303);
            assertThat(created.headers().firstValue("Location")).contains("/signin");
            await().atMost(Duration.ofSeconds(20)).until(() -> TestRecords.readAll(bootstrap, Topics.ACCOUNTS.name(),
                    Duration.ofSeconds(5)).stream().anyMatch(r -> user.equals(r.key())));
            String record = TestRecords.readAll(bootstrap, Topics.ACCOUNTS.name(), Duration.ofSeconds(5)).stream()
                    .filter(r -> user.equals(r.key())).findFirst().orElseThrow().value();
            assertThat(record).contains("COORDINATOR").contains("$argon2id$").doesNotContain("the first long password");

            HttpResponse<String> again = c.postForm("/setup", WebClient.HTML, WebClient.form("_csrf", csrf, "token", token,
                    "username", user + "-2", "displayName", "Second", "password", "the second long password"));
            assertThat(again.statusCode()).as("the link works once").isEqualTo(403);

            String later = accounts.newSetupToken();
            now.set(now.get().plus(AccountsAdmin.SETUP_VALID).plusSeconds(1));
            assertThat(c.get("/setup?token=" + later, WebClient.HTML).statusCode()).as("expired").isEqualTo(403);
        }
    }
}
