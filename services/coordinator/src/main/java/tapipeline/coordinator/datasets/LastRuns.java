package tapipeline.coordinator.datasets;

import java.util.Optional;

import tapipeline.schemas.coordinator.Dataset;

/**
 * What the runs half tells the data half about a term's last run: its id and the dataset it was made
 * from (its request's snapshot, {@link DatasetSnapshots#of}), for "what changed since the last run".
 * Until the runs half supplies one, {@link #NONE} says there was none.
 */
@FunctionalInterface
public interface LastRuns {

    /** The last run of a term and its dataset. */
    record LastRun(String runId, Dataset snapshot) {
    }

    Optional<LastRun> lastRun(String term);

    LastRuns NONE = term -> Optional.empty();
}
