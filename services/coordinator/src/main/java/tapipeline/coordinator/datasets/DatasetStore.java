package tapipeline.coordinator.datasets;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import tapipeline.coordinator.audit.AuditLog;
import tapipeline.platform.kafka.Events;
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

    private final ServiceRuntime runtime;
    private final AuditLog audit;
    private final Map<String, Dataset> byTerm = new ConcurrentHashMap<>();
    private final ReplayLoop<Envelope<Dataset>> replay;
    private final LockedWriter writer;

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
        this.writer = new LockedWriter(runtime, WRITER_ID, EventTypes.COORDINATOR_DATASETS.topic(), replay);
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
                next.preferences(), next.instructorPreferences(), next.pins(), next.contacts(), next.courseDetails());
        String term = toWrite.term();
        Dataset written = writer.write(term, retry -> {
            Dataset current = byTerm.get(term);
            long version = current == null ? 0 : current.version();
            if (retry && version == toWrite.version() && toWrite.equals(current)) {
                return new LockedWriter.Plan<>(current, List.of()); // an earlier attempt of this very call committed after all
            }
            if (version != expectedVersion) {
                throw new VersionConflictException(term, expectedVersion, version);
            }
            List<ProducerRecord<String, byte[]>> records = new java.util.ArrayList<>();
            records.add(Events.record(EventTypes.COORDINATOR_DATASETS, term, toWrite));
            if (entry != null) {
                records.add(AuditLog.recordOf(entry));
            }
            return new LockedWriter.Plan<>(toWrite, records);
        });
        if (entry != null) {
            audit.added(entry);
        }
        log.info("dataset {} version {} written ({} courses, {} applicants)", term, written.version(),
                written.courses().size(), written.applicants().size());
        return written;
    }
}
