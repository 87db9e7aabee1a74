package tapipeline.solver.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * Asks a running (or queued) solve to stop. Thread-safe; cancelling twice is harmless. A cancelled
 * solve returns its best solution so far with status {@code CANCELLED}.
 */
public final class CancellationToken {

    private final List<Runnable> listeners = new ArrayList<>();
    private volatile boolean cancelled;
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
