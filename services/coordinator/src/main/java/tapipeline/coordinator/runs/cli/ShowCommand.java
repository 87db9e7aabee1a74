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

    @Option(names = "--why", description = "Under each course, every slot's explanation (why this TA, or what kept it"
            + " empty), read on demand: one request per course.")
    boolean why;

    @Option(names = "--course", paramLabel = "COURSE_ID", description = "Only these courses (repeatable).")
    java.util.List<String> onlyCourses;

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
                if (onlyCourses != null && !onlyCourses.contains(c.path("courseId").asText())) {
                    continue;
                }
                StringBuilder line = new StringBuilder(c.path("code").asText() + "-" + c.path("section").asText() + ":");
                for (JsonNode s : c.path("slots")) {
                    line.append(' ').append(s.path("applicantId").isNull() ? "(empty)"
                            : s.path("name").asText() + (s.path("pinned").asBoolean() ? " [pinned]" : "")).append(';');
                }
                out.println(line);
                if (why) {
                    printWhy(out, api.get("/api/runs/" + id + "/explanations/" + ApiClient.encPath(c.path("courseId").asText())));
                }
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

    /** A course's slots, each with why it has its TA or why it stayed empty. */
    private static void printWhy(PrintWriter out, JsonNode course) {
        for (JsonNode s : course.path("slots")) {
            String who = s.path("applicantId").isNull() ? "(empty)" : s.path("name").asText();
            JsonNode explanation = s.path("explanation");
            JsonNode blocked = s.path("blocked");
            String text;
            if (!blocked.isMissingNode() && !blocked.isNull()) {
                text = blocked.path("summary").asText() + " (" + blocked.path("blockers").size() + " candidates blocked)";
            } else if (!explanation.isMissingNode() && !explanation.isNull()) {
                text = explanation.path("summary").asText();
            } else {
                text = s.path("explanationMissing").asText("no explanation");
            }
            out.println("  slot " + (s.path("slotIndex").asInt() + 1) + " " + who + ": " + text);
        }
    }
}
