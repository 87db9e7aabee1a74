package tapipeline.monitor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;

import tapipeline.platform.kafka.KafkaClients;

/**
 * The monitor's engine, without HTTP: the sampler's snapshots, topic details read on demand,
 * "which groups have processed this record", a queue view of a group, dead letters and run traces.
 * {@link MonitorService} serves it; tests and the benchmark use it directly.
 */
public final class Monitor implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    static final int QUEUE_CAP = 50;

    private final KafkaClients clients;
    private final ClusterSampler sampler;
    private final DeadLetters deadLetters;
    private final RunTracer tracer;
    private final ServiceDirectory services;
    private final Map<String, TopicDetails> detailsCache = new ConcurrentHashMap<>();

    Monitor(KafkaClients clients, ClusterSampler sampler, DeadLetters deadLetters, RunTracer tracer,
            ServiceDirectory services) {
        this.clients = clients;
        this.sampler = sampler;
        this.deadLetters = deadLetters;
        this.tracer = tracer;
        this.services = services;
    }

    ClusterSampler sampler() {
        return sampler;
    }

    DeadLetters deadLetters() {
        return deadLetters;
    }

    RunTracer tracer() {
        return tracer;
    }

    ServiceDirectory services() {
        return services;
    }

    Snapshot snapshot() {
        return sampler.latest();
    }

    /** Retention, cleanup policy and size on disk of a topic (read at most once a minute). */
    public record TopicDetails(String topic, Map<String, String> configs, long sizeBytes, long readAt) {
    }

    TopicDetails details(String topic) throws Exception {
        TopicDetails cached = detailsCache.get(topic);
        if (cached != null && System.currentTimeMillis() - cached.readAt() < 60_000) {
            return cached;
        }
        var admin = sampler.admin();
        ConfigResource res = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Config cfg = admin.describeConfigs(List.of(res)).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(res);
        Map<String, String> configs = new java.util.TreeMap<>();
        for (String k : List.of("cleanup.policy", "retention.ms", "retention.bytes", "max.message.bytes",
                "min.insync.replicas", "segment.bytes")) {
            ConfigEntry e = cfg.get(k);
            if (e != null) {
                configs.put(k, e.value());
            }
        }
        List<Integer> brokers = admin.describeCluster().nodes().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .stream().map(n -> n.id()).toList();
        long size = 0;
        Map<Integer, Map<String, LogDirDescription>> dirs = admin.describeLogDirs(brokers).allDescriptions()
                .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        for (Map<String, LogDirDescription> byDir : dirs.values()) {
            for (LogDirDescription d : byDir.values()) {
                for (Map.Entry<TopicPartition, ReplicaInfo> r : d.replicaInfos().entrySet()) {
                    if (r.getKey().topic().equals(topic)) {
                        size += r.getValue().size();
                    }
                }
            }
        }
        TopicDetails t = new TopicDetails(topic, configs, size, System.currentTimeMillis());
        detailsCache.put(topic, t);
        return t;
    }

    /** Whether one consumer group has processed a record. */
    public record Processed(String group, boolean processed, long committed, String detail) {
    }

    /**
     * Which groups have processed the record at topic/partition/offset (their committed offset is
     * beyond it) and which have not yet, from the last poll: every group with a commit on the
     * partition or a member assigned to the topic.
     */
    List<Processed> processedBy(String topic, int partition, long offset) {
        Snapshot s = snapshot();
        Snapshot.TopicView t = s.topics().get(topic);
        if (t == null) {
            throw new IllegalArgumentException("no topic " + topic + " (as of the last poll)");
        }
        Snapshot.PartitionView p = t.partitions().stream().filter(x -> x.partition() == partition).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(topic + " has no partition " + partition));
        if (offset < 0 || offset >= p.endOffset()) {
            throw new IllegalArgumentException("offset " + offset + " is outside " + topic + "-" + partition
                    + " (0 to " + (p.endOffset() - 1) + ")");
        }
        List<Processed> out = new ArrayList<>();
        for (Snapshot.GroupView g : s.groups().values()) {
            Optional<Snapshot.GroupPartition> gp = g.partitions().stream()
                    .filter(x -> x.topic().equals(topic) && x.partition() == partition).findFirst();
            boolean subscribed = g.members().stream().anyMatch(m -> m.assignment().stream()
                    .anyMatch(a -> a.startsWith(topic + "-")));
            if (gp.isEmpty() && !subscribed) {
                continue;
            }
            long committed = gp.map(Snapshot.GroupPartition::committed).orElse(-1L);
            boolean done = committed > offset;
            String detail = committed < 0 ? "nothing committed on this partition yet"
                    : done ? "committed offset " + committed + " is past it"
                    : (committed == offset ? "it is the next record the group reads (committed offset " + committed + ")"
                    : (offset - committed) + " record(s) before it still to read (committed offset " + committed + ")");
            out.add(new Processed(g.groupId(), done, committed, detail));
        }
        out.sort(Comparator.comparing(Processed::group));
        return out;
    }

    /** A group as a queue, per partition: the record in hand (at the committed offset, if a member owns it) and the ones waiting. */
    public record QueuePartition(int partition, String owner, String inHand, long inHandOffset, List<String> waiting,
                          long waitingTotal) {
    }

    List<QueuePartition> queue(String group, String topic) {
        Snapshot.GroupView g = snapshot().groups().get(group);
        if (g == null) {
            throw new IllegalArgumentException("no consumer group " + group + " (as of the last poll)");
        }
        List<QueuePartition> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = clients.consumer(MonitorService.READER_GROUP, "monitor-queue",
                Map.of(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, QUEUE_CAP + 1,
                        ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 1024 * 1024,
                        ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false))) {
            for (Snapshot.GroupPartition gp : g.partitions()) {
                if (!gp.topic().equals(topic)) {
                    continue;
                }
                List<String> keys = new ArrayList<>();
                long from = Math.max(gp.committed(), gp.startOffset());
                if (gp.lag() > 0) {
                    TopicPartition tp = new TopicPartition(topic, gp.partition());
                    c.assign(List.of(tp));
                    c.seek(tp, from);
                    long deadline = System.currentTimeMillis() + 3000;
                    while (keys.size() <= QUEUE_CAP && System.currentTimeMillis() < deadline
                            && c.position(tp) < gp.endOffset()) {
                        for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                            if (r.offset() < gp.endOffset() && keys.size() <= QUEUE_CAP) {
                                keys.add(r.key() + " @" + r.offset());
                            }
                        }
                    }
                }
                String inHand = null;
                if (gp.member() != null && !keys.isEmpty()) {
                    inHand = keys.remove(0);
                }
                out.add(new QueuePartition(gp.partition(), gp.member(), inHand, from, List.copyOf(keys),
                        Math.max(0, gp.lag() - (inHand == null ? 0 : 1))));
            }
        }
        return out;
    }

    /** Dead-letter topics with their record counts, from the last poll. */
    Map<String, Long> deadLetterTopics() {
        Map<String, Long> out = new java.util.TreeMap<>();
        snapshot().topics().values().stream().filter(Snapshot.TopicView::deadLetters)
                .forEach(t -> out.put(t.name(), t.records()));
        return out;
    }

    @Override
    public void close() {
        tracer.close();
        deadLetters.close();
        sampler.close();
    }

    static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    static <K, V> Map<K, V> hashMap() {
        return new HashMap<>();
    }
}
