package tapipeline.bench.solver;

import java.util.ArrayList;
import java.util.List;

/**
 * What one run (one method on one instance, in its own JVM) reports back to the harness, as JSON.
 * Scores are OptaPlanner score strings measured with {@link Yardstick}.
 */
public final class RunRecord {

    /** A score (or bound) at a moment, in milliseconds since the solve started. */
    public record Point(long millis, String score) {
    }

    public String method;
    public int courses;
    public int applicants;
    public long seed;
    /** The solver's random seed where a run overrides the problem's; null otherwise. */
    public Long solverSeed;
    public int seconds;
    public String status;
    public String error;
    /** Mapping the problem (and, for CP-SAT, building the model), before the clock of the solve starts. */
    public long buildMillis;
    public long solveMillis;
    public String modelSize;
    /** For OptaPlanner: its phases as configured for this instance, in words. */
    public String configuration;
    /** New best scores (OptaPlanner: best-solution events; CP-SAT: each improving solution). */
    public List<Point> timeline = new ArrayList<>();
    /** CP-SAT's best bound over time, as a score bound. */
    public List<Point> bounds = new ArrayList<>();
    /** Best score found by the snapshot time (10 s), scored by the yardstick; null if none. */
    public String scoreAtSnapshot;
    public List<String> violationsAtSnapshot = new ArrayList<>();
    /** Best score at the end of the run, scored by the yardstick. */
    public String scoreAtEnd;
    public List<String> violationsAtEnd = new ArrayList<>();
    public Long firstFeasibleMillis;
    public String boundAtSnapshot;
    public String boundAtEnd;
    /** For CP-SAT: whether its objective equals the yardstick's score on the solutions it returned. */
    public String objectiveCheck;
    public long scoreCalculationsPerSecond;
    public String jvm;
    public long peakHeapBytes;
    public long maxHeapAfterGcBytes;
    public long peakRssBytes;
}
