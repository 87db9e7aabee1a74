package tapipeline.monitor;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import tapipeline.platform.kafka.Events;
import tapipeline.platform.kafka.KafkaClients;
import tapipeline.platform.kafka.Topics;
import tapipeline.platform.trace.TraceContext;
import tapipeline.schemas.EventTypes;
import tapipeline.schemas.audit.AuditEntry;

import static tapipeline.platform.kafka.DeadLetters.ATTEMPTS;
import static tapipeline.platform.kafka.DeadLetters.CONSUMER_GROUP;
import static tapipeline.platform.kafka.DeadLetters.ERROR_CLASS;
import static tapipeline.platform.kafka.DeadLetters.ERROR_MESSAGE;
import static tapipeline.platform.kafka.DeadLetters.FAILED_AT;
import static tapipeline.platform.kafka.DeadLetters.ORIGINAL_OFFSET;
import static tapipeline.platform.kafka.DeadLetters.ORIGINAL_PARTITION;
import static tapipeline.platform.kafka.DeadLetters.ORIGINAL_TOPIC;
import static tapipeline.platform.kafka.DeadLetters.REASON;
import static tapipeline.platform.kafka.DeadLetters.REPLAY;
import static tapipeline.platform.kafka.DeadLetters.REPLAY_FAILED;
import static tapipeline.platform.kafka.DeadLetters.header;

/**
 * The dead-letter topics ({@code <topic>.dlq}): opening one scans it in the background (at most
 * {@code maxScan} records, headers only kept, with progress), grouping its records by
 * {@code dlq.reason} and error class; the details of the first {@value #DETAILS_PER_GROUP} records
 * of each group are kept for paging, the positions of all of them for a whole-group redrive. A
 * payload is read on demand, pretty-printed and capped at {@value #PAYLOAD_CAP} characters.
 *
 * <p>A redrive sends the record (key, value, its own headers without the {@code dlq.*} ones) to
 * its source topic with a {@code tapipeline.replay} header naming the dead letter, at most
 * {@code perSecond} records a second, and writes one {@code audit} record per dead letter
 * ({@link DeadLetterState}); a dead letter already redriven or resolved, or one that is itself a
 * failed redrive ({@code dlq.replay.failed}), is not redriven again.
 */
