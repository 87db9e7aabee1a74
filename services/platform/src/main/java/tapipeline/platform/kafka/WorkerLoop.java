package tapipeline.platform.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An at-least-once loop for long work (a solve of minutes): the poll thread hands each record to a
 * worker, at most {@code capacity} at once, and keeps polling while the work runs, so heartbeats,
 * rebalances and whatever else the service reads keep flowing. Kafka's {@code max.poll.interval.ms}
 * stays at its normal value whatever the work's length.
 *
 * <ul>
 *   <li>A partition is paused while its record is worked on (one record per partition at a time, in
 *       order); every partition is paused while all workers are busy, so waiting records stay in Kafka.</li>
 *   <li>The offset is committed only when the work completed: handled, or dead-lettered after the
 *       {@link ErrorPolicy}'s attempts ({@link RecordAttempts}, as in {@link ConsumerLoop}).</li>
 *   <li>A revoked partition's work is <em>interrupted</em> ({@link Interruption}) and awaited; work that
 *       hands its record back ({@link HandedBack}) is neither committed nor dead-lettered, so the
 *       partition's next owner reads the record again. Work of partitions that stay is not disturbed:
 *       the consumer uses the {@link CooperativeStickyAssignor}, so a joining instance only takes
 *       partitions that move.</li>
 *   <li>{@link #close()} stops taking records, interrupts all work the same way, waits at most
 *       {@link Builder#handBackTimeout} for it, commits what completed, and closes.</li>
 * </ul>
 */
public final class WorkerLoop<V> extends KafkaLoop<V> {

    private static final Logger log = LoggerFactory.getLogger(WorkerLoop.class);

    /** Works on one decoded record, on a worker thread. Throw to retry, {@link HandedBack} to hand it back. */
    @FunctionalInterface
    public interface Work<V> {
        void run(V value, ConsumerRecord<String, byte[]> record, Interruption interruption) throws Exception;
    }

    /**
     * Thrown by {@link Work} that stopped because it was interrupted: the record is not committed and not
     * dead-lettered; the partition's next owner reads it again.
     */
    public static final class HandedBack extends RuntimeException {
        public HandedBack(String message) {
            super(message);
        }
    }

    /** Tells work that it must stop and hand its record back (shutdown or lost partition). */
    public static final class Interruption {
        private final List<Runnable> listeners = new ArrayList<>();
        private volatile String reason;

        public boolean isInterrupted() {
            return reason != null;
        }

        /** Why, once {@link #isInterrupted()}: e.g. "shutting down", "partition revoked". */
        public String reason() {
            return reason;
        }

        /** Runs {@code listener} when interrupted, or at once when already interrupted. */
        public void onInterrupt(Runnable listener) {
            synchronized (listeners) {
                if (reason == null) {
                    listeners.add(listener);
                    return;
                }
            }
            listener.run();
        }

        void interrupt(String why) {
            List<Runnable> toRun;
            synchronized (listeners) {
                if (reason != null) {
                    return;
                }
                reason = why;
                toRun = List.copyOf(listeners);
            }
            for (Runnable r : toRun) {
                try {
                    r.run();
                } catch (RuntimeException e) {
                    log.warn("interrupt listener failed", e);
                }
            }
        }
    }

    /** What became of one job. */
    private enum Result { COMPLETED, HANDED_BACK, RETRY, FATAL }

    /** One record being worked on. */
    private final class Job {
        final TopicPartition tp;
        final ConsumerRecord<String, byte[]> record;
        final Interruption interruption = new Interruption();
        final CountDownLatch finished = new CountDownLatch(1);
        volatile Result result;
        volatile Throwable error;

        Job(ConsumerRecord<String, byte[]> record) {
            this.tp = new TopicPartition(record.topic(), record.partition());
            this.record = record;
        }
    }

    private final String groupId;
    private final Consumer<String, byte[]> consumer;
    private final Producer<String, byte[]> deadLetterProducer;
    private final Collection<String> topics;
    private final Work<V> work;
    private final int capacity;
    private final Duration handBackTimeout;
    private final Runnable beforeCommit;
    private final ExecutorService workers;
    private final AutoCloseable clientMetrics;
    /** Work in flight by partition; written on the poll thread only. */
    private final Map<TopicPartition, Job> jobs = new ConcurrentHashMap<>();
    /** Jobs whose work ended, for the poll thread to commit or seek back. */
    private final ConcurrentLinkedQueue<Job> ended = new ConcurrentLinkedQueue<>();

    private WorkerLoop(Builder<V> b) {
        super(b);
        this.groupId = b.groupId;
        this.topics = List.copyOf(b.topics);
        this.work = b.work;
        this.capacity = b.capacity;
        this.handBackTimeout = b.handBackTimeout;
        this.beforeCommit = b.beforeCommit;
        Map<String, Object> overrides = new HashMap<>();
        overrides.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        overrides.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Math.max(1, b.capacity));
        overrides.putAll(b.consumerOverrides);
        this.consumer = b.clients.consumer(b.groupId, b.name, overrides);
        this.deadLetterProducer = b.clients.producer(b.name + "-dlq");
        AtomicInteger threads = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(capacity, r -> {
            Thread t = new Thread(r, "worker-" + b.name + "-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        KafkaClientMetrics metrics = new KafkaClientMetrics(consumer);
        metrics.bindTo(b.meters);
        this.clientMetrics = metrics;
    }

    public static <V> Builder<V> builder(String name, KafkaClients clients, RecordDecoder<V> decoder) {
        return new Builder<>(name, clients, decoder);
    }

    /** Starts the poll thread. */
    public WorkerLoop<V> start() {
        launch("loop-");
        return this;
    }

    /** Records being worked on now, as "topic-partition@offset". */
    public List<String> inFlight() {
        List<String> out = new ArrayList<>();
        jobs.values().forEach(j -> out.add(j.tp + "@" + j.record.offset()));
        out.sort(null);
        return out;
    }

    public int capacity() {
        return capacity;
    }

    @Override
    void runLoop() {
        consumer.subscribe(topics, new HandBackOnRevoke());
        while (!closing()) {
            ConsumerRecords<String, byte[]> records = consumer.poll(pollTimeout);
            for (TopicPartition tp : records.partitions()) {
                take(tp, records.records(tp));
            }
            if (!settleEnded()) {
                return;
            }
            pauseBusy();
        }
    }

    /** Starts work on the partition's first record (if a worker is free); the rest is fetched again later. */
    private void take(TopicPartition tp, List<ConsumerRecord<String, byte[]>> batch) {
        ConsumerRecord<String, byte[]> first = batch.get(0);
        if (closing() || jobs.containsKey(tp) || jobs.size() >= capacity) {
            consumer.seek(tp, first.offset());
            return;
        }
        if (batch.size() > 1) {
            consumer.seek(tp, first.offset() + 1);
        }
        Job job = new Job(first);
        jobs.put(tp, job);
        consumer.pause(List.of(tp));
        workers.execute(() -> runJob(job));
    }

    /** On a worker thread: the record through {@link RecordAttempts}, then its dead letter if it is one. */
    private void runJob(Job job) {
        boolean[] handedBack = {false};
        try {
            RecordAttempts.Outcome outcome = attempts.attempt(job.record, (value, record) -> {
                if (job.interruption.isInterrupted() || closing()) {
                    handedBack[0] = true; // a retry after an interrupt: do not start the work again
                    return;
                }
                try {
                    work.run(value, record, job.interruption);
                } catch (HandedBack e) {
                    handedBack[0] = true;
                } catch (Exception | Error e) {
                    if (job.interruption.isInterrupted() || closing()) {
                        // failing while being stopped is not the record's fault: hand it back
                        log.info("{}: {}@{} failed while interrupted ({}); handing it back", name(), job.tp,
                                record.offset(), e.toString());
                        handedBack[0] = true;
                        return;
                    }
                    throw e;
                }
            });
            if (handedBack[0] || outcome instanceof RecordAttempts.Outcome.Retry) {
                // handed back by the work, or still failing when the loop stopped: read again by the next owner
                job.result = Result.HANDED_BACK;
            } else if (outcome instanceof RecordAttempts.Outcome.Fatal f) {
                job.error = f.error();
                job.result = Result.FATAL;
            } else if (outcome instanceof RecordAttempts.Outcome.DeadLetter d) {
                try {
                    deadLetterProducer.send(DeadLetters.of(job.record, groupId, d.reason(), d.error(), d.attempts()))
                            .get(30, TimeUnit.SECONDS);
                    job.result = Result.COMPLETED;
                } catch (Exception e) {
                    log.error("{}: cannot write dead letter for {}@{}, will retry it", name(), job.tp,
                            job.record.offset(), e);
                    job.result = Result.RETRY;
                }
            } else {
                job.result = Result.COMPLETED;
            }
        } catch (RuntimeException | Error e) {
            job.error = e;
            job.result = Result.FATAL;
        } finally {
            ended.add(job);
            job.finished.countDown();
        }
    }

    /** On the poll thread: commits completed work, seeks back what was handed back. False to stop the loop. */
    private boolean settleEnded() {
        Job job;
        while ((job = ended.poll()) != null) {
            if (!jobs.remove(job.tp, job)) {
                continue; // settled already (revoke, lost partition)
            }
            switch (job.result) {
                case COMPLETED -> commit(job);
                case HANDED_BACK, RETRY -> {
                    if (consumer.assignment().contains(job.tp)) {
                        consumer.seek(job.tp, job.record.offset());
                    }
                }
                case FATAL -> {
                    fail("fatal error on " + job.tp + "@" + job.record.offset() + ": " + job.error, job.error);
                    return false;
                }
            }
        }
        return true;
    }

    private void commit(Job job) {
        if (!consumer.assignment().contains(job.tp)) {
            return;
        }
        try {
            beforeCommit.run();
            consumer.commitSync(Map.of(job.tp, new OffsetAndMetadata(job.record.offset() + 1)));
        } catch (CommitFailedException | RebalanceInProgressException | RetriableException e) {
            // the work is done and idempotent: whoever reads the record again finds it done
            log.warn("{}: commit of {}@{} failed ({}); the record may be read again", name(), job.tp,
                    job.record.offset(), e.toString());
        }
    }

    /** Busy partitions stay paused; all are paused while every worker is busy; the rest are resumed. */
    private void pauseBusy() {
        Set<TopicPartition> assigned = consumer.assignment();
        Set<TopicPartition> pause = new HashSet<>();
        for (TopicPartition tp : assigned) {
            if (jobs.size() >= capacity || jobs.containsKey(tp)) {
                pause.add(tp);
            }
        }
        Set<TopicPartition> paused = consumer.paused();
        List<TopicPartition> resume = new ArrayList<>();
        for (TopicPartition tp : paused) {
            if (assigned.contains(tp) && !pause.contains(tp)) {
                resume.add(tp);
            }
        }
        pause.removeAll(paused);
        if (!pause.isEmpty()) {
            consumer.pause(pause);
        }
        if (!resume.isEmpty()) {
            consumer.resume(resume);
        }
    }

    /** Interrupts the work of these partitions, waits for it (bounded), and settles it. */
    private void handBack(Collection<TopicPartition> partitions, String why, boolean canCommit) {
        List<Job> affected = new ArrayList<>();
        for (TopicPartition tp : partitions) {
            Job job = jobs.get(tp);
            if (job != null) {
                affected.add(job);
                log.info("{}: interrupting work on {}@{}: {}", name(), tp, job.record.offset(), why);
                job.interruption.interrupt(why);
            }
        }
        long deadline = System.nanoTime() + handBackTimeout.toNanos();
        for (Job job : affected) {
            try {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !job.finished.await(left, TimeUnit.NANOSECONDS)) {
                    log.warn("{}: work on {}@{} did not stop within {}; leaving it", name(), job.tp,
                            job.record.offset(), handBackTimeout);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        for (Job job : affected) {
            if (jobs.remove(job.tp, job) && job.result == Result.COMPLETED && canCommit) {
                commit(job);
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
            handBack(List.copyOf(jobs.keySet()), "shutting down", true);
            settleEnded();
        } catch (RuntimeException e) {
            log.warn("{}: settling work at close failed: {}", name(), e.toString());
        }
        workers.shutdownNow();
        closeQuietly(clientMetrics);
        consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        deadLetterProducer.close(Duration.ofSeconds(5));
    }

    private final class HandBackOnRevoke implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty()) {
                log.info("{}: revoked {}", name(), partitions);
                handBack(partitions, "partition revoked", true);
            }
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            log.warn("{}: lost {}", name(), partitions);
            handBack(partitions, "partition lost", false);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty()) {
                log.info("{}: assigned {}", name(), partitions);
            }
        }
    }

    /** Configures a {@link WorkerLoop}. */
    public static final class Builder<V> extends KafkaLoop.GroupBuilder<V, Builder<V>> {
        private Work<V> work;
        private int capacity = 1;
        private Duration handBackTimeout = Duration.ofSeconds(8);
        private Runnable beforeCommit = () -> { };

        private Builder(String name, KafkaClients clients, RecordDecoder<V> decoder) {
            super(name, clients, decoder);
        }

        @Override
        Builder<V> self() {
            return this;
        }

        public Builder<V> work(Work<V> work) {
            this.work = work;
            return this;
        }

        /** Records worked on at once (one per partition). */
        public Builder<V> capacity(int capacity) {
            if (capacity < 1) {
                throw new IllegalArgumentException(groupId + ": capacity must be at least 1, was " + capacity);
            }
            this.capacity = capacity;
            return this;
        }

        /** How long a revoke or close waits for interrupted work to hand its record back. */
        public Builder<V> handBackTimeout(Duration timeout) {
            this.handBackTimeout = Objects.requireNonNull(timeout);
            return this;
        }

        /** Runs before an offset is committed (e.g. {@code producer::flush}). */
        public Builder<V> beforeCommit(Runnable beforeCommit) {
            this.beforeCommit = Objects.requireNonNull(beforeCommit);
            return this;
        }

        public WorkerLoop<V> build() {
            requireTopicsAnd(work, "work");
            return new WorkerLoop<>(this);
        }
    }
}
