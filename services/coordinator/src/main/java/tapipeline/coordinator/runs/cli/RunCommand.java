package tapipeline.coordinator.runs.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tapipeline.coordinator.cli.ApiClient;
import tapipeline.coordinator.cli.Connection;

/** {@code coordinator run}: starts a run of a term's current dataset (or re-solves one) and prints its run id. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Start a run of a term's current dataset with its pins (or --resolve RUN_ID: re-solve keeping pins, "
                + "with minimal change); prints the run id, and with --wait its result like `wait`.")
public final class RunCommand implements Callable<Integer> {

    @Mixin
    Connection connection;

    @Spec
    CommandSpec spec;

    @Option(names = {"-t", "--term"}, description = "Term whose dataset to solve (not with --resolve).")
    String term;

    @Option(names = "--resolve", paramLabel = "RUN_ID", description = "Re-solve this run keeping every pin.")
    String resolve;

    @Option(names = "--seconds", defaultValue = "30", description = "Time limit, 1..3600 (default ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--unimproved-seconds", defaultValue = "0", description = "Stop after this long without a better score (0: never).")
    int unimproved;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--reason", description = "Why (kept in the history).")
    String reason;

    @Option(names = "--wait", description = "Wait for the result.")
    boolean waitForIt;

    @Override
    public Integer call() throws Exception {
        if ((term == null) == (resolve == null)) {
            throw new IllegalArgumentException("give --term (a new run) or --resolve RUN_ID (a re-solve)");
        }
        ApiClient api = connection.connect();
        Map<String, Object> body = new LinkedHashMap<>();
        if (term != null) {
            body.put("term", term);
        }
        body.put("timeLimitSeconds", seconds);
        body.put("unimprovedSeconds", unimproved);
        body.put("seed", seed);
        if (reason != null) {
            body.put("reason", reason);
        }
        JsonNode started = api.postJson(resolve == null ? "/api/runs"
                : "/api/runs/" + ApiClient.encPath(resolve) + "/resolve", body);
        String runId = started.path("runId").asText();
        spec.commandLine().getOut().println(runId);
        spec.commandLine().getOut().flush();
        return waitForIt ? WaitCommand.waitFor(api, runId, seconds + 600L, spec) : 0;
    }
}
