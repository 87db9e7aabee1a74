package tapipeline.coordinator.runs.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tapipeline.coordinator.cli.ApiClient;
import tapipeline.coordinator.cli.Connection;

/**
 * {@code coordinator wait RUN_ID}: follows a run to its end, progress on standard error, the outcome on
 * standard output. Exit status 0 solved or cancelled, 4 invalid input, 5 failed, 6 not done in time
 * (1-3 are the CLI's own: refused, bad usage, cannot reach or sign in).
 */
@Command(name = "wait", mixinStandardHelpOptions = true,
        description = "Wait for a run to end; progress on stderr. Exit 0 solved or cancelled, 4 invalid input, 5 failed, 6 timed out.")
public final class WaitCommand implements Callable<Integer> {

    static final int INVALID_INPUT = 4;
    static final int FAILED = 5;
    static final int TIMED_OUT = 6;

    @Mixin
    Connection connection;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "RUN_ID")
    String runId;

    @Option(names = "--timeout-seconds", defaultValue = "3600", description = "Give up after this long (default ${DEFAULT-VALUE}).")
    long timeout;

    @Override
    public Integer call() throws Exception {
        return waitFor(connection.connect(), runId, timeout, spec);
    }

    static int waitFor(ApiClient api, String runId, long timeoutSeconds, CommandSpec spec) throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
        String last = null;
        while (System.nanoTime() < deadline) {
            JsonNode run = api.get("/api/runs/" + ApiClient.encPath(runId));
            String state = run.path("state").asText();
            String line = state + (run.hasNonNull("bestScore") ? ", best " + run.get("bestScore").asText() : "")
                    + (run.has("assigned") ? ", " + run.path("assigned").asText() + " filled, "
                    + run.path("unassigned").asText() + " empty" : "");
            if (!line.equals(last)) {
                err.println(runId + ": " + line);
                err.flush();
                last = line;
            }
            switch (state) {
                case "SOLVED", "CANCELLED" -> {
                    out.println(runId + " " + state + " " + run.path("score").asText() + " (" + run.path("assigned").asText()
                            + " filled, " + run.path("unassigned").asText() + " empty, " + run.path("solveMs").asText()
                            + " ms)");
                    out.flush();
                    return 0;
                }
                case "INVALID_INPUT", "FAILED" -> {
                    out.println(runId + " " + state);
                    run.path("problems").forEach(p -> out.println("  " + p.path("code").asText() + ": "
                            + p.path("message").asText()));
                    out.flush();
                    return state.equals("INVALID_INPUT") ? INVALID_INPUT : FAILED;
                }
                default -> Thread.sleep(1000);
            }
        }
        err.println(runId + ": still " + last + " after " + timeoutSeconds + " s");
        return TIMED_OUT;
    }
}
