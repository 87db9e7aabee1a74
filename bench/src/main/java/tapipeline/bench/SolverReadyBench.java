package tapipeline.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

import tapipeline.platform.config.Config;
import tapipeline.embedded.EmbeddedKafka;
import tapipeline.platform.kafka.Events;
import tapipeline.platform.kafka.KafkaClients;
import tapipeline.platform.kafka.ReplayLoop;
import tapipeline.platform.kafka.TopicAdmin;
import tapipeline.platform.kafka.Topics;
import tapipeline.platform.service.RunningService;
import tapipeline.schemas.Envelope;
import tapipeline.schemas.EventCodec;
import tapipeline.schemas.EventTypes;
import tapipeline.schemas.assignment.Applicant;
import tapipeline.schemas.assignment.AssignmentProblem;
import tapipeline.schemas.assignment.Course;
import tapipeline.schemas.assignment.RunCompleted;
import tapipeline.schemas.assignment.RunStatus;
import tapipeline.solver.generator.DepartmentGenerator;
import tapipeline.solver.service.SolverService;

/**
 * The solver's time to ready with a long history: {@code runs} completed runs of a 1,500-course
 * university (synthetic but schema-valid {@code assignment.run.completed} events of realistic size,
 * ~3 MB of JSON each, plus the {@code assignment.run.status} records the solver writes with each) in
 * an embedded broker in a temporary directory, deleted at the end.
 *
 * <p>Measured: the solver's {@code start()} until it returns and until {@code /health} answers 200
 * (three starts); the same with the status topic emptied (old data written before it existed: the
 * first start indexes the completed topic once, the next is fast again); and, for comparison, a
 * {@link ReplayLoop} over the whole completed topic (what the solver did before the status topic).
 *
 * <p>Arguments: [results-file] [runs].
 */
public final class SolverReadyBench {

    private static final String RUN_PLACEHOLDER = "bench-run-000000";

    public static void main(String[] args) throws Exception {
        Path out = args.length > 0 ? Path.of(args[0]) : null;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        Path dir = Files.createTempDirectory("bench-solver-ready");
        BenchTable table = new BenchTable("Solver ready time with " + runs + " completed 1,500-course runs in history",
                "measurement", "result", "how");
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().dataDir(dir).build().start()) {
            String bootstrap = kafka.bootstrapServers();
            KafkaClients clients = new KafkaClients(bootstrap);
            try (Admin admin = clients.admin()) {
                new TopicAdmin(admin, 3, (short) 1).ensure(Topics.allWithDeadLetters());
            }
            byte[] template = completedTemplate();
            long t0 = System.nanoTime();
            writeHistory(clients, template, runs);
            long writeMs = ms(t0);
            table.note(String.format("History: %d completed events of %,d bytes of JSON each (zstd-compressed by the "
                    + "producer, as the solver's are), one status record each, written in %.1f s; 3 partitions; "
                    + "broker and solver on the same 2-core machine (loopback).", runs, template.length, writeMs / 1000.0));

            List<long[]> withStatus = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                withStatus.add(startSolver(bootstrap));
            }
            table.row("solver start() returns, status topic complete", summary(withStatus, 0),
                    "3 starts; replays assignment.run.cancel + assignment.run.status, indexes nothing");
            table.row("solver /health answers 200, status topic complete", summary(withStatus, 1), "same starts");

            try (Admin admin = clients.admin()) {
                admin.deleteTopics(List.of(Topics.RUN_STATUS.name())).all().get(60, TimeUnit.SECONDS);
                long until = System.currentTimeMillis() + 60_000;
                while (admin.listTopics().names().get().contains(Topics.RUN_STATUS.name())
                        && System.currentTimeMillis() < until) {
                    Thread.sleep(200);
                }
                Thread.sleep(2000);
                new TopicAdmin(admin, 3, (short) 1).ensure(List.of(Topics.RUN_STATUS));
            }
            long[] old = startSolver(bootstrap);
            table.row("old data: first start without any status record", old[0] + " ms (health " + old[1] + " ms)",
                    "status topic deleted and recreated empty: the start reads the whole completed topic once and "
                            + "writes " + runs + " statuses");
            long[] after = startSolver(bootstrap);
            table.row("old data: the start after that", after[0] + " ms (health " + after[1] + " ms)",
                    "statuses now complete: nothing to index");

