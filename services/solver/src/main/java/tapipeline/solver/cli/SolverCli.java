package tapipeline.solver.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tapipeline.platform.config.Config;
import tapipeline.platform.config.ConfigException;
import tapipeline.platform.config.PlatformConfig;
import tapipeline.platform.kafka.KafkaClients;
import tapipeline.schemas.EventCodec;
import tapipeline.schemas.EventTypes;
import tapipeline.schemas.RejectedEventException;
import tapipeline.schemas.assignment.AssignmentProblem;
import tapipeline.schemas.assignment.RunCompleted;
import tapipeline.schemas.assignment.RunProgress;
import tapipeline.schemas.assignment.SolverSettings;
import tapipeline.solver.engine.CancellationToken;
import tapipeline.solver.engine.Checkpointing;
import tapipeline.solver.engine.SolverEngine;
import tapipeline.solver.generator.DepartmentGenerator;

/**
 * The solver without Kafka: {@code solve problem.json} prints the result JSON, {@code generate} writes
 * a seeded problem. Exit codes: 0 solved, 1 bad usage or unreadable file, 2 the input cannot work
 * (INVALID_INPUT), 3 the solver failed.
 */
@Command(name = "solver", mixinStandardHelpOptions = true, version = "tapipeline solver 0.1",
        description = "Assigns TAs to course slots (OptaPlanner) and explains the result.",
        subcommands = {SolverCli.Solve.class, SolverCli.Generate.class, SubmitCommand.class, CancelCommand.class})
public final class SolverCli {

