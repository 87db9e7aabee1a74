package tapipeline.monitor;

import java.net.ServerSocket;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

import tapipeline.bench.BenchTable;
import tapipeline.embedded.EmbeddedKafka;
import tapipeline.platform.kafka.DeadLetters;
import tapipeline.platform.kafka.KafkaClients;
import tapipeline.platform.kafka.TopicAdmin;
import tapipeline.platform.kafka.Topics;

/**
 * The monitor's own cost, and the time to open a large dead-letter topic (bench/run monitor).
 *
 * <p>Part 1: an embedded broker with 50 bench topics (3 partitions, 1,000 records each, then a
 * trickle of 20 records/s) besides the registry's topics, and 20 consumer groups on them: 10 with a
 * live member that reads slowly (lag that moves), 10 with committed offsets and no member. The
 * monitor runs as its own process ({@code MonitorService.main}, polling every 5 s); after a 60 s
 * warm-up its CPU time ({@code ProcessHandle.info().totalCpuDuration()}) is read over 120 s, and its
 * heap in use (from its own {@code /metrics}: {@code jvm_memory_used_bytes{area="heap"}}) every 5 s.
 *
 * <p>Part 2: 100,000 dead letters (headers as the platform writes them, 5 reasons x 2 error classes,
 * ~700-byte payloads, 3 partitions) and the time from opening the topic until its scan is done, in
 * this process through the monitor's engine, three times.
 */
public final class MonitorBench {

    private static final int TOPICS = 50;
    private static final int GROUPS = 20;
    private static final int DEAD_LETTERS = 100_000;

