package tapipeline.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import tapipeline.platform.kafka.KafkaClients;
import tapipeline.platform.service.ServiceRuntime;
import tapipeline.platform.testing.KafkaBrokerExtension;
import tapipeline.platform.testing.ServiceHarness;
import tapipeline.platform.testing.web.RouteWalker;
import tapipeline.platform.testing.web.WebClient;
import tapipeline.platform.web.Access;
import tapipeline.platform.web.AccountWriter;
import tapipeline.platform.web.PasswordHasher;
import tapipeline.platform.web.Site;
import tapipeline.schemas.coordinator.Account.Role;

/**
 * Every route of the monitor (pages and /api) refuses anonymous callers, every operator action
 * refuses a viewer and a coordinator, and every mutating route needs this session's CSRF token:
 * the platform's RouteWalker over the monitor's whole route table, on the running service.
 */
@ExtendWith(KafkaBrokerExtension.class)
class MonitorAccessIT {

    private static final String PASSWORD = "a long access test password";

    @Test
    void every_route_is_guarded_and_actions_need_the_operator_role() throws Exception {
        ServiceRuntime monitor = (ServiceRuntime) ServiceHarness.start(new MonitorService(), Map.of(
                "WEB_SESSION_SECRET", "a-monitor-access-test-secret-of-40-chars!!", "MONITOR_SERVICE_URLS", "",
                "WEB_TRUST_FORWARDED", "true"));
        try (KafkaProducer<String, byte[]> producer = new KafkaClients(KafkaBrokerExtension.bootstrapServers())
                .producer("access-test")) {
            String prefix = "acc" + Long.toHexString(System.nanoTime());
            AccountWriter writer = new AccountWriter(producer, new PasswordHasher());
            writer.write(prefix + "-viewer", "Vera Viewer", List.of(Role.VIEWER), PASSWORD.toCharArray(), false);
            writer.write(prefix + "-coord", "Cora Coordinator", List.of(Role.COORDINATOR), PASSWORD.toCharArray(), false);
            writer.write(prefix + "-op", "Olive Operator", List.of(Role.OPERATOR), PASSWORD.toCharArray(), false);
            writer.write(prefix + "-none", "Nora Noroles", List.of(), PASSWORD.toCharArray(), false);
            await().atMost(Duration.ofSeconds(30)).until(() -> List.of("-viewer", "-coord", "-op", "-none").stream()
                    .allMatch(s -> monitor.accounts().find(prefix + s).isPresent()));
            Site site = new Site("monitor routes");
            new MonitorPages(null).declare(site);
            // the actions are the operator's, whatever else the table says
            assertThat(site.routes()).filteredOn(r -> r.path().endsWith("/act") || r.path().endsWith("/redrive")
                    || r.path().endsWith("/resolve")).hasSize(3)
                    .allSatisfy(r -> assertThat(r.access()).isEqualTo(Access.OPERATOR));
            WebClient viewer = new WebClient(monitor.httpBaseUrl());
            assertThat(viewer.signIn(prefix + "-viewer", PASSWORD).statusCode()).isEqualTo(200);
            HttpResponse<String> refused = viewer.postForm("/dlq/audit.dlq/act", WebClient.JSON,
                    WebClient.form("action", "redrive", "pos", "0:0", "_csrf", viewer.csrfToken()));
            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(WebClient.errorCode(refused)).isEqualTo("forbidden");
            assertThat(viewer.get("/api/groups?sort=lag", WebClient.JSON).statusCode()).isEqualTo(200);

            // the JSON API: a viewer may search a run trace (bounded, in the background) and read its progress
            HttpResponse<String> started = viewer.send("POST", "/api/traces", WebClient.JSON, "application/json",
                    "{\"runId\":\"no-such-run\",\"max\":1000}", Map.of("X-CSRF-Token", viewer.csrfToken()));
            assertThat(started.statusCode()).isEqualTo(202);
            int id = WebClient.json(started).path("id").asInt();
            await().atMost(Duration.ofSeconds(30)).until(() -> WebClient.json(viewer.get("/api/traces/" + id,
                    WebClient.JSON)).path("done").asBoolean());
            assertThat(WebClient.json(viewer.get("/api/traces/" + id, WebClient.JSON)).path("max").asInt()).isEqualTo(1000);
            // bad input is refused with a sentence naming what is wrong, and nothing is created
            HttpResponse<String> notDlq = viewer.get("/api/dlq/audit", WebClient.JSON);
            assertThat(notDlq.statusCode()).isEqualTo(400);
            assertThat(WebClient.json(notDlq).path("message").asText()).contains("<topic>.dlq");
            assertThat(viewer.get("/api/groups?sort=nonsense", WebClient.JSON).body()).contains("sort: one of lag");
            assertThat(viewer.get("/api/dlq/no-such-topic.dlq", WebClient.JSON).statusCode()).isEqualTo(400);
            RouteWalker.assertGuarded(monitor.httpBaseUrl(), site.routes(), List.of(
                    new RouteWalker.Login(prefix + "-viewer", PASSWORD, Set.of(Role.VIEWER)),
                    new RouteWalker.Login(prefix + "-coord", PASSWORD, Set.of(Role.COORDINATOR)),
                    new RouteWalker.Login(prefix + "-op", PASSWORD, Set.of(Role.OPERATOR)),
                    new RouteWalker.Login(prefix + "-none", PASSWORD, Set.of())));
        } finally {
            monitor.close();
        }
    }
}
