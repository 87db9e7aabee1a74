package tapipeline.coordinator.runs.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code approve}: approves a run's assignment (with its pins and overrides) for publication. */
@Command(name = "approve", mixinStandardHelpOptions = true, description = "Approve a run's assignment for publication.")
public final class ApproveCommand implements Callable<Integer> {

    @Mixin
    Connection connection;

    @Parameters(paramLabel = "RUN_ID")
    String runId;

    @Option(names = "--reason", required = true, description = "Why (recorded in the audit).")
    String reason;

    @Override
    public Integer call() {
        JsonNode done = connection.client().post("/api/runs/" + CliText.path(runId) + "/approve", Map.of("reason", reason));
        System.out.println("approved " + done.path("runId").asText() + " for " + done.path("term").asText() + " at "
                + done.path("approvedAt").asText() + " (" + done.path("courses").asInt() + " courses)");
        return 0;
    }
}
