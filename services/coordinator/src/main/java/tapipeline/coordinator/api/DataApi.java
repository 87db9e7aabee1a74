package tapipeline.coordinator.api;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;

import tapipeline.coordinator.audit.AuditLog;
import tapipeline.coordinator.content.ContentStore;
import tapipeline.coordinator.datasets.CsvExport;
import tapipeline.coordinator.datasets.DatasetEdits;
import tapipeline.coordinator.datasets.DatasetStore;
import tapipeline.coordinator.imports.ImportKind;
import tapipeline.coordinator.imports.Importer;
import tapipeline.coordinator.imports.Imports;
import tapipeline.coordinator.imports.Templates;
import tapipeline.schemas.EventCodec;
import tapipeline.schemas.assignment.Applicant;
import tapipeline.schemas.audit.AuditEntry;
import tapipeline.schemas.coordinator.Dataset;
import tapipeline.schemas.handbook.HandbookContent;

/**
 * The JSON API of the data half: imports (check, preview, apply), datasets (read, export, edit),
 * templates, program content and audit history. Every mutating call needs a reason, which goes into
 * the audit entry.
 */
public final class DataApi {

    private final Imports imports;
    private final DatasetStore datasets;
    private final DatasetEdits edits;
    private final ContentStore content;
    private final AuditLog audit;
    private final Importer.Limits limits;
    private final Function<Context, String> actor;
    private final tapipeline.coordinator.datasets.LastRuns lastRuns;

    public DataApi(Imports imports, DatasetStore datasets, DatasetEdits edits, ContentStore content, AuditLog audit,
                   Importer.Limits limits, Function<Context, String> actor, tapipeline.coordinator.datasets.LastRuns lastRuns) {
        this.lastRuns = lastRuns;
        this.imports = imports;
        this.datasets = datasets;
        this.edits = edits;
        this.content = content;
        this.audit = audit;
        this.limits = limits;
        this.actor = actor;
    }

    /** Paths, for the route table: GET (read) and mutating ones. */
    public static final String TERMS = "/api/terms";
    public static final String DATASET = "/api/terms/{term}/dataset";
    public static final String DATASET_CSV = "/api/terms/{term}/dataset/{kind}.csv";
    public static final String CHANGES = "/api/terms/{term}/changes";
    public static final String IMPORTS = "/api/terms/{term}/imports";
    public static final String IMPORT = "/api/terms/{term}/imports/{importId}";
    public static final String IMPORT_APPLY = "/api/terms/{term}/imports/{importId}/apply";
    public static final String APPLICANTS = "/api/terms/{term}/applicants";
    public static final String HOURS = "/api/terms/{term}/applicants/{applicantId}/hours";
    public static final String BANS = "/api/terms/{term}/bans";
    public static final String TEMPLATE = "/api/templates/{kind}.csv";
    public static final String PROGRAMS = "/api/programs";
    public static final String CONTENT = "/api/programs/{programId}/content";
    public static final String AUDIT = "/api/audit";

    // ------------------------------------------------------------------ handlers

