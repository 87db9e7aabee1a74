package tapipeline.coordinator.datasets;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import tapipeline.coordinator.audit.AuditLog;
import tapipeline.platform.kafka.Events;
import tapipeline.platform.kafka.KeyTail;
import tapipeline.platform.kafka.ReplayLoop;
import tapipeline.platform.service.ServiceRuntime;
import tapipeline.schemas.Envelope;
import tapipeline.schemas.EventTypes;
import tapipeline.schemas.audit.AuditEntry;
import tapipeline.schemas.coordinator.Dataset;

/**
 * The terms' datasets, from the compacted {@code coordinator.datasets} (key: term), replayed on
 * start, so a restart or another instance sees the same data; and the one way to change them:
 * {@link #publish}, which writes the whole dataset as version + 1.
 *
 * <p><b>Two writers at once.</b> Every publish is a compare-and-set on the term's version, made
 * safe across instances by one transactional id that all coordinator instances share for dataset
 * writes ({@value #WRITER_ID}). Each publish opens a new producer and calls
 * {@code initTransactions()}, which bumps the id's epoch and fences whichever instance used it before
 * (its open transaction is aborted, its commit fails). Only then does it wait until this instance's
 * replay has read everything committed on the term's partition, compare the version with the one the
 * caller expects, and write the dataset and its audit entry in one transaction. So a publish commits
 * only if no other publish began after it, and it compared against every publish committed before
 * it: of two applies made against version N, one commits N + 1 and the other either sees N + 1 and
 * fails with {@link VersionConflictException} (HTTP 409, nothing written) or is fenced and retried,
 * then fails the same way. Nothing is lost silently.
 */
public final class DatasetStore {

    /** The transactional id every coordinator instance uses for dataset writes: a cluster-wide write lock. */
    public static final String WRITER_ID = "coordinator-datasets-writer";

    private static final Logger log = LoggerFactory.getLogger(DatasetStore.class);
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final ServiceRuntime runtime;
    private final AuditLog audit;
    private final Map<String, Dataset> byTerm = new ConcurrentHashMap<>();
    private final ReplayLoop<Envelope<Dataset>> replay;
    private final Object writeLock = new Object();

    /** The version a caller expected is not the term's current one: nothing was written. */
    public static final class VersionConflictException extends RuntimeException {
        private final long current;

        public VersionConflictException(String term, long expected, long current) {
            super("term " + term + " is at version " + current + ", not " + expected
                    + ": someone changed it meanwhile; look at the current data and try again");
            this.current = current;
        }

        public long current() {
            return current;
        }
    }

    public DatasetStore(ServiceRuntime runtime, AuditLog audit) {
        this.runtime = runtime;
        this.audit = audit;
        this.replay = runtime.startReplayLoop("datasets", Events.decoder(EventTypes.COORDINATOR_DATASETS),
                (event, record) -> byTerm.put(event.payload().term(), event.payload()), () -> { }, EventTypes.COORDINATOR_DATASETS.topic());
    }

    /** The term's current dataset. */
    public Optional<Dataset> current(String term) {
        return Optional.ofNullable(byTerm.get(term));
    }

    /** The term's current version, 0 when it has none. */
    public long version(String term) {
        Dataset d = byTerm.get(term);
        return d == null ? 0 : d.version();
    }

    /** Every term with a dataset, sorted. */
    public List<String> terms() {
        return byTerm.keySet().stream().sorted().toList();
    }

    /**
     * What changed from one dataset of a term to another: for "what changed since the last run",
     * pass the dataset the run was made from ({@link DatasetSnapshots#of(tapipeline.schemas.assignment.AssignmentProblem)}) and the current one.
     */
    public static DatasetDiff changes(Dataset before, Dataset after) {
        return DatasetDiff.between(before, after);
    }

    /** What changed in the term since {@code before} (e.g. the snapshot the last run used). */
    public DatasetDiff changesSince(String term, Dataset before) {
        return DatasetDiff.between(before, byTerm.get(term));
    }

    public boolean awaitReady(Duration timeout) throws InterruptedException {
        return replay.awaitCaughtUp(timeout);
    }