            t0 = System.nanoTime();
            try (ReplayLoop<Envelope<?>> replay = ReplayLoop.builder("bench-full-replay", clients, Events.anyDecoder())
                    .topics(Topics.RUN_CANCEL.name(), Topics.RUN_COMPLETED.name()).handler((v, r) -> { }).build().start()) {
                if (!replay.awaitCaughtUp(Duration.ofMinutes(30))) {
                    throw new IllegalStateException("full replay did not catch up in 30 minutes");
                }
            }
            table.row("before this change: replay of the whole assignment.run.completed", ms(t0) + " ms",
                    "a ReplayLoop over assignment.run.cancel + assignment.run.completed, decoding and validating "
                            + "every event, as the solver's start did (inside a fixed 120 s budget)");
        } finally {
            deleteTree(dir);
        }
        table.note("Goal: ready in under 5 s with 1,000 such runs. `start()` returns once the known-runs replay caught up, "
                + "the status backfill ran and the request loop and HTTP server started; /health is polled every 20 ms.");
        table.note("The first of the three starts is the first in this JVM: it pays class loading and JIT warm-up "
                + "(the solver's log line 'known runs: ... in N ms' gives the replay's share); the other two show the "
                + "steady cost of a start with this history.");
        table.note("Measured by `bench/run solver-ready " + runs
                + "` (tapipeline.bench.SolverReadyBench); the broker's data directory is a temporary directory, deleted at the end.");
        table.publish(out);
    }

    /** start() duration and time until /health is 200, in ms; then closes the service. */
    private static long[] startSolver(String bootstrap) throws Exception {
        long t0 = System.nanoTime();
        RunningService solver = new SolverService().start(Config.of(Map.of("KAFKA_BOOTSTRAP_SERVERS", bootstrap,
                "SOLVER_PORT", "0")));
        long started = ms(t0);
        try {
            HttpClient http = HttpClient.newHttpClient();
            URI health = URI.create(solver.urls().values().stream().filter(u -> u.endsWith("/health")).findFirst()
                    .orElseThrow());
            while (http.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode() != 200) {
                Thread.sleep(20);
            }
            long healthy = ms(t0);
            System.out.printf("solver ready: start() %d ms, health %d ms%n", started, healthy);
            return new long[] {started, healthy};
        } finally {
            solver.close();
        }
    }

    /** One completed event of a 1,500-course university, ~3 MB of JSON, under a placeholder run id. */
    private static byte[] completedTemplate() {
        AssignmentProblem problem = DepartmentGenerator.generate(1500, 2500, 1L);
        List<Applicant> applicants = problem.applicants();
        List<RunCompleted.Assignment> assignments = new ArrayList<>();
        int n = 0;
        for (Course c : problem.courses()) {
            for (int s = 0; s < c.slots(); s++) {
                Applicant a = applicants.get((n * 7) % applicants.size());
                List<RunCompleted.Candidate> runnerUps = new ArrayList<>();
                for (int k = 1; k <= 4; k++) {
                    Applicant r = applicants.get((n * 7 + k * 13) % applicants.size());
                    runnerUps.add(new RunCompleted.Candidate(r.id(), r.name(),
                            "Rated " + c.code() + " " + (k + 1) + "/5 but has only " + (k * 5)
                                    + " hours left after the other slots; the course asks for experience"));
                }
                assignments.add(new RunCompleted.Assignment(c.id(), s, a.id(), false, new RunCompleted.Explanation(
                        a.name() + " rated " + c.code() + " 5/5, has TA'd it before and it fits the funded hours.",
                        List.of("Rated the course 5/5", "Previously taught " + c.code(), "Fills the hours owed by funding"),
                        runnerUps)));
                n++;
            }
        }
        RunCompleted done = new RunCompleted(RUN_PLACEHOLDER, RunCompleted.Status.SOLVED, "0hard/-12medium/-31000soft",
                List.of(new RunCompleted.ConstraintScore("Unfilled slot", "0hard/-12medium/0soft", 12)),
                assignments, List.of(), List.of(), 1_800_000L, 42L);
        byte[] json = EventCodec.standard().encodeChecked(Envelope.of(EventTypes.RUN_COMPLETED, done));
        EventCodec.standard().decodeAny(json); // schema-valid as written
        return json;
    }

    /** Writes the completed events (each with its own run id and event id) and the status of each. */
    private static void writeHistory(KafkaClients clients, byte[] template, int runs) throws Exception {
        String text = new String(template, StandardCharsets.UTF_8);
        String eventId = EventCodec.standard().decodeAny(template).eventId().toString();
        try (KafkaProducer<String, byte[]> producer = clients.producer("bench-history")) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                String runId = String.format("bench-run-%06d", i);
                byte[] value = text.replace(RUN_PLACEHOLDER, runId).replace(eventId, UUID.randomUUID().toString())
                        .getBytes(StandardCharsets.UTF_8);
                sent.add(producer.send(new ProducerRecord<>(Topics.RUN_COMPLETED.name(), runId, value)));
                ids.add(runId);
                if (sent.size() == 50) {
                    writeStatuses(producer, sent, ids);
                }
            }
            writeStatuses(producer, sent, ids);
        }
    }

    private static void writeStatuses(KafkaProducer<String, byte[]> producer, List<Future<RecordMetadata>> sent,
                                      List<String> ids) throws Exception {
        for (int i = 0; i < sent.size(); i++) {
            RecordMetadata where = sent.get(i).get(120, TimeUnit.SECONDS);
            RunStatus status = new RunStatus(ids.get(i), RunCompleted.Status.SOLVED, "0hard/-12medium/-31000soft",
                    4000, 12, 0, 1_800_000L, Instant.now(), where.partition(), where.offset());
            Events.send(producer, EventTypes.RUN_STATUS, ids.get(i), status);
        }
        producer.flush();
        sent.clear();
        ids.clear();
        System.out.println("history written up to " + System.currentTimeMillis());
    }

    private static long ms(long t0) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }

    private static String summary(List<long[]> runs, int index) {
        List<Long> values = runs.stream().map(r -> r[index]).sorted().toList();
        return values.get(values.size() / 2) + " ms median (runs: " + runs.stream().map(r -> r[index]).toList() + ")";
    }

    private static void deleteTree(Path dir) throws Exception {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
