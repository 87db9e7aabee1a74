package tapipeline.coordinator.datasets;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import tapipeline.platform.kafka.Events;
import tapipeline.platform.kafka.KeyTail;
import tapipeline.platform.kafka.ReplayLoop;
import tapipeline.platform.service.ServiceRuntime;

/**
 * A compare-and-set write to a compacted state topic that every coordinator instance replays, safe
 * across instances: all instances write it with ONE transactional id, used as a cluster-wide lock.
 * Each write opens a new producer and calls {@code initTransactions()}, which fences whoever used the id
 * before (their open transaction is aborted, their commit fails); then waits until this instance's
 * replay has read the key's partition up to its last stable offset; then asks the caller to check the
 * state it now sees (and refuse by throwing) and to name the records; then commits them in one
 * transaction and waits until the replay has read them back. A write that did not commit (fenced, or an
 * error before the commit completed) is tried again after a random pause, checking again.
 */
public final class LockedWriter {

    /** What to write once the state is current; {@code records} empty: nothing to write, return {@code result}. */
    public record Plan<T>(T result, List<ProducerRecord<String, byte[]>> records) {
    }

    /** Checks the current state (throws to refuse: nothing is written) and says what to write. */
    @FunctionalInterface
    public interface Check<T> {
        /** @param retry true when an earlier attempt of this write may have committed after all */
        Plan<T> plan(boolean retry);
    }

    private static final Logger log = LoggerFactory.getLogger(LockedWriter.class);
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int ATTEMPTS = 5;

    private final ServiceRuntime runtime;
    private final String transactionalId;
    private final String topic;
    private final ReplayLoop<?> replay;
    private final Object lock = new Object();
    private volatile int partitions;

    /**
     * @param transactionalId the same on every instance (the lock)
     * @param replay          this instance's replay of {@code topic}
     */
    public LockedWriter(ServiceRuntime runtime, String transactionalId, String topic, ReplayLoop<?> replay) {
        this.runtime = runtime;
        this.transactionalId = transactionalId;
        this.topic = topic;
        this.replay = replay;
    }

    /** Writes what {@code check} plans for {@code key}; a refusal thrown by the check propagates as is. */
    public <T> T write(String key, Check<T> check) {
        return write(key, false, check);
    }

    /**
     * As {@link #write(String, Check)}; with {@code wholeTopic} the check runs only once the replay has read
     * every partition up to its last stable offset, for a rule across keys (e.g. a name unique among keys).
     */
    public <T> T write(String key, boolean wholeTopic, Check<T> check) {
        synchronized (lock) {
            for (int attempt = 1; ; attempt++) {
                try {
                    return once(key, wholeTopic, check, attempt > 1);
                } catch (Retry e) {
                    if (attempt >= ATTEMPTS) {
                        throw new IllegalStateException(topic + " " + key + " could not be written (another instance kept"
                                + " writing, or the cluster kept failing: " + e.getCause() + "); try again", e.getCause());
                    }
                    log.info("write of {} {} not committed (attempt {}: {}); checking again", topic, key, attempt,
                            e.getCause().toString());
                    try {
                        Thread.sleep(50 + ThreadLocalRandom.current().nextInt(250)); // apart, so two fenced writers do not keep fencing each other
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted while writing " + topic + " " + key, ie);
                    }
                }
            }
        }
    }

    /** The write did not commit: check again. */
    private static final class Retry extends RuntimeException {
        Retry(Throwable cause) {
            super(cause);
        }
    }

    /** A refusal of the check, carried through the Kafka error handling untouched. */
    private static final class Refused extends RuntimeException {
        Refused(RuntimeException cause) {
            super(cause);
        }
    }

    private <T> T once(String key, boolean wholeTopic, Check<T> check, boolean retry) {
        Plan<T> plan;
        RecordMetadata last = null;
        try (KafkaProducer<String, byte[]> producer = runtime.clients()
                .transactionalProducer(transactionalId + "-" + runtime.instanceId(), transactionalId)) {
            try {
                producer.initTransactions(); // fences any other instance's write in flight
                int partition = partitionOf(key);
                if (wholeTopic) {
                    for (int p = 0; p < partitions; p++) {
                        awaitRead(p, committedEnd(p));
                    }
                } else {
                    awaitRead(partition, committedEnd(partition));
                }
                try {
                    plan = check.plan(retry);
                } catch (RuntimeException refusal) {
                    throw new Refused(refusal);
                }
                if (plan.records().isEmpty()) {
                    return plan.result();
                }
                producer.beginTransaction();
                java.util.concurrent.Future<RecordMetadata> ours = null;
                for (ProducerRecord<String, byte[]> r : plan.records()) {
                    var f = Events.send(producer, r);
                    if (r.topic().equals(topic) && key.equals(r.key())) {
                        ours = f;
                    }
                }
                producer.commitTransaction();
                if (ours != null) {
                    last = ours.get(WAIT.toSeconds(), TimeUnit.SECONDS);
                }
            } catch (Refused r) {
                throw (RuntimeException) r.getCause();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while writing " + topic + " " + key, e);
            } catch (Exception e) {
                throw new Retry(e);
            }
        }
        if (last != null) {
            try {
                awaitRead(last.partition(), last.offset() + 1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return plan.result();
    }

    /** The key's partition (the producer's murmur2); the partition count is looked up once. */
    private int partitionOf(String key) throws Exception {
        if (partitions == 0) {
            try (Admin admin = runtime.clients().admin()) {
                partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(WAIT.toSeconds(), TimeUnit.SECONDS)
                        .get(topic).partitions().size();
            }
        }
        return KeyTail.partitionOf(key, partitions);
    }

    /** The end of the committed records of a partition (the last stable offset). */
    private long committedEnd(int partition) throws Exception {
        TopicPartition tp = new TopicPartition(topic, partition);
        try (Admin admin = runtime.clients().admin()) {
            return admin.listOffsets(Map.of(tp, OffsetSpec.latest()), new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                    .partitionResult(tp).get(WAIT.toSeconds(), TimeUnit.SECONDS).offset();
        }
    }

    /** Waits until the replay has handled the partition up to {@code end} (markers and aborted records included). */
    private void awaitRead(int partition, long end) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (replay.position(topic, partition) < end) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the replay of " + topic + " did not reach offset " + end + " of partition "
                        + partition + " within " + WAIT.toSeconds() + " s");
            }
            Thread.sleep(10);
        }
    }
}
