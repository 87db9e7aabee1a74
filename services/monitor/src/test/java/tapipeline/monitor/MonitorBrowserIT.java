package tapipeline.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import tapipeline.platform.kafka.ConsumerLoop;
import tapipeline.platform.kafka.Events;
import tapipeline.platform.kafka.KafkaClients;
import tapipeline.platform.kafka.PoisonRecordException;
import tapipeline.platform.service.ServiceRuntime;
import tapipeline.platform.testing.KafkaBrokerExtension;
import tapipeline.platform.testing.ServiceHarness;
import tapipeline.platform.testing.TestTopics;
import tapipeline.platform.testing.web.Browser;
import tapipeline.platform.web.AccountWriter;
import tapipeline.platform.web.PasswordHasher;
import tapipeline.schemas.Envelope;
import tapipeline.schemas.EventTypes;
import tapipeline.schemas.audit.AuditEntry;
import tapipeline.schemas.coordinator.Account.Role;

/**
 * Must-show: the dashboard, a dead-letter redrive and a run trace clicked through in headless
 * Chromium, axe-core reporting no WCAG 2.2 AA violation on any page, with desktop and phone
 * screenshots (target/screenshots/monitor-*.png). The monitor runs as a service on the real broker;
 * the dead letter comes from a real platform loop, and the redriven record is processed once.
 */
@ExtendWith(KafkaBrokerExtension.class)
class MonitorBrowserIT {

    private static final String PASSWORD = "a long monitor test password";

    @Test
    void the_dashboard_a_dead_letter_redrive_and_a_run_trace_in_a_browser() throws Exception {
        String bootstrap = KafkaBrokerExtension.bootstrapServers();
        KafkaClients clients = new KafkaClients(bootstrap);
        String topic = TestTopics.createUnique(bootstrap, "browser-src", 1, false);
        String dlq = TestTopics.create(bootstrap, topic + ".dlq", 1, false);
        String runId = "browser-run-" + Long.toHexString(System.nanoTime());
        AtomicBoolean fixed = new AtomicBoolean(false);
        AtomicInteger processed = new AtomicInteger();
        ServiceRuntime monitor = (ServiceRuntime) ServiceHarness.start(new MonitorService(), Map.of(
                "WEB_SESSION_SECRET", "a-monitor-browser-test-secret-of-40-chars!", "MONITOR_POLL_SECONDS", "1",
                "MONITOR_SERVICE_URLS", "ghost=http://127.0.0.1:9"));
        List<Path> shots = new ArrayList<>();
        try (KafkaProducer<String, byte[]> producer = clients.producer("browser-test");
             ConsumerLoop<Envelope<AuditEntry>> loop = ConsumerLoop
                     .builder("browser-test", clients, Events.decoder(EventTypes.AUDIT)).groupId("g-" + topic)
                     .topics(topic).handler((e, r) -> {
                         if (!fixed.get()) {
                             throw new PoisonRecordException("UNKNOWN_PROGRAM", "program " + e.payload().subject()
                                     + " is not known");
                         }
                         processed.incrementAndGet();
                     }).build().start();
             Browser browser = Browser.start()) {
            producer.send(new ProducerRecord<>(topic, "prog-x", RedriveIT.audit("prog-x"))).get();
            sendRunEvents(producer, runId);
            String user = "op-" + Long.toHexString(System.nanoTime());
            new AccountWriter(producer, new PasswordHasher()).write(user, "Olive Operator", List.of(Role.OPERATOR),
                    PASSWORD.toCharArray(), false);
            await().atMost(Duration.ofSeconds(30)).until(() -> monitor.accounts().find(user).isPresent());
            String base = monitor.httpBaseUrl();

            // sign in, dashboard
            browser.open(base + "/");
            assertThat(browser.driver().getCurrentUrl()).contains("/signin");
            browser.driver().findElement(By.id("username")).sendKeys(user);
            browser.driver().findElement(By.id("password")).sendKeys(PASSWORD);
            browser.clickAndWait(By.cssSelector("main form button[type=submit]"));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                browser.open(base + "/");
                return text(browser, "main").contains(dlq);
            });
            assertThat(browser.driver().findElement(By.tagName("h1")).getText()).isEqualTo("Pipeline dashboard");
            browser.assertAccessible("dashboard");
            shots.addAll(browser.screenshots("monitor-dashboard"));

            // groups, sorted by lag
            browser.open(base + "/groups?sort=lag");
            browser.assertAccessible("groups");
            shots.addAll(browser.screenshots("monitor-groups"));

