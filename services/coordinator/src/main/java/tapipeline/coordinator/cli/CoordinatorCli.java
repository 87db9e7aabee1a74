package tapipeline.coordinator.cli;

import java.util.List;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code bin/coordinator}: the coordinator's REST API for scripts, signed in as an account. Each
 * subcommand is its own class; adding one is adding it to {@link #SUBCOMMANDS}.
 */
@Command(name = "coordinator", mixinStandardHelpOptions = true, version = "coordinator 0.1.0",
        description = "Scripts the coordinator (imports, exports, runs) through its REST API, signed in.",
        footer = {"", "Environment: COORDINATOR_URL, COORDINATOR_USER, COORDINATOR_PASSWORD.",
                "Exit status: 0 done, 1 refused (e.g. validation errors), 2 bad usage, 3 cannot reach or sign in;",
                "wait (and run --wait): 4 invalid input, 5 failed, 6 not done in time."})
public final class CoordinatorCli implements Runnable {

    /** The subcommands, one class each (the runs half adds run, wait, show, approve, export-assignment here). */
    public static final List<Class<?>> SUBCOMMANDS = List.of(
            ImportCommand.class,
            ExportCommand.class,
            tapipeline.coordinator.runs.cli.RunCommand.class,
            tapipeline.coordinator.runs.cli.WaitCommand.class,
            tapipeline.coordinator.runs.cli.ShowCommand.class,
            tapipeline.coordinator.runs.cli.ApproveCommand.class,
            tapipeline.coordinator.runs.cli.ExportAssignmentCommand.class);

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new CoordinatorCli());
        for (Class<?> c : SUBCOMMANDS) {
            cl.addSubcommand(c);
        }
        cl.setExecutionExceptionHandler((e, line, parse) -> {
            if (e instanceof ApiClient.ApiException api) {
                line.getErr().println("coordinator: " + api.getMessage());
                return api.status() == 401 || api.status() == 403 ? 3 : 1;
            }
            line.getErr().println("coordinator: " + e.getMessage());
            return e instanceof IllegalArgumentException ? 2 : 3;
        });
        return cl;
    }

    public static int run(String... args) {
        return commandLine().execute(args);
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }
}
