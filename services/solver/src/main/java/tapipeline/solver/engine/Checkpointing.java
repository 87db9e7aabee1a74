package tapipeline.solver.engine;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

import tapipeline.schemas.assignment.RunCheckpoint;

/**
 * Where a solve starts from and where it reports its best solution so far.
 *
 * @param from  the run's last checkpoint, or {@code null} to start from scratch. Its filled slots are the
 *              initial (not pinned) values; an entry the problem no longer allows (unknown TA, not eligible,
 *              twice in a course, pinned slot) is dropped; construction fills what is empty; the solve gets
 *              only the time the run has left ({@link RunCheckpoint#solveMs()} is already used)
 * @param sink  receives a checkpoint at most once per {@code every} while a new best solution appears, and
 *              a last one when the solve is interrupted; called on the solving thread
 * @param every the least time between two checkpoints
 */
public record Checkpointing(RunCheckpoint from, Consumer<RunCheckpoint> sink, Duration every) {

    public Checkpointing {
        Objects.requireNonNull(sink, "sink");
        Objects.requireNonNull(every, "every");
    }

    /** No checkpoints: start from scratch and write none. */
    public static Checkpointing none() {
        return new Checkpointing(null, c -> { }, Duration.ofDays(1));
    }
}
