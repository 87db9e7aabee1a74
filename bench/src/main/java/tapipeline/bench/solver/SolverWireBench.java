package tapipeline.bench.solver;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import tapipeline.bench.BenchTable;
import tapipeline.platform.kafka.Topics;
import tapipeline.schemas.Envelope;
import tapipeline.schemas.EventCodec;
import tapipeline.schemas.EventTypes;
import tapipeline.schemas.assignment.AssignmentProblem;
import tapipeline.schemas.assignment.RunCompleted;
import tapipeline.schemas.assignment.RunExplanations;
import tapipeline.solver.engine.SolverEngine;
import tapipeline.solver.generator.DepartmentGenerator;

/**
 * {@code bench/run solver-wire}: the sizes on the wire of a run at university scale (issue #18): the
 * request, the result as the solver service sends it (v2, explanations on their own topic), its
 * explanation records, and the old inline result (v1) for comparison, each in bytes of JSON (what the
 * producer's {@code max.request.size} bounds) and after zstd in a Kafka record batch (what the topic's
 * {@code max.message.bytes} bounds), built with Kafka's own {@code MemoryRecordsBuilder} as the producer
 * does. Problems from DepartmentGenerator; results solved by the production SolverEngine with a short
 * limit, or read from a file ({@code --result 10000x20000=r10k.json}, e.g. {@code bin/solver solve}'s
 * output) where the engine refuses the size.
 *
 * <p>Arguments: {@code [output.md] [--sizes 5000x10000,10000x20000] [--seed 3] [--seconds 20]
 * [--result CxA=file]...}.
 */
public final class SolverWireBench {

    private static final EventCodec CODEC = EventCodec.standard();