            // the dead letter, grouped under its reason; open it, redrive it after the fix
            browser.clickAndWait(By.linkText("Dead letters"));
            browser.clickAndWait(By.linkText(dlq));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                browser.open(base + "/dlq/" + dlq);
                return text(browser, "#progress").contains("Scanned");
            });
            assertThat(text(browser, "#progress")).contains("UNKNOWN_PROGRAM").contains(PoisonRecordException.class.getName());
            browser.assertAccessible("dead-letter topic");
            shots.addAll(browser.screenshots("monitor-dlq"));
            browser.clickAndWait(By.linkText("UNKNOWN_PROGRAM"));
            assertThat(text(browser, "main")).contains("program prog-x is not known").contains("g-" + topic);
            browser.assertAccessible("dead-letter group");
            shots.addAll(browser.screenshots("monitor-dlq-group"));
            browser.clickAndWait(By.linkText("0/0"));
            assertThat(text(browser, "pre.payload")).contains("\"subject\" : \"prog-x\"");
            browser.assertAccessible("dead letter with its payload");
            shots.addAll(browser.screenshots("monitor-dlq-record"));
            browser.driver().navigate().back();

            fixed.set(true);
            browser.driver().findElement(By.cssSelector("input[name=pos][value='0:0']")).click();
            browser.clickAndWait(By.cssSelector("button[name=action][value=redrive]"));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                browser.driver().navigate().refresh();
                return text(browser, "#progress").startsWith("Done: 1 of 1");
            });
            browser.assertAccessible("redrive");
            shots.addAll(browser.screenshots("monitor-redrive"));
            await().atMost(Duration.ofSeconds(30)).until(() -> processed.get() == 1);

            // the run trace
            browser.clickAndWait(By.linkText("Run trace"));
            browser.assertAccessible("run trace form");
            browser.driver().findElement(By.id("runId")).sendKeys(runId);
            browser.clickAndWait(By.cssSelector("main form button[type=submit]"));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                browser.driver().navigate().refresh();
                return text(browser, "#progress").contains("event(s) belong to the run");
            });
            List<String> rows = browser.driver().findElements(By.cssSelector("#progress tbody tr td:nth-child(3)"))
                    .stream().map(WebElement::getText).map(s -> s.substring(0, s.indexOf(' '))).toList();
            assertThat(rows).containsExactly("assignment.run.requested", "assignment.run.progress",
                    "assignment.run.completed", "assignment.approved");
            browser.assertAccessible("run trace");
            shots.addAll(browser.screenshots("monitor-trace"));

            // a group with its lag chart, a topic with "which groups have processed this record"
            browser.open(base + "/groups/g-" + topic);
            assertThat(browser.driver().findElements(By.cssSelector("svg.chart-svg polyline"))).hasSize(1);
            assertThat(text(browser, "main")).contains(topic + "-0").contains("OK");
            browser.assertAccessible("group");
            shots.addAll(browser.screenshots("monitor-group"));
            browser.open(base + "/topics/" + topic + "?partition=0&offset=0");
            assertThat(text(browser, "ul.processed")).contains("processed").contains("g-" + topic);
            browser.assertAccessible("topic");
            shots.addAll(browser.screenshots("monitor-topic"));

            browser.open(base + "/services");
            assertThat(text(browser, "main")).contains("ghost").contains("NO ANSWER");
            browser.assertAccessible("services");

            // the Prometheus metrics: lag per group and partition, DLQ sizes
            String metrics = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(base + "/metrics")).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).contains("tapipeline_monitor_lag_records{group=\"g-" + topic + "\"")
                    .contains("tapipeline_monitor_lag_seconds{group=\"g-" + topic + "\"")
                    .contains("tapipeline_monitor_dlq_records{") .contains("topic=\"" + dlq + "\"")
                    .contains("tapipeline_monitor_stage_seconds");
            Thread.sleep(500);
            assertThat(processed.get()).as("the redriven record is processed exactly once").isEqualTo(1);
        } finally {
            monitor.close();
        }
        for (Path p : shots) {
            assertThat(Files.size(p)).as(p.toString()).isGreaterThan(5_000);
        }
    }

    private static String text(Browser b, String css) {
        return b.driver().findElement(By.cssSelector(css)).getText();
    }

    /** A run's events as the coordinator and the solver write them (only what the trace reads: keys, envelope, runId). */
    private static void sendRunEvents(KafkaProducer<String, byte[]> p, String runId) throws Exception {
        long t = System.currentTimeMillis() - 60_000;
        String[][] events = {
                {"assignment.run.requested", runId, "{\"runId\":\"" + runId + "\",\"term\":\"Fall\"}"},
                {"assignment.run.progress", runId, "{\"runId\":\"" + runId + "\",\"phase\":\"LOCAL_SEARCH\"}"},
                {"assignment.run.completed", runId, "{\"runId\":\"" + runId + "\",\"status\":\"SOLVED\"}"},
                {"assignment.approved", "Fall", "{\"runId\":\"" + runId + "\",\"term\":\"Fall\",\"approvedBy\":\"c\"}"},
        };
        for (int i = 0; i < events.length; i++) {
            String json = "{\"eventId\":\"" + UUID.randomUUID() + "\",\"type\":\"" + events[i][0]
                    + "\",\"version\":1,\"occurredAt\":\"2027-01-10T09:00:00Z\",\"correlationId\":\"" + runId
                    + "\",\"payload\":" + events[i][2] + "}";
            p.send(new ProducerRecord<>(events[i][0], null, t + i * 1000L, events[i][1],
                    json.getBytes(StandardCharsets.UTF_8))).get(10, TimeUnit.SECONDS);
        }
    }
}
