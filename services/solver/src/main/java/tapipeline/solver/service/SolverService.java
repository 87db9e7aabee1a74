package tapipeline.solver.service;

import tapipeline.platform.kafka.access.KafkaAccess;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import tapipeline.platform.config.Config;
import tapipeline.platform.config.Key;
import tapipeline.platform.kafka.Events;
import tapipeline.platform.kafka.ExplanationsWriter;
import tapipeline.platform.kafka.ReplayLoop;
import tapipeline.platform.kafka.Topics;
import tapipeline.platform.kafka.WorkerLoop;
import tapipeline.platform.service.RunningService;
import tapipeline.platform.service.ServiceModule;
import tapipeline.platform.service.ServiceRuntime;
import tapipeline.platform.trace.TraceContext;
import tapipeline.schemas.Envelope;
import tapipeline.schemas.EventTypes;
import tapipeline.schemas.assignment.AssignmentProblem;
import tapipeline.schemas.assignment.RunCancel;
import tapipeline.schemas.assignment.RunCheckpoint;
import tapipeline.schemas.assignment.RunCompleted;
import tapipeline.schemas.assignment.RunStatus;
import tapipeline.schemas.assignment.SolverSettings;
import tapipeline.solver.engine.Checkpointing;
import tapipeline.solver.engine.RunInterruptedException;
import tapipeline.solver.engine.SolveScheduler;
import tapipeline.solver.engine.SolverEngine;

/**
 * The solver service: turns {@code assignment.run.requested} into {@code assignment.run.progress},
 * {@code assignment.run.explanations} (one record per course, written before the result),
 * {@code assignment.run.completed} (v2: says where its explanations are) and {@code assignment.run.status},
 * and honours {@code assignment.run.cancel}.
 *
 * <p>Durability: one {@link WorkerLoop} (consumer group {@code solver-runs}) hands each request to a
 * worker, at most {@code SOLVER_MAX_CONCURRENT_RUNS} at once, pauses that request's partition while it
 * is solved and keeps polling, so rebalances and heartbeats are never held up by a solve. The request's
 * offset is committed only after its completed event is acknowledged. Requests waiting for a free worker
 * stay in Kafka (visible as consumer lag), which is the queue.
 *
 * <p>A stop hands work back, it never fails it: on shutdown, or when a rebalance moves a request's
 * partition away, the run is <em>interrupted</em>: it writes its best solution so far to the compacted
 * {@code assignment.run.checkpoint} (as it also does every {@code SOLVER_CHECKPOINT_SECONDS} while
 * solving), produces no completed event, and its request is not committed, so the partition's next owner
 * reads it again and resumes from the checkpoint with the time the run has left. A checkpoint is
 * tombstoned once its run completed.
 *
 * <p>Every instance replays {@code assignment.run.cancel} and the small compacted {@code assignment.run.status}
 * ({@link ReplayLoop}), so it knows cancels that arrived before their run started and runs already
 * completed (a redelivered request is not solved twice), without reading full results. Completed events
 * written before the status topic existed are indexed once at start ({@link StatusBackfill}).
 */
public final class SolverService implements ServiceModule {

    private static final Logger log = LoggerFactory.getLogger(SolverService.class);

    public static final Key<Integer> PORT = Key.integer("SOLVER_PORT", 8083, 0, 65535,
            "HTTP port of the solver service (health, metrics, active runs).");
    public static final Key<Integer> MAX_CONCURRENT_RUNS = Key.integer("SOLVER_MAX_CONCURRENT_RUNS", 2, 1, 64,
            "Runs solved at once per instance; more wait in Kafka.");
    public static final Key<Integer> MAX_SECONDS = Key.integer("SOLVER_MAX_SECONDS", 1800, 1, 86_400,
            "Upper bound on a run's time limit, whatever the request asks.");
    public static final Key<Integer> MAX_MOVE_THREADS = Key.integer("SOLVER_MAX_MOVE_THREADS", 0, 0, 64,
            "Upper bound on a run's settings.moveThreadCount (more is capped, with a warning); 0 = the number of cores.");
    public static final Key<Integer> CHECKPOINT_SECONDS = Key.integer("SOLVER_CHECKPOINT_SECONDS", 5, 1, 3600,
            "Least time between two checkpoints of a run's best solution (a last one is written when interrupted).");

