package tapipeline.coordinator.scenarios;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;

import tapipeline.coordinator.api.DataFeature;
import tapipeline.coordinator.audit.AuditLog;
import tapipeline.coordinator.runs.Review;
import tapipeline.coordinator.runs.RunBoard;
import tapipeline.coordinator.runs.RunControl;
import tapipeline.coordinator.runs.RunsFeature;
import tapipeline.platform.service.ServiceRuntime;
import tapipeline.platform.web.Access;
import tapipeline.platform.web.PageMeta;
import tapipeline.platform.web.Pages;
import tapipeline.coordinator.runs.RunsApi;
import tapipeline.coordinator.runs.RunsApi.Body;
import tapipeline.platform.web.Refused;
import tapipeline.platform.web.Site;
import tapipeline.platform.web.Web;
import tapipeline.schemas.audit.AuditEntry;
import tapipeline.schemas.coordinator.Scenario;

/**
 * What-if scenarios in the coordinator: the store ({@code coordinator.scenarios}), the JSON API under
 * {@code /api/terms/{term}/scenarios} and {@code /api/scenarios/...}, and the pages (the scenarios of a
 * term with the create form, a scenario with its edits, runs, solve and delete, and the comparison with the
 * term's current plan). A scenario's run is a what-if run ({@code RunControl.startWhatIf}): it never
 * touches the term's dataset or its approved plan. Reading needs VIEWER, changing COORDINATOR; the API
 * takes JSON or form fields and answers a browser's form post with a redirect to the page.
 */
public final class ScenariosFeature {

    /** API paths (documented in openapi/scenarios-paths.json). */
    public static final String API_TERM_SCENARIOS = "/api/terms/{term}/scenarios";
    public static final String API_SCENARIO = "/api/scenarios/{scenarioId}";
    public static final String API_EDITS = "/api/scenarios/{scenarioId}/edits";
    public static final String API_RUNS = "/api/scenarios/{scenarioId}/runs";
    public static final String API_COMPARE = "/api/scenarios/{scenarioId}/compare";

    /** Default time limit of a scenario's solve (seconds): what-ifs are quick looks. */
    static final int DEFAULT_SECONDS = 20;

    private final ScenarioStore store;
    private final RunBoard board;
    private final RunControl control;
    private final AuditLog audit;
    private final tapipeline.coordinator.datasets.DatasetStore datasets;

    private ScenariosFeature(ScenarioStore store, RunBoard board, RunControl control, AuditLog audit,
                             tapipeline.coordinator.datasets.DatasetStore datasets) {
        this.store = store;
        this.board = board;
        this.control = control;
        this.audit = audit;
        this.datasets = datasets;
    }

    /** Starts the scenarios' replay on the runtime, on the data half's datasets and audit and the runs half's board and commands. */
    public static ScenariosFeature start(ServiceRuntime runtime, DataFeature data, RunsFeature runs) {
        ScenarioStore store = new ScenarioStore(runtime, data.datasets(), data.audit(), Clock.systemUTC());
        return new ScenariosFeature(store, runs.board(), runs.control(), data.audit(), data.datasets());
    }

    /** A scenario's name, or its id when there is no such scenario (deleted). */
    public String nameOf(String scenarioId) {
        return store.get(scenarioId).map(tapipeline.schemas.coordinator.Scenario::name).orElse(scenarioId);
    }

    public ScenarioStore store() {
        return store;
    }

    public boolean awaitReady(Duration timeout) throws InterruptedException {
        return store.awaitReady(timeout);
    }

    /** Declares the scenarios' navigation, pages and API routes, each with its access. */
    public void declare(Site site) {
        site.nav("Scenarios", "/scenarios", Access.VIEWER);
        site.get("/scenarios", Access.VIEWER, this::listPage)
                .get("/terms/{term}/scenarios", Access.VIEWER, this::listPage)
                .get("/scenarios/{scenarioId}", Access.VIEWER, this::scenarioPage)
                .get("/scenarios/{scenarioId}/compare", Access.VIEWER, this::comparePage)
                .post("/scenarios/{scenarioId}/delete", Access.COORDINATOR, this::delete);
        site.get(API_TERM_SCENARIOS, Access.VIEWER, this::listJson)
                .post(API_TERM_SCENARIOS, Access.COORDINATOR, this::create)
                .get(API_SCENARIO, Access.VIEWER, this::showJson)
                .delete(API_SCENARIO, Access.COORDINATOR, this::delete)
                .post(API_EDITS, Access.COORDINATOR, this::edit)
                .post(API_RUNS, Access.COORDINATOR, this::solve)
                .get(API_COMPARE, Access.VIEWER, this::compareJson);
    }

