package tapipeline.publisher.links;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

import tapipeline.platform.kafka.Events;
import tapipeline.platform.kafka.KafkaClients;
import tapipeline.platform.kafka.Topics;
import tapipeline.publisher.SiteState;
import tapipeline.schemas.EventTypes;
import tapipeline.schemas.RejectedEventException;

/**
 * Read-your-writes for the links registry: before a link is changed, reads {@code site.links} up to
 * its last stable offsets (every committed record, transaction markers included) into the state, so
 * a new version is always computed from the latest one, whether this instance's previous transaction
 * or another instance wrote it. The replay loop reads the same topic for freshness; the state keeps
 * per link the record with the highest offset, so the two readers never take a link back.
 * Thread-safe (the consumer is used under a lock).
 */
public final class RegistryFence implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;
    /** Never reads: its end offsets are the high watermarks, to see transactions still open or being completed. */
    private final KafkaConsumer<String, byte[]> uncommitted;
    private final SiteState state;
    private List<TopicPartition> partitions;

    public RegistryFence(KafkaClients clients, SiteState state) {
        Map<String, Object> props = clients.consumerProps(null, "publisher-registry-fence");
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.consumer = new KafkaConsumer<>(props);
        Map<String, Object> hw = clients.consumerProps(null, "publisher-registry-fence-hw");
        hw.remove(ConsumerConfig.GROUP_ID_CONFIG);
        hw.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        this.uncommitted = new KafkaConsumer<>(hw);
        this.state = state;
    }

    /** Reads the registry up to the current end; throws (a retriable failure) after {@code timeout}. */
    public synchronized void await(Duration timeout) {
        if (partitions == null) {
            partitions = consumer.partitionsFor(Topics.SITE_LINKS.name(), timeout).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        // A committed transaction's markers are written after commitTransaction returns; until they are,
        // the last stable offset stays before its records. Wait until no transaction on the registry is
        // open or being completed (last stable offset = high watermark), so the previous change is seen.
        Map<TopicPartition, Long> ends;
        while (true) {
            ends = consumer.endOffsets(partitions, timeout);
            if (ends.equals(uncommitted.endOffsets(partitions, timeout))) {
                break;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("a transaction on site.links stayed open for " + timeout);
            }
            sleep();
        }
        Map<TopicPartition, Long> target = ends;
        while (partitions.stream().anyMatch(tp -> consumer.position(tp, timeout) < target.get(tp))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("could not read site.links to its end within " + timeout);
            }
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                if (r.value() == null) {
                    continue;
                }
                try {
                    state.onLink(Events.codec().decode(r.value(), EventTypes.SITE_LINKS).payload(), r.partition(),
                            r.offset());
                } catch (RejectedEventException e) {
                    // the replay loop dead-letters it; it is not a link
                }
            }
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading site.links", e);
        }
    }

    @Override
    public synchronized void close() {
        consumer.close(Duration.ofSeconds(2));
        uncommitted.close(Duration.ofSeconds(2));
    }
}
