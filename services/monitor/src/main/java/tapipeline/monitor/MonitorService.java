package tapipeline.monitor;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.javalin.http.staticfiles.Location;
import org.apache.kafka.common.acl.AclOperation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import tapipeline.platform.config.Config;
import tapipeline.platform.config.Key;
import tapipeline.platform.http.Health;
import tapipeline.platform.kafka.Events;
import tapipeline.platform.kafka.ReplayLoop;
import tapipeline.platform.kafka.access.KafkaAccess;
import tapipeline.platform.kafka.Topics;
import tapipeline.platform.service.RunningService;
import tapipeline.platform.service.ServiceMain;
import tapipeline.platform.service.ServiceModule;
import tapipeline.platform.service.ServiceRuntime;
import tapipeline.platform.web.Web;
import tapipeline.schemas.EventTypes;

/**
 * The monitor: topics, consumer groups with lag and status, dead letters (browse, redrive, resolve),
 * run traces and the services' health, for operators, at {@code MONITOR_PORT} (8082). It uses no
 * consumer group of its own (Admin API + assigned readers), so it never shows up in what it shows.
 */
public final class MonitorService implements ServiceModule {

    private static final Logger log = LoggerFactory.getLogger(MonitorService.class);

    /** The group id the monitor's assigned readers carry (they never join it or commit). */
    static final String READER_GROUP = "tapipeline-monitor-reader";

    public static final Key<Integer> PORT = Key.integer("MONITOR_PORT", 8082, 0, 65535,
            "HTTP port of the monitor (operators' pages, JSON API, health, metrics).");
    public static final Key<Integer> POLL_SECONDS = Key.integer("MONITOR_POLL_SECONDS", 5, 1, 3600,
            "How often the monitor polls the cluster (topics, offsets, groups, lag).");
    public static final Key<Integer> STATUS_WINDOW = Key.integer("MONITOR_STATUS_WINDOW", 10, 2, 1000,
            "Polls a consumer group's status is judged over (Burrow-style: OK, WARNING, STALLED, STOPPED, REWOUND).");
    public static final Key<Integer> HISTORY_MINUTES = Key.integer("MONITOR_HISTORY_MINUTES", 60, 1, 1440,
            "How much lag and rate history the monitor keeps in memory for its charts.");
    public static final Key<Integer> LAG_READS = Key.integer("MONITOR_LAG_READS_PER_POLL", 200, 0, 100_000,
            "Records read per poll to time lag (the record at a committed offset); beyond, lag in seconds is interpolated.");
    public static final Key<Integer> SCAN_MAX = Key.integer("MONITOR_SCAN_MAX_RECORDS", 100_000, 100, 10_000_000,
            "Most records one dead-letter scan or one run-trace search reads.");
    public static final Key<Integer> REDRIVE_RATE = Key.integer("MONITOR_REDRIVE_PER_SECOND", 50, 1, 10_000,
            "Most dead letters redriven to their source topic per second.");
    public static final Key<String> SERVICE_URLS = Key.string("MONITOR_SERVICE_URLS",
            "coordinator=http://localhost:8080,publisher=http://localhost:8081,solver=http://localhost:8083,"
                    + "handbook=http://localhost:8084,offers=http://localhost:8085",
            "Service instances whose /health the monitor shows: name=url,... (a name may repeat for more instances).");

    @Override
    public String name() {
        return "monitor";
    }

    /**
     * The Admin API over the whole cluster (topics, their configs and log dirs, every consumer group
     * and its offsets); every topic and dead-letter topic read on demand by assigned readers
     * ({@value #READER_GROUP} is only their label); audit and accounts replayed; redrive writes a dead
     * letter back to its source topic, which may be any topic, and resolve/redrive write audit.
     */
    @Override
    public KafkaAccess kafkaAccess() {
        return KafkaAccess.builder(name(), "monitor: cluster view, dead-letter redrive")
                .replays(Topics.AUDIT, Topics.ACCOUNTS)              // ReplayLoops monitor-dlq-state, accounts (sign-in)
                .reads(t -> true)                                    // ClusterSampler, DeadLetters, RunTracer, queue reads
                .describesConfigs(t -> true)                         // topic details page
                .writes(t -> !t.name().endsWith(Topics.DLQ_SUFFIX))  // redrive to the source topic
                .writes(Topics.AUDIT)
                .group(READER_GROUP)     // a reader's partition it has paused unsought asks the group for an offset
                .describesGroups("*")                                // listGroups, describeConsumerGroups, offsets
                .cluster(AclOperation.DESCRIBE)                      // describeLogDirs
                .build();
    }

