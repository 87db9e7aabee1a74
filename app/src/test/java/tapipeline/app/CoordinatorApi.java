package tapipeline.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import tapipeline.platform.testing.web.WebClient;

/**
 * The coordinator's JSON API as the app's tests call it through a signed-in {@link WebClient}: a
 * POST with the CSRF header, a call retried while the coordinator has not read the data it needs
 * yet (it answers 404 until then), a run started, a run awaited until it reaches a state.
 */
final class CoordinatorApi {

    static final ObjectMapper JSON = tapipeline.schemas.EventCodec.objectMapper();
    /** A run in one of these states never moves again. */
    private static final Set<String> FINAL = Set.of("SOLVED", "CANCELLED", "FAILED", "INVALID_INPUT");

    private CoordinatorApi() {
    }

    static HttpResponse<String> post(WebClient c, String path, Map<String, ?> body) {
        try {
            return c.send("POST", path, WebClient.JSON, "application/json", JSON.writeValueAsString(body),
                    Map.of("X-CSRF-Token", c.csrfToken()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The call's body once it answers {@code status}; retried on 404 (data not read yet) until the timeout. */
    static JsonNode whenReady(Supplier<HttpResponse<String>> call, int status, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            HttpResponse<String> r = call.get();
            if (r.statusCode() == status) {
                return JSON.readTree(r.body());
            }
            assertThat(r.statusCode()).as(r.body()).isEqualTo(404);
            assertThat(System.nanoTime()).as("the coordinator had not read the data within %s", timeout)
                    .isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    /** Starts a run ({@code POST /api/runs}) once the coordinator has read the term's dataset; its run id. */
    static String startRun(WebClient c, Map<String, ?> body, Duration timeout) throws Exception {
        return whenReady(() -> post(c, "/api/runs", body), 202, timeout).get("runId").asText();
    }

    /** The run once it is in {@code state}; fails at once if it ends in another state, or at the timeout. */
    static JsonNode awaitState(WebClient c, String runId, String state, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = c.get("/api/runs/" + runId, WebClient.JSON);
            if (r.statusCode() == 200) {
                last = JSON.readTree(r.body());
                String now = last.path("state").asText();
                if (now.equals(state)) {
                    return last;
                }
                assertThat(FINAL).as("run %s ended %s, not %s: %s", runId, now, state, last).doesNotContain(now);
            }
            Thread.sleep(250);
        }
        throw new AssertionError("run " + runId + " did not reach " + state + " within " + timeout + "; last: " + last);
    }
}
