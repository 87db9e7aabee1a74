package tapipeline.coordinator.runs;

import io.javalin.http.sse.SseClient;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Follows one run on the {@link RunBoard} for a server-sent-events client: the run's current state at
 * once, then again after each change (changes that arrive while one is being sent make one), a
 * comment every 15 s so a gone client is noticed, and the last event when the run has ended.
 * Javalin runs SSE handlers on its async executor, so waiting here holds no request thread; all
 * writes come from the calling thread. Shared by the run page's live fragment and the API's events.
 */
final class RunFollower {

    private RunFollower() {
    }

    /**
     * Sends {@code event.apply(run)} as a "progress" event while the run goes on and as "done" when
     * it has ended, at most one event per {@code minGapMillis} (0: no pause); closes the client at the
     * end. The caller has checked that the run exists.
     */
    static void follow(RunBoard board, String runId, SseClient client, long minGapMillis, String heartbeat,
                       Function<RunBoard.Run, String> event) {
        Semaphore changed = new Semaphore(0);
        AutoCloseable subscription = board.listen(id -> {
            if (runId.equals(id)) {
                changed.release();
            }
        });
        try {
            while (!client.terminated()) {
                RunBoard.Run run = board.get(runId).orElseThrow();
                client.sendEvent(run.done() ? "done" : "progress", event.apply(run));
                if (run.done()) {
                    break;
                }
                if (changed.tryAcquire(15, TimeUnit.SECONDS)) {
                    changed.drainPermits();
                    if (minGapMillis > 0) {
                        Thread.sleep(minGapMillis);
                    }
                } else {
                    client.sendComment(heartbeat);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                subscription.close();
            } catch (Exception ignored) {
                // removing a listener cannot fail
            }
            client.close();
        }
    }
}
