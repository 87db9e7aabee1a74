package tapipeline.platform.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Materializes a service's state from the log: reads every partition of some topics from the
 * beginning (no consumer group, nothing committed), then keeps following them. {@link #caughtUp()}
 * turns true once everything that was in the topics at start has been handled, which is when a
 * service's state is complete and it may act on it. Poison records go to the dead letters like in
 * the other loops; since every start replays from the beginning, the loop first reads its topics'
 * dead-letter topics and does not dead-letter the same position twice. Handlers must be idempotent.
 *
 * <p>Every instance sees every record: use it for state each instance needs whole (compacted
 * state topics, small histories), not to share work.
 */
public final class ReplayLoop<V> extends KafkaLoop<V> {

    private static final Logger log = LoggerFactory.getLogger(ReplayLoop.class);

    private final Consumer<String, byte[]> consumer;
    private final Producer<String, byte[]> deadLetterProducer;
    private final List<String> topics;
    private final ConsumerLoop.Handler<V> handler;
    private final Runnable onCaughtUp;
    private final KafkaClients clients;
    private final java.util.Set<String> alreadyDeadLettered = new java.util.HashSet<>();
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final Map<TopicPartition, Long> positions = new java.util.concurrent.ConcurrentHashMap<>();
    private final Counter malformedDeadLetters;

    private ReplayLoop(Builder<V> b) {
        super(b);
        this.topics = List.copyOf(b.topics);
        this.handler = b.handler;
        this.onCaughtUp = b.onCaughtUp;
        this.clients = b.clients;
        // a random group id is only a label here: assign() is used and no offsets are committed
        this.consumer = b.clients.consumer(b.name + "-replay-" + UUID.randomUUID(), b.name);
        this.deadLetterProducer = b.clients.producer(b.name + "-dlq");
        this.malformedDeadLetters = Counter.builder("tapipeline.replay.dlq.malformed").tag("loop", b.name)
                .description("dead letters skipped at start because their position headers are missing or malformed")
                .register(b.meters);
    }

    public static <V> Builder<V> builder(String name, KafkaClients clients, RecordDecoder<V> decoder) {
        return new Builder<>(name, clients, decoder);
    }

    public ReplayLoop<V> start() {
        launch("replay-");
        return this;
    }

    /** True once the records present at start have all been handled. */
    public boolean caughtUp() {
        return caughtUp.getCount() == 0;
    }

    /**
     * Waits until {@link #caughtUp()}; returns false on timeout.
     *
     * @throws IllegalStateException at once if the loop fails first (e.g. the cluster refuses its
     *     credentials), with the loop's reason, instead of waiting out the timeout
     */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (caughtUp.await(Math.max(0, Math.min(left, TimeUnit.MILLISECONDS.toNanos(100))), TimeUnit.NANOSECONDS)) {
                return true;
            }
            if (state() == LoopState.FAILED) {
                throw new IllegalStateException(name() + " stopped before it caught up: " + failure());
            }
            if (left <= 0) {
                return false;
            }
        }
    }

    /** Not ready while the state is still being replayed. */
    @Override
    public Readiness readiness() {
        if (state() == LoopState.RUNNING && !caughtUp()) {
            return new Readiness(false, "replaying state from the log");
        }
        return super.readiness();
    }

    @Override
    void runLoop() {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("topic " + topic + " does not exist");
            }
            infos.forEach(i -> partitions.add(new TopicPartition(topic, i.partition())));
        }
        rememberDeadLetters();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> target = new HashMap<>(consumer.endOffsets(partitions));
        checkCaughtUp(target);
        while (!closing()) {
            ConsumerRecords<String, byte[]> records = consumer.poll(pollTimeout);
            for (ConsumerRecord<String, byte[]> record : records) {
                if (closing()) {
                    break;
                }
                RecordAttempts.Outcome outcome = attempts.attempt(record, handler::handle);
                if (outcome instanceof RecordAttempts.Outcome.Fatal f) {
                    fail("fatal error at " + record.topic() + "-" + record.partition() + "@" + record.offset()
                            + ": " + f.error(), f.error());
                    return;
                }
                if (outcome instanceof RecordAttempts.Outcome.DeadLetter d
                        && alreadyDeadLettered.add(position(record.topic(), record.partition(), record.offset()))) {
                    deadLetterProducer.send(DeadLetters.of(record, name(), d.reason(), d.error(), d.attempts()));
                }
            }
            for (TopicPartition tp : partitions) {
                positions.put(tp, consumer.position(tp));
            }
            if (!caughtUp()) {
                checkCaughtUp(target);
            }
        }
    }

    /**
     * How far this loop has handled a partition: the offset of the next record it will read (every
     * record before it, transaction markers and aborted records included, is behind it). 0 before the
     * first poll. For read-your-writes: once this reaches the offset after a record, its state holds it.
     */
    public long position(String topic, int partition) {
        return positions.getOrDefault(new TopicPartition(topic, partition), 0L);
    }

    /** Positions this loop dead-lettered in earlier runs, read from the topics' dead-letter topics. */
    private void rememberDeadLetters() {
        try (Consumer<String, byte[]> dlq = clients.consumer(name() + "-dlq-scan-" + UUID.randomUUID(), name() + "-dlq-scan")) {
            List<TopicPartition> parts = new ArrayList<>();
            for (String topic : topics) {
                List<PartitionInfo> infos = dlq.partitionsFor(Topics.deadLetterTopicOf(topic), Duration.ofSeconds(10));
                if (infos != null) {
                    infos.forEach(i -> parts.add(new TopicPartition(i.topic(), i.partition())));
                }
            }
            if (parts.isEmpty()) {
                return;
            }
            dlq.assign(parts);
            dlq.seekToBeginning(parts);
            Map<TopicPartition, Long> end = dlq.endOffsets(parts);
            while (parts.stream().anyMatch(tp -> dlq.position(tp) < end.get(tp))) {
                for (ConsumerRecord<String, byte[]> r : dlq.poll(Duration.ofMillis(300))) {
                    if (name().equals(DeadLetters.header(r.headers(), DeadLetters.CONSUMER_GROUP))) {
                        rememberDeadLetter(r);
                    }
                }
            }
        }
    }

    /**
     * Notes the original position a dead letter of this loop names. DLQs are kept forever and anyone
     * may write to them, so a record whose position headers are missing or malformed is skipped with
     * a warning and counted ({@code tapipeline.replay.dlq.malformed}); it must not keep the service
     * from becoming ready. The worst case is that the poison record it stood for is dead-lettered again.
     */
    private void rememberDeadLetter(ConsumerRecord<String, byte[]> r) {
        String topic = DeadLetters.header(r.headers(), DeadLetters.ORIGINAL_TOPIC);
        String partition = DeadLetters.header(r.headers(), DeadLetters.ORIGINAL_PARTITION);
        String offset = DeadLetters.header(r.headers(), DeadLetters.ORIGINAL_OFFSET);
        try {
            if (topic == null || topic.isBlank()) {
                throw new NumberFormatException("no " + DeadLetters.ORIGINAL_TOPIC + " header");
            }
            alreadyDeadLettered.add(position(topic, Integer.parseInt(String.valueOf(partition)),
                    Long.parseLong(String.valueOf(offset))));
        } catch (NumberFormatException e) {
            malformedDeadLetters.increment();
            log.warn("{}: skipping dead letter {}-{}@{}: its headers {}/{}/{} do not name a position ({})", name(),
                    r.topic(), r.partition(), r.offset(), DeadLetters.ORIGINAL_TOPIC, DeadLetters.ORIGINAL_PARTITION,
                    DeadLetters.ORIGINAL_OFFSET, e.getMessage());
        }
    }

    private static String position(String topic, int partition, long offset) {
        return topic + "/" + partition + "/" + offset;
    }

    private void checkCaughtUp(Map<TopicPartition, Long> target) {
        target.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
        if (target.isEmpty() && caughtUp.getCount() > 0) {
            log.info("{}: caught up with {}", name(), topics);
            onCaughtUp.run(); // first, so whoever sees caughtUp() also sees what the callback did
            caughtUp.countDown();
        }
    }

    @Override
    void wakeup() {
        consumer.wakeup();
    }

    @Override
    void closeClients() {
        consumer.close(CloseOptions.timeout(Duration.ofSeconds(10)));
        deadLetterProducer.close(Duration.ofSeconds(10));
    }

    /** Configures a {@link ReplayLoop}. */
    public static final class Builder<V> extends KafkaLoop.Builder<V, Builder<V>> {
        private ConsumerLoop.Handler<V> handler;
        private Runnable onCaughtUp = () -> { };

        private Builder(String name, KafkaClients clients, RecordDecoder<V> decoder) {
            super(name, clients, decoder);
            pollTimeout(Duration.ofMillis(300));
        }

        @Override
        Builder<V> self() {
            return this;
        }

        public Builder<V> handler(ConsumerLoop.Handler<V> handler) {
            this.handler = handler;
            return this;
        }

        /** Called once, on the loop's thread, when the state is complete (before caughtUp() turns true). */
        public Builder<V> onCaughtUp(Runnable onCaughtUp) {
            this.onCaughtUp = Objects.requireNonNull(onCaughtUp);
            return this;
        }

        public ReplayLoop<V> build() {
            requireTopicsAnd(handler, "handler");
            return new ReplayLoop<>(this);
        }
    }
}
