package tapipeline.solver.service;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import tapipeline.platform.config.Config;
import tapipeline.platform.config.Key;
import tapipeline.platform.kafka.Events;
import tapipeline.platform.kafka.ReplayLoop;
import tapipeline.platform.kafka.Topics;
import tapipeline.platform.service.RunningService;
import tapipeline.platform.service.ServiceModule;
import tapipeline.platform.service.ServiceRuntime;
import tapipeline.schemas.Envelope;
import tapipeline.schemas.EventTypes;
import tapipeline.schemas.assignment.AssignmentProblem;
import tapipeline.schemas.assignment.RunCancel;
import tapipeline.schemas.assignment.RunCompleted;
import tapipeline.schemas.assignment.SolverSettings;
import tapipeline.solver.engine.SolveScheduler;
import tapipeline.solver.engine.SolverEngine;

/**
 * The solver service: turns {@code assignment.run.requested} into {@code assignment.run.progress}
 * and {@code assignment.run.completed}, and honours {@code assignment.run.cancel}.
 *
 * <p>Durability: each of {@code SOLVER_MAX_CONCURRENT_RUNS} request loops (one consumer group, so
 * partitions spread over loops and instances) takes one request at a time and blocks until its
 * completed event is acknowledged; only then is the request's offset committed. A solver killed
 * mid-run therefore loses nothing: the request is read again and solved again. Requests waiting
 * for a free loop stay in Kafka (visible as consumer lag), which is the queue.
 *
 * <p>Every instance replays {@code assignment.run.cancel} and {@code assignment.run.completed}
 * ({@link ReplayLoop}), so it knows cancels that arrived before their run started and runs already
 * completed (a redelivered request is not solved twice).
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

    private static final int RECENT_RUNS = 20;

    @Override
    public String name() {
        return "solver";
    }

    @Override
    public List<Key<?>> configKeys() {
        return List.of(PORT, MAX_CONCURRENT_RUNS, MAX_SECONDS, MAX_MOVE_THREADS);
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
        private final SolveScheduler scheduler;
        private final Set<String> cancelled = ConcurrentHashMap.newKeySet();
        private final Map<String, String> cancelReasons = new ConcurrentHashMap<>();
        private final Set<String> completed = ConcurrentHashMap.newKeySet();
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
            int concurrent = runtime.config().get(MAX_CONCURRENT_RUNS);
            this.scheduler = runtime.own(new SolveScheduler(new SolverEngine(), concurrent));
            runtime.meters().gauge("tapipeline.solver.runs.running", scheduler, s -> s.running());
        }

        void start() throws InterruptedException {
            ReplayLoop<Envelope<?>> known = runtime.startReplayLoop("known-runs", Events.anyDecoder(),
                    this::remember, () -> { }, Topics.RUN_CANCEL.name(), Topics.RUN_COMPLETED.name());
            if (!known.awaitCaughtUp(Duration.ofSeconds(120))) {
                throw new IllegalStateException("could not read cancelled and completed runs within 120 s");
            }
            int loops = runtime.config().get(MAX_CONCURRENT_RUNS);
            // one record per poll, and room for the longest allowed solve between polls
            int pollIntervalMs = (int) TimeUnit.SECONDS.toMillis(maxSeconds + 300L);
            Map<String, Object> overrides = Map.of(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1,
                    ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, pollIntervalMs,
                    ConsumerConfig.CONNECTIONS_MAX_IDLE_MS_CONFIG, pollIntervalMs + 60_000);
            for (int i = 0; i < loops; i++) {
                runtime.startConsumerLoop("runs-" + i, "solver-runs", overrides,
                        Events.decoder(EventTypes.RUN_REQUESTED), this::solve, Topics.RUN_REQUESTED.name());
            }
            runtime.startHttp(runtime.config().get(PORT), cfg -> cfg.routes.get("/runs", ctx ->
                    ctx.json(Map.of("running", scheduler.running(), "queued", scheduler.queued(),
                            "loops", loops, "recentlyCompleted", recentRuns()))));
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
                cancelReasons.put(cancel.runId(), cancel.reason());
                if (scheduler.cancel(cancel.runId(), cancel.reason())) {
                    log.info("cancelling run {}: {}", cancel.runId(), cancel.reason());
                }
            } else if (event.payload() instanceof RunCompleted done) {
                completed.add(done.runId());
                Map<String, Object> summary = new java.util.LinkedHashMap<>();
                summary.put("runId", done.runId());
                summary.put("status", done.status());
                summary.put("score", String.valueOf(done.score()));
                summary.put("assigned", done.assignments().stream().filter(a -> a.applicantId() != null).count());
                summary.put("unassigned", done.unassigned().size());
                summary.put("problems", done.problems().size());
                summary.put("solveMs", done.solveMs());
                summary.put("completedAt", event.occurredAt().toString());
                recent.remove(done.runId());
                recent.put(done.runId(), summary);
            }
        }

        private void solve(Envelope<AssignmentProblem> event, ConsumerRecord<String, byte[]> record) throws Exception {
            AssignmentProblem problem = capped(event.payload());
            String runId = problem.runId();
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
                log.info("solving run {} ({} courses, {} applicants, limit {} s)", runId, problem.courses().size(),
                        problem.applicants().size(), problem.settings().timeLimitSeconds());
                result = scheduler.submit(problem, progress ->
                        Events.send(producer, EventTypes.RUN_PROGRESS, runId, progress)).get();
                log.info("run {} {} with score {} in {} ms", runId, result.status(), result.score(), result.solveMs());
            }
            // acknowledged before the loop commits the request's offset
            Events.send(producer, EventTypes.RUN_COMPLETED, runId, result).get(60, TimeUnit.SECONDS);
            completed.add(runId);
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
