package tapipeline.coordinator.runs.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tapipeline.schemas.EventCodec;

/** {@code show}: a run's review (by course, or by TA with hours owed), as text or JSON. */
@Command(name = "show", mixinStandardHelpOptions = true, description = "Show a run: state, score, and its assignment by course (or by TA).")
public final class ShowCommand implements Callable<Integer> {

    @Mixin
    Connection connection;

    @Parameters(paramLabel = "RUN_ID")
    String runId;

    @Option(names = "--tas", description = "By TA, with hours owed against hours assigned.")
    boolean byTa;

    @Option(names = "--json", description = "Print the API's JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        ApiClient api = connection.client();
        String id = CliText.path(runId);
        JsonNode run = api.get("/api/runs/" + id);
        boolean reviewable = run.path("state").asText().equals("SOLVED") || run.path("state").asText().equals("CANCELLED");
        JsonNode body = !reviewable ? run : api.get("/api/runs/" + id + (byTa ? "/tas" : "/review"));
        if (json) {
            System.out.println(EventCodec.objectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(body));
            return 0;
        }
        System.out.println(runId + "  " + run.path("term").asText() + "  " + run.path("state").asText() + "  "
                + run.path("score").asText(run.path("bestScore").asText("")));
        if (!reviewable) {
            return 0;
        }
        if (byTa) {
            System.out.printf("%-12s %-30s %5s %5s %5s %5s%n", "applicant", "name", "owed", "got", "max", "short");
            for (JsonNode t : body) {
                System.out.printf("%-12s %-30s %5d %5d %5d %5d%n", t.path("applicantId").asText(), t.path("name").asText(),
                        t.path("minHours").asInt(), t.path("assignedHours").asInt(), t.path("maxHours").asInt(),
                        t.path("shortfall").asInt());
            }
            return 0;
        }
        for (JsonNode c : body.path("courses")) {
            StringBuilder line = new StringBuilder(c.path("code").asText() + "-" + c.path("section").asText() + ":");
            for (JsonNode s : c.path("slots")) {
                line.append(' ').append(s.path("applicantId").isNull() ? "(empty)" : s.path("name").asText()
                        + (s.path("pinned").asBoolean() ? " [pinned]" : ""));
                line.append(';');
            }
            System.out.println(line);
        }
        for (JsonNode k : body.path("scoreBreakdown")) {
            if (k.path("matches").asInt() > 0) {
                System.out.println("  " + k.path("constraint").asText() + ": " + k.path("score").asText() + " ("
                        + k.path("matches").asInt() + ")");
            }
        }
        return 0;
    }
}