    public static void main(String[] args) throws Exception {
        String out = null;
        List<int[]> sizes = List.of(new int[] {5_000, 10_000}, new int[] {10_000, 20_000});
        long seed = 3;
        int seconds = 20;
        Map<String, Path> results = new LinkedHashMap<>();
        boolean broker = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--sizes" -> {
                    List<int[]> parsed = new ArrayList<>();
                    for (String s : args[++i].split(",")) {
                        String[] ca = s.split("x");
                        parsed.add(new int[] {Integer.parseInt(ca[0]), Integer.parseInt(ca[1])});
                    }
                    sizes = parsed;
                }
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--broker" -> broker = true;
                case "--result" -> {
                    String[] kv = args[++i].split("=", 2);
                    results.put(kv[0], Path.of(kv[1]));
                }
                default -> out = args[i];
            }
        }
        String loadBefore = load();
        BenchTable table = new BenchTable("Solver runs on the wire: request, result and explanations",
                "Courses / applicants", "Slots", "Request JSON", "Request zstd batch",
                "Result v2 JSON", "Result v2 zstd batch", "Explanation records", "Explanations JSON (largest record)",
                "Explanations zstd (sum of one-record batches / whole stream)", "Old inline result v1 JSON / zstd",
                "Result from");
        double[] perSlot = null; // v2 JSON, v2 zstd, explanations JSON, explanations zstd stream, v1 JSON, v1 zstd
        String perSlotFrom = null;
        for (int[] size : sizes) {
            String label = size[0] + "x" + size[1];
            AssignmentProblem problem = DepartmentGenerator.generate(size[0], size[1], seed)
                    .withRunId("wire-" + label);
            problem = problem.withSettings(problem.settings().withTimeLimitSeconds(seconds));
            byte[] request = CODEC.encode(Envelope.of(EventTypes.RUN_REQUESTED, problem));
            int slots = problem.courses().stream().mapToInt(c -> c.slots()).sum();
            String requestZstd = mb(batch(problem.runId(), request));

            RunCompleted full;
            String from;
            if (results.containsKey(label)) {
                full = CODEC.decodePayload(Files.readAllBytes(results.get(label)), EventTypes.RUN_COMPLETED);
                from = "file " + results.get(label).getFileName();
            } else {
                long start = System.nanoTime();
                full = new SolverEngine().solve(problem);
                from = String.format(Locale.ROOT, "SolverEngine, limit %d s, took %.0f s, %s", seconds,
                        (System.nanoTime() - start) / 1e9, full.status());
            }
            problem = null; // only sizes from here on
            if (!full.hasInlineExplanations()) {
                String why = from + (full.problems().isEmpty() ? "" : ": " + full.problems().get(0).message());
                if (perSlot == null) {
                    table.row(sizeLabel(size), String.format(Locale.ROOT, "%,d", slots), mb(request.length), requestZstd,
                            "–", "–", "–", "–", "–", "–", why);
                } else {
                    // not solved here: the result's sizes estimated per slot from the largest size solved
                    table.row(sizeLabel(size), String.format(Locale.ROOT, "%,d", slots), mb(request.length), requestZstd,
                            "≈ " + mb((long) (perSlot[0] * slots)), "≈ " + mb((long) (perSlot[1] * slots)), "–",
                            "≈ " + mb((long) (perSlot[2] * slots)), "≈ – / " + mb((long) (perSlot[3] * slots)),
                            "≈ " + mb((long) (perSlot[4] * slots)) + " / " + mb((long) (perSlot[5] * slots)),
                            "estimated per slot from " + perSlotFrom + " (" + why + ")");
                }
                continue;
            }
            byte[] v1 = CODEC.encode(Envelope.of(EventTypes.RUN_COMPLETED, full));
            int v1Zstd = batch(full.runId(), v1);
            List<RunExplanations> courses = RunExplanations.split(full);
            long explJson = 0;
            long explBatches = 0;
            int largest = 0;
            java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
            for (RunExplanations c : courses) {
                byte[] value = CODEC.encode(Envelope.of(EventTypes.RUN_EXPLANATIONS, full.runId(), c));
                explJson += value.length;
                largest = Math.max(largest, value.length);
                explBatches += batch(c.key(), value);
                all.write(value);
            }
            int explStream = batch("all", all.toByteArray());
            RunCompleted lean = full.withExplanationsAt(new RunCompleted.ExplanationsRef(0, 0, courses.size() - 1L,
                    courses.size(), slots));
            byte[] v2 = CODEC.encode(Envelope.of(EventTypes.RUN_COMPLETED, lean));
            int v2Zstd = batch(lean.runId(), v2);
            perSlot = new double[] {(double) v2.length / slots, (double) v2Zstd / slots, (double) explJson / slots,
                    (double) explStream / slots, (double) v1.length / slots, (double) v1Zstd / slots};
            perSlotFrom = sizeLabel(size);
            table.row(sizeLabel(size), String.format(Locale.ROOT, "%,d", slots), mb(request.length), requestZstd,
                    mb(v2.length), mb(v2Zstd), String.format(Locale.ROOT, "%,d", courses.size()),
                    mb(explJson) + " (" + kb(largest) + ")", mb(explBatches) + " / " + mb(explStream),
                    mb(v1.length) + " / " + mb(v1Zstd), from);
        }
        if (broker) {
            throughBroker(sizes, seed, table);
        }
        table.note("JSON: the record value as the producer gets it (the envelope with its payload), bounded by the "
                + "producers' max.request.size of " + mb(Topics.MAX_RECORD_BYTES) + " (Topics.MAX_RECORD_BYTES).");
        table.note("zstd batch: the same value in a Kafka record batch compressed with zstd (Kafka's default level), "
                + "built with Kafka's own MemoryRecordsBuilder as the producer builds it: the size the broker checks "
                + "against the topic's max.message.bytes: assignment.run.requested and assignment.run.completed "
                + mb(Topics.SNAPSHOT_MAX_BYTES) + ", assignment.run.explanations " + mb(Topics.EXPLANATIONS_MAX_BYTES)
                + " per record.");
        table.note("Explanations: one record per course (assignment.run.explanations, keyed \"<runId> <courseId>\"). "
                + "The producer batches them (linger 5 ms), so what goes over the wire is between the whole stream "
                + "compressed at once and the sum of one-record batches.");
        table.note("Old inline result v1: the same result with every explanation inline, as assignment.run.completed "
                + "carried it before v2 (the coordinator still reads results of that shape).");
        table.note("≈: a size the solver refused (its caps on slots and slot-candidate pairs, ProblemValidator), so no "
                + "result was solved here; the result's sizes are the largest solved size's bytes per slot times the slots. "
                + "Re-run with --result CxA=file (a result of bin/solver solve) once the solver takes the size.");
        table.note("JSON is compact here; bin/solver generate writes it indented (the issue's 34 MB file at 10,000 / "
                + "20,000 is the same problem).");
        table.note("Problems: DepartmentGenerator seed " + seed + " (bin/solver generate --courses C --applicants A --seed "
                + seed + "); sizes are deterministic, the result's depend on the assignment found. Load (/proc/loadavg) "
                + "before: " + loadBefore + ", after: " + load() + ".");
        table.publish(out == null ? null : Path.of(out));
    }

    /**
     * Each size's request through a real (embedded) broker with the platform's producer and consumer
     * settings: sent and acknowledged, then read back and decoded with schema validation as the solver's
     * loop does. What the broker stores is its log size for the topic.
     */
    private static void throughBroker(List<int[]> sizes, long seed, BenchTable table) throws Exception {
        Path dir = Files.createTempDirectory("bench-wire");
        try (tapipeline.embedded.EmbeddedKafka kafka = tapipeline.embedded.EmbeddedKafka.builder().dataDir(dir).build()
                .start()) {
            tapipeline.platform.kafka.KafkaClients clients = new tapipeline.platform.kafka.KafkaClients(
                    kafka.bootstrapServers());
            try (org.apache.kafka.clients.admin.Admin admin = clients.admin()) {
                new tapipeline.platform.kafka.TopicAdmin(admin, 3, (short) 1).ensure(List.of(Topics.RUN_REQUESTED));
            }
            List<String> lines = new ArrayList<>();
            try (org.apache.kafka.clients.producer.KafkaProducer<String, byte[]> producer = clients.producer("bench-wire");
                 org.apache.kafka.clients.consumer.KafkaConsumer<String, byte[]> consumer = clients.consumer(
                         "bench-wire-" + System.nanoTime(), "bench-wire",
                         Map.of(org.apache.kafka.clients.consumer.ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1));
                 org.apache.kafka.clients.admin.Admin admin = clients.admin()) {
                consumer.subscribe(List.of(Topics.RUN_REQUESTED.name()));
                for (int[] size : sizes) {
                    AssignmentProblem problem = DepartmentGenerator.generate(size[0], size[1], seed)
                            .withRunId("wire-broker-" + size[0] + "x" + size[1]);
                    int json = CODEC.encode(Envelope.of(EventTypes.RUN_REQUESTED, problem)).length;
                    long before = logBytes(admin);
                    long t0 = System.nanoTime();
                    var sent = tapipeline.platform.kafka.Events.send(producer, EventTypes.RUN_REQUESTED, problem.runId(),
                            problem).get(120, java.util.concurrent.TimeUnit.SECONDS);
                    long sendMs = (System.nanoTime() - t0) / 1_000_000;
                    long stored = logBytes(admin) - before;
                    problem = null;
                    long t1 = System.nanoTime();
                    AssignmentProblem back = null;
                    while (back == null && System.nanoTime() - t1 < 120_000_000_000L) {
                        for (var r : consumer.poll(java.time.Duration.ofMillis(500))) {
                            if (r.offset() == sent.offset() && r.partition() == sent.partition()) {
                                back = tapipeline.platform.kafka.Events.decoder(EventTypes.RUN_REQUESTED).decode(r).payload();
                            }
                        }
                    }
                    long readMs = (System.nanoTime() - t1) / 1_000_000;
                    lines.add(sizeLabel(size) + ": " + mb(json) + " of JSON sent and acknowledged in " + sendMs
                            + " ms; the broker's log grew by " + mb(stored) + "; read back and decoded with schema "
                            + "validation in " + (back == null ? "(not within 120 s)" : readMs + " ms ("
                            + back.courses().size() + " courses)"));
                }
            }
            table.note("Through a real broker (`--broker`: an embedded KRaft broker, the platform's producer with zstd "
                    + "and acks=all, the platform's consumer settings with one record per poll like the solver's "
                    + "loop; growth of the topic's log as describeLogDirs reports it): " + String.join("; ", lines) + ".");
        } finally {
            tapipeline.bench.BenchFiles.deleteTempTree(dir);
        }
    }

    private static long logBytes(org.apache.kafka.clients.admin.Admin admin) throws Exception {
        return admin.describeLogDirs(admin.describeCluster().nodes().get().stream().map(n -> n.id()).toList()).allDescriptions().get().values().stream()
                .flatMap(d -> d.values().stream()).flatMap(d -> d.replicaInfos().entrySet().stream())
                .filter(e -> e.getKey().topic().equals(Topics.RUN_REQUESTED.name()))
                .mapToLong(e -> e.getValue().size()).sum();
    }

    private static String sizeLabel(int[] size) {
        return String.format(Locale.ROOT, "%,d / %,d", size[0], size[1]);
    }

    /** The size of one Kafka record batch holding this record, zstd-compressed, as the broker stores it. */
    static int batch(String key, byte[] value) {
        MemoryRecordsBuilder b = org.apache.kafka.common.record.internal.MemoryRecords.builder(
                ByteBuffer.allocate(1024 * 1024), Compression.zstd().build(), TimestampType.CREATE_TIME, 0L);
        b.append(System.currentTimeMillis(), key.getBytes(StandardCharsets.UTF_8), value);
        return b.build().sizeInBytes();
    }

    private static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.2f MB", bytes / 1e6);
    }

    private static String kb(long bytes) {
        return String.format(Locale.ROOT, "%.1f kB", bytes / 1e3);
    }

    private static String load() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "unknown";
        }
    }
}
