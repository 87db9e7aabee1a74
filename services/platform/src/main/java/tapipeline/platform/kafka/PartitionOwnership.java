package tapipeline.platform.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which keys of a topic this instance is responsible for, decided by Kafka's group membership: a
 * consumer in group {@code groupId} subscribes to {@code topic}, pauses every partition it gets (it
 * reads no records; it only holds the partitions), and reports what it gains and loses. A key belongs to
 * the instance that holds its partition ({@link KeyTail#partitionOf}), so of several instances that
 * all replay the same state exactly one acts on each key, and a dead instance's keys move to the others
 * after the session timeout.
 *
 * <p>A partition changes hands only after its holder has returned from {@link Listener#revoking}: that
 * callback finishes (or abandons) the work in hand for those keys, so the next holder starts after it.
 * An instance stopped by SIGKILL cannot finish, and one whose revoke outlasts {@code max.poll.interval.ms} (or
 * that is paused past the session timeout) loses its partitions without being asked: work that must not
 * happen twice is therefore published with a transactional id per partition, opened in
 * {@link Listener#assigned}, so the next holder's {@code initTransactions} fences the previous holder's
 * producer and aborts what it left open (the handbook does this; {@code PartitionOwnershipIT} shows it).
 */
public final class PartitionOwnership implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PartitionOwnership.class);

    /** What the holder does when partitions arrive or leave; called on the ownership thread. */
    public interface Listener {
        void assigned(Set<Integer> partitions);

        /** Finish or abandon the work on these partitions' keys; they go to another instance when this returns. */
        void revoking(Set<Integer> partitions);
    }

    private final String topic;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Listener listener;
    private final FatalErrorHook fatal;
    private final Thread thread;
    private volatile Set<Integer> owned = Set.of();
    private volatile int partitions;
    private volatile boolean closed;

    public PartitionOwnership(KafkaClients clients, String groupId, String clientId, String topic, Listener listener,
                              FatalErrorHook fatal) {
        this(clients, groupId, clientId, topic, listener, fatal, java.util.Map.of());
    }

    /** With consumer overrides, e.g. {@code max.poll.interval.ms}: how long a revoke may take before the group moves on. */
    public PartitionOwnership(KafkaClients clients, String groupId, String clientId, String topic, Listener listener,
                              FatalErrorHook fatal, java.util.Map<String, Object> consumerOverrides) {
        this.topic = topic;
        this.consumer = clients.consumer(groupId, clientId, consumerOverrides);
        this.listener = listener;
        this.fatal = fatal;
        this.thread = new Thread(this::run, "ownership-" + groupId);
        this.thread.setDaemon(true);
    }

    public PartitionOwnership start() {
        partitions = consumer.partitionsFor(topic, Duration.ofSeconds(60)).size();
        thread.start();
        return this;
    }

    /** True when this instance holds the partition of {@code key} now. */
    public boolean owns(String key) {
        int n = partitions;
        return n > 0 && owned.contains(KeyTail.partitionOf(key, n));
    }

    /** The partition of {@code key} (held here or not). */
    public int partitionOf(String key) {
        return KeyTail.partitionOf(key, partitions);
    }

    /** The partitions held now. */
    public Set<Integer> owned() {
        return owned;
    }

    private void run() {
        try {
            consumer.subscribe(Set.of(topic), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
                    release(revoked);
                }

                @Override
                public void onPartitionsLost(Collection<TopicPartition> lost) {
                    release(lost);
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
                    consumer.pause(assigned);
                    Set<Integer> now = new HashSet<>(owned);
                    Set<Integer> gained = numbers(assigned);
                    now.addAll(gained);
                    owned = Set.copyOf(now);
                    log.info("{}: holds partitions {} of {}", topic, new java.util.TreeSet<>(owned), partitions);
                    if (!gained.isEmpty()) {
                        listener.assigned(gained);
                    }
                }
            });
            while (!closed) {
                consumer.poll(Duration.ofMillis(500)); // paused: returns nothing, keeps the membership alive
            }
        } catch (WakeupException e) {
            if (!closed) {
                stopFatally(e);
            }
        } catch (RuntimeException e) {
            if (!closed) {
                stopFatally(e);
            }
        } finally {
            try {
                consumer.close(); // leaves the group; the revoke callback hands the partitions over first
            } catch (RuntimeException e) {
                log.warn("{}: closing the ownership consumer: {}", topic, e.toString());
            }
        }
    }

    private void release(Collection<TopicPartition> gone) {
        if (gone.isEmpty()) {
            return;
        }
        Set<Integer> lost = numbers(gone);
        Set<Integer> now = new HashSet<>(owned);
        now.removeAll(lost);
        owned = Set.copyOf(now); // owns() says no from here on, so no new work starts on these keys
        listener.revoking(lost);
        log.info("{}: released partitions {}", topic, new java.util.TreeSet<>(lost));
    }

    private void stopFatally(RuntimeException e) {
        owned = Set.of();
        fatal.fatal("partition ownership of " + topic, e);
    }

    private static Set<Integer> numbers(Collection<TopicPartition> parts) {
        Set<Integer> out = new HashSet<>();
        parts.forEach(p -> out.add(p.partition()));
        return out;
    }

    @Override
    public void close() {
        closed = true;
        consumer.wakeup();
        try {
            thread.join(60_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
