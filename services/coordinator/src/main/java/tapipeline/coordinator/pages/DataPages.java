package tapipeline.coordinator.pages;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;

import tapipeline.coordinator.audit.AuditLog;
import tapipeline.coordinator.content.ContentStore;
import tapipeline.coordinator.datasets.DatasetEdits;
import tapipeline.coordinator.datasets.DatasetStore;
import tapipeline.coordinator.datasets.LastRuns;
import tapipeline.coordinator.api.DataApi;
import tapipeline.coordinator.imports.Importer;
import tapipeline.coordinator.imports.Imports;
import tapipeline.coordinator.imports.Problem;
import tapipeline.platform.web.Access;
import tapipeline.platform.web.PageMeta;
import tapipeline.platform.web.Pages;
import tapipeline.platform.web.Web;
import tapipeline.platform.web.WebUser;
import tapipeline.schemas.assignment.Applicant;
import tapipeline.schemas.assignment.InstructorPreference;
import tapipeline.schemas.audit.AuditEntry;
import tapipeline.schemas.coordinator.Dataset;
import tapipeline.schemas.handbook.HandbookContent;

/**
 * The data half's pages: dashboard, import (upload, report, preview, apply), a term's dataset with its
 * edits and what changed since the last run, program content, and history. Server-rendered forms that
 * work without JavaScript; every change is a POST with the session's CSRF token and a reason, answered
 * with a redirect (so a reload does not post twice) or the form again with the problem.
 */
public final class DataPages {

    private final Imports imports;
    private final DatasetStore datasets;
    private final DatasetEdits edits;
    private final ContentStore content;
    private final AuditLog audit;
    private final DataApi api;
    private final LastRuns lastRuns;
    private final String sampleTerm;

    public DataPages(Imports imports, DatasetStore datasets, DatasetEdits edits, ContentStore content, AuditLog audit,
                     DataApi api, LastRuns lastRuns, String sampleTerm) {
        this.imports = imports;
        this.datasets = datasets;
        this.edits = edits;
        this.content = content;
        this.audit = audit;
        this.api = api;
        this.lastRuns = lastRuns;
        this.sampleTerm = sampleTerm;
    }

    /** The signed-in user name of a request ("anonymous" when none). */
    public static String actor(Context ctx) {
        return Web.user(ctx).map(WebUser::username).orElse("anonymous");
    }

