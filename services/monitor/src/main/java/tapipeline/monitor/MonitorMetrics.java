package tapipeline.monitor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;

/**
 * The monitor's Prometheus metrics (on its {@code /metrics}, through the platform's registry), so a
 * department can plug in its Grafana: lag in records and seconds per group and partition, each
 * group's total lag and status, records per DLQ, records in per second per topic, and stage
 * durations (time between consecutive events of a run, per pair of topics, from the run traces
 * searched).
 */
final class MonitorMetrics {

    private final MeterRegistry registry;
    private final MultiGauge lag;
    private final MultiGauge lagSeconds;
    private final MultiGauge groupLag;
    private final MultiGauge groupStatus;
    private final MultiGauge dlq;
    private final MultiGauge rate;
    private final Map<String, DistributionSummary> stages = new ConcurrentHashMap<>();
    private volatile double lastPollSeconds;

    MonitorMetrics(MeterRegistry registry) {
        this.registry = registry;
        lag = MultiGauge.builder("tapipeline.monitor.lag.records")
                .description("records between a group's committed offset and the end of a partition").register(registry);
        lagSeconds = MultiGauge.builder("tapipeline.monitor.lag.seconds")
                .description("age of the record at a group's committed offset (0 when nothing waits)").register(registry);
        groupLag = MultiGauge.builder("tapipeline.monitor.group.lag.records")
                .description("a group's total lag").register(registry);
        groupStatus = MultiGauge.builder("tapipeline.monitor.group.status")
                .description("a group's status: 0 OK, 1 WARNING, 2 REWOUND, 3 STALLED, 4 STOPPED").register(registry);
        dlq = MultiGauge.builder("tapipeline.monitor.dlq.records")
                .description("records in a dead-letter topic").register(registry);
        rate = MultiGauge.builder("tapipeline.monitor.topic.records.in.per.second")
                .description("records appended per second, over the last poll interval").register(registry);
        io.micrometer.core.instrument.Gauge.builder("tapipeline.monitor.poll.seconds", this, m -> m.lastPollSeconds)
                .description("how long the last poll of the cluster took").register(registry);
    }

    void update(Snapshot s) {
        lastPollSeconds = s.tookMs() / 1000.0;
        List<MultiGauge.Row<?>> lagRows = new ArrayList<>();
        List<MultiGauge.Row<?>> secRows = new ArrayList<>();
        List<MultiGauge.Row<?>> groupRows = new ArrayList<>();
        List<MultiGauge.Row<?>> statusRows = new ArrayList<>();
        for (Snapshot.GroupView g : s.groups().values()) {
            for (Snapshot.GroupPartition p : g.partitions()) {
                Tags tags = Tags.of("group", g.groupId(), "topic", p.topic(), "partition", Integer.toString(p.partition()));
                lagRows.add(MultiGauge.Row.of(tags, p.lag()));
                secRows.add(MultiGauge.Row.of(tags, p.lagSeconds()));
            }
            groupRows.add(MultiGauge.Row.of(Tags.of("group", g.groupId()), g.totalLag()));
            statusRows.add(MultiGauge.Row.of(Tags.of("group", g.groupId()), g.status().ordinal() == 0 ? 0 : severity(g.status())));
        }
        lag.register(lagRows, true);
        lagSeconds.register(secRows, true);
        groupLag.register(groupRows, true);
        groupStatus.register(statusRows, true);
        List<MultiGauge.Row<?>> dlqRows = new ArrayList<>();
        List<MultiGauge.Row<?>> rateRows = new ArrayList<>();
        for (Snapshot.TopicView t : s.topics().values()) {
            if (t.deadLetters()) {
                dlqRows.add(MultiGauge.Row.of(Tags.of("topic", t.name()), t.records()));
            }
            rateRows.add(MultiGauge.Row.of(Tags.of("topic", t.name()), t.recordsPerSecond()));
        }
        dlq.register(dlqRows, true);
        rate.register(rateRows, true);
    }

    private static int severity(LagStatus s) {
        return switch (s) {
            case OK -> 0;
            case WARNING -> 1;
            case REWOUND -> 2;
            case STALLED -> 3;
            case STOPPED -> 4;
        };
    }

    /** Records the time between consecutive events of a traced run, per (from topic, to topic). */
    void stages(List<RunTracer.Event> events) {
        for (int i = 1; i < events.size(); i++) {
            String from = events.get(i - 1).topic();
            String to = events.get(i).topic();
            stages.computeIfAbsent(from + ">" + to, k -> DistributionSummary.builder("tapipeline.monitor.stage.seconds")
                    .description("time between consecutive events of a traced run").baseUnit("seconds")
                    .tags("from", from, "to", to).register(registry))
                    .record(events.get(i).sincePreviousMs() / 1000.0);
        }
    }
}
