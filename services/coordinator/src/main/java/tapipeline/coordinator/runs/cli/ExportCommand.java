package tapipeline.coordinator.runs.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code export}: a run's assignment as CSV (formula cells neutralised), to stdout or a file. */
@Command(name = "export", mixinStandardHelpOptions = true, description = "Export a run's assignment as CSV.")
public final class ExportCommand implements Callable<Integer> {

    @Mixin
    Connection connection;

    @Parameters(paramLabel = "RUN_ID")
    String runId;

    @Option(names = {"-o", "--output"}, description = "File to write (default: stdout).")
    Path output;

    @Override
    public Integer call() throws Exception {
        String csv = connection.client().text("/api/runs/" + CliText.path(runId) + "/export.csv");
        if (output == null) {
            System.out.print(csv);
        } else {
            Files.writeString(output, csv, StandardCharsets.UTF_8);
            System.err.println("wrote " + output);
        }
        return 0;
    }
}
