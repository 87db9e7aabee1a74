package tapipeline.monitor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import tapipeline.platform.kafka.KafkaClients;

/**
 * Polls the cluster through the Admin API every few seconds and keeps what the monitor shows:
 * topics (partitions, leaders, log start and end offsets), consumer groups (members, assignments,
 * committed offsets), lag in records and in seconds per partition, and a status per partition and
 * group ({@link LagStatus}). It keeps its own history in memory ({@link Ring}s of end offsets and of
 * committed offsets, {@code historySamples} long), which the rate charts, lag charts, status windows
 * and interpolation read.
 *
 * <p>Lag in seconds is {@code now - timestamp} of the record at the committed offset, read with a
 * dedicated consumer (no group, assign + seek, one record); a timestamp once read is cached, so a
 * partition that does not move costs no read. At most {@code readsPerPoll} records are read per poll;
 * beyond that the time is interpolated from the samples of the partition's end offset (when it passed
 * the committed offset), and when the committed offset is older than the history it is "at least"
 * the history's age. Each partition says which ({@link Snapshot.LagMethod}). Lag made only of
 * transaction markers (an exactly-once producer's commit markers take offsets) reads as 0.
 */
final class ClusterSampler implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ClusterSampler.class);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(10);
    private static final int TIMESTAMP_CACHE = 50_000;

    private final Admin admin;
    private final KafkaConsumer<String, byte[]> reader;
    private final int windowSamples;
    private final int historySamples;
    private final int readsPerPoll;
    private final AtomicReference<Snapshot> latest = new AtomicReference<>(Snapshot.empty());
    /** per partition: (time, log start, end offset) */
    private final Map<TopicPartition, Ring> ends = new ConcurrentHashMap<>();
    /** per group and partition: (time, committed, effective end offset) */
    private final Map<String, Map<TopicPartition, Ring>> commits = new ConcurrentHashMap<>();
    /** per topic: (time, sum of end offsets, 0) */
    private final Map<String, Ring> topicTotals = new ConcurrentHashMap<>();
    /** timestamp of the first record at or after an offset, or -1 when only markers lie before the end */
    private final Map<String, Long> timestamps = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(1024, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
                    return size() > TIMESTAMP_CACHE;
                }
            });

    ClusterSampler(KafkaClients clients, int windowSamples, int historySamples, int readsPerPoll) {
        this.admin = clients.admin();
        Map<String, Object> overrides = new HashMap<>();
        overrides.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
        overrides.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 1024 * 1024);
        overrides.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 1024 * 1024);
        overrides.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        // a label only: the reader uses assign() and never commits, so it is no group member
        this.reader = clients.consumer(MonitorService.READER_GROUP, "monitor-lag-reader", overrides);
        this.windowSamples = windowSamples;
        this.historySamples = historySamples;
        this.readsPerPoll = readsPerPoll;
    }

    Admin admin() {
        return admin;
    }

    Snapshot latest() {
        return latest.get();
    }

    int windowSamples() {
        return windowSamples;
    }

    /** Records in per second of a topic over its history: (time, rate) pairs. */
    List<double[]> rateHistory(String topic) {
        Ring r = topicTotals.get(topic);
        List<double[]> out = new ArrayList<>();
        if (r == null) {
            return out;
        }
        List<Ring.Sample> s = r.all();
        for (int i = 1; i < s.size(); i++) {
            double dt = (s.get(i).time() - s.get(i - 1).time()) / 1000.0;
            out.add(new double[] {s.get(i).time(), dt <= 0 ? 0 : Math.max(0, s.get(i).a() - s.get(i - 1).a()) / dt});
        }
        return out;
    }

    /** A group's total lag over the history: (time, lag) pairs. */
    List<long[]> lagHistory(String group) {
        Map<TopicPartition, Ring> rings = commits.get(group);
        TreeMap<Long, Long> byTime = new TreeMap<>();
        if (rings != null) {
            for (Ring r : rings.values()) {
                for (Ring.Sample s : r.all()) {
                    byTime.merge(s.time(), Math.max(0, s.b() - s.a()), Long::sum);
                }
            }
        }
        List<long[]> out = new ArrayList<>();
        byTime.forEach((t, l) -> out.add(new long[] {t, l}));
        return out;
    }

    /** One poll of the cluster; the result becomes {@link #latest()}. Called by one thread at a time. */
    synchronized Snapshot sample() {
        long start = System.nanoTime();
        long now = System.currentTimeMillis();
        try {
            Snapshot s = poll(now);
            s = new Snapshot(s.takenAt(), (System.nanoTime() - start) / 1_000_000, s.topics(), s.groups(), null);
            latest.set(s);
            return s;
        } catch (Exception e) {
            log.warn("monitor: polling the cluster failed: {}", e.toString());
            Snapshot prev = latest.get();
            Snapshot s = new Snapshot(prev.takenAt(), prev.tookMs(), prev.topics(), prev.groups(),
                    "the last poll failed: " + e.getClass().getSimpleName() + " (see the log)");
            latest.set(s);
            return s;
        }
    }

    private Snapshot poll(long now) throws Exception {
        Set<String> names = admin.listTopics().names().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        Map<String, TopicDescription> described = names.isEmpty() ? Map.of()
                : admin.describeTopics(names).allTopicNames().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        List<TopicPartition> all = new ArrayList<>();
        described.values().forEach(d -> d.partitions().forEach(p -> all.add(new TopicPartition(d.name(), p.partition()))));
        Map<TopicPartition, Long> endOffsets = offsets(all, OffsetSpec.latest());
        Map<TopicPartition, Long> startOffsets = offsets(all, OffsetSpec.earliest());

        Map<String, Snapshot.TopicView> topics = new TreeMap<>();
        for (TopicDescription d : described.values()) {
            List<Snapshot.PartitionView> parts = new ArrayList<>();
            long total = 0;
            for (TopicPartitionInfo p : d.partitions()) {
                TopicPartition tp = new TopicPartition(d.name(), p.partition());
                long end = endOffsets.getOrDefault(tp, 0L);
                long begin = startOffsets.getOrDefault(tp, 0L);
                total += end;
                ends.computeIfAbsent(tp, k -> new Ring(historySamples)).add(now, begin, end);
                parts.add(new Snapshot.PartitionView(p.partition(), p.leader() == null ? -1 : p.leader().id(),
                        p.replicas().stream().map(n -> n.id()).toList(), p.isr().stream().map(n -> n.id()).toList(),
                        begin, end));
            }
            parts.sort(Comparator.comparingInt(Snapshot.PartitionView::partition));
            Ring totals = topicTotals.computeIfAbsent(d.name(), k -> new Ring(historySamples));
            totals.add(now, total, 0);
            topics.put(d.name(), new Snapshot.TopicView(d.name(), List.copyOf(parts), recentRate(totals)));
        }
        ends.keySet().removeIf(tp -> !described.containsKey(tp.topic()));
        topicTotals.keySet().removeIf(t -> !described.containsKey(t));

        Collection<GroupListing> listings = admin.listGroups(ListGroupsOptions.forConsumerGroups()).all()
                .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        List<String> groupIds = listings.stream().map(GroupListing::groupId).sorted().toList();
        Map<String, ConsumerGroupDescription> descriptions = groupIds.isEmpty() ? Map.of()
                : admin.describeConsumerGroups(groupIds).all().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        Map<String, ListConsumerGroupOffsetsSpec> specs = new HashMap<>();
        groupIds.forEach(g -> specs.put(g, new ListConsumerGroupOffsetsSpec()));
        var offsetsResult = groupIds.isEmpty() ? null : admin.listConsumerGroupOffsets(specs);
        int[] readBudget = {readsPerPoll};
        Map<String, Snapshot.GroupView> groups = new TreeMap<>();
        for (String g : groupIds) {
            Map<TopicPartition, OffsetAndMetadata> committed = offsetsResult.partitionsToOffsetAndMetadata(g)
                    .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            groups.put(g, group(g, descriptions.get(g), committed, endOffsets, startOffsets, now, readBudget));
        }
        commits.keySet().removeIf(g -> !groups.containsKey(g));
        return new Snapshot(now, 0, Map.copyOf(topics), Map.copyOf(groups), null);
    }

    private Snapshot.GroupView group(String groupId, ConsumerGroupDescription d,
                                     Map<TopicPartition, OffsetAndMetadata> committed,
                                     Map<TopicPartition, Long> endOffsets, Map<TopicPartition, Long> startOffsets,
                                     long now, int[] readBudget) {
        List<Snapshot.Member> members = new ArrayList<>();
        Map<TopicPartition, String> owner = new HashMap<>();
        if (d != null) {
            for (MemberDescription m : d.members()) {
                List<String> assigned = m.assignment().topicPartitions().stream()
                        .sorted(Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition))
                        .map(TopicPartition::toString).toList();
                m.assignment().topicPartitions().forEach(tp -> owner.put(tp, m.clientId()));
                members.add(new Snapshot.Member(m.consumerId(), m.clientId(), m.host(), assigned));
            }
        }
        Map<TopicPartition, Long> positions = new HashMap<>();
        committed.forEach((tp, om) -> {
            if (om != null) {
                positions.put(tp, om.offset());
            }
        });
        owner.keySet().forEach(tp -> positions.putIfAbsent(tp, -1L)); // assigned, nothing committed yet
        Map<TopicPartition, Ring> rings = commits.computeIfAbsent(groupId, k -> new ConcurrentHashMap<>());
        List<Snapshot.GroupPartition> parts = new ArrayList<>();
        long totalLag = 0;
        double maxSeconds = 0;
        LagStatus worst = LagStatus.OK;
        String worstReason = "every partition OK";
        boolean dataLoss = false;
        List<TopicPartition> sorted = new ArrayList<>(positions.keySet());
        sorted.sort(Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition));
        for (TopicPartition tp : sorted) {
            Long end = endOffsets.get(tp);
            if (end == null) {
                continue; // topic deleted
            }
            long logStart = startOffsets.getOrDefault(tp, 0L);
            long pos = positions.get(tp);
            long from = pos < 0 ? logStart : pos; // no commit: a new member starts at the earliest (auto.offset.reset)
            boolean loss = pos >= 0 && pos < logStart;
            long lag = Math.max(0, end - Math.max(from, logStart));
            Snapshot.LagMethod method = Snapshot.LagMethod.NONE;
            double seconds = 0;
            if (lag > 0) {
                long readFrom = Math.max(from, logStart);
                Long ts = timestampAt(tp, readFrom, end, readBudget);
                if (ts != null && ts < 0) {
                    lag = 0; // only transaction markers between the committed offset and the end
                } else if (ts != null) {
                    method = Snapshot.LagMethod.READ;
                    seconds = Math.max(0, (now - ts) / 1000.0);
                } else {
                    long[] interpolated = interpolate(tp, readFrom);
                    seconds = Math.max(0, (now - interpolated[0]) / 1000.0);
                    method = interpolated[1] == 1 ? Snapshot.LagMethod.INTERPOLATED : Snapshot.LagMethod.AT_LEAST;
                }
            }
            Ring ring = rings.computeIfAbsent(tp, k -> new Ring(historySamples));
            ring.add(now, from, from + lag);
            List<Ring.Sample> window = ring.last(windowSamples);
            LagStatus.Judgement j = LagStatus.judge(window, window.size() >= windowSamples, owner.containsKey(tp));
            String reason = j.reason();
            if (loss) {
                reason = "DATA LOSS: committed offset " + pos + " is below the log start " + logStart
                        + " (records were deleted before this group read them); " + reason;
            }
            parts.add(new Snapshot.GroupPartition(tp.topic(), tp.partition(), pos, end, logStart, lag, seconds, method,
                    owner.get(tp), j.status(), reason, loss, catchUp(window, lag)));
            totalLag += lag;
            maxSeconds = Math.max(maxSeconds, seconds);
            if (j.status() != LagStatus.OK && j.status().worse(worst) == j.status() && j.status() != worst) {
                worstReason = tp + ": " + j.reason();
            }
            worst = worst.worse(j.status());
            dataLoss |= loss;
        }
        rings.keySet().removeIf(tp -> !positions.containsKey(tp));
        if (worst == LagStatus.OK) {
            worstReason = totalLag == 0 ? "nothing waiting" : "consuming; lag " + totalLag;
        }
        return new Snapshot.GroupView(groupId, d == null ? "UNKNOWN" : String.valueOf(d.groupState()),
                List.copyOf(members), List.copyOf(parts), totalLag, maxSeconds, worst, worstReason, dataLoss);
    }

    /**
     * Seconds until the lag is gone at the window's rates (consumed minus produced per second), or null
     * when it is not going down (or nothing waits: 0).
     */
    private static Double catchUp(List<Ring.Sample> window, long lag) {
        if (lag == 0) {
            return 0.0;
        }
        if (window.size() < 2) {
            return null;
        }
        Ring.Sample first = window.get(0);
        Ring.Sample last = window.get(window.size() - 1);
        double dt = (last.time() - first.time()) / 1000.0;
        if (dt <= 0) {
            return null;
        }
        double consumed = (last.a() - first.a()) / dt;
        double produced = (last.b() - first.b()) / dt;
        double net = consumed - produced;
        return net <= 0 ? null : lag / net;
    }

    private static double recentRate(Ring totals) {
        List<Ring.Sample> s = totals.last(2);
        if (s.size() < 2) {
            return 0;
        }
        double dt = (s.get(1).time() - s.get(0).time()) / 1000.0;
        return dt <= 0 ? 0 : Math.max(0, s.get(1).a() - s.get(0).a()) / dt;
    }

    /**
     * The time the record at {@code offset} was appended, from the monitor's samples of the end
     * offset: between the last sample whose end was at or below the offset and the first above it.
     * Returns {time, 1} when interpolated, {oldest sample time, 0} when the offset is older than the history.
     */
    private long[] interpolate(TopicPartition tp, long offset) {
        Ring r = ends.get(tp);
        List<Ring.Sample> s = r == null ? List.of() : r.all();
        for (int i = 0; i < s.size(); i++) {
            if (s.get(i).b() > offset) {
                if (i == 0) {
                    return new long[] {s.get(0).time(), 0};
                }
                Ring.Sample before = s.get(i - 1);
                Ring.Sample after = s.get(i);
                double f = (double) (offset - before.b()) / Math.max(1, after.b() - before.b());
                return new long[] {before.time() + Math.round(f * (after.time() - before.time())), 1};
            }
        }
        return new long[] {System.currentTimeMillis(), 1};
    }

    /**
     * The timestamp of the first record at or after {@code offset} (below {@code end}): cached, else
     * read when the budget allows (one record, at most 2 s); -1 when no record lies there (only
     * transaction markers); null when over budget or unreadable.
     */
    private Long timestampAt(TopicPartition tp, long offset, long end, int[] budget) {
        String key = tp + "@" + offset + "<" + end;
        String stableKey = tp + "@" + offset;
        Long cached = timestamps.get(stableKey);
        if (cached != null) {
            return cached;
        }
        Long markers = timestamps.get(key);
        if (markers != null) {
            return markers;
        }
        if (budget[0] <= 0) {
            return null;
        }
        budget[0]--;
        try {
            reader.assign(List.of(tp));
            reader.seek(tp, offset);
            long deadline = System.currentTimeMillis() + 2000;
            while (System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, byte[]> r : reader.poll(Duration.ofMillis(200))) {
                    if (r.offset() >= offset && r.offset() < end) {
                        timestamps.put(stableKey, r.timestamp());
                        return r.timestamp();
                    }
                }
                if (reader.position(tp) >= end) {
                    timestamps.put(key, -1L);
                    return -1L;
                }
            }
            return null;
        } catch (RuntimeException e) {
            log.debug("monitor: cannot read {}@{}: {}", tp, offset, e.toString());
            return null;
        }
    }

    /** Offsets of many partitions in one request (read_committed: the last stable offset for "latest"). */
    private Map<TopicPartition, Long> offsets(List<TopicPartition> tps, OffsetSpec spec) throws Exception {
        if (tps.isEmpty()) {
            return Map.of();
        }
        Map<TopicPartition, OffsetSpec> req = new LinkedHashMap<>();
        tps.forEach(tp -> req.put(tp, spec));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> res = admin.listOffsets(req,
                new org.apache.kafka.clients.admin.ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all()
                .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        return res.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    @Override
    public void close() {
        try {
            reader.close(Duration.ofSeconds(2));
        } catch (RuntimeException e) {
            // closing anyway
        }
        admin.close(Duration.ofSeconds(2));
    }
}
