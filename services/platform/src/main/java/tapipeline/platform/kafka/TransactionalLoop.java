package tapipeline.platform.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidPidMappingException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exactly-once consume → process → produce, after Kafka's {@code ExactlyOnceMessageProcessor}: a
 * read_committed consumer, a transactional producer, and per poll one transaction holding every
 * output record, every dead letter and the input offsets ({@code sendOffsetsToTransaction} with the
 * consumer's group metadata, so a zombie from an older generation is fenced).
 *
 * <p>Errors follow the producer's contract (KafkaProducer javadoc, KIP-1050):
 * <ul>
 * <li>abortable errors (any other {@link KafkaException}, {@code InvalidProducerEpochException}
 * included) abort the transaction, rewind the consumer to the committed offsets and go on;</li>
 * <li>a {@code commitTransaction} that times out is retried (never aborted: the commit may already be
 * completing);</li>
 * <li>a fenced producer ({@link ProducerFencedException}, {@link InvalidPidMappingException}) is
 * closed and recreated with the same transactional.id, then the consumer rewinds; fenced again
 * {@value #MAX_RECREATIONS} times without a commit in between is fatal;</li>
 * <li>{@code OutOfOrderSequenceException}, authorization/authentication, {@code UnsupportedVersionException}
 * and a fenced group instance are fatal: the loop stops and calls its {@link FatalErrorHook}.</li>
 * </ul>
 *
 * <p>An output the cluster refuses for good (e.g. larger than its topic's max.message.bytes) would
 * abort every transaction it is in. After two aborts in a row the loop goes on one record per
 * transaction, which commits the records before it and finds the one whose transaction aborts; when
 * that single record's transaction has aborted {@code maxAttempts} times with an error that is not
 * retriable, the input is dead-lettered ({@value #OUTPUT_REFUSED}) and the loop goes on.
 *
 * <p>A handler failure that may be retried never backs off inside the open transaction (which could
 * outlast transaction.timeout.ms): the records handled before it are committed, the consumer is
 * rewound to the failed record, and the loop sleeps outside any transaction before trying it again in
 * a new one.
 *
 * <p>The transactional.id is {@code <group>-<instanceId>}: an instance restarted with the same
 * instance id aborts whatever its predecessor left open, at once.
 */
public final class TransactionalLoop<V> extends KafkaLoop<V> {

    private static final Logger log = LoggerFactory.getLogger(TransactionalLoop.class);

    /**
     * Records per poll, and so at most per transaction, instead of the consumer's default of 500: each
     * transaction pays round trips to the transaction and group coordinators (sendOffsetsToTransaction,
     * commitTransaction) whatever its size, which made the loop spend over half its time waiting at 500
     * (see bench/results/kafka-loops.md). {@link #MAX_TRANSACTION_TIME} bounds how long one stays open.
     */
    public static final int MAX_POLL_RECORDS = 20000;
    /**
     * The longest a transaction stays open before the loop commits what is done and reads the rest of
     * the poll again in a new one: well under transaction.timeout.ms (30 s, after which the coordinator
     * aborts it) and max.poll.interval.ms, whatever the number of records and the time each takes.
     */
    static final Duration MAX_TRANSACTION_TIME = Duration.ofSeconds(10);
    /** Dead-letter reason of an input whose outputs the cluster refused in every transaction they were in. */
    public static final String OUTPUT_REFUSED = "OUTPUT_REFUSED";
    /** Producer recreations after fencing without a successful commit in between, before giving up. */
    static final int MAX_RECREATIONS = 3;

    /** Turns one input into outputs, written to the {@link Outbox}. */
    @FunctionalInterface
    public interface Processor<V> {
        void process(V value, ConsumerRecord<String, byte[]> record, Outbox out) throws Exception;
    }

    private final String groupId;
    private final Consumer<String, byte[]> consumer;
    private final Supplier<Producer<String, byte[]>> producerFactory;
    private final Collection<String> topics;
    private final Processor<V> processor;
    private final MeterRegistry meters;
    private final AutoCloseable consumerMetrics;
    private final long maxTransactionNanos;
    private Producer<String, byte[]> producer;
    private KafkaClientMetrics producerMetrics;
    private int recreationsSinceCommit;
    /** Transactions aborted since the last commit: an error that repeats is retried with backoff, not in a hot loop. */
    private int abortsSinceCommit;
    /** The record whose handler failed and is to be tried again, as attempt {@code attempt}. */
    private PendingRetry retry;
    /** The record alone in the open transaction, when the loop goes one record per transaction. */
    private Position alone;
    /** A record whose single-record transactions aborted, how often, and the last error. */
    private Position suspect;
    private int suspectAborts;
    private KafkaException suspectError;

    private record Position(TopicPartition tp, long offset) {
    }

    private record PendingRetry(TopicPartition tp, long offset, int attempt) {
    }

    private TransactionalLoop(Builder<V> b) {
        super(b);
        this.groupId = b.groupId;
        this.topics = List.copyOf(b.topics);
        this.processor = b.processor;
        this.meters = b.meters;
        this.maxTransactionNanos = b.maxTransactionTime.toNanos();
        Map<String, Object> consumerSettings = new HashMap<>();
        consumerSettings.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, MAX_POLL_RECORDS);
        consumerSettings.putAll(b.consumerOverrides);
        this.consumer = b.consumerFactory != null ? b.consumerFactory.get()
                : b.clients.consumer(b.groupId, b.name, consumerSettings);
        String transactionalId = b.groupId + "-" + b.instanceId;
        this.producerFactory = b.producerFactory != null ? b.producerFactory
                : () -> b.clients.transactionalProducer(b.name + "-producer", transactionalId);
        KafkaClientMetrics cm = new KafkaClientMetrics(consumer);
        cm.bindTo(meters);
        this.consumerMetrics = cm;
        this.producer = newProducer();
    }

    public static <V> Builder<V> builder(String name, KafkaClients clients, RecordDecoder<V> decoder) {
        return new Builder<>(name, clients, decoder);
    }

    public TransactionalLoop<V> start() {
        launch("txloop-");
        return this;
    }

    private Producer<String, byte[]> newProducer() {
        Producer<String, byte[]> p = producerFactory.get();
        producerMetrics = new KafkaClientMetrics(p);
        producerMetrics.bindTo(meters);
        return p;
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

    /** One transaction for (a prefix of) one poll. Returns false when the loop must stop. */
    private boolean processInTransaction(ConsumerRecords<String, byte[]> records) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        RecordAttempts.Outcome.Retry backOff = null;
        boolean cutShort = false;
        // repeated aborts: one record per transaction, so the record whose outputs are refused is found
        boolean oneByOne = abortsSinceCommit >= 2;
        alone = null;
        try {
            producer.beginTransaction();
            long deadline = System.nanoTime() + maxTransactionNanos;
            Outbox outbox = new Outbox();
            for (ConsumerRecord<String, byte[]> record : records) {
                if (closing()) {
                    break; // commit what is done; the rest is read again by whoever owns the partition next
                }
                if (!offsets.isEmpty() && (oneByOne || System.nanoTime() - deadline > 0)) {
                    cutShort = true; // commit what is done, read the rest again in the next transaction
                    break;
                }
                TopicPartition tp = new TopicPartition(record.topic(), record.partition());
                if (oneByOne) {
                    alone = new Position(tp, record.offset());
                }
                if (refusedForGood(tp, record.offset())) {
                    log.warn("{}: dead-lettering {}@{}: its outputs were refused in {} transactions: {}", name(), tp,
                            record.offset(), suspectAborts, suspectError.toString());
                    producer.send(DeadLetters.of(record, groupId, OUTPUT_REFUSED, suspectError, suspectAborts));
                    attempts.count(record.topic(), "dead_lettered");
                    offsets.put(tp, new OffsetAndMetadata(record.offset() + 1));
                    continue;
                }
                outbox.clear();
                RecordAttempts.Outcome outcome = attempts.attemptOnce(record, (v, r) -> {
                    outbox.clear();
                    processor.process(v, r, outbox);
                }, attemptNumber(tp, record.offset()));
                if (outcome instanceof RecordAttempts.Outcome.Fatal f) {
                    abortQuietly();
                    fail("fatal error on " + tp + "@" + record.offset() + ": " + f.error(), f.error());
                    return false;
                }
                if (outcome instanceof RecordAttempts.Outcome.Retry r) {
                    // end this transaction with what is done, back off outside it, retry in a new one
                    retry = new PendingRetry(tp, record.offset(), r.nextAttempt());
                    backOff = r;
                    break;
                }
                retry = null;
                if (outcome instanceof RecordAttempts.Outcome.DeadLetter d) {
                    producer.send(DeadLetters.of(record, groupId, d.reason(), d.error(), d.attempts()));
                } else {
                    for (ProducerRecord<String, byte[]> out : outbox.drain()) {
                        producer.send(out);
                    }
                }
                offsets.put(tp, new OffsetAndMetadata(record.offset() + 1));
            }
            if (!offsets.isEmpty()) {
                producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
            }
            commit();
            recreationsSinceCommit = 0;
            abortsSinceCommit = 0;
        } catch (KafkaException e) {
            if (e instanceof WakeupException || (e instanceof TimeoutException && closing())) {
                throw e; // stopping: closing the producer leaves the open transaction to the coordinator
            }
            return recover(e, records);
        }
        if (backOff != null || cutShort) {
            rewindTo(records, offsets);
        }
        if (backOff != null) {
            attempts.backOff(backOff.backoff());
        }
        return true;
    }

    /** Returns false when the loop must stop. */
    private boolean recover(KafkaException e, ConsumerRecords<String, byte[]> records) {
        switch (TransactionErrors.recoveryFor(e)) {
            case FATAL -> {
                fail("producer cannot continue: " + e, e);
                return false;
            }
            case RECREATE_PRODUCER -> {
                // this producer is done for (another producer with our transactional.id, or the
                // coordinator expired our id): a new one with the same id, from the committed offsets
                return recreateProducer(e);
            }
            default -> {
                log.warn("{}: aborting transaction and rewinding: {}", name(), e.toString());
                noteAbortedAlone(e);
                try {
                    abort();
                } catch (KafkaException abortFailure) {
                    if (TransactionErrors.recoveryFor(abortFailure) == TransactionErrors.Recovery.FATAL) {
                        fail("producer cannot continue: " + abortFailure, abortFailure);
                        return false;
                    }
                    log.warn("{}: abort failed ({}); recreating the producer", name(), abortFailure.toString());
                    return recreateProducer(abortFailure);
                }
                rewindToCommitted(records.partitions());
                if (++abortsSinceCommit > 1) {
                    attempts.backOff(attempts.policy().backoff(abortsSinceCommit));
                }
                return true;
            }
        }
    }

    /** Counts an abort of a single-record transaction against its record, unless the error may pass by itself. */
    private void noteAbortedAlone(KafkaException e) {
        Position p = alone;
        if (p == null || retriable(e)) {
            return;
        }
        if (!p.equals(suspect)) {
            suspect = p;
            suspectAborts = 0;
        }
        suspectAborts++;
        suspectError = e;
    }

    /** Whether this record's single-record transactions aborted as often as the error policy allows attempts. */
    private boolean refusedForGood(TopicPartition tp, long offset) {
        return suspect != null && suspect.equals(new Position(tp, offset))
                && suspectAborts >= attempts.policy().maxAttempts();
    }

    /** A timeout or another error Kafka calls retriable, anywhere in the cause chain: an outage, not the record. */
    private static boolean retriable(Throwable t) {
        for (int depth = 0; t != null && depth < 5; depth++, t = t.getCause()) {
            if (t instanceof RetriableException) {
                return true;
            }
        }
        return false;
    }

    /** The attempt number of a record: above 1 when it is the record a handler failed on last time. */
    private int attemptNumber(TopicPartition tp, long offset) {
        PendingRetry r = retry;
        return r != null && r.tp().equals(tp) && r.offset() == offset ? r.attempt() : 1;
    }

    /**
     * Commits, retrying on a timeout: the KafkaProducer contract says a commit that timed out may be
     * retried but not aborted (it may already be completing on the coordinator).
     */
    private void commit() {
        while (true) {
            try {
                producer.commitTransaction();
                return;
            } catch (TimeoutException e) {
                if (closing()) {
                    // closing the producer leaves the outcome to the coordinator: committed, or aborted
                    // after transaction.timeout.ms; either way the offsets match the outputs
                    throw e;
                }
                log.warn("{}: commitTransaction timed out; retrying the commit", name());
            }
        }
    }

    /** Aborts, retrying on a timeout like {@link #commit()}. */
    private void abort() {
        while (true) {
            try {
                producer.abortTransaction();
                return;
            } catch (TimeoutException e) {
                if (closing()) {
                    throw e;
                }
                log.warn("{}: abortTransaction timed out; retrying the abort", name());
            }
        }
    }

    private void abortQuietly() {
        try {
            producer.abortTransaction();
        } catch (RuntimeException e) {
            log.warn("{}: abort failed: {}", name(), e.toString());
        }
    }

    /**
     * Closes the producer and makes a new one with the same transactional.id (initTransactions fences
     * the old epoch and aborts anything it left open), then rewinds to the committed offsets.
     */
    private boolean recreateProducer(KafkaException cause) {
        if (++recreationsSinceCommit > MAX_RECREATIONS) {
            fail("producer fenced " + MAX_RECREATIONS + " times without a commit in between: " + cause, cause);
            return false;
        }
        log.warn("{}: producer cannot go on ({}); recreating it with the same transactional.id", name(),
                cause.toString());
        closeProducer();
        try {
            producer = newProducer();
            producer.initTransactions();
        } catch (KafkaException e) {
            fail("cannot recreate the transactional producer: " + e, e);
            return false;
        }
        rewindToCommitted(consumer.assignment());
        return true;
    }

    /** After a partial commit: each partition of the poll back to its first record not committed. */
    private void rewindTo(ConsumerRecords<String, byte[]> records, Map<TopicPartition, OffsetAndMetadata> committed) {
        for (TopicPartition tp : records.partitions()) {
            OffsetAndMetadata om = committed.get(tp);
            consumer.seek(tp, om != null ? om.offset() : records.records(tp).get(0).offset());
        }
    }

    private void rewindToCommitted(Set<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> committed;
        while (true) {
            try {
                committed = consumer.committed(partitions);
                break;
            } catch (TimeoutException e) {
                if (closing()) {
                    return; // nothing is committed past the last transaction; the next owner starts there
                }
                log.warn("{}: reading the committed offsets timed out; trying again", name());
            }
        }
        for (TopicPartition tp : partitions) {
            OffsetAndMetadata om = committed.get(tp);
            if (om != null) {
                consumer.seek(tp, om.offset());
            } else {
                consumer.seekToBeginning(List.of(tp));
            }
        }
    }

    private void closeProducer() {
        closeQuietly(producerMetrics);
        try {
            producer.close(Duration.ofSeconds(10));
        } catch (RuntimeException e) {
            log.warn("{}: closing the producer failed: {}", name(), e.toString());
        }
    }

    @Override
    void wakeup() {
        consumer.wakeup();
    }

    @Override
    void closeClients() {
        closeQuietly(consumerMetrics);
        consumer.close(CloseOptions.timeout(Duration.ofSeconds(10)));
        closeProducer();
    }

    /** Configures a {@link TransactionalLoop}. */
    public static final class Builder<V> extends KafkaLoop.GroupBuilder<V, Builder<V>> {
        private String instanceId = "0";
        private Processor<V> processor;
        private Duration maxTransactionTime = MAX_TRANSACTION_TIME;

        private Builder(String name, KafkaClients clients, RecordDecoder<V> decoder) {
            super(name, clients, decoder);
        }

        @Override
        Builder<V> self() {
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

        /** Test seam: see {@link #MAX_TRANSACTION_TIME}. */
        Builder<V> maxTransactionTime(Duration maxTransactionTime) {
            this.maxTransactionTime = Objects.requireNonNull(maxTransactionTime);
            return this;
        }

        public TransactionalLoop<V> build() {
            requireTopicsAnd(processor, "processor");
            return new TransactionalLoop<>(this);
        }
    }
}