    static final ObjectMapper JSON = EventCodec.newObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code (for tests). */
    public static int run(String... args) {
        return new CommandLine(new SolverCli()).setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    if (e instanceof ConfigException) { // e.g. a KAFKA_CLIENT_* property Kafka does not know
                        cmd.getErr().println("Configuration error: " + e.getMessage());
                        return 2;
                    }
                    throw e;
                })
                .execute(args);
    }

    @Command(name = "solve", mixinStandardHelpOptions = true,
            description = "Solve a problem file and print the result JSON (progress goes to stderr).")
    static final class Solve implements Callable<Integer> {
        @CommandLine.Mixin
        ProblemOptions problemOptions;

        @Option(names = {"-o", "--output"}, description = "write the result here instead of stdout")
        Path output;

        @Option(names = "--quiet", description = "no progress on stderr")
        boolean quiet;

        @Override
        public Integer call() throws IOException {
            long commandStart = System.nanoTime();
            AssignmentProblem problem = problemOptions.read();
            if (problem == null) {
                return 1;
            }
            CancellationToken cancel = new CancellationToken();
            CountDownLatch written = new CountDownLatch(1);
            // Ctrl-C: stop solving, and hold the exit until the best result is written
            Thread hook = new Thread(() -> {
                cancel.cancel("interrupted");
                try {
                    written.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            Runtime.getRuntime().addShutdownHook(hook);
            // the time limit covers the whole command: reading and decoding the file count
            long spentMs = (System.nanoTime() - commandStart) / 1_000_000;
            RunCompleted result = new SolverEngine().solve(problem, p -> {
                if (!quiet) {
                    printProgress(p);
                }
            }, cancel, Checkpointing.none(), spentMs);
            try {
                write(result, output);
            } finally {
                written.countDown();
            }
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException ignored) {
                // already shutting down: the hook is waiting for the result written above
            }
            return exitCode(result);
        }
    }

    /** The problem file and the settings a command line may override; shared by solve and submit. */
    static final class ProblemOptions {
        @Parameters(index = "0", paramLabel = "problem.json", description = "AssignmentProblem JSON")
        Path problemFile;

        @Option(names = "--seconds", description = "time limit (overrides the file's settings)")
        Integer seconds;

        @Option(names = "--unimproved-seconds", description = "stop after this long without improvement; 0 = never")
        Integer unimprovedSeconds;

        @Option(names = "--seed", description = "random seed (overrides the file's settings)")
        Long seed;

        @Option(names = "--score-calculations", paramLabel = "N", description = "stop after N score calculations"
                + " (overrides the file's settings): the same file, seed and N give the same assignment on any machine,"
                + " if the time limit does not come first")
        Long scoreCalculations;

        /** The validated problem with the overrides, or null after saying on stderr what is wrong. */
        AssignmentProblem read() {
            AssignmentProblem problem;
            try {
                problem = EventCodec.standard().decodePayload(Files.readAllBytes(problemFile), EventTypes.RUN_REQUESTED);
            } catch (IOException e) {
                System.err.println("Cannot read " + problemFile + ": " + e.getMessage());
                return null;
            } catch (RejectedEventException e) {
                System.err.println(problemFile + " is not a valid problem: " + e.getMessage());
                e.details().forEach(d -> System.err.println("  " + d));
                return null;
            }
            SolverSettings s = problem.settings();
            try {
                return problem.withSettings(new SolverSettings(
                        seconds != null ? seconds : s.timeLimitSeconds(),
                        unimprovedSeconds != null ? unimprovedSeconds : s.unimprovedSecondsLimit(),
                        seed != null ? seed : s.randomSeed(), s.moveThreadCount(), s.constraintWeights(),
                        scoreCalculations != null ? scoreCalculations : s.scoreCalculationLimit()));
            } catch (IllegalArgumentException e) {
                System.err.println("Bad option: " + e.getMessage());
                return null;
            }
        }
    }

    /** Where the running system's Kafka is; shared by submit and cancel. */
    static final class KafkaOptions {
        @Option(names = "--kafka", defaultValue = "${env:KAFKA_BOOTSTRAP_SERVERS:-localhost:9092}",
                description = "Kafka brokers (default: KAFKA_BOOTSTRAP_SERVERS, else ${DEFAULT-VALUE}, the launcher's embedded broker)")
        String kafka;

        /** Clients of these brokers with the KAFKA_CLIENT_* properties of the environment (TLS, SASL...). */
        KafkaClients clients() {
            return KafkaClients.from(Config.fromEnvironment()
                    .with(Map.of(PlatformConfig.KAFKA_BOOTSTRAP_SERVERS.name(), kafka)));
        }
    }

    static void printProgress(RunProgress p) {
        System.err.printf("%-12s %6d ms  %s  assigned %d, empty %d%n", p.phase(), p.elapsedMs(),
                p.bestScore() == null ? "-" : p.bestScore(), p.assigned(), p.unassigned());
    }

    static int exitCode(RunCompleted result) {
        return switch (result.status()) {
            case SOLVED, CANCELLED -> 0;
            case INVALID_INPUT -> 2;
            case FAILED -> 3;
        };
    }

    @Command(name = "generate", mixinStandardHelpOptions = true,
            description = "Write a seeded, realistic problem (same seed and sizes, same file).")
    static final class Generate implements Callable<Integer> {
        @Option(names = "--courses", defaultValue = "60", description = "number of courses (default ${DEFAULT-VALUE})")
        int courses;

        @Option(names = "--applicants", defaultValue = "180",
                description = "number of applicants (default ${DEFAULT-VALUE})")
        int applicants;

        @Option(names = "--seed", defaultValue = "42", description = "random seed (default ${DEFAULT-VALUE})")
        long seed;

        @Option(names = {"-o", "--output"}, description = "write here instead of stdout")
        Path output;

        @Override
        public Integer call() throws IOException {
            write(DepartmentGenerator.generate(courses, applicants, seed), output);
            return 0;
        }
    }

    static void write(Object value, Path output) throws IOException {
        String json = JSON.writeValueAsString(value);
        if (output == null) {
            PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
            out.println(json);
            out.flush();
        } else {
            Files.writeString(output, json + "\n", StandardCharsets.UTF_8);
        }
    }
}
