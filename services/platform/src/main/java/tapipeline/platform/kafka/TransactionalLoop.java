package tapipeline.platform.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exactly-once consume → process → produce, after Kafka's {@code ExactlyOnceMessageProcessor}: a
 * read_committed consumer, a transactional producer, and per poll one transaction holding every
 * output record, every dead letter and the input offsets ({@code sendOffsetsToTransaction} with the
 * consumer's group metadata, so a zombie from an older generation is fenced). On an abortable error
 * the transaction is aborted and the consumer rewinds to the last committed offsets.
 *
 * <p>The transactional.id is {@code <group>-<instanceId>}: an instance restarted with the same
 * instance id aborts whatever its predecessor left open, at once.
 */
public final class TransactionalLoop<V> extends KafkaLoop<V> {

    private static final Logger log = LoggerFactory.getLogger(TransactionalLoop.class);

    /** Turns one input into outputs, written to the {@link Outbox}. */
    @FunctionalInterface
    public interface Processor<V> {
        void process(V value, ConsumerRecord<String, byte[]> record, Outbox out) throws Exception;
    }

    private final String groupId;
    private final Consumer<String, byte[]> consumer;
    private final Producer<String, byte[]> producer;
    private final Collection<String> topics;
    private final Processor<V> processor;
    private final List<AutoCloseable> clientMetrics;

    private TransactionalLoop(Builder<V> b) {
        super(b);
        this.groupId = b.groupId;
        this.topics = List.copyOf(b.topics);
        this.processor = b.processor;
        this.consumer = b.clients.consumer(b.groupId, b.name);
        this.producer = b.clients.transactionalProducer(b.name + "-producer", b.groupId + "-" + b.instanceId);
        KafkaClientMetrics cm = new KafkaClientMetrics(consumer);
        KafkaClientMetrics pm = new KafkaClientMetrics(producer);
        cm.bindTo(b.meters);
        pm.bindTo(b.meters);
        this.clientMetrics = List.of(cm, pm);
    }

    public static <V> Builder<V> builder(String name, KafkaClients clients, RecordDecoder<V> decoder) {
        return new Builder<>(name, clients, decoder);
    }

    public TransactionalLoop<V> start() {
        launch("txloop-");
        return this;
    }

    @Override
    void runLoop() {
        producer.initTransactions();
        consumer.subscribe(topics, new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                // every poll's work is committed in its transaction before the next poll: nothing pending
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                log.info("{}: assigned {}", name(), partitions);
            }
        });
        while (!closing()) {
            ConsumerRecords<String, byte[]> records = consumer.poll(pollTimeout);
            if (records.isEmpty()) {
                continue;
            }
            if (!processInTransaction(records)) {
                return;
            }
        }
    }

    /** One transaction for one poll. Returns false when the loop must stop. */
    private boolean processInTransaction(ConsumerRecords<String, byte[]> records) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        producer.beginTransaction();
        try {
            Outbox outbox = new Outbox();
            for (ConsumerRecord<String, byte[]> record : records) {
                if (closing()) {
                    break; // commit what is done; the rest is read again by whoever owns the partition next
                }
                outbox.clear();
                RecordAttempts.Outcome outcome = attempts.attempt(record, (v, r) -> {
                    outbox.clear();
                    processor.process(v, r, outbox);
                });
                if (outcome instanceof RecordAttempts.Outcome.Fatal f) {
                    producer.abortTransaction();
                    fail("fatal error on " + record.topic() + "-" + record.partition() + "@" + record.offset()
                            + ": " + f.error(), f.error());
                    return false;
                }
                if (outcome instanceof RecordAttempts.Outcome.DeadLetter d) {
                    producer.send(DeadLetters.of(record, groupId, d.reason(), d.error(), d.attempts()));
                } else {
                    for (ProducerRecord<String, byte[]> out : outbox.drain()) {
                        producer.send(out);
                    }
                }
                offsets.put(new TopicPartition(record.topic(), record.partition()),
                        new OffsetAndMetadata(record.offset() + 1));
            }
            if (!offsets.isEmpty()) {
                producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
            }
            producer.commitTransaction();
            return true;
        } catch (ProducerFencedException | InvalidProducerEpochException | OutOfOrderSequenceException
                 | AuthorizationException | UnsupportedVersionException e) {
            // another instance with our transactional.id took over, or we cannot go on: stop
            fail("producer cannot continue: " + e, e);
            return false;
        } catch (KafkaException e) {
            log.warn("{}: aborting transaction and rewinding: {}", name(), e.toString());
            try {
                producer.abortTransaction();
            } catch (KafkaException abortFailure) {
                fail("cannot abort transaction: " + abortFailure, abortFailure);
                return false;
            }
            rewindToCommitted(records.partitions());
            return true;
        }
    }

    private void rewindToCommitted(Set<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(partitions);
        for (TopicPartition tp : partitions) {
            OffsetAndMetadata om = committed.get(tp);
            if (om != null) {
                consumer.seek(tp, om.offset());
            } else {
                consumer.seekToBeginning(List.of(tp));
            }
        }
    }

    @Override
    void wakeup() {
        consumer.wakeup();
    }

    @Override
    void closeClients() {
        clientMetrics.forEach(KafkaLoop::closeQuietly);
        consumer.close(CloseOptions.timeout(Duration.ofSeconds(10)));
        producer.close(Duration.ofSeconds(10));
    }

    /** Configures a {@link TransactionalLoop}. */
    public static final class Builder<V> extends KafkaLoop.Builder<V, Builder<V>> {
        private String groupId;
        private String instanceId = "0";
        private Processor<V> processor;

        private Builder(String name, KafkaClients clients, RecordDecoder<V> decoder) {
            super(name, clients, decoder);
            this.groupId = name;
        }

        @Override
        Builder<V> self() {
            return this;
        }

        public Builder<V> groupId(String groupId) {
            this.groupId = Objects.requireNonNull(groupId);
            return this;
        }

        /** Unique and stable per running instance (see the class comment). */
        public Builder<V> instanceId(String instanceId) {
            this.instanceId = Objects.requireNonNull(instanceId);
            return this;
        }

        public Builder<V> processor(Processor<V> processor) {
            this.processor = processor;
            return this;
        }

        public TransactionalLoop<V> build() {
            requireTopicsAnd(processor, "processor");
            return new TransactionalLoop<>(this);
        }
    }
}
