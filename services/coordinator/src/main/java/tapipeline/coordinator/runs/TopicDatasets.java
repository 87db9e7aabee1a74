package tapipeline.coordinator.runs;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Producer;
import tapipeline.platform.kafka.Events;
import tapipeline.schemas.Envelope;
import tapipeline.schemas.EventTypes;
import tapipeline.schemas.coordinator.Dataset;

/**
 * {@link DatasetSource} straight on the compacted {@code coordinator.datasets} topic: the latest
 * version per term from the runs' replay, and a synchronous send for the next one. Stands in for the
 * data half's store until the two halves are merged.
 */
final class TopicDatasets implements DatasetSource {

    private final Map<String, Dataset> current = new ConcurrentHashMap<>();
    private final Producer<String, byte[]> producer;
    private final AuditTrail audit;

    TopicDatasets(Producer<String, byte[]> producer, AuditTrail audit) {
        this.producer = producer;
        this.audit = audit;
    }

    void apply(Envelope<?> event) {
        if (event.payload() instanceof Dataset d) {
            current.merge(d.term(), d, (old, now) -> now.version() >= old.version() ? now : old);
        }
    }

    @Override
    public Optional<Dataset> current(String term) {
        return Optional.ofNullable(current.get(term));
    }

    @Override
    public synchronized Dataset publish(Dataset draft, long expectedVersion, String subject, String actor, String action,
                                       String reason, String facts) {
        Dataset now = current.get(draft.term());
        long version = now == null ? 0 : now.version();
        if (version != expectedVersion) {
            throw new IllegalStateException("dataset " + draft.term() + " changed meanwhile (version " + version
                    + "); reload and try again");
        }
        Dataset next = new Dataset(draft.term(), expectedVersion + 1, draft.courses(), draft.applicants(),
                draft.preferences(), draft.instructorPreferences(), draft.pins());
        try {
            Events.send(producer, EventTypes.COORDINATOR_DATASETS, next.term(), next).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not write dataset " + next.term() + ": " + e.getMessage(), e);
        }
        current.merge(next.term(), next, (old, n) -> n.version() >= old.version() ? n : old);
        audit.record(subject, actor, action, reason, facts);
        return next;
    }
}
