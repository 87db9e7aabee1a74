package tapipeline.coordinator.runs.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

/** {@code coordinator show RUN_ID}: a run's state and score, and its assignment by course (or by TA with hours owed). */
@Command(name = "show", mixinStandardHelpOptions = true,
        description = "Show a run: state, score and its assignment by course (--tas: by TA with hours owed; --json: the API's JSON).")
public final class ShowCommand implements Callable<Integer> {

    @Mixin
    Connection connection;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "RUN_ID")
    String runId;

    @Option(names = "--tas", description = "By TA, owed hours against assigned hours.")
    boolean byTa;

    @Option(names = "--json", description = "Print the API's JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        ApiClient api = connection.connect();
        PrintWriter out = spec.commandLine().getOut();
        String id = ApiClient.encPath(runId);
        JsonNode run = api.get("/api/runs/" + id);
        String state = run.path("state").asText();
        boolean reviewable = (state.equals("SOLVED") || state.equals("CANCELLED")) && !run.path("archived").asBoolean();
        JsonNode body = reviewable ? api.get("/api/runs/" + id + (byTa ? "/tas" : "/review")) : run;
        if (json) {
            out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(body));
            out.flush();
            return 0;
        }
        out.println(runId + "  term " + run.path("term").asText() + "  " + state + "  "
                + run.path("score").asText(run.path("bestScore").asText("")));
        if (reviewable && byTa) {
            out.printf("%-12s %-32s %5s %5s %5s %5s%n", "applicant", "name", "owed", "got", "max", "short");
            for (JsonNode t : body) {
                out.printf("%-12s %-32s %5d %5d %5d %5d%n", t.path("applicantId").asText(), t.path("name").asText(),
                        t.path("minHours").asInt(), t.path("assignedHours").asInt(), t.path("maxHours").asInt(),
                        t.path("shortfall").asInt());
            }
        } else if (reviewable) {
            for (JsonNode c : body.path("courses")) {
                StringBuilder line = new StringBuilder(c.path("code").asText() + "-" + c.path("section").asText() + ":");
                for (JsonNode s : c.path("slots")) {
                    line.append(' ').append(s.path("applicantId").isNull() ? "(empty)"
                            : s.path("name").asText() + (s.path("pinned").asBoolean() ? " [pinned]" : "")).append(';');
                }
                out.println(line);
            }
            for (JsonNode k : body.path("scoreBreakdown")) {
                if (k.path("matches").asInt() > 0) {
                    out.println("  " + k.path("constraint").asText() + ": " + k.path("score").asText() + " ("
                            + k.path("matches").asInt() + ")");
                }
            }
        }
        out.flush();
        return 0;
    }
}