    public void terms(Context ctx) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String term : datasets.terms()) {
            Dataset d = datasets.current(term).orElseThrow();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("term", term);
            m.put("version", d.version());
            m.put("courses", d.courses().size());
            m.put("applicants", d.applicants().size());
            m.put("preferences", d.preferences().size());
            m.put("instructorPreferences", d.instructorPreferences().size());
            m.put("pins", d.pins().size());
            out.add(m);
        }
        ctx.json(out);
    }

    public void dataset(Context ctx) {
        ctx.json(datasets.current(ctx.pathParam("term")).orElseThrow(() -> notFound("term " + ctx.pathParam("term") + " has no dataset")));
    }

    public void datasetCsv(Context ctx) {
        ImportKind kind = kind(ctx.pathParam("kind"));
        Dataset d = datasets.current(ctx.pathParam("term")).orElseThrow(() -> notFound("term " + ctx.pathParam("term") + " has no dataset"));
        ctx.contentType("text/csv; charset=utf-8")
                .header("Content-Disposition", "attachment; filename=\"" + kind.fileStem() + ".csv\"")
                .result(CsvExport.csv(d, kind));
    }

    /** What changed in the term's dataset since its last run (everything, when it has none). */
    public void changes(Context ctx) {
        String term = ctx.pathParam("term");
        Dataset d = datasets.current(term).orElseThrow(() -> notFound("term " + term + " has no dataset"));
        var last = lastRuns.lastRun(term);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("term", term);
        m.put("version", d.version());
        m.put("lastRunId", last.map(tapipeline.coordinator.datasets.LastRuns.LastRun::runId).orElse(null));
        var diff = DatasetStore.changes(last.map(tapipeline.coordinator.datasets.LastRuns.LastRun::snapshot).orElse(null), d);
        m.put("changed", !diff.isEmpty());
        m.put("changes", diff.sections());
        ctx.json(m);
    }

    public void template(Context ctx) {
        ImportKind kind = kind(ctx.pathParam("kind"));
        ctx.contentType("text/csv; charset=utf-8")
                .header("Content-Disposition", "attachment; filename=\"" + kind.fileStem() + ".csv\"")
                .result(Templates.csv(kind));
    }

    /**
     * Checks an import: multipart files (named by form field or file name), a CSV body with
     * {@code ?kind=courses}, or a dataset JSON body. With {@code ?apply=true&reason=...} it is applied
     * at once when it has no error (the CLI's one-step import).
     */
    public void checkImport(Context ctx) throws IOException {
        String term = ctx.pathParam("term");
        List<Importer.Upload> uploads = uploads(ctx);
        if (uploads.isEmpty()) {
            throw new BadRequest("no file: send courses.csv, applicants.csv, preferences.csv, instructor_requests.csv or a dataset JSON");
        }
        Imports.Pending p = imports.check(term, uploads, actor.apply(ctx));
        Map<String, Object> body = importView(p);
        if (p.result().hasErrors()) {
            ctx.status(422).json(body);
            return;
        }
        if ("true".equals(ctx.queryParam("apply"))) {
            Dataset written = imports.apply(term, p.id(), actor.apply(ctx), reason(ctx, null));
            body.put("applied", true);
            body.put("version", written.version());
        }
        ctx.json(body);
    }

    public void getImport(Context ctx) {
        Imports.Pending p = imports.get(ctx.pathParam("term"), ctx.pathParam("importId"))
                .orElseThrow(() -> notFound("import " + ctx.pathParam("importId") + " is unknown or expired"));
        ctx.status(p.result().hasErrors() ? 422 : 200).json(importView(p));
    }

    public void applyImport(Context ctx) {
        JsonNode body = jsonBody(ctx);
        Dataset written = imports.apply(ctx.pathParam("term"), ctx.pathParam("importId"), actor.apply(ctx), reason(ctx, body));
        ctx.json(Map.of("term", written.term(), "version", written.version()));
    }

    public void addApplicant(Context ctx) throws IOException {
        JsonNode body = jsonBody(ctx);
        Applicant a = read(body.get("applicant"), Applicant.class, "applicant");
        Dataset d = edits.addApplicant(ctx.pathParam("term"), expected(body), a, actor.apply(ctx), reason(ctx, body));
        ctx.status(201).json(Map.of("term", d.term(), "version", d.version()));
    }

    public void changeHours(Context ctx) {
        JsonNode body = jsonBody(ctx);
        Dataset d = edits.changeHours(ctx.pathParam("term"), expected(body), ctx.pathParam("applicantId"),
                integer(body, "minHours"), integer(body, "targetHours"), integer(body, "maxHours"), actor.apply(ctx),
                reason(ctx, body));
        ctx.json(Map.of("term", d.term(), "version", d.version()));
    }

    public void ban(Context ctx) {
        JsonNode body = jsonBody(ctx);
        Dataset d = edits.ban(ctx.pathParam("term"), expected(body), text(body, "courseId"), text(body, "applicantId"),
                actor.apply(ctx), reason(ctx, body));
        ctx.status(201).json(Map.of("term", d.term(), "version", d.version()));
    }

    public void programs(Context ctx) {
        ctx.json(content.programs());
    }

    public void getContent(Context ctx) {
        ctx.json(content.current(ctx.pathParam("programId")).orElseThrow(() -> notFound("program " + ctx.pathParam("programId") + " has no content")));
    }

    public void putContent(Context ctx) {
        JsonNode body = jsonBody(ctx);
        HandbookContent c = read(body.get("content"), HandbookContent.class, "content");
        if (!c.programId().equals(ctx.pathParam("programId"))) {
            throw new BadRequest("content.programId \"" + c.programId() + "\" is not the program of the path, " + ctx.pathParam("programId"));
        }
        Instant basedOn = body.hasNonNull("basedOn") ? Instant.parse(body.get("basedOn").asText()) : null;
        HandbookContent saved = content.save(c, basedOn, actor.apply(ctx), reason(ctx, body));
        ctx.json(saved);
    }

    public void audit(Context ctx) {
        String subject = ctx.queryParam("subject");
        if (subject == null || subject.isBlank()) {
            ctx.json(Map.of("subjects", audit.subjects(200)));
            return;
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (AuditEntry e : audit.history(subject)) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("subject", e.subject());
            m.put("actor", e.actor());
            m.put("action", e.action());
            m.put("at", e.at().toString());
            m.put("reason", AuditLog.reasonOf(e));
            m.put("detail", AuditLog.factsOf(e));
            out.add(m);
        }
        ctx.json(out);
    }

    // ------------------------------------------------------------------ helpers

    /** The JSON view of a checked import (shared by the API and the CLI). */
    public static Map<String, Object> importView(Imports.Pending p) {
        Importer.Result r = p.result();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("importId", p.id());
        m.put("term", r.term());
        m.put("baseVersion", r.baseVersion());
        m.put("files", r.files());
        m.put("ok", !r.hasErrors());
        m.put("errors", r.errors());
        m.put("warnings", r.warnings());
        m.put("summary", Imports.summary(r));
        m.put("changes", r.diff().sections());
        return m;
    }

    /** The files of an import request (multipart, a CSV body with ?kind=, or a JSON body); limits checked first. */
    public List<Importer.Upload> uploads(Context ctx) throws IOException {
        long length = ctx.contentLength();
        if (length > limits.maxTotalBytes()) {
            throw new Importer.TooLargeException("the upload is " + length + " bytes, over the limit of "
                    + limits.maxTotalBytes() + " bytes per import (COORDINATOR_IMPORT_MAX_BYTES)");
        }
        String type = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(java.util.Locale.ROOT);
        List<Importer.Upload> out = new ArrayList<>();
        if (type.startsWith("multipart/form-data")) {
            for (Map.Entry<String, List<UploadedFile>> e : ctx.uploadedFileMap().entrySet()) {
                for (UploadedFile f : e.getValue()) {
                    if (f.size() == 0 && (f.filename() == null || f.filename().isEmpty())) {
                        continue; // an empty file input of the form
                    }
                    if (f.size() > limits.maxFileBytes()) {
                        throw new Importer.TooLargeException(f.filename() + " is " + f.size() + " bytes, over the limit of "
                                + limits.maxFileBytes() + " bytes per file (COORDINATOR_IMPORT_MAX_BYTES)");
                    }
                    out.add(new Importer.Upload(uploadName(e.getKey(), f.filename()), readAll(f)));
                }
            }
        } else if (type.startsWith("application/json")) {
            out.add(new Importer.Upload(ctx.queryParamMap().containsKey("file") ? ctx.queryParam("file") + ".json" : "dataset.json",
                    ctx.bodyAsBytes()));
        } else if (type.startsWith("text/csv") || type.startsWith("text/plain")) {
            String kind = ctx.queryParam("kind");
            if (kind == null || ImportKind.byStem(kind).isEmpty()) {
                throw new BadRequest("a CSV body needs ?kind=courses, applicants, preferences or instructor_requests");
            }
            out.add(new Importer.Upload(ImportKind.byStem(kind).get().fileStem() + ".csv", ctx.bodyAsBytes()));
        } else {
            throw new BadRequest("send multipart/form-data, text/csv (with ?kind=) or application/json, not \"" + type + "\"");
        }
        return out;
    }

    /** The name a file is reported under: its kind (from the form field, else the file name) and extension. */
    static String uploadName(String field, String filename) {
        String name = filename == null || filename.isBlank() ? field : filename.replaceAll("^.*[/\\\\]", "");
        boolean json = name.toLowerCase(java.util.Locale.ROOT).endsWith(".json");
        if (json) {
            return name;
        }
        if (Importer.kindOf(name) == null && ImportKind.byStem(field).isPresent()) {
            return ImportKind.byStem(field).get().fileStem() + ".csv";
        }
        return name;
    }

    private static byte[] readAll(UploadedFile f) throws IOException {
        try (InputStream in = f.content()) {
            return in.readAllBytes();
        }
    }

    private static ImportKind kind(String stem) {
        return ImportKind.byStem(stem).orElseThrow(() -> notFound("no such kind: " + stem
                + " (courses, applicants, preferences, instructor_requests)"));
    }

    private static JsonNode jsonBody(Context ctx) {
        String type = ctx.contentType() == null ? "" : ctx.contentType();
        if (!type.startsWith("application/json")) {
            // a form post: its fields as a JSON object
            var node = EventCodec.objectMapper().createObjectNode();
            ctx.formParamMap().forEach((k, v) -> node.put(k, v.isEmpty() ? "" : v.get(0)));
            return node;
        }
        try {
            JsonNode n = EventCodec.objectMapper().readTree(ctx.bodyAsBytes());
            if (n == null || !n.isObject()) {
                throw new BadRequest("the body must be a JSON object");
            }
            return n;
        } catch (IOException e) {
            throw new BadRequest("the body is not JSON: " + e.getMessage());
        }
    }

    private static <T> T read(JsonNode node, Class<T> type, String field) {
        if (node == null || node.isNull()) {
            throw new BadRequest("the body needs \"" + field + "\"");
        }
        try {
            return EventCodec.objectMapper().treeToValue(node, type);
        } catch (IOException e) {
            Throwable c = e.getCause() instanceof IllegalArgumentException iae ? iae : e;
            throw new BadRequest(field + ": " + c.getMessage());
        }
    }

    static String reason(Context ctx, JsonNode body) {
        String r = body != null && body.hasNonNull("reason") ? body.get("reason").asText() : ctx.queryParam("reason");
        if (r == null || r.isBlank()) {
            r = ctx.formParamMap().containsKey("reason") ? ctx.formParam("reason") : null;
        }
        if (r == null || r.isBlank()) {
            throw new BadRequest("say why: a reason is required for the audit history");
        }
        if (r.length() > 2000) {
            throw new BadRequest("the reason is over 2,000 characters");
        }
        return r.strip();
    }

    private static long expected(JsonNode body) {
        JsonNode v = body.get("expectedVersion");
        if (v == null || !(v.isIntegralNumber() || v.asText().matches("\\d+"))) {
            throw new BadRequest("expectedVersion is required: the version of the dataset the change was made on");
        }
        return v.asLong();
    }

    private static int integer(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || !(v.isIntegralNumber() || v.asText().matches("-?\\d{1,6}"))) {
            throw new BadRequest(field + " must be a whole number");
        }
        return v.asInt();
    }

    private static String text(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.asText().isBlank()) {
            throw new BadRequest(field + " is required");
        }
        return v.asText().strip();
    }

    static NotFound notFound(String message) {
        return new NotFound(message);
    }

    /** 400 with a sentence. */
    public static final class BadRequest extends RuntimeException {
        public BadRequest(String message) {
            super(message);
        }
    }

    /** 404 with a sentence. */
    public static final class NotFound extends RuntimeException {
        public NotFound(String message) {
            super(message);
        }
    }

    /** Maps the data half's exceptions to statuses and {@link ApiError} bodies. */
    public static void exceptions(JavalinConfig cfg) {
        cfg.routes.exception(BadRequest.class, (e, ctx) -> ctx.status(400).json(ApiError.of("bad_request", e.getMessage())));
        cfg.routes.exception(NotFound.class, (e, ctx) -> ctx.status(404).json(ApiError.of("not_found", e.getMessage())));
        cfg.routes.exception(Importer.TooLargeException.class,
                (e, ctx) -> ctx.status(413).json(ApiError.of("too_large", e.getMessage())));
        cfg.routes.exception(DatasetStore.VersionConflictException.class,
                (e, ctx) -> ctx.status(409).json(ApiError.of("conflict", e.getMessage())));
        cfg.routes.exception(ContentStore.StaleEditException.class,
                (e, ctx) -> ctx.status(409).json(ApiError.of("conflict", e.getMessage())));
        cfg.routes.exception(Imports.NotApplicableException.class,
                (e, ctx) -> ctx.status(422).json(ApiError.of("invalid", e.getMessage())));
        cfg.routes.exception(DatasetEdits.RejectedException.class,
                (e, ctx) -> ctx.status(422).json(new ApiError("invalid", e.getMessage(), e.problems())));
    }

}