    /**
     * Writes {@code next} as the term's version {@code expectedVersion + 1}, with its audit entry in
     * the same transaction, if the term is still at {@code expectedVersion} (0: the term has no
     * dataset yet). Returns the dataset written, once this instance has read it back.
     *
     * @throws VersionConflictException when the term moved on; nothing is written
     */
    public Dataset publish(Dataset next, long expectedVersion, AuditEntry entry) {
        Dataset toWrite = new Dataset(next.term(), expectedVersion + 1, next.courses(), next.applicants(),
                next.preferences(), next.instructorPreferences(), next.pins());
        synchronized (writeLock) {
            for (int attempt = 1; ; attempt++) {
                try {
                    return publishOnce(toWrite, expectedVersion, entry, attempt > 1);
                } catch (Retry e) {
                    if (attempt >= 5) {
                        throw new IllegalStateException("the dataset of " + next.term() + " could not be written (another"
                                + " instance kept writing, or the cluster kept failing: " + e.getCause() + "); try again", e.getCause());
                    }
                    log.info("dataset write of {} not committed (attempt {}: {}); checking the version again",
                            next.term(), attempt, e.getCause().toString());
                    try {
                        // apart, so two fenced writers do not keep fencing each other
                        Thread.sleep(50 + java.util.concurrent.ThreadLocalRandom.current().nextInt(250));
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted while writing the dataset of " + next.term(), ie);
                    }
                }
            }
        }
    }

    /** The write did not commit (fenced by another instance, or an error before the commit completed): check again. */
    private static final class Retry extends RuntimeException {
        Retry(Throwable cause) {
            super(cause);
        }
    }

    private Dataset publishOnce(Dataset toWrite, long expectedVersion, AuditEntry entry, boolean retry) {
        String term = toWrite.term();
        RecordMetadata md;
        try (KafkaProducer<String, byte[]> producer = runtime.clients()
                .transactionalProducer("coordinator-datasets-" + runtime.instanceId(), WRITER_ID)) {
            try {
                producer.initTransactions(); // fences any other instance's dataset write in flight
                int partition = partitionOf(term);
                awaitRead(partition, committedEnd(partition));
                Dataset current = byTerm.get(term);
                long version = current == null ? 0 : current.version();
                if (retry && version == toWrite.version() && toWrite.equals(current)) {
                    return current; // an earlier attempt of this very call committed after all (its commit had failed)
                }
                if (version != expectedVersion) {
                    throw new VersionConflictException(term, expectedVersion, version);
                }
                producer.beginTransaction();
                var sent = Events.send(producer, EventTypes.COORDINATOR_DATASETS, term, toWrite);
                if (entry != null) {
                    producer.send(AuditLog.recordOf(entry));
                }
                producer.commitTransaction();
                md = sent.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            } catch (VersionConflictException e) {
                throw e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while writing the dataset of " + term, e);
            } catch (Exception e) {
                throw new Retry(e);
            }
        }
        try {
            awaitRead(md.partition(), md.offset() + 1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (entry != null) {
            audit.added(entry);
        }
        log.info("dataset {} version {} written ({} courses, {} applicants)", term, toWrite.version(),
                toWrite.courses().size(), toWrite.applicants().size());
        return toWrite;
    }

    private volatile int partitions;

    /** The term's partition (the producer's murmur2 of the key); the partition count is looked up once. */
    private int partitionOf(String term) throws Exception {
        if (partitions > 0) {
            return KeyTail.partitionOf(term, partitions);
        }
        try (Admin admin = runtime.clients().admin()) {
            int partitions = admin.describeTopics(List.of(EventTypes.COORDINATOR_DATASETS.topic())).allTopicNames()
                    .get(WAIT.toSeconds(), TimeUnit.SECONDS).get(EventTypes.COORDINATOR_DATASETS.topic()).partitions().size();
            this.partitions = partitions;
            return KeyTail.partitionOf(term, partitions);
        }
    }

    /** The end of the committed records of a partition (the last stable offset). */
    private long committedEnd(int partition) throws Exception {
        TopicPartition tp = new TopicPartition(EventTypes.COORDINATOR_DATASETS.topic(), partition);
        try (Admin admin = runtime.clients().admin()) {
            return admin.listOffsets(Map.of(tp, OffsetSpec.latest()), new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                    .partitionResult(tp).get(WAIT.toSeconds(), TimeUnit.SECONDS).offset();
        }
    }

    /** Waits until the replay has handled the partition up to {@code end} (markers and aborted records included). */
    private void awaitRead(int partition, long end) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (replay.position(EventTypes.COORDINATOR_DATASETS.topic(), partition) < end) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the dataset replay did not reach offset " + end + " of partition "
                        + partition + " within " + WAIT.toSeconds() + " s");
            }
            Thread.sleep(10);
        }
    }
}
