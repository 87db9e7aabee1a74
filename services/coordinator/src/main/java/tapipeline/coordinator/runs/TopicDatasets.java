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

    TopicDatasets(Producer<String, byte[]> producer) {
        this.producer = producer;
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
    public synchronized Dataset publish(Dataset next, String actor) {
        Dataset now = current.get(next.term());
        long expected = now == null ? 1 : now.version() + 1;
        if (next.version() != expected) {
            throw new IllegalStateException("dataset " + next.term() + " changed meanwhile (version "
                    + (now == null ? 0 : now.version()) + "); reload and try again");
        }
        try {
            Events.send(producer, EventTypes.COORDINATOR_DATASETS, next.term(), next).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not write dataset " + next.term() + ": " + e.getMessage(), e);
        }
        current.merge(next.term(), next, (old, n) -> n.version() >= old.version() ? n : old);
        return next;
    }
}
