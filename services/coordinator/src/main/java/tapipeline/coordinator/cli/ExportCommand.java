package tapipeline.coordinator.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code coordinator export --term T}: the term's dataset as JSON, or one kind as the import's CSV. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Writes a term's current dataset: JSON (the coordinator.datasets payload), or with --kind the CSV"
                + " of one kind in the import's columns (formula-like cells neutralised).")
public final class ExportCommand implements Callable<Integer> {

    @Mixin
    Connection connection;

    @Spec
    CommandSpec spec;

    @Option(names = {"-t", "--term"}, required = true, description = "Term, e.g. 2027W1")
    String term;

    @Option(names = {"-k", "--kind"}, description = "courses, applicants, preferences or instructor_requests (CSV)")
    String kind;

    @Option(names = {"-o", "--output"}, description = "Output file (default: standard output)")
    Path output;

    @Override
    public Integer call() throws Exception {
        ApiClient api = connection.connect();
        String path = "/api/terms/" + ApiClient.encPath(term) + "/dataset" + (kind == null ? "" : "/" + ApiClient.encPath(kind) + ".csv");
        byte[] body = api.getBytes(path);
        if (output == null) {
            spec.commandLine().getOut().print(new String(body, java.nio.charset.StandardCharsets.UTF_8));
            spec.commandLine().getOut().flush();
        } else {
            Files.write(output, body);
        }
        return 0;
    }
}
