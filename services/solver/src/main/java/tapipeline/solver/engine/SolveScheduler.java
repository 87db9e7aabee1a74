package tapipeline.solver.engine;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import tapipeline.schemas.assignment.AssignmentProblem;
import tapipeline.schemas.assignment.RunCompleted;
import tapipeline.schemas.assignment.RunProgress;

/**
 * Runs up to {@code maxConcurrent} solves at once and queues the rest in arrival order. Each run can
 * be cancelled by its id, queued or running; a cancelled queued run completes at once with status
 * {@code CANCELLED} and no solving.
 */
public final class SolveScheduler implements AutoCloseable {

    private final SolverEngine engine;
    private final ThreadPoolExecutor executor;
    private final Map<String, CancellationToken> tokens = new ConcurrentHashMap<>();

    public SolveScheduler(SolverEngine engine, int maxConcurrent) {
        if (maxConcurrent < 1) {
            throw new IllegalArgumentException("maxConcurrent must be >= 1 (was " + maxConcurrent + ")");
        }
        this.engine = Objects.requireNonNull(engine, "engine");
        AtomicInteger threads = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(maxConcurrent, maxConcurrent, 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(), runnable -> {
                    Thread t = new Thread(runnable, "solver-" + threads.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
    }

    /**
     * Queues a run; {@code progress} first hears {@link RunProgress.Phase#QUEUED}. The future completes
     * with the result (never exceptionally for bad input or solver failures: see {@link SolverEngine}).
     *
     * @throws IllegalStateException when a run with this id is already queued or running
     */
    public CompletableFuture<RunCompleted> submit(AssignmentProblem problem, Consumer<RunProgress> progress) {
        return submit(problem, progress, Checkpointing.none());
    }

    /**
     * Like {@link #submit(AssignmentProblem, Consumer)}, starting from and writing checkpoints. An
     * interrupted run ({@link #interrupt}, {@link #close}) completes the future exceptionally with
     * {@link RunInterruptedException}.
     */
    public CompletableFuture<RunCompleted> submit(AssignmentProblem problem, Consumer<RunProgress> progress,
                                                  Checkpointing checkpoints) {
        CancellationToken token = new CancellationToken();
        if (tokens.putIfAbsent(problem.runId(), token) != null) {
            throw new IllegalStateException("run " + problem.runId() + " is already queued or running");
        }
        progress.accept(new RunProgress(problem.runId(), RunProgress.Phase.QUEUED, null, false, 0, 0, 0));
        CompletableFuture<RunCompleted> future = new CompletableFuture<>();
        try {
            executor.execute(() -> {
                try {
                    future.complete(engine.solve(problem, progress, token, checkpoints));
                } catch (Throwable t) {
                    future.completeExceptionally(t);
                } finally {
                    tokens.remove(problem.runId(), token);
                }
            });
        } catch (RejectedExecutionException e) {
            tokens.remove(problem.runId(), token);
            throw new IllegalStateException("the scheduler is closed", e);
        }
        return future;
    }

    /** Asks a queued or running run to stop; false when no such run is queued or running. */
    public boolean cancel(String runId, String reason) {
        CancellationToken token = tokens.get(runId);
        if (token == null) {
            return false;
        }
        token.cancel(reason);
        return true;
    }

    /**
     * Interrupts a queued or running run to hand it back (shutdown, lost partition): it writes a last
     * checkpoint and ends without a result. False when no such run is queued or running.
     */
    public boolean interrupt(String runId, String reason) {
        CancellationToken token = tokens.get(runId);
        if (token == null) {
            return false;
        }
        token.interrupt(reason);
        return true;
    }

    /** Runs solving now. */
    public int running() {
        return executor.getActiveCount();
    }

    /** Runs waiting for a free solver. */
    public int queued() {
        return executor.getQueue().size();
    }

    /**
     * Interrupts every run (they are handed back, not cancelled: see {@link #interrupt}) and waits up to
     * 5 s for them to write their last checkpoint.
     */
    @Override
    public void close() {
        executor.shutdown();
        tokens.values().forEach(t -> t.interrupt("shutting down"));
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
