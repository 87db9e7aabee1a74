package tapipeline.solver.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.RecordMetadata;
import java.util.List;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tapipeline.platform.kafka.Events;
import tapipeline.platform.kafka.ExplanationsReader;
import tapipeline.platform.kafka.KafkaClients;
import tapipeline.platform.kafka.KeyTail;
import tapipeline.platform.kafka.Topics;
import tapipeline.schemas.Envelope;
import tapipeline.schemas.EventTypes;
import tapipeline.schemas.RejectedEventException;
import tapipeline.schemas.assignment.AssignmentProblem;
import tapipeline.schemas.assignment.RunCancel;
import tapipeline.schemas.assignment.RunCompleted;
import tapipeline.schemas.assignment.RunExplanations;
import tapipeline.schemas.assignment.RunProgress;

/**
 * {@code submit problem.json}: sends the problem to the running solver service as
 * {@code assignment.run.requested}, prints its progress events as they come and writes its
 * completed event, like {@code solve} does locally. Ctrl-C asks the service to cancel the run and
 * still waits (up to a minute) for its best result.
 */
@Command(name = "submit", mixinStandardHelpOptions = true,
        description = {"Send a problem to the solver service over Kafka, follow its progress and print the result JSON.",
                "A run id already solved prints that run's result (the service solves each run id once).",
                "Exit codes: 0 solved or cancelled, 1 unreadable problem, Kafka unreachable or no result in time,"
                        + " 2 INVALID_INPUT, 3 FAILED."})
final class SubmitCommand implements Callable<Integer> {

    private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(15);
    /** Without any event this long after sending, say that no solver may be running. */
    private static final long HINT_AFTER_MS = 15_000;

    @CommandLine.Mixin
    SolverCli.ProblemOptions problemOptions;

    @CommandLine.Mixin
    SolverCli.KafkaOptions kafkaOptions;

    @Option(names = "--run-id", description = "run id to use instead of the file's (a run id is solved once)")
    String runId;

    @Option(names = {"-o", "--output"}, description = "write the result here instead of stdout")
    Path output;

    @Option(names = "--quiet", description = "no progress on stderr")
    boolean quiet;

    @Option(names = "--no-wait", description = "only send the request, print its run id and exit")
    boolean noWait;

    @Option(names = "--wait-seconds", description = "give up waiting for the result after this long"
            + " (default: the run's time limit plus 10 minutes, for time spent queued)")
    Long waitSeconds;