    // ------------------------------------------------------------------ commands

    private void create(Context ctx) {
        String term = ctx.pathParam("term");
        Body body = Body.of(ctx);
        Scenario s;
        try {
            s = store.create(term, body.text("name"), body.text("description"), RunsFeature.actorOf(ctx),
                    body.text("reason"));
        } catch (Refused e) {
            if (Web.wantsHtml(ctx)) {
                ctx.redirect("/terms/" + enc(term) + "/scenarios?error=" + enc(e.getMessage()), HttpStatus.SEE_OTHER);
                return;
            }
            throw e;
        }
        answer(ctx, 201, Map.of("scenarioId", s.scenarioId(), "term", s.term(), "name", s.name(), "version",
                s.dataset().version(), "baseVersion", s.baseVersion(), "links", links(s.scenarioId())),
                page(s.scenarioId()) + "?done=created");
    }

    private void edit(Context ctx) {
        String id = ctx.pathParam("scenarioId");
        Body body = Body.of(ctx);
        Scenario s;
        try {
            store.require(id);
            ScenarioEdits.Edit edit = switch (body.required("kind")) {
                case "slots" -> new ScenarioEdits.Slots(body.required("courseId"), body.integer("slots"));
                case "capHours" -> new ScenarioEdits.CapHours(body.integer("maxHours"));
                case "removeApplicant" -> new ScenarioEdits.RemoveApplicant(body.required("applicantId"));
                case "removeCourse" -> new ScenarioEdits.RemoveCourse(body.required("courseId"));
                default -> throw new Refused(400, "kind must be slots, capHours, removeApplicant or removeCourse, was \""
                        + RunsApi.clipForMessage(body.text("kind")) + "\"");
            };
            s = store.edit(id, body.longValue("expectedVersion"), edit, RunsFeature.actorOf(ctx), body.text("reason"));
        } catch (Refused | tapipeline.coordinator.datasets.DatasetEdits.RejectedException e) {
            if (Web.wantsHtml(ctx) && store.get(id).isPresent()) {
                ctx.redirect(page(id) + "?error=" + enc(e.getMessage()), HttpStatus.SEE_OTHER);
                return;
            }
            throw e;
        }
        answer(ctx, 200, Map.of("scenarioId", id, "version", s.dataset().version()), page(id) + "?done=edited");
    }

    private void solve(Context ctx) {
        String id = ctx.pathParam("scenarioId");
        Body body = Body.of(ctx);
        String runId;
        try {
            Scenario s = store.require(id);
            RunControl.Settings settings = new RunControl.Settings(
                    body.has("timeLimitSeconds") ? body.integer("timeLimitSeconds") : DEFAULT_SECONDS,
                    body.has("unimprovedSeconds") ? body.integer("unimprovedSeconds") : 0,
                    body.has("seed") ? body.longValue("seed") : 42L);
            runId = control.startWhatIf(id, s.dataset(), settings, RunsFeature.actorOf(ctx), body.text("reason"));
        } catch (Refused e) {
            if (Web.wantsHtml(ctx) && store.get(id).isPresent()) {
                ctx.redirect(page(id) + "?error=" + enc(e.getMessage()), HttpStatus.SEE_OTHER);
                return;
            }
            throw e;
        }
        answer(ctx, 202, Map.of("runId", runId, "scenarioId", id, "links", Map.of("run", "/api/runs/" + runId,
                "page", "/runs/" + runId, "compare", "/api/scenarios/" + id + "/compare")), "/runs/" + enc(runId));
    }