public final class DeadLetters implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);
    static final int DETAILS_PER_GROUP = 500;
    static final int PAYLOAD_CAP = 64 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final KafkaClients clients;
    private final Producer<String, byte[]> producer;
    private final DeadLetterState state;
    private final int maxScan;
    private final double perSecond;
    private final ExecutorService workers = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "monitor-dlq");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Scan> scans = new ConcurrentHashMap<>();
    private final Map<Integer, Redrive> redrives = new ConcurrentHashMap<>();
    private final AtomicInteger jobIds = new AtomicInteger();

    DeadLetters(KafkaClients clients, Producer<String, byte[]> producer, DeadLetterState state, int maxScan,
                double perSecond) {
        this.clients = clients;
        this.producer = producer;
        this.state = state;
        this.maxScan = maxScan;
        this.perSecond = perSecond;
    }

    /** One dead letter's header fields (no payload). */
    public record Entry(String topic, int partition, long offset, String key, String reason, String errorClass,
                 String message, String attempts, String originalTopic, String originalPartition,
                 String originalOffset, String consumerGroup, String failedAt, int size, String replayFailed,
                 String traceparent, Map<String, String> otherHeaders) {
        public String position() {
            return DeadLetterState.position(topic, partition, offset);
        }
    }

    /** Records of one (reason, error class). */
    public static final class Group {
        public final String reason;
        public final String errorClass;
        public long count;
        public long bytes;
        public String firstFailedAt;
        public String lastFailedAt;
        public final List<Entry> details = new ArrayList<>();
        public final List<long[]> positions = new ArrayList<>(); // {partition, offset}

        Group(String reason, String errorClass) {
            this.reason = reason;
            this.errorClass = errorClass;
        }

        public String id() {
            return reason + "|" + errorClass;
        }
    }

    /** A scan of one dead-letter topic, running or done. */
    public static final class Scan {
        public final String topic;
        public final long startedAt = System.currentTimeMillis();
        public final long total;
        public final AtomicLong read = new AtomicLong();
        public volatile boolean done;
        public volatile boolean capped;
        public volatile long tookMs;
        public volatile String error;
        public final Map<String, Group> groups = new ConcurrentHashMap<>();

        Scan(String topic, long total) {
            this.topic = topic;
            this.total = total;
        }

        public List<Group> groupsBySize() {
            List<Group> g = new ArrayList<>(groups.values());
            g.sort(Comparator.comparingLong((Group x) -> -x.count).thenComparing(Group::id));
            return g;
        }

        Optional<Group> group(String reason, String errorClass) {
            return Optional.ofNullable(groups.get(reason + "|" + errorClass));
        }
    }

    /** A redrive in progress or done. */
    public static final class Redrive {
        public final int id;
        public final String topic;
        public final int requested;
        public final AtomicInteger sent = new AtomicInteger();
        public final List<String> refused = java.util.Collections.synchronizedList(new ArrayList<>());
        public volatile boolean done;

        Redrive(int id, String topic, int requested) {
            this.id = id;
            this.topic = topic;
            this.requested = requested;
        }
    }

    /**
     * Starts scanning a dead-letter topic (or returns the scan already running or done; {@code fresh}
     * starts a new one after a finished one).
     */
    Scan open(String topic, boolean fresh) {
        requireDeadLetterTopic(topic);
        Scan existing = scans.get(topic);
        if (existing != null && (!existing.done || !fresh)) {
            return existing;
        }
        Scan scan;
        try (KafkaConsumer<String, byte[]> c = reader("monitor-dlq-size", Map.of())) {
            List<TopicPartition> tps = partitions(c, topic);
            Map<TopicPartition, Long> begin = c.beginningOffsets(tps);
            Map<TopicPartition, Long> end = c.endOffsets(tps);
            long total = tps.stream().mapToLong(tp -> end.get(tp) - begin.get(tp)).sum();
            scan = new Scan(topic, Math.min(total, maxScan));
            scans.put(topic, scan);
            Scan s = scan;
            workers.execute(() -> runScan(s, end));
        }
        return scan;
    }

    Optional<Scan> scan(String topic) {
        return Optional.ofNullable(scans.get(topic));
    }

    private void runScan(Scan scan, Map<TopicPartition, Long> end) {
        long start = System.nanoTime();
        Map<String, Object> overrides = Map.of(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        try (KafkaConsumer<String, byte[]> c = reader("monitor-dlq-scan", overrides)) {
            List<TopicPartition> tps = new ArrayList<>(end.keySet());
            c.assign(tps);
            c.seekToBeginning(tps);
            Map<TopicPartition, Long> remaining = new HashMap<>(end);
            remaining.entrySet().removeIf(e -> c.position(e.getKey()) >= e.getValue());
            long idle = System.currentTimeMillis();
            while (!remaining.isEmpty() && scan.read.get() < maxScan && System.currentTimeMillis() - idle < 30_000) {
                var records = c.poll(Duration.ofMillis(500));
                if (!records.isEmpty()) {
                    idle = System.currentTimeMillis();
                }
                for (ConsumerRecord<String, byte[]> r : records) {
                    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                    Long stop = remaining.get(tp);
                    if (stop == null || r.offset() >= stop) {
                        continue;
                    }
                    if (scan.read.get() >= maxScan) {
                        scan.capped = true;
                        break;
                    }
                    add(scan, r);
                    scan.read.incrementAndGet();
                }
                for (TopicPartition tp : new ArrayList<>(remaining.keySet())) {
                    if (c.position(tp) >= remaining.get(tp)) {
                        remaining.remove(tp);
                        c.pause(List.of(tp));
                    }
                }
            }
            if (!remaining.isEmpty()) {
                scan.capped = true;
            }
        } catch (RuntimeException e) {
            log.warn("monitor: scanning {} failed", scan.topic, e);
            scan.error = "the scan failed: " + e.getClass().getSimpleName() + " (see the log)";
        } finally {
            scan.tookMs = (System.nanoTime() - start) / 1_000_000;
            scan.done = true;
        }
    }

    private static void add(Scan scan, ConsumerRecord<String, byte[]> r) {
        Entry e = entry(r);
        Group g = scan.groups.computeIfAbsent(e.reason() + "|" + e.errorClass(), k -> new Group(e.reason(), e.errorClass()));
        synchronized (g) {
            g.count++;
            g.bytes += e.size();
            if (g.firstFailedAt == null || (e.failedAt() != null && e.failedAt().compareTo(g.firstFailedAt) < 0)) {
                g.firstFailedAt = e.failedAt();
            }
            if (g.lastFailedAt == null || (e.failedAt() != null && e.failedAt().compareTo(g.lastFailedAt) > 0)) {
                g.lastFailedAt = e.failedAt();
            }
            if (g.details.size() < DETAILS_PER_GROUP) {
                g.details.add(e);
            }
            g.positions.add(new long[] {r.partition(), r.offset()});
        }
    }

    static Entry entry(ConsumerRecord<String, byte[]> r) {
        Headers h = r.headers();
        Map<String, String> others = new LinkedHashMap<>();
        for (Header x : h) {
            if (!x.key().startsWith("dlq.") && !x.key().equals(TraceContext.HEADER)) {
                others.put(x.key(), x.value() == null ? "" : truncate(new String(x.value(), StandardCharsets.UTF_8), 200));
            }
        }
        String message = header(h, ERROR_MESSAGE);
        return new Entry(r.topic(), r.partition(), r.offset(), r.key(), orUnknown(header(h, REASON)),
                orUnknown(header(h, ERROR_CLASS)), message == null ? "" : truncate(message, 300),
                header(h, ATTEMPTS), header(h, ORIGINAL_TOPIC), header(h, ORIGINAL_PARTITION),
                header(h, ORIGINAL_OFFSET), header(h, CONSUMER_GROUP), header(h, FAILED_AT),
                r.value() == null ? 0 : r.value().length, header(h, REPLAY_FAILED), header(h, TraceContext.HEADER),
                others);
    }

    /** One dead letter with its payload, pretty-printed when it is JSON, capped at {@link #PAYLOAD_CAP} characters. */
    public record Payload(Entry entry, String text, boolean json, boolean truncated) {
    }

    Optional<Payload> payload(String topic, int partition, long offset) {
        requireDeadLetterTopic(topic);
        return read(topic, partition, offset).map(r -> {
            String text;
            boolean json = false;
            byte[] v = r.value() == null ? new byte[0] : r.value();
            try {
                JsonNode node = JSON.readTree(v);
                text = JSON.writeValueAsString(node);
                json = true;
            } catch (Exception notJson) {
                text = new String(v, StandardCharsets.UTF_8);
            }
            boolean truncated = text.length() > PAYLOAD_CAP;
            return new Payload(entry(r), truncated ? text.substring(0, PAYLOAD_CAP) : text, json, truncated);
        });
    }

    /** Redrives some dead letters (positions: partition, offset) of one topic, in the background. */
    Redrive redrive(String topic, List<long[]> positions, String actor) {
        requireDeadLetterTopic(topic);
        Redrive job = new Redrive(jobIds.incrementAndGet(), topic, positions.size());
        redrives.put(job.id, job);
        workers.execute(() -> runRedrive(job, positions, actor));
        return job;
    }

    /** Every dead letter of a (reason, error class) group of the last scan. */
    List<long[]> groupPositions(String topic, String reason, String errorClass) {
        Scan scan = scans.get(topic);
        if (scan == null || !scan.done) {
            throw new IllegalArgumentException("open " + topic + " and let its scan finish before acting on a whole group");
        }
        Group g = scan.group(reason, errorClass).orElseThrow(() -> new IllegalArgumentException(
                "no group with reason " + reason + " and error class " + errorClass + " in " + topic));
        synchronized (g) {
            return new ArrayList<>(g.positions);
        }
    }

    Optional<Redrive> redriveJob(int id) {
        return Optional.ofNullable(redrives.get(id));
    }

    private void runRedrive(Redrive job, List<long[]> positions, String actor) {
        long intervalNanos = (long) (1_000_000_000L / perSecond);
        long next = System.nanoTime();
        try {
            for (long[] p : positions) {
                String pos = DeadLetterState.position(job.topic, (int) p[0], p[1]);
                Optional<DeadLetterState.Mark> mark = state.mark(pos);
                if (mark.isPresent()) {
                    job.refused.add(pos + ": already " + mark.get().label() + " by " + mark.get().actor() + " at "
                            + mark.get().at());
                    continue;
                }
                Optional<ConsumerRecord<String, byte[]>> found = read(job.topic, (int) p[0], p[1]);
                if (found.isEmpty()) {
                    job.refused.add(pos + ": no such record (deleted by retention, or a wrong offset)");
                    continue;
                }
                ConsumerRecord<String, byte[]> r = found.get();
                String failedRedrive = header(r.headers(), REPLAY_FAILED);
                if (failedRedrive != null) {
                    job.refused.add(pos + ": it failed again after the redrive of " + failedRedrive
                            + "; fix it at the source, or mark it resolved");
                    continue;
                }
                String source = header(r.headers(), ORIGINAL_TOPIC);
                if (source == null || source.isBlank()) {
                    job.refused.add(pos + ": it has no " + ORIGINAL_TOPIC + " header, so its source is unknown");
                    continue;
                }
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                next = Math.max(next, System.nanoTime()) + intervalNanos;
                Headers headers = new RecordHeaders();
                for (Header h : r.headers()) {
                    if (!h.key().startsWith("dlq.") && !h.key().equals(REPLAY)) {
                        headers.add(h);
                    }
                }
                headers.add(REPLAY, pos.getBytes(StandardCharsets.UTF_8));
                producer.send(new ProducerRecord<>(source, null, r.key(), r.value(), headers)).get(30, TimeUnit.SECONDS);
                AuditEntry audit = new AuditEntry(pos, actor, DeadLetterState.REDRIVE, "redriven to " + source
                        + " (was " + header(r.headers(), REASON) + " at " + source + "/"
                        + header(r.headers(), ORIGINAL_PARTITION) + "/" + header(r.headers(), ORIGINAL_OFFSET) + ")",
                        Instant.now());
                Events.send(producer, EventTypes.AUDIT, audit.subject(), audit).get(30, TimeUnit.SECONDS);
                state.apply(audit);
                job.sent.incrementAndGet();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.warn("monitor: redrive {} of {} stopped", job.id, job.topic, e);
            job.refused.add("the redrive stopped: " + e.getClass().getSimpleName() + " (see the log)");
        } finally {
            job.done = true;
        }
    }

    /** Marks dead letters resolved (an audit record each); returns the ones refused and why. */
    List<String> resolve(String topic, List<long[]> positions, String actor) throws Exception {
        requireDeadLetterTopic(topic);
        List<String> refused = new ArrayList<>();
        for (long[] p : positions) {
            String pos = DeadLetterState.position(topic, (int) p[0], p[1]);
            Optional<DeadLetterState.Mark> mark = state.mark(pos);
            if (mark.isPresent()) {
                refused.add(pos + ": already " + mark.get().label());
                continue;
            }
            AuditEntry audit = new AuditEntry(pos, actor, DeadLetterState.RESOLVE, "marked resolved", Instant.now());
            Events.send(producer, EventTypes.AUDIT, audit.subject(), audit).get(30, TimeUnit.SECONDS);
            state.apply(audit);
        }
        return refused;
    }

    DeadLetterState state() {
        return state;
    }

    Optional<DeadLetterState.Mark> mark(Entry e) {
        return state.mark(e.position());
    }

    private Optional<ConsumerRecord<String, byte[]>> read(String topic, int partition, long offset) {
        try (KafkaConsumer<String, byte[]> c = reader("monitor-dlq-read", Map.of(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1))) {
            TopicPartition tp = new TopicPartition(topic, partition);
            if (partitions(c, topic).stream().noneMatch(tp::equals)) {
                return Optional.empty();
            }
            long end = c.endOffsets(List.of(tp)).get(tp);
            if (offset < 0 || offset >= end) {
                return Optional.empty();
            }
            c.assign(List.of(tp));
            c.seek(tp, offset);
            long deadline = System.currentTimeMillis() + 5000;
            while (System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    if (r.offset() == offset) {
                        return Optional.of(r);
                    }
                    if (r.offset() > offset) {
                        return Optional.empty();
                    }
                }
                if (c.position(tp) > offset) {
                    return Optional.empty();
                }
            }
            return Optional.empty();
        }
    }

    private KafkaConsumer<String, byte[]> reader(String clientId, Map<String, Object> overrides) {
        // a label only: readers use assign() and never commit; looking at a topic never creates it
        Map<String, Object> all = new HashMap<>(overrides);
        all.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        return clients.consumer(MonitorService.READER_GROUP, clientId, all);
    }

    private static List<TopicPartition> partitions(KafkaConsumer<String, byte[]> c, String topic) {
        List<PartitionInfo> infos = c.partitionsFor(topic, Duration.ofSeconds(10));
        if (infos == null || infos.isEmpty()) {
            throw new IllegalArgumentException("no topic " + topic);
        }
        return infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
    }

    static void requireDeadLetterTopic(String topic) {
        if (topic == null || !topic.endsWith(Topics.deadLetterTopicOf("")) || topic.length() > 249
                || !topic.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("not a dead-letter topic: expected <topic>.dlq (letters, digits, . _ -)");
        }
    }

    private static String orUnknown(String s) {
        return s == null || s.isBlank() ? "(none)" : s;
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "...";
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }
}
