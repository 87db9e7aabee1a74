package tapipeline.monitor;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;

import tapipeline.platform.web.Access;
import tapipeline.platform.web.Site;
import tapipeline.platform.web.Web;

import static tapipeline.monitor.Monitor.map;

/**
 * The monitor's JSON API under {@code /api} (the pages use the same engine). Nothing here loads every
 * group or every record: lists come from the last poll, record reads are bounded and run in the
 * background with progress (dead-letter scans, redrives, run traces).
 */
final class MonitorRoutes {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final int PAGE = 50;

    private MonitorRoutes() {
    }

    /** The API routes on the monitor's site: reading needs VIEWER, redrive and resolve need OPERATOR. */
    static void declare(Site site, Monitor monitor) {
        site.get("/api/overview", Access.VIEWER, ctx -> ctx.json(overview(monitor)));
        site.get("/api/topics", Access.VIEWER, ctx -> ctx.json(monitor.snapshot().topics().values().stream()
                .map(t -> map("name", t.name(), "partitions", t.partitions().size(), "records", t.records(),
                        "recordsPerSecond", t.recordsPerSecond())).toList()));
        site.get("/api/topics/{topic}", Access.VIEWER, ctx -> {
            String topic = ctx.pathParam("topic");
            Snapshot.TopicView t = monitor.snapshot().topics().get(topic);
            if (t == null) {
                ctx.status(404).json(map("error", "no topic " + topic + " (as of the last poll)"));
                return;
            }
            ctx.json(map("topic", t, "details", monitor.details(topic), "ratePerSecond",
                    monitor.sampler().rateHistory(topic)));
        });
        site.get("/api/groups", Access.VIEWER, ctx -> ctx.json(groups(monitor, ctx.queryParam("sort"))));
        site.get("/api/groups/{group}", Access.VIEWER, ctx -> {
            Snapshot.GroupView g = monitor.snapshot().groups().get(ctx.pathParam("group"));
            if (g == null) {
                ctx.status(404).json(map("error", "no consumer group " + ctx.pathParam("group") + " (as of the last poll)"));
                return;
            }
            ctx.json(map("group", g, "lagHistory", monitor.sampler().lagHistory(g.groupId())));
        });
        site.get("/api/groups/{group}/queue", Access.VIEWER, ctx -> ctx.json(monitor.queue(ctx.pathParam("group"),
                required(ctx, "topic"))));
        site.get("/api/record", Access.VIEWER, ctx -> ctx.json(monitor.processedBy(required(ctx, "topic"),
                intParam(ctx, "partition"), longParam(ctx, "offset"))));
        site.get("/api/dlq", Access.VIEWER, ctx -> ctx.json(monitor.deadLetterTopics()));
        site.post("/api/dlq/{topic}/scan", Access.VIEWER, ctx -> ctx.json(scan(monitor.deadLetters().open(ctx.pathParam("topic"), true))));
        site.get("/api/dlq/{topic}", Access.VIEWER, ctx -> ctx.json(scan(monitor.deadLetters().open(ctx.pathParam("topic"), false))));
        site.get("/api/dlq/{topic}/entries", Access.VIEWER, ctx -> {
            DeadLetters.Scan s = monitor.deadLetters().scan(ctx.pathParam("topic"))
                    .orElseThrow(() -> new IllegalArgumentException("open the dead-letter topic first"));
            DeadLetters.Group g = s.group(required(ctx, "reason"), required(ctx, "errorClass"))
                    .orElseThrow(() -> new IllegalArgumentException("no such group in this dead-letter topic"));
            int page = ctx.queryParam("page") == null ? 0 : intParam(ctx, "page");
            ctx.json(entries(monitor, g, page));
        });
        site.get("/api/dlq/{topic}/payload", Access.VIEWER, ctx -> monitor.deadLetters().payload(ctx.pathParam("topic"),
                intParam(ctx, "partition"), longParam(ctx, "offset")).ifPresentOrElse(ctx::json,
                () -> ctx.status(404).json(map("error", "no such record"))));
        site.post("/api/dlq/{topic}/redrive", Access.OPERATOR, ctx -> {
            String topic = ctx.pathParam("topic");
            ctx.status(202).json(redrive(monitor.deadLetters().redrive(topic, positions(monitor, topic, ctx.body()),
                    actor(ctx))));
        });
        site.get("/api/redrives/{id}", Access.VIEWER, ctx -> monitor.deadLetters().redriveJob(intParam(ctx.pathParam("id"), "id"))
                .ifPresentOrElse(r -> ctx.json(redrive(r)), () -> ctx.status(404).json(map("error", "no such redrive"))));
        site.post("/api/dlq/{topic}/resolve", Access.OPERATOR, ctx -> {
            String topic = ctx.pathParam("topic");
            ctx.json(map("refused", monitor.deadLetters().resolve(topic, positions(monitor, topic, ctx.body()), actor(ctx))));
        });
        site.post("/api/traces", Access.VIEWER, ctx -> {
            JsonNode b = JSON.readTree(ctx.body());
            long now = System.currentTimeMillis();
            long from = b.path("from").asLong(now - 7L * 24 * 3600 * 1000);
            long to = b.path("to").asLong(now);
            ctx.status(202).json(trace(monitor.tracer().start(b.path("runId").asText(""), from, to,
                    b.path("max").asInt(Integer.MAX_VALUE))));
        });
        site.get("/api/traces/{id}", Access.VIEWER, ctx -> monitor.tracer().search(intParam(ctx.pathParam("id"), "id"))
                .ifPresentOrElse(s -> ctx.json(trace(s)), () -> ctx.status(404).json(map("error", "no such search"))));
        site.get("/api/services", Access.VIEWER, ctx -> ctx.json(monitor.services().services(monitor.snapshot())));
    }

