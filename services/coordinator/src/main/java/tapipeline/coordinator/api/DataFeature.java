package tapipeline.coordinator.api;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

import io.javalin.config.JavalinConfig;
import io.javalin.config.SizeUnit;
import io.javalin.http.Context;

import tapipeline.coordinator.audit.AuditLog;
import tapipeline.coordinator.content.ContentStore;
import tapipeline.coordinator.datasets.DatasetEdits;
import tapipeline.coordinator.datasets.DatasetStore;
import tapipeline.coordinator.imports.Importer;
import tapipeline.coordinator.imports.Imports;
import tapipeline.platform.config.Config;
import tapipeline.platform.config.Key;
import tapipeline.platform.service.ServiceRuntime;

/**
 * The coordinator's data half in one piece, as {@code CoordinatorService} wires it: the audit log,
 * the term datasets, imports and edits, program content, and their routes. The runs half reaches
 * {@link #datasets()} and {@link #audit()} through it.
 */
public final class DataFeature {

    public static final Key<Integer> IMPORT_MAX_BYTES = Key.integer("COORDINATOR_IMPORT_MAX_BYTES", 8 * 1024 * 1024,
            1024, 64 * 1024 * 1024, "Largest import the coordinator accepts (all files of one upload, in bytes); larger"
                    + " uploads are refused with 413 before they are parsed.");

    /** The configuration keys of the data half. */
    public static List<Key<?>> configKeys() {
        return List.of(IMPORT_MAX_BYTES);
    }

    private final AuditLog audit;
    private final DatasetStore datasets;
    private final DatasetEdits edits;
    private final ContentStore content;
    private final Imports imports;
    private final Importer.Limits limits;
    private final DataApi api;
    private volatile tapipeline.coordinator.datasets.LastRuns lastRuns = tapipeline.coordinator.datasets.LastRuns.NONE;

    private DataFeature(ServiceRuntime runtime, Config config, Clock clock, Function<Context, String> actor) {
        int max = config.get(IMPORT_MAX_BYTES);
        this.limits = new Importer.Limits(max, max);
        this.audit = new AuditLog(runtime, clock);
        this.datasets = new DatasetStore(runtime, audit);
        this.edits = new DatasetEdits(datasets, audit);
        this.content = new ContentStore(runtime, audit, clock);
        this.imports = new Imports(new Importer(limits), datasets, audit, clock);
        this.api = new DataApi(imports, datasets, edits, content, audit, limits, actor, term -> lastRuns.lastRun(term));
    }

    /** Starts the data half's replay loops on the service's runtime. */
    public static DataFeature start(ServiceRuntime runtime, Config config, Function<Context, String> actor) {
        return new DataFeature(runtime, config, Clock.systemUTC(), actor);
    }

    public AuditLog audit() {
        return audit;
    }

    public DatasetStore datasets() {
        return datasets;
    }

    public DatasetEdits edits() {
        return edits;
    }

    public ContentStore content() {
        return content;
    }

    public Imports imports() {
        return imports;
    }

    /** The runs half says which dataset each term's last run used (for "what changed since the last run"). */
    public void lastRuns(tapipeline.coordinator.datasets.LastRuns lastRuns) {
        this.lastRuns = java.util.Objects.requireNonNull(lastRuns);
    }

    public DataApi api() {
        return api;
    }

    /** Waits until datasets, content and audit history are replayed. */
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        return datasets.awaitReady(timeout) && content.awaitReady(timeout) && audit.awaitReady(timeout);
    }

    /** Adds the data half's routes and request limits to the service's server. */
    public void routes(JavalinConfig cfg) {
        cfg.http.maxRequestSize = Math.max(cfg.http.maxRequestSize, limits.maxTotalBytes() + 64 * 1024);
        cfg.jetty.multipartConfig.maxFileSize(limits.maxFileBytes(), SizeUnit.BYTES);
        cfg.jetty.multipartConfig.maxTotalRequestSize(limits.maxTotalBytes() + 64 * 1024, SizeUnit.BYTES);
        DataApi.exceptions(cfg);
        cfg.routes.get(DataApi.TERMS, api::terms);
        cfg.routes.get(DataApi.DATASET, api::dataset);
        cfg.routes.get(DataApi.DATASET_CSV, api::datasetCsv);
        cfg.routes.get(DataApi.CHANGES, api::changes);
        cfg.routes.get(OpenApi.PATH, ctx -> ctx.contentType("application/json").result(OpenApi.bytes()));
        cfg.routes.get(DataApi.TEMPLATE, api::template);
        cfg.routes.post(DataApi.IMPORTS, api::checkImport);
        cfg.routes.get(DataApi.IMPORT, api::getImport);
        cfg.routes.post(DataApi.IMPORT_APPLY, api::applyImport);
        cfg.routes.post(DataApi.APPLICANTS, api::addApplicant);
        cfg.routes.put(DataApi.HOURS, api::changeHours);
        cfg.routes.post(DataApi.BANS, api::ban);
        cfg.routes.get(DataApi.PROGRAMS, api::programs);
        cfg.routes.get(DataApi.CONTENT, api::getContent);
        cfg.routes.put(DataApi.CONTENT, api::putContent);
        cfg.routes.get(DataApi.AUDIT, api::audit);
    }
}
