package tapipeline.monitor;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import tapipeline.platform.kafka.DeadLetters;
import tapipeline.platform.kafka.KafkaClients;
import tapipeline.platform.kafka.KeyTail;
import tapipeline.platform.trace.TraceContext;
import tapipeline.platform.trace.TraceInterceptor;

/**
 * The life of one assignment run across every topic, in time order, found by a bounded search
 * (a time range and a record cap, in the background, with progress). A record belongs to the run when:
 * <ol>
 * <li>its key is the runId ({@code assignment.run.*}, {@code audit} subjects; only the partition the
 * key hashes to is read in a topic whose records are all keyed by runId);</li>
 * <li>its payload's {@code runId} (e.g. {@code assignment.approved}) or
 * {@code renderedFrom.approvalRunId} ({@code handbook.rendered}) is the runId;</li>
 * <li>its W3C {@code traceparent} trace id is that of a record already in the run: what a service
 * produced while handling one of the run's events (the publisher's {@code site.links} flip after an
 * approval or a rendered handbook, an audit entry written with it);</li>
 * <li>{@code handbook.artifacts}: its key is the sha256 of a handbook rendered for the run (only that
 * key's partition is read, after the rest);</li>
 * <li>an {@code audit} record whose detail names "run &lt;runId&gt;".</li>
 * </ol>
 * Dead-letter topics are searched too (a dead letter keeps its record's key and trace).
 */
