package tapipeline.solver.search;

/**
 * The time one stage of a run may take, on the run's clock ({@link System#nanoTime}): the stage
 * checks {@link #isOver()} as it goes, stops when it is, and says what it left undone with
 * {@link #cut(String)}, so the run can report which stage the time limit cut short.
 */
public final class TimeBox {

    private static final long NEVER = Long.MAX_VALUE;

    private final long deadlineNanos;
    private volatile String cut;

    private TimeBox(long deadlineNanos) {
        this.deadlineNanos = deadlineNanos;
    }

    /** A stage that must end by {@code deadlineNanos} ({@link System#nanoTime} time). */
    public static TimeBox until(long deadlineNanos) {
        return new TimeBox(deadlineNanos);
    }

    /** A stage without a limit of its own (tests, benchmarks, the solver's own termination). */
    public static TimeBox unlimited() {
        return new TimeBox(NEVER);
    }

    public boolean isOver() {
        return deadlineNanos != NEVER && System.nanoTime() - deadlineNanos >= 0;
    }

    /** Milliseconds left, at least 0 (Long.MAX_VALUE when unlimited). */
    public long millisLeft() {
        return deadlineNanos == NEVER ? Long.MAX_VALUE : Math.max(0, (deadlineNanos - System.nanoTime()) / 1_000_000);
    }

    /** Records what the stage left undone because its time was over. */
    public void cut(String what) {
        this.cut = what;
    }

    /** What the stage left undone, or null when it finished. */
    public String cut() {
        return cut;
    }
}
