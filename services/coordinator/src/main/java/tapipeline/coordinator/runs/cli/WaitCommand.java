package tapipeline.coordinator.runs.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code wait}: follows a run until it ends, progress on stderr, the summary on stdout. Exit status as
 * {@code bin/solver}: 0 solved or cancelled, 2 invalid input, 3 failed, 1 an error, 124 time out.
 */
@Command(name = "wait", mixinStandardHelpOptions = true, description = "Wait for a run to end; progress on stderr.")
public final class WaitCommand implements Callable<Integer> {

    @Mixin
    Connection connection;

    @Parameters(paramLabel = "RUN_ID")
    String runId;

    @Option(names = "--timeout-seconds", defaultValue = "3600", description = "Give up after this long (exit 124).")
    long timeout;

    @Override
    public Integer call() throws InterruptedException {
        return waitFor(connection.client(), runId, timeout);
    }

    static int waitFor(ApiClient api, String runId, long timeoutSeconds) {
        long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
        String last = null;
        while (System.nanoTime() < deadline) {
            JsonNode run = api.get("/api/runs/" + CliText.path(runId));
            String state = run.path("state").asText();
            String line = state + (run.hasNonNull("bestScore") ? " best " + run.get("bestScore").asText() : "")
                    + (run.has("assigned") ? ", " + run.get("assigned").asText() + " filled, "
                    + run.path("unassigned").asText() + " empty" : "");
            if (!line.equals(last)) {
                System.err.println(runId + ": " + line);
                last = line;
            }
            switch (state) {
                case "SOLVED", "CANCELLED" -> {
                    System.out.println(runId + " " + state + " " + run.path("score").asText() + " (" + run.path("assigned").asText()
                            + " filled, " + run.path("unassigned").asText() + " empty, " + run.path("solveMs").asText() + " ms)");
                    return 0;
                }
                case "INVALID_INPUT", "FAILED" -> {
                    System.out.println(runId + " " + state);
                    run.path("problems").forEach(p -> System.out.println("  " + p.path("code").asText() + ": "
                            + p.path("message").asText()));
                    return state.equals("INVALID_INPUT") ? 2 : 3;
                }
                default -> {
                    try {
                        Thread.sleep(1000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return 1;
                    }
                }
            }
        }
        System.err.println(runId + ": still " + last + " after " + timeoutSeconds + " s");
        return 124;
    }
}
