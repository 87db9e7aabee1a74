package tapipeline.coordinator.api;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

import io.javalin.config.JavalinConfig;
import io.javalin.config.SizeUnit;

import tapipeline.coordinator.accounts.AccountsAdmin;
import tapipeline.coordinator.audit.AuditLog;
import tapipeline.coordinator.content.ContentStore;
import tapipeline.coordinator.datasets.DatasetEdits;
import tapipeline.coordinator.datasets.DatasetStore;
import tapipeline.coordinator.datasets.LastRuns;
import tapipeline.coordinator.imports.Importer;
import tapipeline.coordinator.imports.Imports;
import tapipeline.coordinator.pages.DataPages;
import tapipeline.coordinator.sample.CoordinatorSampleData;
import tapipeline.platform.config.Config;
import tapipeline.platform.config.Key;
import tapipeline.platform.service.ServiceRuntime;
import tapipeline.platform.web.Access;
import tapipeline.platform.web.Site;

/**
 * The coordinator's data half in one piece, as {@code CoordinatorService} wires it: the audit log, the
 * term datasets, imports and edits, program content, accounts, and their pages and API routes on the
 * service's {@link Site}. The runs half reaches {@link #datasets()} and {@link #audit()} through it and
 * tells it the last run of each term ({@link #lastRuns(LastRuns)}).
 *
 * <pre>{@code
 * DataFeature data = DataFeature.start(runtime, config);
 * Web web = runtime.startWeb(port, "Coordinator", site -> { data.declare(site); runs.declare(site); }, data::limits);
 * data.started(web, runtime);
 * }</pre>
 */
public final class DataFeature {

    public static final Key<Integer> IMPORT_MAX_BYTES = Key.integer("COORDINATOR_IMPORT_MAX_BYTES", 8 * 1024 * 1024,
            1024, 64 * 1024 * 1024, "Largest import the coordinator accepts (all files of one upload, in bytes); larger"
                    + " uploads are refused with 413 before they are parsed.");
    /** Body limit of the JSON and form routes that carry content (a program's whole text). */
    public static final long CONTENT_MAX_BYTES = 1024 * 1024;

    /** The configuration keys of the data half. */
    public static List<Key<?>> configKeys() {
        List<Key<?>> keys = new java.util.ArrayList<>(List.of(IMPORT_MAX_BYTES));
        keys.addAll(AccountsAdmin.configKeys());
        return List.copyOf(keys);
    }

    private final ServiceRuntime runtime;
    private final Config config;
    private final AuditLog audit;
    private final DatasetStore datasets;
    private final DatasetEdits edits;
    private final ContentStore content;
    private final Imports imports;
    private final Importer.Limits limits;
    private final DataApi api;
    private final DataPages pages;
    private final AccountsAdmin accounts;
    private volatile LastRuns lastRuns = LastRuns.NONE;
    private volatile String baseUrl = "http://localhost";

    private DataFeature(ServiceRuntime runtime, Config config, Clock clock) {
        this.runtime = runtime;
        this.config = config;
        int max = config.get(IMPORT_MAX_BYTES);
        this.limits = new Importer.Limits(max, max);
        this.audit = new AuditLog(runtime, clock);
        this.datasets = new DatasetStore(runtime, audit);
        this.edits = new DatasetEdits(datasets, audit);
        this.content = new ContentStore(runtime, audit, clock);
        this.imports = new Imports(new Importer(limits), datasets, audit, clock);
        LastRuns delegate = term -> lastRuns.lastRun(term);
        this.api = new DataApi(imports, datasets, edits, content, audit, limits, DataPages::actor, delegate);
        this.pages = new DataPages(imports, datasets, edits, content, audit, api, delegate, CoordinatorSampleData.TERM);
        this.accounts = new AccountsAdmin(runtime.accounts(), AccountsAdmin.writer(runtime.producer()), audit, clock,
                () -> baseUrl);
    }

    /** Starts the data half's replay loops (datasets, content, audit; the accounts through the runtime). */
    public static DataFeature start(ServiceRuntime runtime, Config config) {
        return new DataFeature(runtime, config, Clock.systemUTC());
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

    public AccountsAdmin accounts() {
        return accounts;
    }

    /**
     * Writes a changed dataset (e.g. with new pins) as the term's next version with its audit entry; the
     * one call the runs half needs to change a dataset. {@code next.version()} must be the current version
     * + 1, else {@link DatasetStore.VersionConflictException} and nothing is written.
     */
    public tapipeline.schemas.coordinator.Dataset publishDataset(tapipeline.schemas.coordinator.Dataset next, String actor,
                                                                 String action, String reason, String facts) {
        return datasets.publish(next, next.version() - 1, audit.entry(next.term(), actor, action, reason,
                facts + " (version " + next.version() + ")"));
    }

    /** The runs half says which dataset each term's last run used (for "what changed since the last run"). */
    public void lastRuns(LastRuns lastRuns) {
        this.lastRuns = Objects.requireNonNull(lastRuns);
    }

    /** Waits until datasets, content and audit history are replayed. */
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        return datasets.awaitReady(timeout) && content.awaitReady(timeout) && audit.awaitReady(timeout);
    }