public final class RunTracer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RunTracer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String ARTIFACTS = "handbook.artifacts";
    /** Never read by a trace: accounts (password hashes) and datasets (up to 8 MiB each) are not events of a run. */
    static final java.util.Set<String> NOT_ABOUT_RUNS = java.util.Set.of("coordinator.accounts", "coordinator.datasets");
    /**
     * Not listed record by record: a run's explanations are one record per course (10,000 at 10,000
     * courses), all written just before its completed event, whose summary says where they are.
     */
    static final String EXPLANATIONS = "assignment.run.explanations";

    private final KafkaClients clients;
    private final int maxRecords;
    private final ExecutorService workers = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "monitor-trace");
        t.setDaemon(true);
        return t;
    });
    private final Map<Integer, Search> searches = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private volatile java.util.function.Consumer<List<Event>> onDone = events -> { };

    RunTracer(KafkaClients clients, int maxRecords) {
        this.clients = clients;
        this.maxRecords = maxRecords;
    }

    /** One event of the run. {@code sincePreviousMs}: time since the event before it in the trace. */
    public record Event(String topic, int partition, long offset, long timestamp, String key, String type, String producer,
                 String traceId, String why, long sincePreviousMs, String summary) {
    }

    /** A search, running or done. */
    public static final class Search {
        public final int id;
        public final String runId;
        public final long from;
        public final long to;
        public final int max;
        public final AtomicLong read = new AtomicLong();
        public volatile long toRead;
        public volatile boolean done;
        public volatile boolean capped;
        public volatile String error;
        public volatile long tookMs;
        public volatile List<Event> events = List.of();

        Search(int id, String runId, long from, long to, int max) {
            this.id = id;
            this.runId = runId;
            this.from = from;
            this.to = to;
            this.max = max;
        }
    }

    /** Starts a search for a run's events written between {@code from} and {@code to} (epoch ms), reading at most {@code max} records. */
    Search start(String runId, long from, long to, int max) {
        if (runId == null || runId.isBlank() || runId.length() > 128) {
            throw new IllegalArgumentException("runId: 1 to 128 characters");
        }
        if (to < from) {
            throw new IllegalArgumentException("the time range ends before it starts");
        }
        Search s = new Search(ids.incrementAndGet(), runId.strip(), from, to, Math.max(1, Math.min(max, maxRecords)));
        searches.put(s.id, s);
        workers.execute(() -> run(s));
        return s;
    }

    /** Called with each finished search's events (the metrics' stage durations). */
    void onDone(java.util.function.Consumer<List<Event>> listener) {
        this.onDone = listener;
    }

    Optional<Search> search(int id) {
        return Optional.ofNullable(searches.get(id));
    }

    /** What the search keeps of a record read (never its value: see {@link #candidate}). */
    record Candidate(ConsumerRecord<String, byte[]> record, String traceId, JsonNode payload) {
    }

    private void run(Search s) {
        long start = System.nanoTime();
        try (KafkaConsumer<String, byte[]> c = clients.consumer(MonitorService.READER_GROUP, "monitor-trace",
                Map.of(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000,
                        ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false))) {
            Map<String, List<PartitionInfo>> topics = c.listTopics(Duration.ofSeconds(10));
            List<TopicPartition> plan = new ArrayList<>();
            for (var e : topics.entrySet()) {
                String t = e.getKey();
                if (t.startsWith("__") || t.equals(ARTIFACTS) || NOT_ABOUT_RUNS.contains(t.replace(".dlq", ""))
                        || t.equals(EXPLANATIONS)) {
                    continue;
                }
                int n = e.getValue().size();
                if (keyedByRun(t)) {
                    plan.add(new TopicPartition(t, KeyTail.partitionOf(s.runId, n)));
                } else {
                    e.getValue().forEach(p -> plan.add(new TopicPartition(t, p.partition())));
                }
            }
            List<Candidate> candidates = new ArrayList<>();
            read(c, s, plan, candidates);
            List<Event> events = new ArrayList<>();
            Set<String> traces = new HashSet<>();
            Set<String> shas = new HashSet<>();
            match(s, candidates, events, traces, shas);
            if (!shas.isEmpty() && topics.containsKey(ARTIFACTS) && !s.capped) {
                int n = topics.get(ARTIFACTS).size();
                Set<TopicPartition> parts = new HashSet<>();
                shas.forEach(sha -> parts.add(new TopicPartition(ARTIFACTS, KeyTail.partitionOf(sha, n))));
                List<Candidate> artifacts = new ArrayList<>();
                read(c, s, new ArrayList<>(parts), artifacts);
                artifacts.removeIf(a -> !shas.contains(a.record().key()));
                candidates.addAll(artifacts);
                events.clear();
                traces.clear();
                match(s, candidates, events, traces, shas); // an artifact is written just before its rendered event
            }
            s.events = List.copyOf(events);
            onDone.accept(s.events);
        } catch (RuntimeException e) {
            log.warn("monitor: trace of {} failed", s.runId, e);
            s.error = "the search failed: " + e.getClass().getSimpleName() + " (see the log)";
        } finally {
            s.tookMs = (System.nanoTime() - start) / 1_000_000;
            s.done = true;
        }
    }

    /** Topics whose records are all keyed by runId: the key's partition holds every record of a run. */
    static boolean keyedByRun(String topic) {
        String base = topic.endsWith(".dlq") ? topic.substring(0, topic.length() - 4) : topic;
        return base.startsWith("assignment.run.");
    }

    private void read(KafkaConsumer<String, byte[]> c, Search s, List<TopicPartition> tps, List<Candidate> out) {
        if (tps.isEmpty()) {
            return;
        }
        Map<TopicPartition, Long> times = new HashMap<>();
        tps.forEach(tp -> times.put(tp, s.from));
        Map<TopicPartition, OffsetAndTimestamp> starts = c.offsetsForTimes(times, Duration.ofSeconds(10));
        Map<TopicPartition, Long> ends = c.endOffsets(tps, Duration.ofSeconds(10));
        Map<TopicPartition, Long> remaining = new HashMap<>();
        c.assign(tps);
        for (TopicPartition tp : tps) {
            OffsetAndTimestamp o = starts.get(tp);
            long end = ends.getOrDefault(tp, 0L);
            if (o != null && o.offset() < end) {
                c.seek(tp, o.offset());
                remaining.put(tp, end);
                s.toRead += end - o.offset();
            } else {
                c.pause(List.of(tp));
            }
        }
        long idle = System.currentTimeMillis();
        while (!remaining.isEmpty() && System.currentTimeMillis() - idle < 10_000) {
            var records = c.poll(Duration.ofMillis(300));
            if (!records.isEmpty()) {
                idle = System.currentTimeMillis();
            }
            for (ConsumerRecord<String, byte[]> r : records) {
                TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                if (!remaining.containsKey(tp)) {
                    continue;
                }
                if (r.timestamp() > s.to) {
                    remaining.remove(tp);
                    c.pause(List.of(tp));
                    continue;
                }
                if (s.read.incrementAndGet() > s.max) {
                    s.capped = true;
                    return;
                }
                out.add(candidate(r, s.runId));
            }
            for (TopicPartition tp : new ArrayList<>(remaining.keySet())) {
                if (c.position(tp) >= remaining.get(tp)) {
                    remaining.remove(tp);
                    c.pause(List.of(tp));
                }
            }
        }
        c.pause(c.assignment());
    }

    /**
     * What a search keeps of a record: its position, key, headers and the payload's top-level values,
     * never its value. A run request or result can be tens of MB of JSON: the payload is read as a stream
     * keeping only scalar fields (and those of {@code renderedFrom} and {@code explanations}), and a record
     * of a topic keyed by run whose key is another run's is not parsed at all.
     */
    static Candidate candidate(ConsumerRecord<String, byte[]> r, String runId) {
        String trace = TraceContext.of(r.headers()).map(TraceContext::traceId).orElse(null);
        JsonNode payload = null;
        boolean otherRun = keyedByRun(r.topic()) && r.key() != null && !r.key().equals(runId);
        if (!r.topic().equals(ARTIFACTS) && r.value() != null && !otherRun) {
            try {
                payload = shallowPayload(r.value());
            } catch (Exception notJson) {
                // a poison record in a dead-letter topic: matched by key or trace only
            }
        }
        ConsumerRecord<String, byte[]> kept = new ConsumerRecord<>(r.topic(), r.partition(), r.offset(), r.timestamp(),
                r.timestampType(), r.serializedKeySize(), r.serializedValueSize(), r.key(), null, r.headers(),
                r.leaderEpoch());
        return new Candidate(kept, trace, payload);
    }

    private static final Set<String> NESTED_KEPT = Set.of("renderedFrom", "explanations");

    /** The envelope's payload with only its scalar fields (and one level of a few named objects); null if none. */
    static JsonNode shallowPayload(byte[] value) throws java.io.IOException {
        try (com.fasterxml.jackson.core.JsonParser p = JSON.getFactory().createParser(value)) {
            if (p.nextToken() != com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
                return null;
            }
            while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                String field = p.currentName();
                com.fasterxml.jackson.core.JsonToken t = p.nextToken();
                if (field.equals("payload") && t == com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
                    return scalars(p, true);
                }
                p.skipChildren();
            }
            return null;
        }
    }

    private static com.fasterxml.jackson.databind.node.ObjectNode scalars(com.fasterxml.jackson.core.JsonParser p,
                                                                         boolean top) throws java.io.IOException {
        com.fasterxml.jackson.databind.node.ObjectNode out = JSON.createObjectNode();
        while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
            String field = p.currentName();
            com.fasterxml.jackson.core.JsonToken t = p.nextToken();
            if (t == com.fasterxml.jackson.core.JsonToken.START_OBJECT && top && NESTED_KEPT.contains(field)) {
                out.set(field, scalars(p, false));
            } else if (t.isScalarValue()) {
                out.set(field, JSON.readTree(p));
            } else {
                p.skipChildren();
            }
        }
        return out;
    }

    private static void match(Search s, List<Candidate> candidates, List<Event> events, Set<String> traces,
                              Set<String> shas) {
        candidates.sort(Comparator.comparingLong((Candidate x) -> x.record().timestamp())
                .thenComparing(x -> x.record().topic()).thenComparingLong(x -> x.record().offset()));
        long previous = -1;
        for (Candidate cand : candidates) {
            String why = why(s.runId, cand, traces, shas);
            if (why == null) {
                continue;
            }
            ConsumerRecord<String, byte[]> r = cand.record();
            if (cand.traceId() != null) {
                traces.add(cand.traceId());
            }
            if (cand.payload() != null && r.topic().startsWith("handbook.rendered") && cand.payload().hasNonNull("sha256")) {
                shas.add(cand.payload().get("sha256").asText());
            }
            events.add(new Event(r.topic(), r.partition(), r.offset(), r.timestamp(), r.key(), type(r, cand.payload()),
                    DeadLetters.header(r.headers(), TraceInterceptor.PRODUCER_HEADER), cand.traceId(), why,
                    previous < 0 ? 0 : r.timestamp() - previous, summary(r, cand.payload())));
            previous = r.timestamp();
        }
    }

    private static String why(String runId, Candidate cand, Set<String> traces, Set<String> shas) {
        ConsumerRecord<String, byte[]> r = cand.record();
        JsonNode p = cand.payload();
        if (runId.equals(r.key())) {
            return "key is the runId";
        }
        if (p != null && runId.equals(text(p, "runId"))) {
            return "payload.runId";
        }
        if (p != null && p.has("renderedFrom") && runId.equals(text(p.get("renderedFrom"), "approvalRunId"))) {
            return "payload.renderedFrom.approvalRunId";
        }
        if (r.topic().equals(ARTIFACTS) && shas.contains(r.key())) {
            return "key is the sha256 of a handbook rendered for the run";
        }
        if (cand.traceId() != null && traces.contains(cand.traceId())) {
            return "same W3C trace as an earlier event of the run";
        }
        if (p != null && r.topic().startsWith("audit") && (runId.equals(text(p, "subject"))
                || String.valueOf(text(p, "detail")).contains("run " + runId))) {
            return "audit entry about the run";
        }
        return null;
    }

    private static String type(ConsumerRecord<String, byte[]> r, JsonNode payload) {
        String reason = DeadLetters.header(r.headers(), DeadLetters.REASON);
        return reason != null ? "dead letter: " + reason : r.topic();
    }

    private static String summary(ConsumerRecord<String, byte[]> r, JsonNode p) {
        if (p == null) {
            return r.topic().equals(ARTIFACTS) ? "artifact, " + Math.max(0, r.serializedValueSize()) + " bytes" : "";
        }
        List<String> parts = new ArrayList<>();
        for (String f : List.of("phase", "status", "bestScore", "score", "term", "approvedBy", "programId", "edition",
                "sha256", "linkId", "target", "action", "actor")) {
            String v = text(p, f);
            if (v != null) {
                parts.add(f + "=" + (v.length() > 80 ? v.substring(0, 80) + "..." : v));
            }
        }
        JsonNode ex = p.get("explanations");
        if (ex != null && ex.isObject()) {
            parts.add("explanations=" + text(ex, "courses") + " courses on " + EXPLANATIONS + "-" + text(ex, "partition")
                    + " offsets " + text(ex, "firstOffset") + ".." + text(ex, "lastOffset"));
        }
        return String.join(", ", parts);
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n == null ? null : n.get(field);
        return v == null || v.isNull() || v.isContainerNode() ? null : v.asText();
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }
}
