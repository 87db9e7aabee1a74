package tapipeline.coordinator.runs;

import io.javalin.config.JavalinConfig;
import java.time.Clock;
import java.util.List;
import tapipeline.platform.config.Key;
import tapipeline.platform.kafka.Events;
import tapipeline.platform.kafka.ReplayLoop;
import tapipeline.platform.kafka.Topics;
import tapipeline.platform.service.ServiceRuntime;
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
    private final ReplayLoop<Envelope<?>> replay;

    private RunsFeature(RunBoard board, RunControl control, RunsApi api, ReplayLoop<Envelope<?>> replay) {
        this.board = board;
        this.control = control;
        this.api = api;
        this.replay = replay;
    }

    public static List<Key<?>> configKeys() {
        return List.of(DEPARTMENT);
    }

    /**
     * Starts the runs' replay and builds the commands and API.
     *
     * @param datasets the term datasets; null: read and write {@code coordinator.datasets} directly
     * @param audit    the audit writer; null: write {@code audit} directly
     * @param actor    the signed-in account of a request
     */
    public static RunsFeature start(ServiceRuntime runtime, DatasetSource datasets, AuditTrail audit,
                                    RunsApi.Actor actor) {
        RunBoard board = new RunBoard();
        AuditTrail trail = audit == null ? new TopicAudit(runtime.producer(), Clock.systemUTC()) : audit;
        TopicDatasets own = datasets == null ? new TopicDatasets(runtime.producer(), trail) : null;
        List<String> topics = new java.util.ArrayList<>(List.of(Topics.RUN_REQUESTED.name(), Topics.RUN_PROGRESS.name(),
                Topics.RUN_COMPLETED.name(), Topics.RUN_STATUS.name(), Topics.RUN_CANCEL.name(),
                Topics.APPROVED.name(), Topics.HANDBOOK_RENDERED.name(), Topics.SITE_LINKS.name()));
        if (own != null) {
            topics.add(Topics.DATASETS.name());
        }
        ReplayLoop<Envelope<?>> replay = runtime.startReplayLoop("runs", Events.anyDecoder(), (event, record) -> {
            if (own != null) {
                own.apply(event);
            }
            board.apply(event);
        }, () -> { }, topics.toArray(String[]::new));
        RunControl control = new RunControl(board, own == null ? datasets : own, trail, runtime.producer(),
                Clock.systemUTC(), runtime.config().get(DEPARTMENT));
        return new RunsFeature(board, control, new RunsApi(board, control, actor), replay);
    }

    /** Registers the API on a Javalin config with its error mapping (until the site's route table takes them). */
    public void routes(JavalinConfig cfg) {
        for (RunsApi.ApiRoute r : api.routes()) {
            switch (r.method()) {
                case "GET" -> cfg.routes.get(r.path(), r.handler());
                case "POST" -> cfg.routes.post(r.path(), r.handler());
                case "SSE" -> cfg.routes.sse(r.path(), r.sse());
                default -> throw new IllegalStateException(r.method());
            }
        }
        cfg.routes.exception(RunControl.Refused.class, (e, ctx) ->
                ctx.status(e.status()).json(java.util.Map.of("error", e.getMessage())));
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

    public ReplayLoop<Envelope<?>> replay() {
        return replay;
    }
}
