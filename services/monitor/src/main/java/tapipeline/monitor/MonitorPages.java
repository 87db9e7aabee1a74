package tapipeline.monitor;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.javalin.http.Context;

import tapipeline.platform.web.Access;
import tapipeline.platform.web.PageMeta;
import tapipeline.platform.web.Pages;
import tapipeline.platform.web.Site;
import tapipeline.platform.web.Web;
import tapipeline.platform.web.WebUser;

/**
 * The monitor's pages (server-rendered jte in the platform's layout; they work without JavaScript,
 * htmx refreshes the progress of scans, redrives and searches). Reading needs the VIEWER role (any
 * signed-in operator, coordinator or viewer); redrive and resolve need OPERATOR. Every page reads
 * from the last poll or starts a bounded background job: none loads every group or every record.
 */
final class MonitorPages {

    static final String CSS = "/static/monitor/monitor.css";

    private final Monitor monitor;

    MonitorPages(Monitor monitor) {
        this.monitor = monitor;
    }

    void declare(Site site) {
        site.home("/");
        site.nav("Dashboard", "/", Access.VIEWER).nav("Topics", "/topics", Access.VIEWER)
                .nav("Groups", "/groups", Access.VIEWER).nav("Dead letters", "/dlq", Access.VIEWER)
                .nav("Run trace", "/trace", Access.VIEWER).nav("Services", "/services", Access.VIEWER);
        site.get("/", Access.VIEWER, this::dashboard);
        site.get("/topics", Access.VIEWER, this::topics);
        site.get("/topics/{topic}", Access.VIEWER, this::topic);
        site.get("/groups", Access.VIEWER, this::groups);
        site.get("/groups/{group}", Access.VIEWER, this::group);
        site.get("/groups/{group}/queue", Access.VIEWER, this::queue);
        site.get("/dlq", Access.VIEWER, this::dlqs);
        site.get("/dlq/{topic}", Access.VIEWER, this::dlq);
        site.post("/dlq/{topic}/rescan", Access.VIEWER, this::rescan);
        site.get("/dlq/{topic}/group", Access.VIEWER, this::dlqGroup);
        site.get("/dlq/{topic}/record", Access.VIEWER, this::dlqRecord);
        site.post("/dlq/{topic}/act", Access.OPERATOR, this::act);
        site.get("/redrives/{id}", Access.VIEWER, this::redrive);
        site.get("/trace", Access.VIEWER, this::traceForm);
        site.post("/trace", Access.VIEWER, this::traceStart);
        site.get("/trace/{id}", Access.VIEWER, this::trace);
        site.get("/services", Access.VIEWER, this::services);
        MonitorRoutes.declare(site, monitor);
    }

    private static void render(Context ctx, String title, String template, Map<String, Object> model) {
        Pages.render(ctx, PageMeta.of(title).withStyles(CSS), template, model);
    }

