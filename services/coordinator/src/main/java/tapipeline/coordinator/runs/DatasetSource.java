package tapipeline.coordinator.runs;

import java.util.Optional;
import tapipeline.schemas.coordinator.Dataset;

/**
 * What runs need of the term datasets in {@code coordinator.datasets}: the current version of a term,
 * and writing the next version with its audit entry (pins and overrides are the dataset's
 * {@code pins}). The data half owns the store; this is the narrow view runs use of it.
 */
public interface DatasetSource {

    Optional<Dataset> current(String term);

    /**
     * Writes {@code next} as version {@code expectedVersion + 1} with an audit entry (subject, actor,
     * action, reason, facts), once acknowledged; refuses with {@link IllegalStateException} when the
     * term moved on meanwhile.
     */
    Dataset publish(Dataset next, long expectedVersion, String subject, String actor, String action, String reason,
                    String facts);
}
