package tapipeline.solver.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * Asks a running (or queued) solve to stop. Thread-safe; cancelling twice is harmless. A cancelled
 * solve returns its best solution so far with status {@code CANCELLED}.
 *
 * <p>An <em>interrupt</em> is the engine's stop, not the user's: the service is shutting down or lost
 * the run's partition. An interrupted solve writes a last checkpoint, skips explanations and ends with
 * {@link RunInterruptedException} instead of a result, so the run is handed back and solved again
 * (from the checkpoint) by whoever reads its request next.
 */
public final class CancellationToken {

    private final List<Runnable> listeners = new ArrayList<>();
    private volatile boolean cancelled;
    private volatile boolean interrupted;
    private volatile String reason = "";

    /** A token nobody cancels; for callers that never stop a solve early. */
    public static CancellationToken none() {
        return new CancellationToken();
    }

    public void cancel(String why) {
        List<Runnable> toRun;
        synchronized (listeners) {
            if (cancelled) {
                return;
            }
            reason = why == null ? "" : why;
            cancelled = true;
            toRun = List.copyOf(listeners);
        }
        toRun.forEach(Runnable::run);
    }

    /** Stops the solve to hand the run back (see the class comment); not a user's cancel. */
    public void interrupt(String why) {
        interrupted = true;
        cancel(why);
    }

    /** True after {@link #interrupt}: the run must not complete, whatever the solve returned. */
    public boolean isInterrupted() {
        return interrupted;
    }

    public void cancel() {
        cancel("");
    }

    public boolean isCancelled() {
        return cancelled;
    }

    public String reason() {
        return reason;
    }

    /** Runs {@code listener} on cancel, or at once when already cancelled. */
    public void onCancel(Runnable listener) {
        synchronized (listeners) {
            if (!cancelled) {
                listeners.add(listener);
                return;
            }
        }
        listener.run();
    }
}
