package tapipeline.coordinator.datasets;

import tapipeline.schemas.assignment.AssignmentProblem;
import tapipeline.schemas.coordinator.Dataset;

/** The dataset a run was made from, read back from its request (the run's snapshot is kept forever). */
public final class DatasetSnapshots {

    private DatasetSnapshots() {
    }

    /** The problem's data as a dataset of its term ({@code version} is not known from a problem: 1). */
    public static Dataset of(AssignmentProblem p) {
        return new Dataset(p.term(), 1, p.courses(), p.applicants(), p.preferences(), p.instructorPreferences(), p.pins());
    }
}
