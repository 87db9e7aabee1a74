package tapipeline.coordinator.runs;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpStatus;
import io.javalin.http.sse.SseClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import tapipeline.platform.web.Web;
import tapipeline.platform.web.Refused;
import tapipeline.schemas.EventCodec;
import tapipeline.schemas.assignment.AssignmentApproved;
import tapipeline.schemas.assignment.RunCompleted;
import tapipeline.schemas.handbook.HandbookRendered;

/**
 * The runs' REST API under {@code /api/runs} (JSON in and out; form fields are accepted too) and the
 * server-sent events of a run's progress. Reading is for any signed-in account (viewer and up);
 * every change needs a coordinator. The routes are listed by {@link #routes()} with the role they
 * need, for the site's route table.
 */
public final class RunsApi {

    /** Who may call a route. */
    public enum Need { VIEWER, COORDINATOR }

    /** One route: an HTTP handler, or (method SSE) an event stream. */
    public record ApiRoute(String method, String path, Need need, Handler handler, Consumer<SseClient> sse) {
    }

    /** The signed-in account's name, for audit and approvals. */
    public interface Actor {
        String of(Context ctx);
    }

    private final RunBoard board;
    private final RunControl control;
    private final Actor actor;
    public RunsApi(RunBoard board, RunControl control, Actor actor) {
        this.board = board;
        this.control = control;
        this.actor = actor;
    }

    public List<ApiRoute> routes() {
        List<ApiRoute> r = new ArrayList<>();
        r.add(new ApiRoute("GET", "/api/runs", Need.VIEWER, this::list, null));
        r.add(new ApiRoute("POST", "/api/runs", Need.COORDINATOR, this::start, null));
        r.add(new ApiRoute("GET", "/api/runs/{runId}", Need.VIEWER, this::show, null));
        r.add(new ApiRoute("SSE", "/api/runs/{runId}/events", Need.VIEWER, null, this::events));
        r.add(new ApiRoute("POST", "/api/runs/{runId}/cancel", Need.COORDINATOR, this::cancel, null));
        r.add(new ApiRoute("GET", "/api/runs/{runId}/review", Need.VIEWER, this::review, null));
        r.add(new ApiRoute("GET", "/api/runs/{runId}/tas", Need.VIEWER, this::tas, null));
        r.add(new ApiRoute("GET", "/api/runs/{runId}/slots/{courseId}/{slot}", Need.VIEWER, this::slot, null));
        r.add(new ApiRoute("GET", "/api/runs/{runId}/slots/{courseId}/{slot}/check", Need.VIEWER, this::check, null));
        r.add(new ApiRoute("GET", "/api/runs/{runId}/explanations/{courseId}", Need.VIEWER, this::explanations, null));
        r.add(new ApiRoute("POST", "/api/runs/{runId}/pin", Need.COORDINATOR, this::pin, null));
        r.add(new ApiRoute("POST", "/api/runs/{runId}/unpin", Need.COORDINATOR, this::unpin, null));
        r.add(new ApiRoute("POST", "/api/runs/{runId}/override", Need.COORDINATOR, this::override, null));
        r.add(new ApiRoute("POST", "/api/runs/{runId}/resolve", Need.COORDINATOR, this::resolve, null));
        r.add(new ApiRoute("POST", "/api/runs/{runId}/approve", Need.COORDINATOR, this::approve, null));
        r.add(new ApiRoute("GET", "/api/runs/{runId}/publication", Need.VIEWER, this::publication, null));
        r.add(new ApiRoute("GET", "/api/runs/{runId}/export.csv", Need.VIEWER, this::export, null));
        return r;
    }

    // ---- reading

    private void list(Context ctx) {
        String term = blankToNull(ctx.queryParam("term"));
        List<Map<String, Object>> out = new ArrayList<>();
        for (RunBoard.Run run : board.list(term)) {
            out.add(summary(run));
        }
        ctx.json(out);
    }

