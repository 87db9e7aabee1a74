package tapipeline.coordinator.runs.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tapipeline.coordinator.cli.ApiClient;
import tapipeline.coordinator.cli.Connection;

/** {@code coordinator approve RUN_ID --reason R}: approves a run's reviewed assignment (pins and overrides included). */
@Command(name = "approve", mixinStandardHelpOptions = true,
        description = "Approve a run's assignment (with its pins and overrides) for publication: assignment.approved, public fields only.")
public final class ApproveCommand implements Callable<Integer> {

    @Mixin
    Connection connection;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "RUN_ID")
    String runId;

    @Option(names = "--reason", required = true, description = "Why (kept in the history).")
    String reason;

    @Override
    public Integer call() throws Exception {
        JsonNode done = connection.connect().postJson("/api/runs/" + ApiClient.encPath(runId) + "/approve",
                Map.of("reason", reason));
        spec.commandLine().getOut().println("approved " + done.path("runId").asText() + " for term "
                + done.path("term").asText() + " at " + done.path("approvedAt").asText() + " ("
                + done.path("courses").asInt() + " courses)");
        spec.commandLine().getOut().flush();
        return 0;
    }
}
