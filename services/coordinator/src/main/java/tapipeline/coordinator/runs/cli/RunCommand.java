package tapipeline.coordinator.runs.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code run}: starts a run of a term's current dataset (POST /api/runs) and prints its run id. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Start a run of a term's current dataset; prints the run id (with --wait: waits for its result).")
public final class RunCommand implements Callable<Integer> {

    @Mixin
    Connection connection;

    @Option(names = "--term", required = true, description = "Term whose dataset to solve.")
    String term;

    @Option(names = "--seconds", defaultValue = "30", description = "Time limit in seconds (1..3600; default ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--unimproved-seconds", defaultValue = "0", description = "Stop after this long without improvement (0: never).")
    int unimproved;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--resolve", paramLabel = "RUN_ID", description = "Re-solve this run keeping pins, with minimal change.")
    String resolve;

    @Option(names = "--reason", description = "Why (recorded in the audit).")
    String reason;

    @Option(names = "--wait", description = "Wait for the result and print it like `wait`.")
    boolean waitForIt;

    @Override
    public Integer call() {
        ApiClient api = connection.client();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("term", term);
        body.put("timeLimitSeconds", seconds);
        body.put("unimprovedSeconds", unimproved);
        body.put("seed", seed);
        if (reason != null) {
            body.put("reason", reason);
        }
        JsonNode started = api.post(resolve == null ? "/api/runs" : "/api/runs/" + CliText.path(resolve) + "/resolve", body);
        String runId = started.get("runId").asText();
        System.out.println(runId);
        return waitForIt ? WaitCommand.waitFor(api, runId, seconds + 600L) : 0;
    }
}
