package tapipeline.coordinator.runs;

import java.util.Optional;
import tapipeline.coordinator.api.DataFeature;
import tapipeline.coordinator.datasets.DatasetSnapshots;
import tapipeline.coordinator.datasets.DatasetStore;
import tapipeline.coordinator.datasets.LastRuns;
import tapipeline.schemas.coordinator.Dataset;

/**
 * The runs half on the data half: pins and overrides are new dataset versions written by the data
 * half's store with their audit entry in the same transaction (subject: the term, the run named in the
 * facts); other actions go to its audit log (subject: the run); and the data half learns each term's
 * last run from the runs' board, for "what changed since the last run".
 */
public final class DataBridge {

    private DataBridge() {
    }

    public static DatasetSource datasets(DataFeature data) {
        return new DatasetSource() {
            @Override
            public Optional<Dataset> current(String term) {
                return data.datasets().current(term);
            }

            @Override
            public Dataset publish(Dataset next, long expectedVersion, String runId, String actor, String action,
                                   String reason, String facts) {
                Dataset versioned = new Dataset(next.term(), expectedVersion + 1, next.courses(), next.applicants(),
                        next.preferences(), next.instructorPreferences(), next.pins(), next.contacts(), next.courseDetails());
                try {
                    return data.publishDataset(versioned, actor, action, reason, facts + " in run " + runId);
                } catch (DatasetStore.VersionConflictException e) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
            }
        };
    }

    public static AuditTrail audit(DataFeature data) {
        return (subject, actor, action, reason, facts) -> data.audit().record(subject, actor, action, reason, facts);
    }

    /** The term's latest run the board still has the problem of, with the dataset it was made from. */
    public static LastRuns lastRuns(RunBoard board) {
        return term -> board.list(term).stream().filter(r -> r.problem() != null).findFirst()
                .map(r -> new LastRuns.LastRun(r.runId(), DatasetSnapshots.of(r.problem())));
    }
}