    /** Raises the server's request limits to the import limit (pass to {@code startWeb} as its extra settings). */
    public void limits(JavalinConfig cfg) {
        cfg.http.maxRequestSize = Math.max(cfg.http.maxRequestSize, limits.maxTotalBytes() + 64 * 1024);
        cfg.jetty.multipartConfig.maxFileSize(limits.maxFileBytes(), SizeUnit.BYTES);
        cfg.jetty.multipartConfig.maxTotalRequestSize(limits.maxTotalBytes() + 64 * 1024, SizeUnit.BYTES);
        DataApi.exceptions(cfg);
    }

    /**
     * After the server started: remembers its address (for the setup link) and, in the background, creates
     * the configured admin or logs a one-time setup link once the accounts are replayed.
     */
    public void started(String baseUrl) {
        this.baseUrl = baseUrl;
        Thread t = new Thread(() -> {
            try {
                accounts.bootstrap(config, Duration.ofMinutes(2));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                runtime.fatalErrorHook().fatal("first-start account check", e);
            }
        }, "coordinator-first-start");
        t.setDaemon(true);
        t.start();
    }

    /** Declares the data half's navigation, pages and API routes, each with its access. */
    public void declare(Site site) {
        long importMax = limits.maxTotalBytes() + 64 * 1024;
        site.home("/")
                .nav("Dashboard", "/", Access.VIEWER)
                .nav("Import", "/import", Access.COORDINATOR)
                .nav("Content", "/content", Access.VIEWER)
                .nav("History", "/history", Access.VIEWER)
                .nav("Accounts", "/accounts", Access.COORDINATOR);
        // pages
        // the home page: the dashboard for staff; an instructor (who sees no staff page) lands on their courses
        site.get("/", Access.anyOf(tapipeline.schemas.coordinator.Account.Role.VIEWER,
                        tapipeline.schemas.coordinator.Account.Role.INSTRUCTOR), ctx -> {
                    if (tapipeline.platform.web.Web.user(ctx).map(u -> u.has(Access.VIEWER)).orElse(false)) {
                        pages.dashboard(ctx);
                    } else {
                        ctx.redirect("/my", io.javalin.http.HttpStatus.SEE_OTHER);
                    }
                })
                .get("/import", Access.COORDINATOR, pages::importForm)
                .post("/import", Access.COORDINATOR, importMax, pages::importPost)
                .get("/terms/{term}/imports/{importId}", Access.COORDINATOR, pages::importReport)
                .post("/terms/{term}/imports/{importId}/apply", Access.COORDINATOR, pages::importApply)
                .get("/terms/{term}", Access.VIEWER, pages::datasetPage)
                .post("/terms/{term}/applicants", Access.COORDINATOR, pages::addApplicant)
                .get("/terms/{term}/applicants/{applicantId}", Access.VIEWER, pages::applicantPage)
                .post("/terms/{term}/applicants/{applicantId}/hours", Access.COORDINATOR, pages::changeHours)
                .post("/terms/{term}/bans", Access.COORDINATOR, pages::ban)
                .get("/content", Access.VIEWER, pages::contentIndex)
                .get("/content/{programId}", Access.VIEWER, pages::contentForm)
                .post("/content/{programId}", Access.COORDINATOR, CONTENT_MAX_BYTES, pages::contentSave)
                .get("/history", Access.VIEWER, pages::history)
                .get("/accounts", Access.COORDINATOR, accounts::accountsPage)
                .post("/accounts", Access.COORDINATOR, accounts::addPost)
                .get("/accounts/{username}", Access.COORDINATOR, accounts::accountPage)
                .post("/accounts/{username}", Access.COORDINATOR, accounts::updatePost)
                .post("/accounts/{username}/password", Access.COORDINATOR, accounts::passwordPost)
                .get("/setup", Access.PUBLIC, accounts::setupPage)
                .post("/setup", Access.PUBLIC, accounts::setupPost);
        // REST API (documented in OpenApi)
        site.get(OpenApi.PATH, Access.PUBLIC, ctx -> ctx.contentType("application/json").result(OpenApi.bytes()))
                .get(DataApi.TERMS, Access.VIEWER, api::terms)
                .get(DataApi.DATASET, Access.VIEWER, api::dataset)
                .get(DataApi.DATASET_CSV, Access.VIEWER, api::datasetCsv)
                .get(DataApi.CHANGES, Access.VIEWER, api::changes)
                .get(DataApi.TEMPLATE, Access.VIEWER, api::template)
                .post(DataApi.IMPORTS, Access.COORDINATOR, importMax, api::checkImport)
                .get(DataApi.IMPORT, Access.COORDINATOR, api::getImport)
                .post(DataApi.IMPORT_APPLY, Access.COORDINATOR, api::applyImport)
                .post(DataApi.APPLICANTS, Access.COORDINATOR, api::addApplicant)
                .put(DataApi.HOURS, Access.COORDINATOR, api::changeHours)
                .post(DataApi.BANS, Access.COORDINATOR, api::ban)
                .get(DataApi.PROGRAMS, Access.VIEWER, api::programs)
                .get(DataApi.CONTENT, Access.VIEWER, api::getContent)
                .put(DataApi.CONTENT, Access.COORDINATOR, CONTENT_MAX_BYTES, api::putContent)
                .get(DataApi.AUDIT, Access.VIEWER, api::audit)
                .get("/api/accounts", Access.COORDINATOR, accounts::listJson)
                .post("/api/accounts", Access.COORDINATOR, accounts::addJson)
                .put("/api/accounts/{username}", Access.COORDINATOR, accounts::updateJson)
                .post("/api/accounts/{username}/password", Access.COORDINATOR, accounts::passwordJson);
    }


}