    static Map<String, Object> summary(RunBoard.Run run) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("runId", run.runId());
        m.put("term", run.term());
        m.put("state", run.state());
        m.put("requestedAt", run.requestedAt());
        run.latest().ifPresent(p -> {
            m.put("bestScore", p.bestScore());
            m.put("assigned", p.assigned());
            m.put("unassigned", p.unassigned());
            m.put("elapsedMs", p.elapsedMs());
        });
        if (run.result() != null) {
            m.put("score", run.result().score());
            m.put("solveMs", run.result().solveMs());
            m.put("assigned", run.filled());
            m.put("unassigned", run.empty());
        }
        if (run.problem() != null) {
            m.put("timeLimitSeconds", run.problem().settings().timeLimitSeconds());
            m.put("seed", run.problem().settings().randomSeed());
            m.put("pins", run.problem().pins().size());
            m.put("resolve", !run.problem().previousAssignment().isEmpty());
            if (run.problem().origin() != null) {
                m.put("origin", run.problem().origin());
            }
        }
        m.put("approved", run.approval() != null);
        m.put("archived", run.archived());
        return m;
    }

    private void show(Context ctx) {
        RunBoard.Run run = run(ctx);
        Map<String, Object> m = summary(run);
        m.put("progress", run.points());
        if (run.result() != null) {
            m.put("problems", run.result().problems());
        }
        if (run.cancel() != null) {
            m.put("cancel", run.cancel());
        }
        ctx.json(m);
    }

    private void review(Context ctx) {
        RunBoard.Run run = run(ctx);
        Review review = control.review(run.runId());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("runId", run.runId());
        m.put("term", run.term());
        m.put("score", run.result().score());
        m.put("scoreBreakdown", run.result().scoreBreakdown());
        List<Map<String, Object>> courses = new ArrayList<>();
        for (Review.CourseRow row : review.byCourse()) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("courseId", row.course().id());
            c.put("code", row.course().code());
            c.put("title", row.course().title());
            c.put("section", row.course().section());
            c.put("instructor", row.course().instructor());
            c.put("hoursPerSlot", row.course().hoursPerSlot());
            List<Map<String, Object>> slots = new ArrayList<>();
            for (Review.Slot s : row.slots()) {
                slots.add(slotJson(review, s));
            }
            c.put("slots", slots);
            courses.add(c);
        }
        m.put("courses", courses);
        m.put("unassigned", run.result().unassigned());
        m.put("pins", review.pins());
        board.previous(run).ifPresent(prev -> {
            Review before = control.asSolved(prev);
            m.put("previousRunId", prev.runId());
            m.put("difference", review.differenceFrom(before));
        });
        ctx.json(m);
    }

    private static Map<String, Object> slotJson(Review review, Review.Slot s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("courseId", s.courseId());
        m.put("slotIndex", s.slotIndex());
        m.put("applicantId", s.applicantId());
        m.put("name", s.applicantId() == null ? null : review.name(s.applicantId()));
        m.put("pinned", s.pinned());
        m.put("changedByCoordinator", s.changedByCoordinator());
        return m;
    }

    private void tas(Context ctx) {
        RunBoard.Run run = run(ctx);
        Review review = control.review(run.runId());
        List<Map<String, Object>> out = new ArrayList<>();
        for (Review.TaRow row : review.byTa()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("applicantId", row.applicant().id());
            m.put("name", row.applicant().name());
            m.put("minHours", row.applicant().minHours());
            m.put("targetHours", row.applicant().targetHours());
            m.put("maxHours", row.applicant().maxHours());
            m.put("assignedHours", row.assignedHours());
            m.put("shortfall", row.shortfall());
            m.put("slots", row.slots().stream().map(s -> Map.of("courseId", s.courseId(), "slotIndex", s.slotIndex(),
                    "pinned", s.pinned())).toList());
            out.add(m);
        }
        ctx.json(out);
    }

    private void slot(Context ctx) {
        RunBoard.Run run = run(ctx);
        Review review = control.review(run.runId());
        String courseId = ctx.pathParam("courseId");
        int index = intParam(ctx.pathParam("slot"), "slot");
        Review.Slot s = review.slot(courseId, index);
        if (s == null) {
            throw new Refused(404, "no slot " + index + " of course " + courseId + " in run " + run.runId());
        }
        ctx.json(slotWithWhy(run, review, s));
    }

    /** A slot's JSON with its explanation (read on demand), what blocked it, or why the explanation is missing. */
    private Map<String, Object> slotWithWhy(RunBoard.Run run, Review review, Review.Slot s) {
        Map<String, Object> m = slotJson(review, s);
        SlotExplanations.Why why = control.why(run.result(), s.courseId(), s.slotIndex());
        m.put("explanation", why.explanation());
        if (why.blocked() != null) {
            m.put("blocked", why.blocked());
        }
        if (why.missing() != null) {
            m.put("explanationMissing", why.missing());
        }
        return m;
    }

    /** Every slot of one course with its explanation (one on-demand read of the course's record). */
    private void explanations(Context ctx) {
        RunBoard.Run run = run(ctx);
        Review review = control.review(run.runId());
        String courseId = ctx.pathParam("courseId");
        if (review.course(courseId) == null) {
            throw new Refused(404, "no course " + courseId + " in run " + run.runId());
        }
        List<Map<String, Object>> slots = new ArrayList<>();
        for (int i = 0; i < review.course(courseId).slots(); i++) {
            slots.add(slotWithWhy(run, review, review.slot(courseId, i)));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("runId", run.runId());
        out.put("courseId", courseId);
        out.put("slots", slots);
        ctx.json(out);
    }

    private void check(Context ctx) {
        RunBoard.Run run = run(ctx);
        ctx.json(control.check(run.runId(), ctx.pathParam("courseId"), intParam(ctx.pathParam("slot"), "slot"),
                blankToNull(ctx.queryParam("applicantId"))));
    }

    private void publication(Context ctx) {
        RunBoard.Run run = run(ctx);
        ctx.json(publicationOf(board, run));
    }

    static Map<String, Object> publicationOf(RunBoard board, RunBoard.Run run) {
        Map<String, Object> m = new LinkedHashMap<>();
        AssignmentApproved a = run.approval();
        m.put("runId", run.runId());
        m.put("approved", a != null);
        if (a != null) {
            m.put("approvedBy", a.approvedBy());
            m.put("approvedAt", a.approvedAt());
        }
        List<Map<String, Object>> editions = new ArrayList<>();
        for (HandbookRendered r : board.renderedFrom(run.runId())) {
            editions.add(Map.of("programId", r.programId(), "edition", r.edition(), "sha256", r.sha256(),
                    "pages", r.pages(), "pdfUa1", r.validation().pdfUa1(), "pdfA2", r.validation().pdfA2()));
        }
        m.put("handbooks", editions);
        m.put("links", board.linksFor(run));
        m.put("stage", RunViews.stage(board, run));
        return m;
    }

    private void export(Context ctx) {
        RunBoard.Run run = run(ctx);
        String csv = AssignmentCsv.write(control.review(run.runId()));
        ctx.header("Content-Disposition", "attachment; filename=\"assignment-" + run.runId() + ".csv\"");
        ctx.contentType("text/csv; charset=utf-8").result(csv);
    }

    // ---- changing

    private void start(Context ctx) {
        Body body = Body.of(ctx);
        RunControl.Settings settings = settings(body);
        String runId;
        try {
            runId = control.start(body.text("term"), settings, actor.of(ctx), body.text("reason"));
        } catch (Refused e) {
            if (Web.wantsHtml(ctx)) { // back to the form, with the reason
                ctx.redirect("/runs?term=" + enc(body.text("term") == null ? "" : body.text("term")) + "&error="
                        + enc(e.getMessage()), HttpStatus.SEE_OTHER);
                return;
            }
            throw e;
        }
        answer(ctx, 202, Map.of("runId", runId, "links", links(runId)), "/runs/" + enc(runId));
    }

    private void resolve(Context ctx) {
        RunBoard.Run run = run(ctx);
        Body body = Body.of(ctx);
        String runId = control.resolve(run.runId(), settings(body), actor.of(ctx), body.text("reason"));
        answer(ctx, 202, Map.of("runId", runId, "links", links(runId)), "/runs/" + enc(runId));
    }

    private void cancel(Context ctx) {
        RunBoard.Run run = run(ctx);
        Body body = Body.of(ctx);
        control.cancel(run.runId(), actor.of(ctx), body.text("reason"));
        answer(ctx, 202, Map.of("runId", run.runId(), "cancelRequested", true), "/runs/" + enc(run.runId()));
    }

    private void pin(Context ctx) {
        RunBoard.Run run = run(ctx);
        Body body = Body.of(ctx);
        String courseId = body.required("courseId");
        int slot = body.integer("slotIndex");
        control.pin(run.runId(), courseId, slot, actor.of(ctx), body.text("reason"));
        answer(ctx, 200, Map.of("pinned", true), RunPages.slotHref(run.runId(), courseId, slot) + "?done=pinned");
    }

    private void unpin(Context ctx) {
        RunBoard.Run run = run(ctx);
        Body body = Body.of(ctx);
        String courseId = body.required("courseId");
        int slot = body.integer("slotIndex");
        control.unpin(run.runId(), courseId, slot, actor.of(ctx), body.text("reason"));
        answer(ctx, 200, Map.of("pinned", false), RunPages.slotHref(run.runId(), courseId, slot) + "?done=unpinned");
    }

    private void override(Context ctx) {
        RunBoard.Run run = run(ctx);
        Body body = Body.of(ctx);
        String courseId = body.required("courseId");
        int slot = body.integer("slotIndex");
        OverrideCheck check = control.override(run.runId(), courseId, slot, body.required("applicantId"), actor.of(ctx),
                body.text("reason"));
        answer(ctx, 200, check, RunPages.slotHref(run.runId(), courseId, slot) + "?done=overridden");
    }

    private void approve(Context ctx) {
        RunBoard.Run run = run(ctx);
        Body body = Body.of(ctx);
        AssignmentApproved approved = control.approve(run.runId(), actor.of(ctx), body.text("reason"));
        answer(ctx, 200, Map.of("runId", approved.runId(), "term", approved.term(), "approvedAt", approved.approvedAt(),
                "courses", approved.courses().size()), "/runs/" + enc(run.runId()) + "/review?done=approved");
    }

    /** JSON for API callers; a browser's form post goes on to the page that shows the result (303). */
    private static void answer(Context ctx, int status, Object json, String page) {
        if (Web.wantsHtml(ctx)) {
            ctx.redirect(page, HttpStatus.SEE_OTHER);
        } else {
            ctx.status(status).json(json);
        }
    }

    /** One URL path segment or query value, encoded. */
    static String enc(String value) {
        return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static RunControl.Settings settings(Body body) {
        int seconds = body.has("timeLimitSeconds") ? body.integer("timeLimitSeconds") : 30;
        int unimproved = body.has("unimprovedSeconds") ? body.integer("unimprovedSeconds") : 0;
        long seed = body.has("seed") ? body.longValue("seed") : 42L;
        return new RunControl.Settings(seconds, unimproved, seed);
    }

    private static Map<String, String> links(String runId) {
        return Map.of("self", "/api/runs/" + runId, "events", "/api/runs/" + runId + "/events",
                "page", "/runs/" + runId);
    }

    // ---- live progress

    /**
     * The run's state at once, then again after each change (coalesced: several progress events that
     * arrive while one is being sent make one), a comment every 15 s so a gone client is noticed, and
     * "done" when the run has ended. Javalin runs this on its async executor, so waiting here holds no
     * request thread; all writes come from this one thread.
     */
    private void events(SseClient client) {
        String runId = client.ctx().pathParam("runId");
        if (board.get(runId).isEmpty()) {
            client.sendEvent("error", json(Map.of("error", "no run " + runId)));
            client.close();
            return;
        }
        RunFollower.follow(board, runId, client, 0, "waiting for " + runId, run -> json(progressEvent(run)));
    }

    static Map<String, Object> progressEvent(RunBoard.Run run) {
        Map<String, Object> m = summary(run);
        run.latest().ifPresent(p -> m.put("phase", p.phase()));
        m.put("points", run.points().size());
        run.latest().ifPresent(p -> m.put("latest", p));
        return m;
    }

    private static String json(Object value) {
        try {
            return EventCodec.objectMapper().writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- helpers

    private RunBoard.Run run(Context ctx) {
        String runId = ctx.pathParam("runId");
        return board.get(runId).orElseThrow(() -> new Refused(404, "no run " + runId));
    }

    static int intParam(String value, String name) {
        try {
            return Integer.parseInt(value.strip());
        } catch (RuntimeException e) {
            throw new Refused(400, name + " must be a whole number, was \"" + clipForMessage(value) + "\"");
        }
    }

    public static String clipForMessage(String value) {
        if (value == null) {
            return "";
        }
        return value.length() > 40 ? value.substring(0, 40) + "..." : value;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    /** A request's fields, from a JSON object body or from form fields; errors name the field (the runs and scenarios APIs). */
    public static final class Body {
        private final JsonNode json;
        private final Context ctx;

        private Body(JsonNode json, Context ctx) {
            this.json = json;
            this.ctx = ctx;
        }

        public static Body of(Context ctx) {
            String type = ctx.contentType();
            if (type != null && type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
                try {
                    JsonNode node = EventCodec.objectMapper().readTree(ctx.body());
                    if (node == null || !node.isObject()) {
                        throw new Refused(400, "the body must be a JSON object");
                    }
                    return new Body(node, ctx);
                } catch (Refused e) {
                    throw e;
                } catch (Exception e) {
                    throw new Refused(400, "the body is not valid JSON: " + e.getMessage());
                }
            }
            return new Body(null, ctx);
        }

        public boolean has(String name) {
            String v = text(name);
            return v != null && !v.isBlank();
        }

        public String text(String name) {
            if (json != null) {
                JsonNode n = json.get(name);
                return n == null || n.isNull() ? null : n.asText();
            }
            return ctx.formParam(name);
        }

        public String required(String name) {
            String v = text(name);
            if (v == null || v.isBlank()) {
                throw new Refused(400, "missing field " + name);
            }
            return v.strip();
        }

        public int integer(String name) {
            return intParam(required(name), name);
        }

        public long longValue(String name) {
            String v = required(name);
            try {
                return Long.parseLong(v.strip());
            } catch (NumberFormatException e) {
                throw new Refused(400, name + " must be a whole number, was \"" + clipForMessage(v) + "\"");
            }
        }
    }
}