    private void delete(Context ctx) {
        String id = ctx.pathParam("scenarioId");
        Scenario s = store.require(id);
        Body body = Body.of(ctx);
        store.delete(id, RunsFeature.actorOf(ctx), body.text("reason"));
        answer(ctx, 200, Map.of("scenarioId", id, "deleted", true), "/terms/" + enc(s.term()) + "/scenarios?done=deleted");
    }

    // ------------------------------------------------------------------ reading

    private void listJson(Context ctx) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Scenario s : store.list(ctx.pathParam("term"))) {
            out.add(summary(s));
        }
        ctx.json(out);
    }

    private void showJson(Context ctx) {
        Scenario s = store.require(ctx.pathParam("scenarioId"));
        Map<String, Object> m = summary(s);
        m.put("dataset", s.dataset());
        m.put("runs", runsOf(s).stream().map(r -> Map.of("runId", r.runId(), "state", r.state(),
                "score", r.result() == null || r.result().score() == null ? "" : r.result().score())).toList());
        m.put("edits", history(s.scenarioId()).stream().map(e -> Map.of("actor", e.actor(), "action", e.action(),
                "at", e.at().toString(), "reason", AuditLog.reasonOf(e), "detail", AuditLog.factsOf(e))).toList());
        ctx.json(m);
    }

    private static Map<String, Object> summary(Scenario s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("scenarioId", s.scenarioId());
        m.put("term", s.term());
        m.put("name", s.name());
        m.put("description", s.description());
        m.put("createdBy", s.createdBy());
        m.put("createdAt", s.createdAt().toString());
        m.put("baseVersion", s.baseVersion());
        m.put("version", s.dataset().version());
        m.put("courses", s.dataset().courses().size());
        m.put("applicants", s.dataset().applicants().size());
        m.put("slots", s.dataset().courses().stream().mapToInt(c -> c.slots()).sum());
        return m;
    }

    private void compareJson(Context ctx) {
        Scenario s = store.require(ctx.pathParam("scenarioId"));
        Compared c = compare(s);
        if (c.missing() != null) {
            throw new Refused(409, c.missing());
        }
        Comparison x = c.comparison();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("scenarioId", s.scenarioId());
        m.put("term", s.term());
        m.put("plan", side(x.plan(), c.planKind()));
        m.put("scenario", side(x.scenario(), "what-if"));
        m.put("scoreDifference", x.scoreDifference());
        m.put("constraints", x.constraints());
        m.put("moved", x.moved().size());
        m.put("gainers", x.gainers());
        m.put("losers", x.losers());
        List<Map<String, Object>> tas = new ArrayList<>();
        for (Comparison.TaChange t : x.moved()) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("applicantId", t.applicantId());
            r.put("name", t.name());
            r.put("before", t.before());
            r.put("hoursBefore", t.hoursBefore());
            r.put("after", t.after());
            r.put("hoursAfter", t.hoursAfter());
            r.put("gained", t.gained());
            r.put("lost", t.lost());
            r.put("gains", t.gains());
            r.put("loses", t.loses());
            tas.add(r);
        }
        m.put("movedTas", tas);
        ctx.json(m);
    }

    private static Map<String, Object> side(Comparison.Side s, String kind) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("runId", s.runId());
        m.put("kind", kind);
        m.put("score", s.score());
        m.put("filled", s.filled());
        m.put("total", s.total());
        return m;
    }

    /** The comparison, or why there is none yet; {@code planKind}: "approved" or "latest". */
    record Compared(Comparison comparison, String planKind, String missing) {
    }

    Compared compare(Scenario s) {
        RunBoard.Run what = runsOf(s).stream().filter(RunBoard.Run::reviewable).findFirst().orElse(null);
        if (what == null) {
            return new Compared(null, null, "scenario " + s.scenarioId() + " has no completed run yet: solve it first");
        }
        List<RunBoard.Run> termRuns = board.list(s.term()).stream()
                .filter(r -> r.scenarioId() == null && r.reviewable()).toList();
        Optional<RunBoard.Run> approved = termRuns.stream().filter(r -> r.approval() != null)
                .max(Comparator.comparing(r -> r.approval().approvedAt()));
        RunBoard.Run plan = approved.orElse(termRuns.isEmpty() ? null : termRuns.get(0));
        if (plan == null) {
            return new Compared(null, null, "term " + s.term() + " has no completed run to compare with: run the term first");
        }
        return new Compared(Comparison.of(plan.runId(), input(plan), what.runId(), input(what)),
                approved.isPresent() ? "approved" : "latest", null);
    }

    private Comparison.Input input(RunBoard.Run run) {
        Review review = control.review(run.runId());
        return new Comparison.Input(review.problem(), run.result(), review.assignment());
    }

    /** The scenario's runs on the board, newest first. */
    List<RunBoard.Run> runsOf(Scenario s) {
        return board.list(s.term()).stream().filter(r -> s.scenarioId().equals(r.scenarioId())).toList();
    }

    private List<AuditEntry> history(String scenarioId) {
        return audit.history(ScenarioStore.subject(scenarioId));
    }

    // ------------------------------------------------------------------ pages

    private void listPage(Context ctx) {
        String term = ctx.pathParamMap().containsKey("term") ? ctx.pathParam("term") : blankToNull(ctx.queryParam("term"));
        List<ScenarioViews.Row> rows = new ArrayList<>();
        for (Scenario s : store.list(term)) {
            List<RunBoard.Run> runs = runsOf(s);
            rows.add(new ScenarioViews.Row(s.scenarioId(), s.term(), s.name(), s.description(), s.createdBy(),
                    ScenarioViews.when(s.createdAt()), s.baseVersion(), s.dataset().version(), runs.size(),
                    runs.stream().anyMatch(RunBoard.Run::reviewable)));
        }
        ScenarioViews.ListPage model = new ScenarioViews.ListPage(term == null ? "" : term, datasets.terms(), rows,
                canEdit(ctx), blankToNull(ctx.queryParam("error")), flash(ctx));
        Pages.render(ctx, meta(term == null ? "Scenarios" : "Scenarios of " + term), "coordinator/scenarios/list.jte",
                Map.of("model", model));
    }

    private void scenarioPage(Context ctx) {
        Scenario s = store.require(ctx.pathParam("scenarioId"));
        Pages.render(ctx, meta("Scenario " + s.name()), "coordinator/scenarios/scenario.jte",
                Map.of("model", ScenarioViews.ScenarioPage.of(s, runsOf(s), history(s.scenarioId()),
                        datasets.current(s.term()).map(d -> d.version()).orElse(0L), canEdit(ctx),
                        blankToNull(ctx.queryParam("error")), flash(ctx))));
    }

    private void comparePage(Context ctx) {
        Scenario s = store.require(ctx.pathParam("scenarioId"));
        Compared c = compare(s);
        Pages.render(ctx, meta("Compare " + s.name() + " with the current plan"), "coordinator/scenarios/compare.jte",
                Map.of("model", new ScenarioViews.ComparePage(s.scenarioId(), s.term(), s.name(), c.comparison(),
                        c.planKind(), c.missing())));
    }

    // ------------------------------------------------------------------ helpers

    private static PageMeta meta(String title) {
        return PageMeta.of(title).withStyles(RunsFeature.RUNS_CSS);
    }

    private static boolean canEdit(Context ctx) {
        return Web.user(ctx).map(u -> u.has(Access.COORDINATOR)).orElse(false);
    }

    private static String flash(Context ctx) {
        String done = ctx.queryParam("done");
        if (done == null) {
            return null;
        }
        return switch (done) {
            case "created" -> "Scenario created: a copy of the term's current data. The term's data is unchanged.";
            case "edited" -> "Edit saved to the scenario (the term's data is unchanged).";
            case "deleted" -> "Scenario deleted. Its runs stay in the run list.";
            default -> null;
        };
    }

    private static Map<String, String> links(String id) {
        return Map.of("self", "/api/scenarios/" + id, "page", page(id), "compare", "/api/scenarios/" + id + "/compare");
    }

    static String page(String scenarioId) {
        return "/scenarios/" + enc(scenarioId);
    }

    /** JSON for API callers; a browser's form post goes on to the page that shows the result (303). */
    private static void answer(Context ctx, int status, Object json, String page) {
        if (Web.wantsHtml(ctx)) {
            ctx.redirect(page, HttpStatus.SEE_OTHER);
        } else {
            ctx.status(status).json(json);
        }
    }

    static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