    private static final int RECENT_RUNS = 20;

    /** The requests' consumer group, shared by every instance. */
    static final String RUNS_GROUP = "solver-runs";

    @Override
    public String name() {
        return "solver";
    }

    /**
     * Requests in the {@code solver-runs} group (the one group it joins); cancels and statuses
     * replayed; a run's checkpoint and completed events read by key; no transactions.
     */
    @Override
    public KafkaAccess kafkaAccess() {
        return KafkaAccess.builder(name(), "solver service: solves requested runs")
                .consumes(Topics.RUN_REQUESTED)                       // WorkerLoop, group solver-runs
                .replays(Topics.RUN_CANCEL, Topics.RUN_STATUS)         // ReplayLoop solver-known-runs
                .reads(Topics.RUN_CHECKPOINT, Topics.RUN_COMPLETED)    // Checkpoints, StatusBackfill (assigned)
                .writes(Topics.RUN_PROGRESS, Topics.RUN_CHECKPOINT, Topics.RUN_EXPLANATIONS, Topics.RUN_COMPLETED,
                        Topics.RUN_STATUS)
                .group(RUNS_GROUP)  // replay and backfill consumers seek themselves: their group ids are labels
                .build();
    }

    @Override
    public List<Key<?>> configKeys() {
        return List.of(PORT, MAX_CONCURRENT_RUNS, MAX_SECONDS, MAX_MOVE_THREADS, CHECKPOINT_SECONDS);
    }

    @Override
    public RunningService start(Config config) {
        ServiceRuntime runtime = new ServiceRuntime(name(), config);
        try {
            new Wiring(runtime).start();
            return runtime;
        } catch (RuntimeException | InterruptedException e) {
            runtime.close();
            throw new IllegalStateException("solver failed to start: " + e.getMessage(), e);
        }
    }

    /** The running parts of one instance. */
    private static final class Wiring {
        private final ServiceRuntime runtime;
        private final int maxSeconds;
        private final int maxMoveThreads;
        private final Duration checkpointEvery;
        private final SolveScheduler scheduler;
        private final Set<String> cancelled = ConcurrentHashMap.newKeySet();
        private final Set<String> completed = ConcurrentHashMap.newKeySet();
        /** Per partition of assignment.run.completed, the highest offset a status record points at. */
        private final Map<Integer, Long> statusCovers = new ConcurrentHashMap<>();
        private StatusBackfill backfill;
        /** The latest completed runs, newest last, for /runs (bounded). */
        private final Map<String, Map<String, Object>> recent = java.util.Collections.synchronizedMap(
                new java.util.LinkedHashMap<>(16, 0.75f, false) {
                    @Override
                    protected boolean removeEldestEntry(Map.Entry<String, Map<String, Object>> eldest) {
                        return size() > RECENT_RUNS;
                    }
                });

        Wiring(ServiceRuntime runtime) {
            this.runtime = runtime;
            this.maxSeconds = runtime.config().get(MAX_SECONDS);
            this.maxMoveThreads = maxMoveThreads(runtime.config().get(MAX_MOVE_THREADS));
            this.checkpointEvery = Duration.ofSeconds(runtime.config().get(CHECKPOINT_SECONDS));
            int concurrent = runtime.config().get(MAX_CONCURRENT_RUNS);
            this.scheduler = runtime.own(new SolveScheduler(new SolverEngine(), concurrent));
            runtime.meters().gauge("tapipeline.solver.runs.running", scheduler, s -> s.running());
        }