    static Map<String, Object> overview(Monitor monitor) {
        Snapshot s = monitor.snapshot();
        Map<String, Long> byStatus = new java.util.TreeMap<>();
        s.groups().values().forEach(g -> byStatus.merge(g.status().name(), 1L, Long::sum));
        return map("takenAt", s.takenAt(), "pollMs", s.tookMs(), "error", s.error(), "topics", s.topics().size(),
                "groups", s.groups().size(), "groupsByStatus", byStatus, "deadLetters", monitor.deadLetterTopics(),
                "dataLoss", s.groups().values().stream().filter(Snapshot.GroupView::dataLoss).map(Snapshot.GroupView::groupId).toList());
    }

    static List<Map<String, Object>> groups(Monitor monitor, String sort) {
        List<Snapshot.GroupView> gs = new ArrayList<>(monitor.snapshot().groups().values());
        Comparator<Snapshot.GroupView> order = switch (sort == null ? "lag" : sort) {
            case "name" -> Comparator.comparing(Snapshot.GroupView::groupId);
            case "seconds" -> Comparator.comparingDouble(Snapshot.GroupView::maxLagSeconds).reversed();
            case "status" -> Comparator.comparing((Snapshot.GroupView g) -> g.status().ordinal()).reversed();
            case "lag" -> Comparator.comparingLong(Snapshot.GroupView::totalLag).reversed();
            default -> throw new IllegalArgumentException("sort: one of lag, seconds, status, name");
        };
        gs.sort(order.thenComparing(Snapshot.GroupView::groupId));
        return gs.stream().map(g -> map("group", g.groupId(), "state", g.state(), "members", g.members().size(),
                "lag", g.totalLag(), "maxLagSeconds", g.maxLagSeconds(), "status", g.status(), "reason", g.reason(),
                "dataLoss", g.dataLoss())).toList();
    }

    static Map<String, Object> scan(DeadLetters.Scan s) {
        List<Map<String, Object>> groups = new ArrayList<>();
        for (DeadLetters.Group g : s.groupsBySize()) {
            synchronized (g) {
                groups.add(map("reason", g.reason, "errorClass", g.errorClass, "count", g.count, "bytes", g.bytes,
                        "firstFailedAt", g.firstFailedAt, "lastFailedAt", g.lastFailedAt));
            }
        }
        return map("topic", s.topic, "total", s.total, "read", s.read.get(), "done", s.done, "capped", s.capped,
                "tookMs", s.tookMs, "error", s.error, "groups", groups);
    }

    static Map<String, Object> entries(Monitor monitor, DeadLetters.Group g, int page) {
        List<DeadLetters.Entry> details;
        long count;
        synchronized (g) {
            details = new ArrayList<>(g.details);
            count = g.count;
        }
        int from = Math.min(page * PAGE, details.size());
        List<Map<String, Object>> out = new ArrayList<>();
        for (DeadLetters.Entry e : details.subList(from, Math.min(from + PAGE, details.size()))) {
            out.add(map("entry", e, "state", monitor.deadLetters().mark(e).map(m -> m.label() + " by " + m.actor()
                    + " at " + m.at()).orElse(null)));
        }
        return map("count", count, "kept", details.size(), "page", page, "pageSize", PAGE, "entries", out);
    }

    static Map<String, Object> redrive(DeadLetters.Redrive r) {
        return map("id", r.id, "topic", r.topic, "requested", r.requested, "sent", r.sent.get(), "refused",
                List.copyOf(r.refused), "done", r.done);
    }

    static Map<String, Object> trace(RunTracer.Search s) {
        return map("id", s.id, "runId", s.runId, "from", s.from, "to", s.to, "max", s.max, "read", s.read.get(),
                "toRead", s.toRead, "done", s.done, "capped", s.capped, "error", s.error, "tookMs", s.tookMs,
                "events", s.events);
    }

    /** {"positions": [[partition, offset], ...]} or {"reason": ..., "errorClass": ...} (a whole group). */
    static List<long[]> positions(Monitor monitor, String topic, String body) throws Exception {
        JsonNode b = JSON.readTree(body == null || body.isBlank() ? "{}" : body);
        if (b.has("reason")) {
            return monitor.deadLetters().groupPositions(topic, b.path("reason").asText(), b.path("errorClass").asText());
        }
        List<long[]> out = new ArrayList<>();
        for (JsonNode p : b.path("positions")) {
            if (!p.isArray() || p.size() != 2 || !p.get(0).canConvertToInt() || !p.get(1).canConvertToLong()) {
                throw new IllegalArgumentException("positions: a list of [partition, offset] pairs");
            }
            out.add(new long[] {p.get(0).asInt(), p.get(1).asLong()});
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("nothing selected: give positions [[partition, offset], ...] or a reason and errorClass");
        }
        if (out.size() > 100_000) {
            throw new IllegalArgumentException("at most 100,000 positions per request");
        }
        return out;
    }

    static String actor(Context ctx) {
        return Web.user(ctx).map(u -> u.username()).orElse("operator");
    }

    private static String required(Context ctx, String name) {
        String v = ctx.queryParam(name);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("query parameter " + name + " is required");
        }
        return v;
    }

    private static int intParam(Context ctx, String name) {
        return intParam(required(ctx, name), name);
    }

    private static int intParam(String v, String name) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + ": expected a whole number, got '" + v + "'");
        }
    }

    private static long longParam(Context ctx, String name) {
        String v = required(ctx, name);
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + ": expected a whole number, got '" + v + "'");
        }
    }
}