    public static void main(String[] args) throws Exception {
        Path out = args.length > 0 ? Path.of(args[0]) : null;
        int measureSeconds = args.length > 1 ? Integer.parseInt(args[1]) : 120;
        Path dir = Files.createTempDirectory("bench-monitor");
        BenchTable table = new BenchTable("Monitor: own cost polling 50 topics and 20 groups, and opening a DLQ of "
                + "100,000 records", "measurement", "result", "how");
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().dataDir(dir).build().start()) {
            String bootstrap = kafka.bootstrapServers();
            KafkaClients clients = new KafkaClients(bootstrap);
            int registryTopics;

            try (Admin admin = clients.admin()) {
                new TopicAdmin(admin, 3, (short) 1).ensure(Topics.allWithDeadLetters());
                List<NewTopic> topics = new ArrayList<>();
                for (int i = 0; i < TOPICS; i++) {
                    topics.add(new NewTopic(topic(i), 3, (short) 1));
                }
                admin.createTopics(topics).all().get(60, TimeUnit.SECONDS);
                awaitLeaders(admin, topics.stream().map(NewTopic::name).toList());
            }
            registryTopics = Topics.allWithDeadLetters().size();
            try (KafkaProducer<String, byte[]> p = clients.producer("bench-monitor")) {
                byte[] value = new byte[300];
                // one acknowledged record per partition first: a loaded machine's broker may take a while to
                // lead a new partition, and a burst into it then can leave the producer's sequences stuck
                for (int i = 0; i < TOPICS; i++) {
                    for (int part = 0; part < 3; part++) {
                        p.send(new ProducerRecord<>(topic(i), part, "first", value)).get(120, TimeUnit.SECONDS);
                    }
                }
                for (int i = 0; i < TOPICS; i++) {
                    for (int k = 0; k < 1000; k++) {
                        p.send(new ProducerRecord<>(topic(i), "k" + k, value));
                    }
                }
                p.flush();
            }
            try (Admin admin = clients.admin()) {
                for (int g = GROUPS / 2; g < GROUPS; g++) {
                    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
                    for (int t : topicsOf(g)) {
                        for (int part = 0; part < 3; part++) {
                            offsets.put(new TopicPartition(topic(t), part), new OffsetAndMetadata(100L * (g % 4)));
                        }
                    }
                    admin.alterConsumerGroupOffsets("bench-idle-" + g, offsets).all().get(30, TimeUnit.SECONDS);
                }
            }
            Load load = new Load(clients);
            load.start();
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), MonitorService.class.getName());
            pb.environment().put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
            pb.environment().put("MONITOR_PORT", Integer.toString(port));
            pb.environment().put("MONITOR_POLL_SECONDS", "5");
            pb.environment().put("MONITOR_SERVICE_URLS", "");
            pb.environment().put("DATA_DIR", dir.resolve("monitor").toString());
            pb.environment().put("LOG_LEVEL", "WARN");
            pb.redirectErrorStream(true).redirectOutput(dir.resolve("monitor.log").toFile());
            Process monitor = pb.start();
            try {
                String base = "http://127.0.0.1:" + port;
                awaitHealthy(base, Duration.ofSeconds(90));
                Thread.sleep(60_000); // warm-up: JIT, history rings filling, lag timestamps cached
                long cpu0 = cpu(monitor);
                long t0 = System.nanoTime();
                List<Double> heap = new ArrayList<>();
                List<Double> polls = new ArrayList<>();
                while (System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(measureSeconds)) {
                    String metrics = get(base + "/metrics");
                    heap.add(sum(metrics, "jvm_memory_used_bytes{", "area=\"heap\""));
                    polls.add(sum(metrics, "tapipeline_monitor_poll_seconds", ""));
                    Thread.sleep(5000);
                }
                long cpu1 = cpu(monitor);
                double wall = (System.nanoTime() - t0) / 1e9;
                double cpuSeconds = (cpu1 - cpu0) / 1e9;
                String groupsSeen = get(base + "/metrics").lines()
                        .filter(l -> l.startsWith("tapipeline_monitor_group_lag_records{")).count() + "";
                table.row("monitor CPU while polling every 5 s",
                        String.format("%.2f %% of one core (%.1f s CPU in %.0f s)", 100 * cpuSeconds / wall, cpuSeconds, wall),
                        "CPU time of the monitor process (ProcessHandle totalCpuDuration) over the measuring window, "
                                + "after a 60 s warm-up; its JVM has default settings");
                table.row("monitor heap in use", String.format("avg %.0f MB, max %.0f MB", avg(heap) / 1e6, max(heap) / 1e6),
                        "jvm_memory_used_bytes{area=heap} summed over pools, from the monitor's /metrics every 5 s");
                table.row("one poll of the cluster", String.format("avg %.0f ms, max %.0f ms", avg(polls) * 1000,
                        max(polls) * 1000), "tapipeline_monitor_poll_seconds (Admin calls + lag timestamp reads)");
                table.note(String.format("Cluster: %d bench topics (3 partitions, 1,000 records each, then ~20 records/s "
                        + "in) plus the %d registry topics = %d topics; %d consumer groups on the bench topics (10 "
                        + "with a live member reading ~10 records/s, 10 with committed offsets and no member); the "
                        + "monitor saw %s groups. Broker, load and monitor on the same 2-core machine.",
                        TOPICS, registryTopics, TOPICS + registryTopics, GROUPS, groupsSeen));
            } finally {
                monitor.destroy();
                monitor.waitFor(20, TimeUnit.SECONDS);
                load.close();
            }

            // part 2: open a DLQ of 100,000 records
            String dlq = "bench.poison.dlq";
            try (Admin admin = clients.admin()) {
                admin.createTopics(List.of(new NewTopic(dlq, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
                awaitLeaders(admin, List.of(dlq));
            }
            long w0 = System.nanoTime();
            writeDeadLetters(clients, dlq);
            double writeS = (System.nanoTime() - w0) / 1e9;
            try (KafkaProducer<String, byte[]> p = clients.producer("bench-dlq-redrive");
                 tapipeline.monitor.DeadLetters dl = new tapipeline.monitor.DeadLetters(clients, p,
                         new DeadLetterState(), 100_000, 50)) {
                List<Long> times = new ArrayList<>();
                long groups = 0;
                long firstProgress = 0;
                for (int run = 0; run < 3; run++) {
                    Runtime.getRuntime().gc();
                    long s0 = System.nanoTime();
                    tapipeline.monitor.DeadLetters.Scan scan = dl.open(dlq, true);
                    long openedMs = (System.nanoTime() - s0) / 1_000_000;
                    while (!scan.done) {
                        Thread.sleep(5);
                    }
                    times.add((System.nanoTime() - s0) / 1_000_000);
                    groups = scan.groups.size();
                    firstProgress = openedMs;
                    if (scan.read.get() != DEAD_LETTERS || scan.error != null) {
                        throw new IllegalStateException("scan read " + scan.read.get() + ", error " + scan.error);
                    }
                }
                table.row("open a DLQ of 100,000 records (scan to done)", times + " ms (3 runs)",
                        "DeadLetters.open until its scan is done: every record read, grouped by reason and error class ("
                                + groups + " groups), details of the first 500 per group kept; the page shows progress "
                                + "from the first answer (" + firstProgress + " ms: sizes read, scan started)");
                table.note(String.format("Dead letters: %,d records of ~700 bytes with the platform's dlq.* headers, "
                        + "written in %.1f s before the measurement.", DEAD_LETTERS, writeS));
            }
        } finally {
            tapipeline.bench.BenchFiles.deleteTempTree(dir);
        }
        table.publish(out);
    }

    /** 10 live groups, each with one consumer reading ~10 records/s and committing; a producer writing ~20 records/s. */
    private static final class Load extends Thread implements AutoCloseable {
        private final KafkaClients clients;
        private volatile boolean stop;

        Load(KafkaClients clients) {
            super("bench-load");
            this.clients = clients;
            setDaemon(true);
        }

        @Override
        public void run() {
            List<KafkaConsumer<String, byte[]>> consumers = new ArrayList<>();
            try (KafkaProducer<String, byte[]> p = clients.producer("bench-trickle")) {
                for (int g = 0; g < GROUPS / 2; g++) {
                    KafkaConsumer<String, byte[]> c = clients.consumer("bench-live-" + g, "bench-live-" + g,
                            Map.of("max.poll.records", 5));
                    c.subscribe(topicsOf(g).stream().map(MonitorBench::topic).toList());
                    consumers.add(c);
                }
                int n = 0;
                while (!stop) {
                    long start = System.currentTimeMillis();
                    for (KafkaConsumer<String, byte[]> c : consumers) {
                        if (c.poll(Duration.ofMillis(10)).count() > 0) {
                            c.commitSync();
                        }
                    }
                    for (int i = 0; i < 10; i++) {
                        p.send(new ProducerRecord<>(topic(n++ % TOPICS), "t" + n, new byte[300]));
                    }
                    long left = 500 - (System.currentTimeMillis() - start);
                    if (left > 0) {
                        Thread.sleep(left);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                consumers.forEach(KafkaConsumer::close);
            }
        }

        @Override
        public void close() throws InterruptedException {
            stop = true;
            join(30_000);
        }
    }

    private static List<Integer> topicsOf(int group) {
        return List.of(group % TOPICS, (group * 7 + 3) % TOPICS, (group * 13 + 5) % TOPICS);
    }

    static String topic(int i) {
        return String.format("bench.topic-%02d", i);
    }

    private static void writeDeadLetters(KafkaClients clients, String dlq) throws Exception {
        String[] reasons = {"SCHEMA_VIOLATION", "MALFORMED_JSON", "RETRIES_EXHAUSTED", "UNKNOWN_PROGRAM", "OUTPUT_REFUSED"};
        String[] classes = {"tapipeline.platform.kafka.PoisonRecordException", "java.lang.IllegalStateException"};
        byte[] payload = ("{\"eventId\":\"00000000-0000-0000-0000-000000000000\",\"type\":\"bench.poison\",\"version\":1,"
                + "\"occurredAt\":\"2027-01-10T09:00:00Z\",\"correlationId\":\"x\",\"payload\":{\"text\":\""
                + "x".repeat(520) + "\"}}").getBytes(StandardCharsets.UTF_8);
        try (KafkaProducer<String, byte[]> p = clients.producer("bench-dlq")) {
            for (int i = 0; i < DEAD_LETTERS; i++) {
                ProducerRecord<String, byte[]> r = new ProducerRecord<>(dlq, "key-" + i, payload);
                String reason = reasons[i % reasons.length];
                put(r, DeadLetters.REASON, reason);
                put(r, DeadLetters.ERROR_CLASS, classes[(i / 5) % classes.length]);
                put(r, DeadLetters.ERROR_MESSAGE, reason.toLowerCase() + " at /payload/text (record " + i + ")");
                put(r, DeadLetters.ATTEMPTS, "1");
                put(r, DeadLetters.ORIGINAL_TOPIC, "bench.poison");
                put(r, DeadLetters.ORIGINAL_PARTITION, Integer.toString(i % 3));
                put(r, DeadLetters.ORIGINAL_OFFSET, Integer.toString(i / 3));
                put(r, DeadLetters.ORIGINAL_TIMESTAMP, Long.toString(System.currentTimeMillis()));
                put(r, DeadLetters.CONSUMER_GROUP, "bench-group");
                put(r, DeadLetters.FAILED_AT, Instant.now().toString());
                p.send(r);
            }
            p.flush();
        }
    }

    /** Topics just created have no leader for a moment; a producer sending then can get stuck in retries. */
    private static void awaitLeaders(Admin admin, List<String> names) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try {
                boolean ready = admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS).values().stream()
                        .allMatch(d -> d.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty()));
                if (ready) {
                    return;
                }
            } catch (java.util.concurrent.ExecutionException notYetKnown) {
                // the metadata of a topic just created has not reached every broker yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("topics without a leader after 60 s: " + names);
    }

    private static void put(ProducerRecord<String, byte[]> r, String k, String v) {
        r.headers().add(k, v.getBytes(StandardCharsets.UTF_8));
    }

    private static long cpu(Process p) {
        Optional<Duration> d = p.toHandle().info().totalCpuDuration();
        return d.map(Duration::toNanos).orElseThrow(() -> new IllegalStateException("no CPU time for the monitor process"));
    }

    private static void awaitHealthy(String base, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/health"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException notYet) {
                // starting
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the monitor did not become healthy within " + timeout);
    }

    private static String get(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static double sum(String metrics, String prefix, String contains) {
        return metrics.lines().filter(l -> l.startsWith(prefix) && l.contains(contains))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private static double avg(List<Double> xs) {
        return xs.stream().mapToDouble(Double::doubleValue).average().orElse(0);
    }

    private static double max(List<Double> xs) {
        return xs.stream().mapToDouble(Double::doubleValue).max().orElse(0);
    }
}
