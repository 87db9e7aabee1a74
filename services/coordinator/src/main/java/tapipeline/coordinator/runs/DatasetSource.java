package tapipeline.coordinator.runs;

import java.util.Optional;
import tapipeline.schemas.coordinator.Dataset;

/**
 * What runs need of the term datasets in {@code coordinator.datasets}: the current version of a term,
 * and writing the next version (pins and overrides are the dataset's {@code pins}). The data half of
 * the coordinator owns the store; this is the narrow view runs use of it.
 */
public interface DatasetSource {

    Optional<Dataset> current(String term);

    /**
     * Publishes {@code next} (its version must be the current one + 1) and returns once it is
     * acknowledged; refuses with {@link IllegalStateException} when someone else wrote the term first.
     */
    Dataset publish(Dataset next, String actor);
}