    @Override
    public List<Key<?>> configKeys() {
        return List.of(PORT, POLL_SECONDS, STATUS_WINDOW, HISTORY_MINUTES, LAG_READS, SCAN_MAX, REDRIVE_RATE,
                SERVICE_URLS);
    }

    @Override
    public int startOrder() {
        return 200; // after the services it watches
    }

    @Override
    public RunningService start(Config config) {
        ServiceRuntime runtime = new ServiceRuntime(name(), config);
        try {
            Monitor monitor = build(runtime);
            DeadLetterState state = monitor.deadLetters().state();
            ReplayLoop<?> audit = runtime.startReplayLoop("dlq-state", Events.decoder(EventTypes.AUDIT),
                    (e, r) -> state.apply(e.payload()), () -> { }, EventTypes.AUDIT.name());
            ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "monitor-poll");
                t.setDaemon(true);
                return t;
            });
            runtime.own(() -> poller.shutdownNow());
            MonitorMetrics metrics = new MonitorMetrics(runtime.meters());
            int poll = config.get(POLL_SECONDS);
            poller.scheduleWithFixedDelay(() -> {
                try {
                    metrics.update(monitor.sampler().sample());
                } catch (RuntimeException e) {
                    log.warn("monitor: poll failed", e);
                }
            }, 0, poll, TimeUnit.SECONDS);
            monitor.tracer().onDone(metrics::stages);
            runtime.health().register("cluster", () -> {
                Snapshot s = monitor.snapshot();
                if (s.takenAt() == 0) {
                    return Health.Check.down("no poll of the cluster has succeeded yet");
                }
                long age = System.currentTimeMillis() - s.takenAt();
                if (age > 3L * poll * 1000 + 10_000) {
                    return Health.Check.down("the last successful poll is " + age / 1000 + " s old");
                }
                return Health.Check.up(s.topics().size() + " topics, " + s.groups().size() + " groups");
            });
            MonitorPages pages = new MonitorPages(monitor);
            runtime.startWeb(config.get(PORT), "TA pipeline monitor", pages::declare, cfg -> {
                cfg.staticFiles.add(sf -> {
                    sf.hostedPath = "/static/monitor";
                    sf.directory = "/tapipeline/monitor/static";
                    sf.location = Location.CLASSPATH;
                    sf.headers = Map.of("Cache-Control", "public, max-age=3600");
                });
                // the monitor's own refusals are plain sentences naming the field and the limit
                cfg.routes.exception(IllegalArgumentException.class,
                        (e, ctx) -> Web.error(ctx, 400, "bad_request", e.getMessage()));
            });
            return runtime;
        } catch (RuntimeException e) {
            runtime.close();
            throw e;
        }
    }

    /** The engine on a service runtime's clients, producer and settings; closed with the runtime. */
    static Monitor build(ServiceRuntime runtime) {
        Config c = runtime.config();
        int poll = c.get(POLL_SECONDS);
        int history = Math.max(2, c.get(HISTORY_MINUTES) * 60 / poll);
        DeadLetterState state = new DeadLetterState();
        Monitor monitor = new Monitor(runtime.clients(),
                new ClusterSampler(runtime.clients(), c.get(STATUS_WINDOW), history, c.get(LAG_READS)),
                new DeadLetters(runtime.clients(), runtime.producer(), state, c.get(SCAN_MAX), c.get(REDRIVE_RATE)),
                new RunTracer(runtime.clients(), c.get(SCAN_MAX)),
                new ServiceDirectory(ServiceDirectory.parse(SERVICE_URLS.name(), c.get(SERVICE_URLS))));
        runtime.own(monitor);
        return monitor;
    }

    /** Runs the monitor alone. */
    public static void main(String[] args) {
        ServiceMain.run(new MonitorService());
    }

}
