package tapipeline.coordinator.runs.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tapipeline.coordinator.cli.ApiClient;
import tapipeline.coordinator.cli.Connection;

/** {@code coordinator export-assignment RUN_ID}: a run's reviewed assignment as CSV (formula cells neutralised). */
@Command(name = "export-assignment", mixinStandardHelpOptions = true,
        description = "Write a run's assignment as CSV, one row per slot (cells starting with = + - @ get a leading ').")
public final class ExportAssignmentCommand implements Callable<Integer> {

    @Mixin
    Connection connection;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "RUN_ID")
    String runId;

    @Option(names = {"-o", "--output"}, description = "Output file (default: standard output).")
    Path output;

    @Override
    public Integer call() throws Exception {
        byte[] csv = connection.connect().getBytes("/api/runs/" + ApiClient.encPath(runId) + "/export.csv");
        if (output == null) {
            spec.commandLine().getOut().print(new String(csv, StandardCharsets.UTF_8));
            spec.commandLine().getOut().flush();
        } else {
            Files.write(output, csv);
        }
        return 0;
    }
}