    static boolean canEdit(Context ctx) {
        return Web.user(ctx).map(u -> u.has(Access.COORDINATOR)).orElse(false);
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    // ------------------------------------------------------------------ dashboard

    public void dashboard(Context ctx) {
        List<Views.TermRow> rows = new ArrayList<>();
        for (String term : datasets.terms()) {
            datasets.current(term).ifPresent(d -> rows.add(new Views.TermRow(term, d.version(), d.courses().size(),
                    d.applicants().size(), d.preferences().size(), d.instructorPreferences().size())));
        }
        Pages.render(ctx, PageMeta.of("Dashboard"), "coordinator/data/dashboard.jte",
                Map.of("view", new Views.Dashboard(rows, canEdit(ctx), sampleTerm)));
    }

    // ------------------------------------------------------------------ import

    public void importForm(Context ctx) {
        renderImportForm(ctx, 200, Optional.ofNullable(ctx.queryParam("term")).orElse(""), null);
    }

    private void renderImportForm(Context ctx, int status, String term, String error) {
        ctx.status(status);
        Pages.render(ctx, PageMeta.of("Import"), "coordinator/data/import.jte",
                Map.of("view", new Views.ImportForm(datasets.terms(), term, error)));
    }

    public void importPost(Context ctx) throws Exception {
        List<Importer.Upload> uploads;
        try {
            uploads = api.uploads(ctx);
        } catch (Importer.TooLargeException e) {
            renderImportForm(ctx, 413, "", e.getMessage());
            return;
        }
        String term = Optional.ofNullable(ctx.formParam("term")).orElse("").strip();
        if (term.isEmpty() || term.length() > 100 || term.codePoints().anyMatch(Character::isISOControl)) {
            renderImportForm(ctx, 400, term, "Give the term the files are for (e.g. 2027W1), in at most 100 characters.");
            return;
        }
        if (uploads.isEmpty()) {
            renderImportForm(ctx, 400, term, "Choose at least one file to import.");
            return;
        }
        Imports.Pending p = imports.check(term, uploads, actor(ctx));
        ctx.redirect("/terms/" + enc(term) + "/imports/" + p.id(), HttpStatus.SEE_OTHER);
    }

    public void importReport(Context ctx) {
        String term = ctx.pathParam("term");
        Optional<Imports.Pending> p = imports.get(term, ctx.pathParam("importId"));
        if (p.isEmpty()) {
            renderImportForm(ctx, 404, term, "That import is unknown or expired (checked imports are kept 30 minutes on"
                    + " the server that checked them). Upload the files again.");
            return;
        }
        renderReport(ctx, 200, p.get(), null);
    }

    private void renderReport(Context ctx, int status, Imports.Pending p, String error) {
        Importer.Result r = p.result();
        ctx.status(status);
        Pages.render(ctx, PageMeta.of(r.hasErrors() ? "Import refused" : "Import preview"), "coordinator/data/report.jte",
                Map.of("view", new Views.ImportReport(r.term(), p.id(), r.baseVersion(), r.files(), r.errors(), r.warnings(),
                        Imports.summary(r), r.diff().sections(), error)));
    }

    public void importApply(Context ctx) {
        String term = ctx.pathParam("term");
        Optional<Imports.Pending> p = imports.get(term, ctx.pathParam("importId"));
        if (p.isEmpty()) {
            renderImportForm(ctx, 404, term, "That import is unknown or expired: upload the files again.");
            return;
        }
        String reason = Optional.ofNullable(ctx.formParam("reason")).orElse("").strip();
        if (reason.isEmpty()) {
            renderReport(ctx, 400, p.get(), "Say why you apply this import: the reason is kept in the history.");
            return;
        }
        try {
            Dataset d = imports.apply(term, p.get().id(), actor(ctx), reason);
            ctx.redirect("/terms/" + enc(term) + "?applied=" + d.version(), HttpStatus.SEE_OTHER);
        } catch (DatasetStore.VersionConflictException e) {
            renderReport(ctx, 409, p.get(), e.getMessage() + " Upload the files again to see the preview against the current data.");
        } catch (Imports.NotApplicableException e) {
            renderReport(ctx, 422, p.get(), e.getMessage());
        }
    }

    // ------------------------------------------------------------------ datasets

    public void datasetPage(Context ctx) {
        String term = ctx.pathParam("term");
        String message = null;
        String applied = ctx.queryParam("applied");
        if (applied != null && applied.matches("\\d{1,12}")) {
            message = "Applied: " + term + " is now version " + applied + ".";
        }
        String saved = ctx.queryParam("saved");
        if ("applicant".equals(saved)) {
            message = "Applicant added.";
        } else if ("ban".equals(saved)) {
            message = "Ban saved.";
        }
        renderDataset(ctx, 200, term, message, null);
    }

    private void renderDataset(Context ctx, int status, String term, String message, String error) {
        Optional<Dataset> current = datasets.current(term);
        if (current.isEmpty()) {
            Web.error(ctx, 404, "not_found", "Term " + term + " has no dataset yet. Import one first.");
            return;
        }
        Dataset d = current.get();
        Optional<LastRuns.LastRun> last = lastRuns.lastRun(term);
        var diff = DatasetStore.changes(last.map(LastRuns.LastRun::snapshot).orElse(null), d);
        List<InstructorPreference> bans = d.instructorPreferences().stream().filter(i -> i.kind() == InstructorPreference.Kind.BAN).toList();
        List<InstructorPreference> requests = d.instructorPreferences().stream().filter(i -> i.kind() == InstructorPreference.Kind.REQUEST).toList();
        String q = Optional.ofNullable(ctx.queryParam("q")).map(String::strip).filter(x -> !x.isEmpty())
                .map(x -> x.length() > 200 ? x.substring(0, 200) : x).orElse(null);
        String needle = q == null ? null : q.toLowerCase(Locale.ROOT);
        var applicantRows = Views.Paged.of(d.applicants(), a -> needle == null || Stream.concat(
                Stream.of(a.id(), a.name(), a.program()), a.skills().stream()).anyMatch(x -> contains(x, needle)),
                pageParam(ctx, "ap"));
        var courseRows = Views.Paged.of(d.courses(), c -> needle == null || Stream.concat(
                Stream.of(c.id(), c.code(), c.section(), c.title(), c.instructor()), c.requiredSkills().stream())
                .anyMatch(x -> contains(x, needle)), pageParam(ctx, "cp"));
        ctx.status(status);
        Pages.render(ctx, PageMeta.of("Dataset " + term), "coordinator/data/dataset.jte",
                Map.of("view", new Views.DatasetPage(term, d.version(), d.courses(), d.applicants(), bans, requests,
                        d.preferences().size(), d.pins().size(), last.map(LastRuns.LastRun::runId).orElse(null),
                        diff.sections().stream().filter(s -> !s.isEmpty()).toList(), last.isPresent(), canEdit(ctx),
                        message, error, q, applicantRows, courseRows)));
    }

    private static boolean contains(String field, String lowerNeedle) {
        return field != null && field.toLowerCase(Locale.ROOT).contains(lowerNeedle);
    }

    /** A 1-based page number from the query ({@code 1} when missing or not a number). */
    private static int pageParam(Context ctx, String name) {
        String v = ctx.queryParam(name);
        return v != null && v.matches("\\d{1,6}") ? Integer.parseInt(v) : 1;
    }

    public void applicantPage(Context ctx) {
        renderApplicant(ctx, 200, ctx.pathParam("term"), ctx.pathParam("applicantId"), null);
    }

    private void renderApplicant(Context ctx, int status, String term, String applicantId, String error) {
        Optional<Dataset> d = datasets.current(term);
        Optional<Applicant> a = d.flatMap(x -> x.applicants().stream().filter(y -> y.id().equals(applicantId)).findFirst());
        if (a.isEmpty()) {
            Web.error(ctx, 404, "not_found", "Term " + term + " has no applicant " + applicantId + ".");
            return;
        }
        ctx.status(status);
        Pages.render(ctx, PageMeta.of(a.get().name()), "coordinator/data/applicant.jte",
                Map.of("view", new Views.ApplicantPage(term, d.get().version(), a.get(), d.get().instructorPreferences().stream()
                        .filter(i -> i.applicantId().equals(applicantId)).toList(), canEdit(ctx), error),
                        "saved", "1".equals(ctx.queryParam("saved"))));
    }

    public void addApplicant(Context ctx) {
        String term = ctx.pathParam("term");
        try {
            Applicant a = new Applicant(field(ctx, "id"), field(ctx, "name"), optional(ctx, "program"), number(ctx, "year", 1),
                    number(ctx, "minHours", 0), number(ctx, "maxHours", null), number(ctx, "targetHours", null),
                    List.of(), list(ctx, "skills"), List.of(), List.of(), List.of());
            edits.addApplicant(term, number(ctx, "expectedVersion", null), a, actor(ctx), reason(ctx));
            ctx.redirect("/terms/" + enc(term) + "?saved=applicant", HttpStatus.SEE_OTHER);
        } catch (FormException | IllegalArgumentException e) {
            renderDataset(ctx, 422, term, null, e.getMessage());
        } catch (DatasetEdits.RejectedException e) {
            renderDataset(ctx, 422, term, null, problems(e.problems()));
        } catch (DatasetStore.VersionConflictException e) {
            renderDataset(ctx, 409, term, null, e.getMessage());
        }
    }

    public void changeHours(Context ctx) {
        String term = ctx.pathParam("term");
        String id = ctx.pathParam("applicantId");
        try {
            edits.changeHours(term, number(ctx, "expectedVersion", null), id, number(ctx, "minHours", null),
                    number(ctx, "targetHours", null), number(ctx, "maxHours", null), actor(ctx), reason(ctx));
            ctx.redirect("/terms/" + enc(term) + "/applicants/" + enc(id) + "?saved=1", HttpStatus.SEE_OTHER);
        } catch (FormException e) {
            renderApplicant(ctx, 422, term, id, e.getMessage());
        } catch (DatasetEdits.RejectedException e) {
            renderApplicant(ctx, 422, term, id, problems(e.problems()));
        } catch (DatasetStore.VersionConflictException e) {
            renderApplicant(ctx, 409, term, id, e.getMessage());
        }
    }

    public void ban(Context ctx) {
        String term = ctx.pathParam("term");
        try {
            edits.ban(term, number(ctx, "expectedVersion", null), field(ctx, "courseId"), field(ctx, "applicantId"),
                    actor(ctx), reason(ctx));
            ctx.redirect("/terms/" + enc(term) + "?saved=ban", HttpStatus.SEE_OTHER);
        } catch (FormException e) {
            renderDataset(ctx, 422, term, null, e.getMessage());
        } catch (DatasetEdits.RejectedException e) {
            renderDataset(ctx, 422, term, null, problems(e.problems()));
        } catch (DatasetStore.VersionConflictException e) {
            renderDataset(ctx, 409, term, null, e.getMessage());
        }
    }

    // ------------------------------------------------------------------ content

    public void contentIndex(Context ctx) {
        List<HandbookContent> programs = content.programs().stream().map(content::current).flatMap(Optional::stream).toList();
        Pages.render(ctx, PageMeta.of("Program content"), "coordinator/data/content-index.jte",
                Map.of("view", new Views.ContentIndex(programs)));
    }

    public void contentForm(Context ctx) {
        String id = ctx.pathParam("programId");
        Optional<HandbookContent> c = content.current(id);
        if (c.isEmpty()) {
            Web.error(ctx, 404, "not_found", "Program " + id + " has no content.");
            return;
        }
        renderContent(ctx, 200, c.get(), "1".equals(ctx.queryParam("saved")) ? "Saved. The handbook is rendered again shortly." : null, null);
    }

    private void renderContent(Context ctx, int status, HandbookContent c, String message, String error) {
        ctx.status(status);
        Pages.render(ctx, PageMeta.of("Content of " + c.name()), "coordinator/data/content.jte",
                Map.of("view", new Views.ContentForm(c.programId(), c.name(), c.updatedAt().toString(),
                        String.join("\n\n", c.overview()), String.join("\n", c.outcomes()),
                        String.join("\n", c.curriculum().requirements()), c.policies(), c.links(), c.curriculum().semesters(),
                        canEdit(ctx), message, error)));
    }

    public void contentSave(Context ctx) {
        String id = ctx.pathParam("programId");
        Optional<HandbookContent> now = content.current(id);
        if (now.isEmpty()) {
            Web.error(ctx, 404, "not_found", "Program " + id + " has no content.");
            return;
        }
        HandbookContent c = now.get();
        try {
            List<HandbookContent.Policy> policies = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                String title = optional(ctx, "policyTitle" + i);
                String body = optional(ctx, "policyBody" + i);
                if (ctx.formParam("policyTitle" + i) == null && ctx.formParam("policyBody" + i) == null) {
                    break;
                }
                if (!title.isEmpty() || !body.isEmpty()) {
                    if (title.isEmpty() || body.isEmpty()) {
                        throw new FormException("Policy " + (i + 1) + " needs both a title and a text.");
                    }
                    policies.add(new HandbookContent.Policy(title, body));
                }
            }
            List<HandbookContent.Link> links = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                if (ctx.formParam("linkLabel" + i) == null) {
                    break;
                }
                String lid = optional(ctx, "linkId" + i);
                String label = optional(ctx, "linkLabel" + i);
                String url = optional(ctx, "linkUrl" + i);
                if (!label.isEmpty() || !url.isEmpty()) {
                    if (label.isEmpty() || url.isEmpty()) {
                        throw new FormException("Link " + (i + 1) + " needs both a label and an address.");
                    }
                    if (!url.matches("(?i)(https?://|/|mailto:)\\S+")) {
                        throw new FormException("Link " + (i + 1) + ": the address must start with https://, http://, mailto: or /.");
                    }
                    links.add(new HandbookContent.Link(lid.isEmpty() ? slug(label) : lid, label, url));
                }
            }
            List<HandbookContent.Semester> semesters = new ArrayList<>();
            for (int i = 0; i < c.curriculum().semesters().size(); i++) {
                HandbookContent.Semester s = c.curriculum().semesters().get(i);
                List<HandbookContent.CurriculumCourse> courses = new ArrayList<>();
                int n = 0;
                for (String line : optional(ctx, "semester" + i).split("\\R")) {
                    n++;
                    if (line.isBlank()) {
                        continue;
                    }
                    String[] parts = line.split("\\|");
                    if (parts.length != 3) {
                        throw new FormException(s.name() + ", line " + n + ": write CODE | Title | units.");
                    }
                    try {
                        courses.add(new HandbookContent.CurriculumCourse(parts[0].strip(), parts[1].strip(),
                                Double.parseDouble(parts[2].strip())));
                    } catch (NumberFormatException e) {
                        throw new FormException(s.name() + ", line " + n + ": \"" + parts[2].strip() + "\" is not a number of units.");
                    }
                }
                semesters.add(new HandbookContent.Semester(s.name(), courses));
            }
            HandbookContent edited = new HandbookContent(c.programId(), field(ctx, "name"), c.degree(), c.campus(), c.edition(),
                    c.totalUnits(), c.semesters(), paragraphs(optional(ctx, "overview")), lines(optional(ctx, "outcomes")),
                    new HandbookContent.Curriculum(lines(optional(ctx, "requirements")), semesters), policies, c.contacts(),
                    links, c.updatedAt());
            String basedOn = optional(ctx, "basedOn");
            content.save(edited, basedOn.isEmpty() ? null : Instant.parse(basedOn), actor(ctx), reason(ctx));
            ctx.redirect("/content/" + enc(id) + "?saved=1", HttpStatus.SEE_OTHER);
        } catch (FormException | IllegalArgumentException | java.time.format.DateTimeParseException e) {
            renderContent(ctx, 422, c, null, e.getMessage());
        } catch (ContentStore.StaleEditException e) {
            renderContent(ctx, 409, c, null, e.getMessage());
        }
    }

    // ------------------------------------------------------------------ history

    public void history(Context ctx) {
        String subject = Optional.ofNullable(ctx.queryParam("subject")).orElse("").strip();
        List<Views.AuditRow> rows = new ArrayList<>();
        if (!subject.isEmpty()) {
            for (AuditEntry e : audit.history(subject)) {
                rows.add(Views.AuditRow.of(e, AuditLog.reasonOf(e), AuditLog.factsOf(e)));
            }
        }
        Pages.render(ctx, PageMeta.of(subject.isEmpty() ? "History" : "History of " + subject), "coordinator/data/history.jte",
                Map.of("view", new Views.History(subject, rows, subject.isEmpty() ? audit.subjects(100) : List.of())));
    }

    // ------------------------------------------------------------------ form helpers

    /** A form value that cannot be used, said in a sentence for the page. */
    static final class FormException extends RuntimeException {
        FormException(String message) {
            super(message);
        }
    }

    static String field(Context ctx, String name) {
        String v = optional(ctx, name);
        if (v.isEmpty()) {
            throw new FormException("The field \"" + name + "\" is empty.");
        }
        return v;
    }

    static String optional(Context ctx, String name) {
        String v = ctx.formParam(name);
        return v == null ? "" : v.strip();
    }

    static int number(Context ctx, String name, Integer dflt) {
        String v = optional(ctx, name);
        if (v.isEmpty() && dflt != null) {
            return dflt;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new FormException("\"" + v + "\" in the field \"" + name + "\" is not a whole number.");
        }
    }

    static String reason(Context ctx) {
        String r = optional(ctx, "reason");
        if (r.isEmpty()) {
            throw new FormException("Say why: the reason is kept in the history.");
        }
        if (r.length() > 2000) {
            throw new FormException("The reason is over 2,000 characters.");
        }
        return r;
    }

    static List<String> list(Context ctx, String name) {
        List<String> out = new ArrayList<>();
        for (String s : optional(ctx, name).split(";")) {
            if (!s.isBlank()) {
                out.add(s.strip());
            }
        }
        return out;
    }

    static List<String> lines(String text) {
        return text.lines().map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    static List<String> paragraphs(String text) {
        List<String> out = new ArrayList<>();
        for (String p : text.split("\\R\\s*\\R")) {
            String joined = p.strip().replaceAll("\\s*\\R\\s*", " ");
            if (!joined.isEmpty()) {
                out.add(joined);
            }
        }
        return out;
    }

    static String slug(String label) {
        String s = label.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
        return s.isEmpty() ? "link" : s.length() > 60 ? s.substring(0, 60) : s;
    }

    static String problems(List<Problem> problems) {
        StringBuilder sb = new StringBuilder();
        for (Problem p : problems) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(p.message()).append('.');
        }
        return sb.toString();
    }

}