    private static Map<String, Object> model(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static boolean operator(Context ctx) {
        return Web.user(ctx).map(u -> u.has(Access.OPERATOR)).orElse(false);
    }

    private void dashboard(Context ctx) {
        Snapshot s = monitor.snapshot();
        List<Snapshot.GroupView> attention = s.groups().values().stream()
                .filter(g -> g.status() != LagStatus.OK || g.dataLoss())
                .sorted(Comparator.comparing((Snapshot.GroupView g) -> g.status().ordinal()).reversed()
                        .thenComparing(Snapshot.GroupView::groupId)).limit(20).toList();
        Map<String, Long> byStatus = new LinkedHashMap<>();
        for (LagStatus st : LagStatus.values()) {
            byStatus.put(st.name(), s.groups().values().stream().filter(g -> g.status() == st).count());
        }
        Map<String, Long> dlqs = new LinkedHashMap<>();
        monitor.deadLetterTopics().entrySet().stream().filter(e -> e.getValue() > 0)
                .forEach(e -> dlqs.put(e.getKey(), e.getValue()));
        long totalLag = s.groups().values().stream().mapToLong(Snapshot.GroupView::totalLag).sum();
        render(ctx, "Dashboard", "monitor/dashboard.jte", model("snapshot", s, "attention", attention,
                "byStatus", byStatus, "dlqs", dlqs, "totalLag", totalLag));
    }

    private void topics(Context ctx) {
        List<Snapshot.TopicView> topics = new ArrayList<>(monitor.snapshot().topics().values());
        topics.sort(Comparator.comparing(Snapshot.TopicView::name));
        render(ctx, "Topics", "monitor/topics.jte", model("topics", topics, "snapshot", monitor.snapshot()));
    }

    private void topic(Context ctx) throws Exception {
        String name = ctx.pathParam("topic");
        Snapshot.TopicView t = monitor.snapshot().topics().get(name);
        if (t == null) {
            Web.error(ctx, 404, "not_found", "There is no topic of that name (as of the last poll).");
            return;
        }
        Monitor.TopicDetails details = null;
        String detailsError = null;
        try {
            details = monitor.details(name);
        } catch (Exception e) {
            detailsError = "The topic's configuration and size could not be read (" + e.getClass().getSimpleName() + ").";
        }
        List<double[]> rate = monitor.sampler().rateHistory(name);
        List<Monitor.Processed> processed = null;
        String recordError = null;
        String p = ctx.queryParam("partition");
        String o = ctx.queryParam("offset");
        if (p != null && o != null && !p.isBlank() && !o.isBlank()) {
            try {
                processed = monitor.processedBy(name, Integer.parseInt(p.strip()), Long.parseLong(o.strip()));
            } catch (NumberFormatException e) {
                recordError = "Partition and offset must be whole numbers.";
            } catch (IllegalArgumentException e) {
                recordError = e.getMessage();
            }
        }
        render(ctx, "Topic " + name, "monitor/topic.jte", model("topic", t, "details", details,
                "detailsError", detailsError, "chart", Chart.of("Records in per second", "records/s", rate),
                "processed", processed, "recordError", recordError, "partition", p == null ? "" : p,
                "offset", o == null ? "" : o));
    }

    private void groups(Context ctx) {
        String sort = Optional.ofNullable(ctx.queryParam("sort")).orElse("lag");
        List<Snapshot.GroupView> gs = new ArrayList<>(monitor.snapshot().groups().values());
        Comparator<Snapshot.GroupView> order = switch (sort) {
            case "name" -> Comparator.comparing(Snapshot.GroupView::groupId);
            case "seconds" -> Comparator.comparingDouble(Snapshot.GroupView::maxLagSeconds).reversed();
            case "status" -> Comparator.comparing((Snapshot.GroupView g) -> g.status().ordinal()).reversed();
            default -> Comparator.comparingLong(Snapshot.GroupView::totalLag).reversed();
        };
        gs.sort(order.thenComparing(Snapshot.GroupView::groupId));
        render(ctx, "Consumer groups", "monitor/groups.jte", model("groups", gs, "sort",
                List.of("lag", "seconds", "status", "name").contains(sort) ? sort : "lag", "snapshot", monitor.snapshot()));
    }

    private void group(Context ctx) {
        Snapshot.GroupView g = monitor.snapshot().groups().get(ctx.pathParam("group"));
        if (g == null) {
            Web.error(ctx, 404, "not_found", "There is no consumer group of that name (as of the last poll).");
            return;
        }
        List<double[]> lag = new ArrayList<>();
        monitor.sampler().lagHistory(g.groupId()).forEach(p -> lag.add(new double[] {p[0], p[1]}));
        List<String> topics = g.partitions().stream().map(Snapshot.GroupPartition::topic).distinct().sorted().toList();
        render(ctx, "Group " + g.groupId(), "monitor/group.jte", model("group", g, "chart",
                Chart.of("Total lag", "records", lag), "window", monitor.sampler().windowSamples(), "topics", topics));
    }

    private void queue(Context ctx) {
        String group = ctx.pathParam("group");
        String topic = ctx.queryParam("topic");
        if (topic == null || topic.isBlank()) {
            Web.error(ctx, 400, "bad_request", "Choose a topic of the group to see it as a queue.");
            return;
        }
        List<Monitor.QueuePartition> q;
        try {
            q = monitor.queue(group, topic);
        } catch (IllegalArgumentException e) {
            Web.error(ctx, 404, "not_found", e.getMessage());
            return;
        }
        render(ctx, "Queue of " + group, "monitor/queue.jte", model("group", group, "topic", topic, "partitions", q,
                "cap", Monitor.QUEUE_CAP));
    }

    private void dlqs(Context ctx) {
        render(ctx, "Dead letters", "monitor/dlqs.jte", model("dlqs", monitor.deadLetterTopics()));
    }

    private void dlq(Context ctx) {
        String topic = ctx.pathParam("topic");
        DeadLetters.Scan scan;
        try {
            scan = monitor.deadLetters().open(topic, false);
        } catch (IllegalArgumentException e) {
            Web.error(ctx, 404, "not_found", e.getMessage());
            return;
        }
        render(ctx, "Dead letters in " + topic, "monitor/dlq.jte", model("scan", scan, "groups", scan.groupsBySize(),
                "operator", operator(ctx)));
    }

    private void rescan(Context ctx) {
        String topic = ctx.pathParam("topic");
        monitor.deadLetters().open(topic, true);
        ctx.redirect("/dlq/" + Fmt.q(topic), io.javalin.http.HttpStatus.SEE_OTHER);
    }

    private void dlqGroup(Context ctx) {
        String topic = ctx.pathParam("topic");
        Optional<DeadLetters.Scan> scan = monitor.deadLetters().scan(topic);
        String reason = ctx.queryParam("reason");
        String errorClass = ctx.queryParam("errorClass");
        Optional<DeadLetters.Group> g = scan.flatMap(s -> s.group(reason, errorClass));
        if (g.isEmpty()) {
            Web.error(ctx, 404, "not_found", "No such group of dead letters: open the topic first.");
            return;
        }
        int page = 0;
        try {
            page = Math.max(0, Integer.parseInt(Optional.ofNullable(ctx.queryParam("page")).orElse("0")));
        } catch (NumberFormatException e) {
            // first page
        }
        List<DeadLetters.Entry> details;
        long count;
        synchronized (g.get()) {
            details = new ArrayList<>(g.get().details);
            count = g.get().count;
        }
        int pages = Math.max(1, (details.size() + MonitorRoutes.PAGE - 1) / MonitorRoutes.PAGE);
        page = Math.min(page, pages - 1);
        List<DeadLetters.Entry> entries = details.subList(page * MonitorRoutes.PAGE,
                Math.min(details.size(), (page + 1) * MonitorRoutes.PAGE));
        Map<String, String> marks = new LinkedHashMap<>();
        for (DeadLetters.Entry e : entries) {
            monitor.deadLetters().mark(e).ifPresent(m -> marks.put(e.position(), m.label() + " by " + m.actor()
                    + " at " + m.at()));
        }
        render(ctx, "Dead letters: " + reason, "monitor/dlq-group.jte", model("topic", topic, "group", g.get(),
                "entries", entries, "marks", marks, "page", page, "pages", pages, "count", count,
                "kept", details.size(), "operator", operator(ctx)));
    }

    private void dlqRecord(Context ctx) {
        String topic = ctx.pathParam("topic");
        Optional<DeadLetters.Payload> p;
        try {
            p = monitor.deadLetters().payload(topic, Integer.parseInt(ctx.queryParam("partition")),
                    Long.parseLong(ctx.queryParam("offset")));
        } catch (NumberFormatException | NullPointerException e) {
            Web.error(ctx, 400, "bad_request", "partition and offset must be whole numbers.");
            return;
        }
        if (p.isEmpty()) {
            Web.error(ctx, 404, "not_found", "There is no record at that position.");
            return;
        }
        render(ctx, "Dead letter " + p.get().entry().position(), "monitor/dlq-record.jte", model("payload", p.get(),
                "mark", monitor.deadLetters().mark(p.get().entry()).map(m -> m.label() + " by " + m.actor() + " at "
                        + m.at()).orElse(null), "operator", operator(ctx), "cap", DeadLetters.PAYLOAD_CAP));
    }

    /** Redrive or resolve: the selected positions ("p:o" values of "pos"), or a whole group. */
    private void act(Context ctx) throws Exception {
        String topic = ctx.pathParam("topic");
        String action = ctx.formParam("action");
        String actor = Web.user(ctx).map(WebUser::username).orElse("operator");
        List<long[]> positions = new ArrayList<>();
        if ("redrive-group".equals(action) || "resolve-group".equals(action)) {
            positions = monitor.deadLetters().groupPositions(topic, ctx.formParam("reason"), ctx.formParam("errorClass"));
        } else {
            for (String v : ctx.formParams("pos")) {
                String[] parts = v.split(":");
                try {
                    positions.add(new long[] {Integer.parseInt(parts[0]), Long.parseLong(parts[1])});
                } catch (RuntimeException e) {
                    Web.error(ctx, 400, "bad_request", "A selected record's position is not partition:offset.");
                    return;
                }
            }
        }
        if (positions.isEmpty()) {
            Web.error(ctx, 400, "bad_request", "Nothing was selected: tick the records to act on, or use the whole group.");
            return;
        }
        if (action != null && action.startsWith("redrive")) {
            DeadLetters.Redrive r = monitor.deadLetters().redrive(topic, positions, actor);
            ctx.redirect("/redrives/" + r.id, io.javalin.http.HttpStatus.SEE_OTHER);
        } else if (action != null && action.startsWith("resolve")) {
            List<String> refused = monitor.deadLetters().resolve(topic, positions, actor);
            render(ctx, "Marked resolved", "monitor/resolved.jte", model("topic", topic, "count",
                    positions.size() - refused.size(), "refused", refused));
        } else {
            Web.error(ctx, 400, "bad_request", "Unknown action: redrive or resolve.");
        }
    }

    private void redrive(Context ctx) {
        Optional<DeadLetters.Redrive> r;
        try {
            r = monitor.deadLetters().redriveJob(Integer.parseInt(ctx.pathParam("id")));
        } catch (NumberFormatException e) {
            r = Optional.empty();
        }
        if (r.isEmpty()) {
            Web.error(ctx, 404, "not_found", "There is no redrive with that number (redrives are kept until a restart).");
            return;
        }
        render(ctx, "Redrive " + r.get().id, "monitor/redrive.jte", model("redrive", r.get()));
    }

    private void traceForm(Context ctx) {
        render(ctx, "Run trace", "monitor/trace-form.jte", model("runId", Optional.ofNullable(ctx.queryParam("runId"))
                .orElse(""), "error", null, "hours", "168", "max", "100000"));
    }

    private void traceStart(Context ctx) {
        String runId = Optional.ofNullable(ctx.formParam("runId")).orElse("").strip();
        String hours = Optional.ofNullable(ctx.formParam("hours")).orElse("168").strip();
        String max = Optional.ofNullable(ctx.formParam("max")).orElse("100000").strip();
        String error = null;
        long h = 0;
        int m = 0;
        try {
            h = Long.parseLong(hours);
            m = Integer.parseInt(max);
            if (h < 1 || h > 24 * 366) {
                error = "Search the last 1 to 8,784 hours.";
            } else if (m < 1) {
                error = "Read at least one record.";
            }
        } catch (NumberFormatException e) {
            error = "Hours and records must be whole numbers.";
        }
        if (runId.isEmpty() || runId.length() > 128) {
            error = "Enter a run id (1 to 128 characters).";
        }
        if (error != null) {
            ctx.status(400);
            render(ctx, "Run trace", "monitor/trace-form.jte", model("runId", runId, "error", error, "hours", hours,
                    "max", max));
            return;
        }
        long now = System.currentTimeMillis();
        RunTracer.Search s = monitor.tracer().start(runId, now - h * 3_600_000L, now, m);
        ctx.redirect("/trace/" + s.id, io.javalin.http.HttpStatus.SEE_OTHER);
    }

    private void trace(Context ctx) {
        Optional<RunTracer.Search> s;
        try {
            s = monitor.tracer().search(Integer.parseInt(ctx.pathParam("id")));
        } catch (NumberFormatException e) {
            s = Optional.empty();
        }
        if (s.isEmpty()) {
            Web.error(ctx, 404, "not_found", "There is no search with that number (searches are kept until a restart).");
            return;
        }
        render(ctx, "Trace of " + s.get().runId, "monitor/trace.jte", model("search", s.get()));
    }

    private void services(Context ctx) {
        render(ctx, "Services", "monitor/services.jte", model("services", monitor.services().services(monitor.snapshot())));
    }

    static long parseLocal(String s) {
        try {
            return LocalDateTime.parse(s).toInstant(ZoneOffset.UTC).toEpochMilli();
        } catch (DateTimeParseException e) {
            return Instant.parse(s).toEpochMilli();
        }
    }
}
