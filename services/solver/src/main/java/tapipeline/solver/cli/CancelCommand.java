package tapipeline.solver.cli;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tapipeline.platform.kafka.Events;
import tapipeline.schemas.EventTypes;
import tapipeline.schemas.assignment.RunCancel;

/**
 * {@code cancel RUN_ID}: asks the solver service to stop a run early ({@code assignment.run.cancel});
 * the service then completes the run with its best solution so far, or as cancelled if it had not
 * started.
 */
@Command(name = "cancel", mixinStandardHelpOptions = true,
        description = "Ask the solver service to stop a run early; its completed event then carries the best solution so far.")
final class CancelCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "RUN_ID", description = "the run to stop")
    String runId;

    @Option(names = "--reason", defaultValue = "cancelled on the command line", description = "why (kept in the event)")
    String reason;

    @CommandLine.Mixin
    SolverCli.KafkaOptions kafkaOptions;

    @Override
    public Integer call() throws InterruptedException {
        RunCancel cancel;
        try {
            cancel = new RunCancel(runId, reason, System.getProperty("user.name", "cli"));
        } catch (IllegalArgumentException e) {
            System.err.println("Not a valid cancel: " + e.getMessage());
            return 1;
        }
        try (KafkaProducer<String, byte[]> producer = kafkaOptions.clients().producer("solver-cli-cancel")) {
            Events.send(producer, EventTypes.RUN_CANCEL, runId, cancel).get(15, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException | KafkaException e) {
            System.err.println("Kafka at " + kafkaOptions.kafka + " did not take the cancel: " + e.getMessage());
            return 1;
        }
        System.err.println("Asked the solver service to cancel run " + runId);
        return 0;
    }
}
