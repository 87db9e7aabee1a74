package tapipeline.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tapipeline.platform.config.Config;

/**
 * The one-command demo's coordinator: the launcher with sample data prints the coordinator's URL and
 * the sample sign-ins, and the sample department is term 2027W1's dataset version 1, ready to run; a
 * restart on the same data keeps it (and the accounts) as they are.
 */
class LauncherSampleIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void the_sample_department_is_imported_and_the_sample_coordinator_signs_in(@TempDir Path data) throws Exception {
        Config config = Config.of(Map.of("DATA_DIR", data.toString(), "EMBEDDED_KAFKA_PORT", "0",
                "COORDINATOR_PORT", "0", "SITE_PORT", "0", "MONITOR_PORT", "0", "OFFERS_PORT", "0", "SOLVER_PORT", "0",
                "HANDBOOK_PORT", "0", "HANDBOOK_VALIDATE", "false"));
        for (int start = 0; start < 2; start++) {
            try (Launcher launcher = new Launcher().start(config, true)) {
                Map<String, String> urls = launcher.urls();
                assertThat(urls).containsEntry("sample sign-in (coordinator)", "coordinator / sample-coordinator")
                        .containsEntry("sample sign-in (viewer)", "viewer / sample-viewer")
                        .containsEntry("sample sign-in (instructor)", "instructor / sample-instructor")
                        .containsKey("coordinator");
                String base = urls.get("coordinator").replaceAll("/$", "");
                HttpClient http = HttpClient.newBuilder().cookieHandler(new java.net.CookieManager()).build();
                String token = JSON.readTree(send(http, HttpRequest.newBuilder(URI.create(base + "/signin"))
                        .header("Accept", "application/json").build()).body()).path("csrfToken").asText();
                await().atMost(Duration.ofSeconds(60)).until(() -> send(http, HttpRequest.newBuilder(URI.create(base + "/signin"))
                        .header("Accept", "application/json").header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("username=coordinator&password=sample-coordinator&_csrf=" + token))
                        .build()).statusCode() == 200);
                await().atMost(Duration.ofSeconds(60)).until(() -> terms(http, base).size() == 1);
                JsonNode term = terms(http, base).get(0);
                assertThat(term.path("term").asText()).isEqualTo("2027W1");
                assertThat(term.path("version").asLong()).as("not imported again on restart").isEqualTo(1);
                assertThat(term.path("courses").asInt()).isEqualTo(60);
                assertThat(term.path("applicants").asInt()).isEqualTo(180);
                // the sample's earlier approved term is a record, not a run waiting for a solver
                await().atMost(Duration.ofSeconds(30)).until(() -> JSON.readTree(send(http, HttpRequest.newBuilder(
                        URI.create(base + "/api/runs/run-2026-fall-0007")).header("Accept", "application/json").build())
                        .body()).path("state").asText().equals("APPROVAL_ONLY"));
                HttpResponse<String> page = send(http, HttpRequest.newBuilder(URI.create(base + "/runs/run-2026-fall-0007"))
                        .header("Accept", "text/html").build());
                assertThat(page.statusCode()).isEqualTo(200);
                assertThat(page.body()).contains("not made from a run on this board").doesNotContain("Cancel the run");
            }
        }
    }

    private static JsonNode terms(HttpClient http, String base) throws Exception {
        return JSON.readTree(send(http, HttpRequest.newBuilder(URI.create(base + "/api/terms")).header("Accept", "application/json")
                .build()).body());
    }

    private static HttpResponse<String> send(HttpClient http, HttpRequest r) throws Exception {
        return http.send(r, HttpResponse.BodyHandlers.ofString());
    }
}