        void start() throws InterruptedException {
            long replayStart = System.nanoTime();
            ReplayLoop<Envelope<?>> known = runtime.startReplayLoop("known-runs", Events.anyDecoder(),
                    this::remember, () -> { }, Topics.RUN_CANCEL.name(), Topics.RUN_STATUS.name());
            if (!known.awaitCaughtUp(Duration.ofSeconds(120))) {
                throw new IllegalStateException("could not read cancelled and completed runs within 120 s");
            }
            backfill = new StatusBackfill(runtime.clients(), runtime.producer());
            int indexed = backfill.run(statusCovers, completed, this::rememberStatus);
            log.info("known runs: {} completed ({} indexed from assignment.run.completed), {} cancelled, in {} ms",
                    completed.size(), indexed, cancelled.size(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - replayStart));
            int capacity = runtime.config().get(MAX_CONCURRENT_RUNS);
            WorkerLoop<Envelope<AssignmentProblem>> requests = runtime.startWorkerLoop("runs", RUNS_GROUP, capacity,
                    Map.of(), Events.decoder(EventTypes.RUN_REQUESTED), this::solve, Topics.RUN_REQUESTED.name());
            runtime.startHttp(runtime.config().get(PORT), cfg -> cfg.routes.get("/runs", ctx ->
                    ctx.json(Map.of("running", scheduler.running(), "queued", scheduler.queued(),
                            "capacity", capacity, "inFlight", requests.inFlight(),
                            "recentlyCompleted", recentRuns()))));
            runtime.addHttpUrl("solver runs", "/runs");
        }

        private List<Map<String, Object>> recentRuns() {
            synchronized (recent) {
                return List.copyOf(recent.values());
            }
        }

        private void remember(Envelope<?> event, ConsumerRecord<String, byte[]> record) {
            if (event.payload() instanceof RunCancel cancel) {
                cancelled.add(cancel.runId());
                if (scheduler.cancel(cancel.runId(), cancel.reason())) {
                    log.info("cancelling run {}: {}", cancel.runId(), cancel.reason());
                }
            } else if (event.payload() instanceof RunStatus status) {
                rememberStatus(status);
            }
        }

        private void rememberStatus(RunStatus status) {
            completed.add(status.runId());
            statusCovers.merge(status.completedPartition(), status.completedOffset(), Math::max);
            Map<String, Object> summary = new java.util.LinkedHashMap<>();
            summary.put("runId", status.runId());
            summary.put("status", status.status());
            summary.put("score", String.valueOf(status.score()));
            summary.put("assigned", status.assigned());
            summary.put("unassigned", status.unassigned());
            summary.put("problems", status.problems());
            summary.put("solveMs", status.solveMs());
            summary.put("completedAt", status.completedAt().toString());
            recent.remove(status.runId());
            recent.put(status.runId(), summary);
        }

