package tapipeline.coordinator.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static tapipeline.coordinator.runs.ReviewFixtures.*;

import io.javalin.Javalin;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tapipeline.schemas.Envelope;
import tapipeline.schemas.EventTypes;
import tapipeline.schemas.assignment.RunProgress;

/** The live stream of a run: its state at once, each change as it happens, "done" at the end. */
class RunsApiSseTest {

    private static <T> Envelope<T> event(String type, T payload) {
        return new Envelope<>(UUID.randomUUID(), type, 1, Instant.now(), "c", payload);
    }

    @Test
    void progressIsPushedAsItArrivesAndTheStreamEndsWithDone() throws Exception {
        RunBoard board = new RunBoard();
        board.apply(event(EventTypes.RUN_REQUESTED.name(), problem()));
        RunsApi api = new RunsApi(board, null, ctx -> "me");
        RunsApi.ApiRoute sse = api.routes().stream().filter(r -> r.method().equals("SSE")).findFirst().orElseThrow();
        Javalin app = Javalin.create(cfg -> cfg.routes.sse(sse.path(), sse.sse())).start("127.0.0.1", 0);
        try {
            List<String> lines = new CopyOnWriteArrayList<>();
            HttpResponse<java.io.InputStream> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + app.port() + "/api/runs/run-1/events")).header("Accept", "text/event-stream").build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertThat(r.statusCode()).isEqualTo(200);
            Thread reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        lines.add(line);
                        if (line.startsWith("data: ") && lines.size() > 1
                                && lines.get(lines.size() - 2).equals("event: done")) {
                            return;
                        }
                    }
                } catch (Exception ignored) {
                    // closed
                }
            });
            reader.start();
            waitFor(() -> lines.contains("event: progress"));
            board.apply(event(EventTypes.RUN_PROGRESS.name(), new RunProgress("run-1", RunProgress.Phase.LOCAL_SEARCH,
                    "0hard/-7medium/-3soft", true, 500, 2, 1)));
            waitFor(() -> lines.stream().anyMatch(l -> l.contains("0hard/-7medium/-3soft")));
            board.apply(event(EventTypes.RUN_COMPLETED.name(), result("ana", "bo", null)));
            reader.join(10_000);
            assertThat(lines).contains("event: done");
            assertThat(lines).anyMatch(l -> l.startsWith("data: ") && l.contains("\"state\":\"SOLVED\""));
        } finally {
            app.stop();
        }
    }

    @Test
    void anUnknownRunGetsAnErrorEventAndTheEnd() throws Exception {
        RunsApi api = new RunsApi(new RunBoard(), null, ctx -> "me");
        RunsApi.ApiRoute sse = api.routes().stream().filter(r -> r.method().equals("SSE")).findFirst().orElseThrow();
        Javalin app = Javalin.create(cfg -> cfg.routes.sse(sse.path(), sse.sse())).start("127.0.0.1", 0);
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + app.port() + "/api/runs/nope/events")).header("Accept", "text/event-stream").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.body()).contains("event: error").contains("no run nope");
        } finally {
            app.stop();
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within 10 s").isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