    @Override
    public Integer call() throws IOException {
        AssignmentProblem problem = problemOptions.read();
        if (problem == null) {
            return 1;
        }
        if (runId != null) {
            problem = problem.withRunId(runId);
        }
        String id = problem.runId();
        KafkaClients clients = kafkaOptions.clients();
        // the tail starts before the look at the past, so a completed event is found by one or the other
        try (KeyTail tail = KeyTail.fromNow(clients, id, KAFKA_TIMEOUT, Topics.RUN_PROGRESS.name(), Topics.RUN_COMPLETED.name());
             KafkaProducer<String, byte[]> producer = clients.producer("solver-cli-submit")) {
            RunCompleted earlier = completedBefore(clients, id);
            if (earlier != null) {
                // the service solves a run id once: show that result rather than wait for one that never comes
                System.err.println("Run " + id + " already finished (" + earlier.status() + ", score " + earlier.score()
                        + "); this is its result. To solve the problem again, send it with --run-id <new id>.");
                SolverCli.write(withExplanations(clients, earlier), output);
                return SolverCli.exitCode(earlier);
            }
            RecordMetadata sent = Events.send(producer, EventTypes.RUN_REQUESTED, id, problem)
                    .get(KAFKA_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            System.err.printf("Requested run %s (%d courses, %d applicants, limit %d s) on %s, partition %d, offset %d%n",
                    id, problem.courses().size(), problem.applicants().size(), problem.settings().timeLimitSeconds(),
                    sent.topic(), sent.partition(), sent.offset());
            if (noWait) {
                System.out.println(id);
                return 0;
            }
            return follow(tail, producer, clients, id, problem);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RecordTooLargeException tooLarge) {
                // the platform's message names the topic, the record's size and both limits
                System.err.println(problemOptions.problemFile + " cannot be sent: " + tooLarge.getMessage()
                        + ". Split the problem (e.g. by department) or leave out what the solver does not need.");
                return 1;
            }
            System.err.println("Kafka at " + kafkaOptions.kafka + ": " + e.getMessage() + " (is ./run up? else pass --kafka host:port)");
            return 1;
        } catch (TimeoutException | KafkaException | IllegalStateException e) {
            // unreachable brokers, a cluster without the pipeline's topics, a request refused
            System.err.println("Kafka at " + kafkaOptions.kafka + ": " + e.getMessage() + " (is ./run up? else pass --kafka host:port)");
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    /** The completed event of this run id, if the log already holds one. */
    private static RunCompleted completedBefore(KafkaClients clients, String id) {
        try (KeyTail done = KeyTail.fromBeginning(clients, id, KAFKA_TIMEOUT, Topics.RUN_COMPLETED.name())) {
            RunCompleted found = null;
            while (!done.caughtUp(KAFKA_TIMEOUT)) {
                for (ConsumerRecord<String, byte[]> r : done.poll(Duration.ofMillis(500))) {
                    Envelope<?> event = decode(r);
                    if (event != null && event.payload() instanceof RunCompleted completed) {
                        found = completed;
                    }
                }
            }
            return found;
        }
    }

    /** The event, or null after saying which record could not be read (the services dead-letter such records). */
    private static Envelope<?> decode(ConsumerRecord<String, byte[]> r) {
        if (r.value() == null) {
            return null;   // a tombstone: nothing to say
        }
        try {
            return Events.codec().decodeAny(r.value());
        } catch (RejectedEventException e) {
            System.err.printf("Skipped an unreadable record at %s-%d offset %d: %s%n", r.topic(), r.partition(), r.offset(),
                    e.getMessage());
            return null;
        }
    }

    /**
     * The result as the solver wrote it, explanations inline: a result that says where its explanations
     * are (assignment.run.completed v2) gets them read back from assignment.run.explanations.
     */
    static RunCompleted withExplanations(KafkaClients clients, RunCompleted result) {
        if (result.explanations() == null) {
            return result;
        }
        try (ExplanationsReader reader = new ExplanationsReader(clients, "solver-cli-explanations", Duration.ofSeconds(60))) {
            List<RunExplanations> courses = reader.all(result.runId(), result.explanations());
            if (courses.size() < result.explanations().courses()) {
                System.err.printf("Found the explanations of %d of the run's %d courses on %s; the others are missing.%n",
                        courses.size(), result.explanations().courses(), Topics.RUN_EXPLANATIONS.name());
            }
            return result.withExplanationsInline(courses);
        }
    }

    private int follow(KeyTail tail, KafkaProducer<String, byte[]> producer, KafkaClients clients, String id,
                       AssignmentProblem problem)
            throws IOException, InterruptedException {
        long limitMs = TimeUnit.SECONDS.toMillis(waitSeconds != null ? waitSeconds
                : problem.settings().timeLimitSeconds() + 600L);
        AtomicBoolean cancelSent = new AtomicBoolean();
        CountDownLatch finished = new CountDownLatch(1);
        // Ctrl-C: ask the service to stop the run, and keep the JVM up until its best result is written
        Thread hook = new Thread(() -> {
            if (cancelSent.compareAndSet(false, true)) {
                try {
                    Events.send(producer, EventTypes.RUN_CANCEL, id, new RunCancel(id, "interrupted on the command line",
                            System.getProperty("user.name", "cli"))).get(KAFKA_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                    System.err.println("Asked the solver to cancel run " + id + "; waiting for its best result (Ctrl-C again quits)");
                    finished.await(60, TimeUnit.SECONDS);
                } catch (Exception e) {
                    System.err.println("Could not cancel run " + id + ": " + e.getMessage());
                }
            }
        });
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            long start = System.currentTimeMillis();
            boolean heard = false;
            while (System.currentTimeMillis() - start < limitMs) {
                for (ConsumerRecord<String, byte[]> r : tail.poll(Duration.ofMillis(500))) {
                    heard = true;
                    Envelope<?> event = decode(r);
                    if (event == null) {
                        continue;
                    }
                    if (event.payload() instanceof RunProgress p && !quiet) {
                        SolverCli.printProgress(p);
                    } else if (event.payload() instanceof RunCompleted result) {
                        SolverCli.write(withExplanations(clients, result), output);
                        return SolverCli.exitCode(result);
                    }
                }
                if (!heard && System.currentTimeMillis() - start > HINT_AFTER_MS) {
                    System.err.println("No word from a solver yet: the request waits in Kafka until a solver service"
                            + " takes it (is one running, and are its loops busy? see http://localhost:8083/runs)");
                    heard = true;
                }
            }
            System.err.println("No result for run " + id + " within " + limitMs / 1000 + " s; it stays requested."
                    + " Once it is solved, the same command prints its result; to stop it: cancel " + id);
            return 1;
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException ignored) {
                // shutting down: the hook waits on `finished`, counted down above
            }
        }
    }
}
