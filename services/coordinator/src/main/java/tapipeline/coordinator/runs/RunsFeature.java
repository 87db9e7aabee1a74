package tapipeline.coordinator.runs;

import io.javalin.config.JavalinConfig;
import java.time.Clock;
import java.util.List;
import tapipeline.platform.config.Key;
import tapipeline.platform.kafka.Events;
import tapipeline.platform.kafka.ReplayLoop;
import tapipeline.platform.trace.TraceContext;
import tapipeline.platform.kafka.Topics;
import tapipeline.platform.service.ServiceRuntime;
import tapipeline.platform.web.Access;
import tapipeline.platform.web.Site;
import tapipeline.platform.web.Web;
import tapipeline.platform.web.Refused;
import tapipeline.schemas.Envelope;

/**
 * The runs half of the coordinator in one piece: the read model of runs (a replay of the run,
 * approval, handbook and link topics), the commands, and the API. The service starts it with
 * {@link #start} and adds its routes.
 */
public final class RunsFeature {

    public static final Key<String> DEPARTMENT = Key.string("COORDINATOR_DEPARTMENT", "Department",
            "Department name put on the coordinator's run requests (assignment.run.requested department).");

    private final RunBoard board;
    private final RunControl control;
    private final RunsApi api;
    private final RunPages pages;
    private final ReplayLoop<Envelope<?>> replay;
    private Proposals proposals;

    private RunsFeature(RunBoard board, RunControl control, RunsApi api, ReplayLoop<Envelope<?>> replay, String siteUrl) {
        this.board = board;
        this.control = control;
        this.api = api;
        this.pages = new RunPages(board, control, siteUrl);
        this.replay = replay;
    }

    public static List<Key<?>> configKeys() {
        List<Key<?>> keys = new java.util.ArrayList<>(List.of(DEPARTMENT));
        keys.addAll(Proposals.configKeys());
        return List.copyOf(keys);
    }

    /**
     * Starts the runs' replay and builds the commands and API.
     *
     * @param datasets the term datasets (the data half's store)
     * @param audit    the audit writer (the data half's log)
     * @param datasetsReady whether the data half has replayed the datasets (proposals wait for it)
     */
    public static RunsFeature start(ServiceRuntime runtime, DatasetSource datasets, AuditTrail audit,
                                    java.util.function.BooleanSupplier datasetsReady) {
        RunBoard board = new RunBoard();
        ReplayLoop<Envelope<?>> replay = runtime.startReplayLoop("runs", Events.anyDecoder(),
                (event, record) -> board.apply(event, TraceContext.of(record.headers())), () -> { }, Topics.RUN_REQUESTED.name(),
                Topics.RUN_PROGRESS.name(), Topics.RUN_COMPLETED.name(), Topics.RUN_STATUS.name(),
                Topics.RUN_CANCEL.name(), Topics.APPROVED.name(), Topics.HANDBOOK_RENDERED.name(),
                Topics.SITE_LINKS.name());
        RunControl control = new RunControl(board, datasets, audit, runtime.producer(),
                Clock.systemUTC(), runtime.config().get(DEPARTMENT), runtime.own(new SlotExplanations(
                        new tapipeline.platform.kafka.ExplanationsReader(runtime.clients(), "coordinator-explanations",
                                java.time.Duration.ofSeconds(30)))));
        RunsFeature runs = new RunsFeature(board, control, new RunsApi(board, control, RunsFeature::actorOf), replay,
                runtime.config().get(tapipeline.platform.config.PlatformConfig.PUBLIC_SITE_URL));
        runs.proposals = Proposals.start(runtime, board, control, replay, datasetsReady);
        return runs;
    }

    /** Lets the run pages name a what-if run's scenario (the scenarios start after the runs). */
    public void scenarioNames(java.util.function.UnaryOperator<String> names) {
        pages.scenarioNames(names);
    }

    /** Declares the runs' API and pages on the service's site, each route with the role it needs. */
    public void declare(Site site) {
        declareRoutes(site, api, pages);
    }

    /**
     * The runs' routes on a site. Static, with the API and pages as parameters, so a test can list the
     * route table without starting anything.
     */
    public static void declareRoutes(Site site, RunsApi api, RunPages pages) {
        for (RunsApi.ApiRoute r : api.routes()) {
            Access access = r.need() == RunsApi.Need.COORDINATOR ? Access.COORDINATOR : Access.VIEWER;
            switch (r.method()) {
                case "GET" -> site.get(r.path(), access, r.handler());
                case "POST" -> site.post(r.path(), access, r.handler());
                case "SSE" -> site.sse(r.path(), access, r.sse());
                default -> throw new IllegalStateException(r.method());
            }
        }
        pages.declare(site);
    }

    /** Javalin settings of the runs: the run pages' style sheet (a refused command is answered by the web layer). */
    public void extra(JavalinConfig cfg) {
        cfg.staticFiles.add(sf -> {
            sf.hostedPath = STATIC;
            sf.directory = "/tapipeline/coordinator/static";
            sf.location = io.javalin.http.staticfiles.Location.CLASSPATH;
            sf.headers = java.util.Map.of("Cache-Control", "public, max-age=3600");
        });
    }

    /** The run pages' own style sheet. */
    public static final String STATIC = "/static/coordinator";
    public static final String RUNS_CSS = STATIC + "/runs.css";

    /** The account name of a request (signed in: the routes need it). */
    public static String actorOf(io.javalin.http.Context ctx) {
        return Web.user(ctx).map(u -> u.username()).orElseThrow(() -> new Refused(401, "sign in first"));
    }

    public RunBoard board() {
        return board;
    }

    public RunControl control() {
        return control;
    }

    public RunsApi api() {
        return api;
    }

    /** The decline -> proposal loop and the offers it knows. */
    public Proposals proposals() {
        return proposals;
    }

    public ReplayLoop<Envelope<?>> replay() {
        return replay;
    }
}
