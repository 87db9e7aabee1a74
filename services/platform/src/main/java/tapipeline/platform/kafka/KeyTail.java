package tapipeline.platform.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;

/**
 * Reads the records of one key from a few topics, without a consumer group: for a command-line
 * client that waits for what the services say about one run, or a service that looks up one run's
 * checkpoint or result. Only the partition the key hashes to
 * is read in each topic (the producer's default partitioner: murmur2 of the key's bytes), so a
 * long history of other keys costs nothing. Reads only committed records, like every consumer here.
 */
public final class KeyTail implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;
    private final String key;
    private final List<TopicPartition> partitions = new ArrayList<>();

    /** Where reading starts: the start of the log, its end, or the first record at a timestamp. */
    private static final long BEGINNING = -2;
    private static final long END = -1;

    private KeyTail(KafkaClients clients, String key, long startAt, List<String> topics, Duration timeout) {
        Map<String, Object> props = clients.consumerProps(null, "key-tail");
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.consumer = new KafkaConsumer<>(props);
        this.key = key;
        try {
            for (String topic : topics) {
                List<PartitionInfo> info = consumer.partitionsFor(topic, timeout);
                if (info == null || info.isEmpty()) {
                    throw new IllegalStateException("topic " + topic + " does not exist on " + clients.bootstrapServers());
                }
                partitions.add(new TopicPartition(topic, partitionOf(key, info.size())));
            }
            consumer.assign(partitions);
            if (startAt == BEGINNING) {
                consumer.seekToBeginning(partitions);
            } else if (startAt == END) {
                consumer.seekToEnd(partitions);
            } else {
                Map<TopicPartition, Long> at = new java.util.HashMap<>();
                partitions.forEach(tp -> at.put(tp, startAt));
                consumer.offsetsForTimes(at, timeout).forEach((tp, found) -> {
                    if (found == null) {
                        consumer.seekToEnd(List.of(tp)); // nothing written since then
                    } else {
                        consumer.seek(tp, found.offset());
                    }
                });
            }
            // fix the start now (seeks are lazy), so that nothing produced after this returns is missed
            for (TopicPartition tp : partitions) {
                consumer.position(tp, timeout);
            }
        } catch (RuntimeException e) {
            consumer.close(Duration.ZERO);
            throw e;
        }
    }

    /** Follows the key from now on: records written after this returns. */
    public static KeyTail fromNow(KafkaClients clients, String key, Duration timeout, String... topics) {
        return new KeyTail(clients, key, END, List.of(topics), timeout);
    }

    /** Reads the key's records from the start of each topic's retained log. */
    public static KeyTail fromBeginning(KafkaClients clients, String key, Duration timeout, String... topics) {
        return new KeyTail(clients, key, BEGINNING, List.of(topics), timeout);
    }

    /** Reads the key's records written at or after {@code timestampMs} (by record timestamp). */
    public static KeyTail since(KafkaClients clients, String key, long timestampMs, Duration timeout, String... topics) {
        return new KeyTail(clients, key, Math.max(0, timestampMs), List.of(topics), timeout);
    }

    /** The partition Kafka's default partitioner picks for this key among {@code partitions}. */
    public static int partitionOf(String key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    /** The next records of this key (possibly none), in each partition's order. */
    public List<ConsumerRecord<String, byte[]>> poll(Duration timeout) {
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : consumer.poll(timeout)) {
            if (key.equals(r.key())) {
                out.add(r);
            }
        }
        return out;
    }

    /** Whether every partition has been read up to its current end (committed records only). */
    public boolean caughtUp(Duration timeout) {
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, timeout);
        for (TopicPartition tp : partitions) {
            if (consumer.position(tp, timeout) < ends.get(tp)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
