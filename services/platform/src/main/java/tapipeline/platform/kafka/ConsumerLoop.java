package tapipeline.platform.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The at-least-once consumer loop every service uses: poll, decode, handle, commit. A record that
 * cannot be handled is retried with backoff, then written to {@code <topic>.dlq} (and only then
 * committed), and the loop goes on with the next record. Stops on {@link #close()} through
 * {@code consumer.wakeup()}; a rebalance commits the work already done.
 *
 * <p>Handlers must be idempotent: a record handled just before a crash is handled again.
 */
public final class ConsumerLoop<V> implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ConsumerLoop.class);

    /** Handles one decoded record. Throw to retry (or {@link PoisonRecordException} to skip). */
    @FunctionalInterface
    public interface Handler<V> {
        void handle(V value, ConsumerRecord<String, byte[]> record) throws Exception;
    }

    private final String name;
    private final String groupId;
    private final Consumer<String, byte[]> consumer;
    private final Producer<String, byte[]> deadLetterProducer;
    private final Collection<String> topics;
    private final Handler<V> handler;
    private final RecordAttempts<V> attempts;
    private final Duration pollTimeout;
    private final Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
    private final CountDownLatch finished = new CountDownLatch(1);
    private final AutoCloseable clientMetrics;
    private final Runnable beforeCommit;
    private volatile LoopState state = LoopState.NEW;
    private volatile String failure = "";
    private volatile boolean closing;
    private Thread thread;

    private ConsumerLoop(Builder<V> b) {
        this.name = b.name;
        this.groupId = b.groupId;
        this.topics = List.copyOf(b.topics);
        this.handler = b.handler;
        this.pollTimeout = b.pollTimeout;
        this.beforeCommit = b.beforeCommit;
        this.consumer = b.clients.consumer(b.groupId, b.name, b.consumerOverrides);
        this.deadLetterProducer = b.clients.producer(b.name + "-dlq");
        this.attempts = new RecordAttempts<>(b.name, b.decoder, b.policy, b.meters);
        KafkaClientMetrics metrics = new KafkaClientMetrics(consumer);
        metrics.bindTo(b.meters);
        this.clientMetrics = metrics;
    }

    public static <V> Builder<V> builder(String name, KafkaClients clients, RecordDecoder<V> decoder) {
        return new Builder<>(name, clients, decoder);
    }

    /** Starts the loop on its own thread. */
    public ConsumerLoop<V> start() {
        thread = new Thread(this::run, "loop-" + name);
        thread.start();
        return this;
    }

    public LoopState state() {
        return state;
    }

    /** Why the loop stopped, when {@link #state()} is FAILED. */
    public String failure() {
        return failure;
    }

    public String name() {
        return name;
    }

    private void run() {
        state = LoopState.RUNNING;
        try {
            consumer.subscribe(topics, new CommitOnRevoke());
            while (!closing) {
                ConsumerRecords<String, byte[]> records = consumer.poll(pollTimeout);
                for (TopicPartition tp : records.partitions()) {
                    if (!processPartition(tp, records.records(tp))) {
                        return;
                    }
                }
                commitDone();
            }
        } catch (WakeupException e) {
            if (!closing) {
                fail("unexpected wakeup", e);
            }
        } catch (RuntimeException e) {
            fail(e.toString(), e);
        } finally {
            try {
                commitDone();
            } catch (RuntimeException e) {
                log.warn("{}: final commit failed: {}", name, e.toString());
            }
            closeQuietly(clientMetrics);
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(10)));
            deadLetterProducer.close(Duration.ofSeconds(10));
            if (state == LoopState.RUNNING) {
                state = LoopState.STOPPED;
            }
            finished.countDown();
        }
    }

    /** Returns false when the loop must stop. */
    private boolean processPartition(TopicPartition tp, List<ConsumerRecord<String, byte[]>> batch) {
        for (ConsumerRecord<String, byte[]> record : batch) {
            if (closing) {
                // leave the rest of the batch for the next owner: nothing after `done` is committed
                return true;
            }
            RecordAttempts.Outcome outcome = attempts.attempt(record, handler::handle);
            if (outcome instanceof RecordAttempts.Outcome.Fatal f) {
                fail("fatal error on " + tp + "@" + record.offset() + ": " + f.error(), f.error());
                return false;
            }
            if (outcome instanceof RecordAttempts.Outcome.DeadLetter d) {
                try {
                    deadLetterProducer.send(DeadLetters.of(record, groupId, d.reason(), d.error(), d.attempts()))
                            .get(30, TimeUnit.SECONDS);
                } catch (Exception e) {
                    // not written to the dead letters: do not commit past it; read it again later
                    log.error("{}: cannot write dead letter for {}@{}, will retry it", name, tp, record.offset(), e);
                    consumer.seek(tp, record.offset());
                    return true;
                }
            }
            done.put(tp, new OffsetAndMetadata(record.offset() + 1));
        }
        return true;
    }

    private void commitDone() {
        if (!done.isEmpty()) {
            beforeCommit.run();
            consumer.commitSync(done);
            done.clear();
        }
    }

    private void fail(String reason, Throwable e) {
        failure = reason;
        state = LoopState.FAILED;
        log.error("{}: consumer loop stopped: {}", name, reason, e);
    }

    /** Stops the loop: finishes the record in hand, commits, closes the clients. */
    @Override
    public synchronized void close() {
        if (closing) {
            return;
        }
        closing = true;
        attempts.stopping();
        consumer.wakeup();
        if (thread != null) {
            try {
                if (!finished.await(30, TimeUnit.SECONDS)) {
                    log.warn("{}: loop did not stop within 30 s", name);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else {
            consumer.close();
            deadLetterProducer.close();
        }
    }

    private final class CommitOnRevoke implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            try {
                commitDone();
            } catch (RuntimeException e) {
                log.warn("{}: commit on revoke failed: {}", name, e.toString());
                done.clear();
            }
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            log.info("{}: assigned {}", name, partitions);
        }
    }

    static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // nothing more to do at shutdown
        }
    }

    /** Configures a {@link ConsumerLoop}. */
    public static final class Builder<V> {
        private final String name;
        private final KafkaClients clients;
        private final RecordDecoder<V> decoder;
        private String groupId;
        private Collection<String> topics = List.of();
        private Handler<V> handler;
        private ErrorPolicy policy = ErrorPolicy.defaults();
        private MeterRegistry meters = new SimpleMeterRegistry();
        private Duration pollTimeout = Duration.ofMillis(500);
        private Runnable beforeCommit = () -> { };
        private Map<String, Object> consumerOverrides = Map.of();

        private Builder(String name, KafkaClients clients, RecordDecoder<V> decoder) {
            this.name = Objects.requireNonNull(name);
            this.clients = Objects.requireNonNull(clients);
            this.decoder = Objects.requireNonNull(decoder);
            this.groupId = name;
        }

        public Builder<V> groupId(String groupId) {
            this.groupId = groupId;
            return this;
        }

        public Builder<V> topics(String... topics) {
            this.topics = List.of(topics);
            return this;
        }

        public Builder<V> handler(Handler<V> handler) {
            this.handler = handler;
            return this;
        }

        public Builder<V> errorPolicy(ErrorPolicy policy) {
            this.policy = policy;
            return this;
        }

        public Builder<V> meters(MeterRegistry meters) {
            this.meters = meters;
            return this;
        }

        public Builder<V> pollTimeout(Duration pollTimeout) {
            this.pollTimeout = pollTimeout;
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

        /** Consumer settings that differ from {@link KafkaClients#consumerProps}. */
        public Builder<V> consumerOverrides(Map<String, Object> overrides) {
            this.consumerOverrides = Map.copyOf(overrides);
            return this;
        }

        public ConsumerLoop<V> build() {
            if (topics.isEmpty()) {
                throw new IllegalStateException(name + ": no topics to consume");
            }
            Objects.requireNonNull(handler, "handler");
            return new ConsumerLoop<>(this);
        }
    }
}
