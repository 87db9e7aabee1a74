package tapipeline.platform.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The at-least-once consumer loop every service uses: poll, decode, handle, commit. A record that
 * cannot be handled is retried with backoff, then written to {@code <topic>.dlq} (and only then
 * committed), and the loop goes on with the next record. Stops on {@link #close()} through
 * {@code consumer.wakeup()}; a rebalance commits the work already done, and the records of revoked
 * partitions still in hand are left to their next owner. A commit that fails for a routine reason
 * (rebalance in progress, partitions lost, coordinator timeout) drops the pending offsets and the loop
 * goes on: those records are read again by whoever owns the partition.
 *
 * <p>Handlers must be idempotent: a record handled just before a crash is handled again.
 */
public final class ConsumerLoop<V> extends KafkaLoop<V> {

    private static final Logger log = LoggerFactory.getLogger(ConsumerLoop.class);

    /** Handles one decoded record. Throw to retry (or {@link PoisonRecordException} to skip). */
    @FunctionalInterface
    public interface Handler<V> {
        void handle(V value, ConsumerRecord<String, byte[]> record) throws Exception;
    }

    private final String groupId;
    private final Consumer<String, byte[]> consumer;
    private final Producer<String, byte[]> deadLetterProducer;
    private final Collection<String> topics;
    private final Handler<V> handler;
    private final Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
    /** Partitions revoked or lost since the last poll: the rest of their records in hand is not handled. */
    private final Set<TopicPartition> revoked = new HashSet<>();
    private final AutoCloseable clientMetrics;
    private final Runnable beforeCommit;

    private ConsumerLoop(Builder<V> b) {
        super(b);
        this.groupId = b.groupId;
        this.topics = List.copyOf(b.topics);
        this.handler = b.handler;
        this.beforeCommit = b.beforeCommit;
        this.consumer = b.consumerFactory != null ? b.consumerFactory.get()
                : b.clients.consumer(b.groupId, b.name, b.consumerOverrides);
        this.deadLetterProducer = b.producerFactory != null ? b.producerFactory.get()
                : b.clients.producer(b.name + "-dlq");
        KafkaClientMetrics metrics = new KafkaClientMetrics(consumer);
        metrics.bindTo(b.meters);
        this.clientMetrics = metrics;
    }

    public static <V> Builder<V> builder(String name, KafkaClients clients, RecordDecoder<V> decoder) {
        return new Builder<>(name, clients, decoder);
    }

    /** Starts the loop on its own thread. */
    public ConsumerLoop<V> start() {
        launch("loop-");
        return this;
    }

    @Override
    void runLoop() {
        consumer.subscribe(topics, new CommitOnRevoke());
        while (!closing()) {
            revoked.clear();
            ConsumerRecords<String, byte[]> records = consumer.poll(pollTimeout);
            for (TopicPartition tp : records.partitions()) {
                if (!processPartition(tp, records.records(tp))) {
                    return;
                }
            }
            commitDone();
        }
    }

    /** Returns false when the loop must stop. */
    private boolean processPartition(TopicPartition tp, List<ConsumerRecord<String, byte[]>> batch) {
        for (ConsumerRecord<String, byte[]> record : batch) {
            if (closing() || revoked.contains(tp)) {
                // leave the rest of the batch for the next owner: nothing after `done` is committed
                return true;
            }
            RecordAttempts.Outcome outcome = attempts.attempt(record, handler::handle);
            if (outcome instanceof RecordAttempts.Outcome.Fatal f) {
                fail("fatal error on " + tp + "@" + record.offset() + ": " + f.error(), f.error());
                return false;
            }
            if (outcome instanceof RecordAttempts.Outcome.Retry) {
                return true; // stopping while it fails: not done, so not committed; read again by the next owner
            }
            if (outcome instanceof RecordAttempts.Outcome.DeadLetter d) {
                try {
                    deadLetterProducer.send(DeadLetters.of(record, groupId, d.reason(), d.error(), d.attempts()))
                            .get(30, TimeUnit.SECONDS);
                } catch (Exception e) {
                    // not written to the dead letters: do not commit past it; read it again later
                    log.error("{}: cannot write dead letter for {}@{}, will retry it", name(), tp, record.offset(), e);
                    if (!revoked.contains(tp)) {
                        consumer.seek(tp, record.offset());
                    }
                    return true;
                }
            }
            if (revoked.contains(tp)) {
                return true; // revoked while this record was handled: its next owner handles it again
            }
            done.put(tp, new OffsetAndMetadata(record.offset() + 1));
        }
        return true;
    }

    /** Commits what is done; a routine commit failure drops the offsets (see the class comment). */
    private void commitDone() {
        if (!done.isEmpty()) {
            beforeCommit.run();
            try {
                consumer.commitSync(done);
            } catch (RuntimeException e) {
                if (!retriableCommitFailure(e)) {
                    throw e;
                }
                log.warn("{}: commit of {} failed ({}); dropping it, the records will be read again",
                        name(), done, e.getClass().getSimpleName());
            } finally {
                done.clear();
            }
        }
    }

    @Override
    void wakeup() {
        consumer.wakeup();
    }

    @Override
    void closeClients() {
        try {
            commitDone();
        } catch (RuntimeException e) {
            log.warn("{}: final commit failed: {}", name(), e.toString());
        }
        closeQuietly(clientMetrics);
        consumer.close(CloseOptions.timeout(Duration.ofSeconds(10)));
        deadLetterProducer.close(Duration.ofSeconds(10));
    }

    private final class CommitOnRevoke implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            revoked.addAll(partitions);
            try {
                commitDone();
            } catch (RuntimeException e) {
                log.warn("{}: commit on revoke failed: {}", name(), e.toString());
                done.clear();
            }
        }

        /** Lost partitions (session expired) already have another owner: nothing can be committed for them. */
        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            revoked.addAll(partitions);
            partitions.forEach(done::remove);
            log.warn("{}: lost {}; their records will be handled by the next owner", name(), partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            revoked.removeAll(partitions); // an eager rebalance revokes everything, then may give it back
            log.info("{}: assigned {}", name(), partitions);
        }
    }

    /** Configures a {@link ConsumerLoop}. */
    public static final class Builder<V> extends KafkaLoop.GroupBuilder<V, Builder<V>> {
        private Handler<V> handler;
        private Runnable beforeCommit = () -> { };

        private Builder(String name, KafkaClients clients, RecordDecoder<V> decoder) {
            super(name, clients, decoder);
        }

        @Override
        Builder<V> self() {
            return this;
        }

        public Builder<V> handler(Handler<V> handler) {
            this.handler = handler;
            return this;
        }

        /**
         * Runs before offsets are committed, e.g. {@code producer::flush}, so that records a handler
         * sent asynchronously are acknowledged before their input counts as done.
         */
        public Builder<V> beforeCommit(Runnable beforeCommit) {
            this.beforeCommit = Objects.requireNonNull(beforeCommit);
            return this;
        }

        public ConsumerLoop<V> build() {
            requireTopicsAnd(handler, "handler");
            return new ConsumerLoop<>(this);
        }
    }
}
