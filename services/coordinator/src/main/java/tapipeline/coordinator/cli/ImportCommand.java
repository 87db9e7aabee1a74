package tapipeline.coordinator.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code coordinator import --term T FILE...}: checks (and with {@code --apply}, applies) an import. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Checks CSV files (courses.csv, applicants.csv, preferences.csv, instructor_requests.csv) or a"
                + " dataset JSON for a term and prints every problem with file, line and column, and what would change.",
                "With --apply and a reason, applies it as the term's next version when nothing is wrong (all or nothing)."})
public final class ImportCommand implements Callable<Integer> {

    @Mixin
    Connection connection;

    @Spec
    CommandSpec spec;

    @Option(names = {"-t", "--term"}, required = true, description = "Term, e.g. 2027W1")
    String term;

    @Option(names = "--apply", description = "Apply when there is no error")
    boolean apply;

    @Option(names = {"-r", "--reason"}, description = "Why (required with --apply; kept in the audit history)")
    String reason;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "The files to import")
    List<Path> files;

    @Override
    public Integer call() throws Exception {
        if (apply && (reason == null || reason.isBlank())) {
            throw new IllegalArgumentException("--apply needs --reason: say why, for the audit history");
        }
        ApiClient api = connection.connect();
        JsonNode check = api.postFiles("/api/terms/" + ApiClient.encPath(term) + "/imports", files);
        var out = spec.commandLine().getOut();
        for (JsonNode p : check.path("errors")) {
            out.println("error   " + where(p) + ": " + p.path("message").asText());
        }
        for (JsonNode p : check.path("warnings")) {
            out.println("warning " + where(p) + ": " + p.path("message").asText());
        }
        out.println("changes: " + check.path("summary").asText());
        if (!check.path("ok").asBoolean()) {
            out.println(check.path("errors").size() + " errors: nothing applied");
            return 1;
        }
        if (!apply) {
            out.println("no errors (import " + check.path("importId").asText() + "); run again with --apply --reason to apply");
            return 0;
        }
        JsonNode applied = api.postJson("/api/terms/" + ApiClient.encPath(term) + "/imports/"
                + check.path("importId").asText() + "/apply", Map.of("reason", reason));
        out.println("applied: " + term + " is now version " + applied.path("version").asLong());
        return 0;
    }

    private static String where(JsonNode p) {
        StringBuilder sb = new StringBuilder(p.path("file").asText());
        if (p.path("line").asInt() > 0) {
            sb.append(", line ").append(p.path("line").asInt());
        }
        if (p.path("column").asInt() > 0) {
            sb.append(", column ").append(p.path("column").asInt());
        }
        if (!p.path("field").asText().isEmpty()) {
            sb.append(" (").append(p.path("field").asText()).append(')');
        }
        return sb.toString();
    }
}