        private void solve(Envelope<AssignmentProblem> event, ConsumerRecord<String, byte[]> record,
                           WorkerLoop.Interruption interruption) throws Exception {
            AssignmentProblem problem = capped(event.payload());
            String runId = problem.runId();
            if (!completed.contains(runId)) {
                // a solver that died after its completed event and before its status leaves a run that
                // looks unknown here: look for its completed event written since the request (a minute of
                // margin for clocks) before solving it again
                RunStatus found = backfill.completedSince(runId, record.timestamp() - 60_000);
                if (found != null) {
                    rememberStatus(found);
                }
            }
            if (completed.contains(runId)) {
                log.info("run {} already completed; not solving it again", runId);
                return;
            }
            KafkaProducer<String, byte[]> producer = runtime.producer();
            RunCompleted result;
            if (cancelled.contains(runId)) {
                log.info("run {} was cancelled before it started", runId);
                result = new RunCompleted(runId, RunCompleted.Status.CANCELLED, null, List.of(), List.of(),
                        List.of(), List.of(), 0, problem.settings().randomSeed());
            } else {
                RunCheckpoint from = Checkpoints.latest(runtime.clients(), runId);
                log.info("solving run {} ({} courses, {} applicants, limit {} s{})", runId, problem.courses().size(),
                        problem.applicants().size(), problem.settings().timeLimitSeconds(),
                        from == null ? "" : ", from its checkpoint at " + from.solveMs() + " ms, score " + from.score());
                // progress and checkpoints are sent from the solver's own threads: they enter the request's
                // W3C trace themselves (the worker loop's scope is this thread's only)
                TraceContext request = TraceContext.current().orElseGet(TraceContext::newTrace);
                Checkpointing checkpoints = new Checkpointing(from, cp -> {
                    try (TraceContext.Scope trace = TraceContext.enter(request)) {
                        Events.send(producer, EventTypes.RUN_CHECKPOINT, runId, cp);
                    }
                }, checkpointEvery);
                java.util.concurrent.CompletableFuture<RunCompleted> future = scheduler.submit(problem, progress -> {
                    try (TraceContext.Scope trace = TraceContext.enter(request)) {
                        Events.send(producer, EventTypes.RUN_PROGRESS, runId, progress);
                    }
                }, checkpoints);
                interruption.onInterrupt(() -> scheduler.interrupt(runId, interruption.reason()));
                try {
                    result = future.get();
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof RunInterruptedException interrupted) {
                        producer.flush(); // the last checkpoint is acknowledged before the run is handed back
                        log.info("run {} handed back: {}", runId, interrupted.getMessage());
                        throw new WorkerLoop.HandedBack(interrupted.getMessage());
                    }
                    throw e.getCause() instanceof Exception cause ? cause : e;
                }
                log.info("run {} {} with score {} in {} ms", runId, result.status(), result.score(), result.solveMs());
            }
            if (result.hasInlineExplanations()) {
                // the explanations go on their own compacted topic, read on demand; the result says where
                result = ExplanationsWriter.publish(producer, result);
            }
            // acknowledged before the loop commits the request's offset
            RecordMetadata where = Events.send(producer, EventTypes.RUN_COMPLETED, runId, result).get(60, TimeUnit.SECONDS);
            RunStatus status = RunStatus.of(result, Instant.now().truncatedTo(ChronoUnit.MILLIS), where.partition(),
                    where.offset());
            Events.send(producer, EventTypes.RUN_STATUS, runId, status).get(60, TimeUnit.SECONDS);
            producer.send(new ProducerRecord<>(Topics.RUN_CHECKPOINT.name(), runId, null)).get(60, TimeUnit.SECONDS);
            rememberStatus(status);
        }

        private AssignmentProblem capped(AssignmentProblem p) {
            SolverSettings s = SolverService.capped(p.runId(), p.settings(), maxSeconds, maxMoveThreads);
            return s == p.settings() ? p : p.withSettings(s);
        }
    }

    /** {@code SOLVER_MAX_MOVE_THREADS}, with 0 meaning the number of cores. */
    static int maxMoveThreads(int configured) {
        return configured > 0 ? configured : Runtime.getRuntime().availableProcessors();
    }

    /** The settings within this instance's caps (the same object when nothing is over), with a warning per cap hit. */
    static SolverSettings capped(String runId, SolverSettings s, int maxSeconds, int maxMoveThreads) {
        if (s.timeLimitSeconds() > maxSeconds) {
            log.warn("run {} asks for {} s; capped to SOLVER_MAX_SECONDS={}", runId, s.timeLimitSeconds(), maxSeconds);
            s = s.withTimeLimitSeconds(maxSeconds);
        }
        if (s.moveThreadCount() != null && s.moveThreadCount() > maxMoveThreads) {
            log.warn("run {} asks for {} move threads; capped to SOLVER_MAX_MOVE_THREADS={}", runId,
                    s.moveThreadCount(), maxMoveThreads);
            s = s.withMoveThreadCount(maxMoveThreads);
        }
        return s;
    }

    /** Runs the solver service alone (one container or process). */
    public static void main(String[] args) {
        tapipeline.platform.service.ServiceMain.run(new SolverService());
    }
}
