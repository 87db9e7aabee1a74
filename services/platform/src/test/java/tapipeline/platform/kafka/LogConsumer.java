package tapipeline.platform.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Kafka's {@link MockConsumer} over a log that keeps its records: a poll returns, for each assigned
 * partition, the records at or after the consumer's position (MockConsumer alone forgets records once
 * polled, so a rewind would read nothing). The group's committed offsets are one map, written by
 * {@link #commitSync} and by {@link TxProducer} commits (as the broker does for offsets sent to a
 * transaction). Commits can be made to fail, and everything read is recorded.
 */
final class LogConsumer extends MockConsumer<String, byte[]> {

    private final Map<TopicPartition, List<ConsumerRecord<String, byte[]>>> log = new ConcurrentHashMap<>();
    final Map<TopicPartition, OffsetAndMetadata> groupOffsets = new ConcurrentHashMap<>();
    /** Every record returned by poll, in order (a record read twice appears twice). */
    final List<String> read = new CopyOnWriteArrayList<>();
    private final Deque<RuntimeException> commitFailures = new ArrayDeque<>();
    private ConsumerRebalanceListener listener;

    LogConsumer() {
        super("earliest");
    }

    /** Appends n records to a partition of a topic, with keys k&lt;offset&gt; and values v&lt;partition&gt;-&lt;offset&gt;. */
    LogConsumer append(String topic, int partition, int n) {
        for (int i = 0; i < n; i++) {
            long offset = log.getOrDefault(new TopicPartition(topic, partition), List.of()).size();
            appendValue(topic, partition, "v" + partition + "-" + offset);
        }
        return this;
    }

    /** Appends one record with the given value. */
    synchronized LogConsumer appendValue(String topic, int partition, String value) {
        TopicPartition tp = new TopicPartition(topic, partition);
        List<ConsumerRecord<String, byte[]>> records = log.computeIfAbsent(tp, k -> new CopyOnWriteArrayList<>());
        long offset = records.size();
        records.add(new ConsumerRecord<>(topic, partition, offset, "k" + offset, value.getBytes(StandardCharsets.UTF_8)));
        Map<TopicPartition, Long> zero = new HashMap<>();
        zero.put(tp, 0L);
        updateBeginningOffsets(zero);
        updateEndOffsets(Map.of(tp, (long) records.size()));
        return this;
    }

    /** The next commitSync calls throw these, one each. */
    synchronized void failNextCommits(RuntimeException... failures) {
        commitFailures.addAll(List.of(failures));
    }

    /** Assigns partitions on the first poll (as a group join would), through the loop's listener. */
    void assignOnFirstPoll(TopicPartition... partitions) {
        schedulePollTask(() -> rebalance(List.of(partitions)));
    }

    @Override
    public void subscribe(Collection<String> topics, ConsumerRebalanceListener listener) {
        this.listener = listener;
        super.subscribe(topics, listener);
    }

    /** Revokes partitions now, calling the loop's listener as the consumer would. */
    void revoke(TopicPartition... partitions) {
        List<TopicPartition> keep = new ArrayList<>(assignment());
        keep.removeAll(List.of(partitions));
        rebalance(keep);
    }

    @Override
    public synchronized ConsumerRecords<String, byte[]> poll(Duration timeout) {
        super.poll(Duration.ZERO); // poll tasks, wakeup, poll exception; its own record list stays empty
        Map<TopicPartition, List<ConsumerRecord<String, byte[]>>> out = new LinkedHashMap<>();
        Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
        for (TopicPartition tp : assignment()) {
            if (paused().contains(tp)) {
                continue;
            }
            long position = position(tp);
            List<ConsumerRecord<String, byte[]>> batch = new ArrayList<>();
            for (ConsumerRecord<String, byte[]> r : log.getOrDefault(tp, List.of())) {
                if (r.offset() >= position) {
                    batch.add(r);
                }
            }
            if (!batch.isEmpty()) {
                out.put(tp, batch);
                long last = batch.get(batch.size() - 1).offset();
                seek(tp, last + 1);
                next.put(tp, new OffsetAndMetadata(last + 1));
                batch.forEach(r -> read.add(r.topic() + "-" + r.partition() + "@" + r.offset()));
            }
        }
        if (out.isEmpty()) {
            try {
                Thread.sleep(Math.min(20, timeout.toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return new ConsumerRecords<>(out, next);
    }

    @Override
    public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
        RuntimeException failure = commitFailures.poll();
        if (failure != null) {
            throw failure;
        }
        super.commitSync(offsets);
        groupOffsets.putAll(offsets);
    }

    @Override
    public synchronized Map<TopicPartition, OffsetAndMetadata> committed(Set<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
        partitions.forEach(tp -> {
            OffsetAndMetadata om = groupOffsets.get(tp);
            if (om != null) {
                out.put(tp, om);
            }
        });
        return out;
    }

    long committedOffset(TopicPartition tp) {
        OffsetAndMetadata om = groupOffsets.get(tp);
        return om == null ? -1 : om.offset();
    }

    ConsumerRebalanceListener listener() {
        return listener;
    }
}
