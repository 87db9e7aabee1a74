package tapipeline.publisher.site;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;

import tapipeline.publisher.PublisherService;
import tapipeline.publisher.SiteState;
import tapipeline.publisher.changes.EditionChanges;
import tapipeline.publisher.links.LinkCommands;
import tapipeline.schemas.assignment.AssignmentApproved;
import tapipeline.schemas.handbook.HandbookRendered;
import tapipeline.schemas.site.SiteLink;

/** The publisher's routes: downloads, TA assignments (JSON, CSV), the links API. */
public final class SiteRoutes {

    private SiteRoutes() {
    }

    public static void install(JavalinConfig cfg, SiteState state, Downloads downloads, LinkCommands commands,
                               String apiToken) {
        cfg.routes.get("/handbook/latest.pdf", downloads::latest);
        cfg.routes.head("/handbook/latest.pdf", downloads::latest);
        cfg.routes.get("/handbook/editions/{file}", downloads::edition);
        cfg.routes.head("/handbook/editions/{file}", downloads::edition);

        cfg.routes.get("/api/editions", ctx -> ctx.json(editions(state)));
        cfg.routes.get("/api/links", ctx -> ctx.json(state.links()));
        cfg.routes.get("/ta-assignments", ctx -> {
            Optional<String> target = state.link(SiteState.TA_LINK).map(state::shownTarget)
                    .filter(t -> t.startsWith("/ta-assignments/"));
            if (target.isPresent()) {
                ctx.redirect(target.get());
            } else {
                ctx.status(404).contentType("text/plain; charset=utf-8").result("No TA assignments have been approved yet.");
            }
        });
        cfg.routes.get("/ta-assignments/{term}", ctx -> taAssignments(ctx, state));

        cfg.routes.post("/api/links/{linkId}/rollback", ctx -> linkCommand(ctx, apiToken,
                actor -> commands.rollback(ctx.pathParam("linkId"), param(ctx, "target"), actor)));
        cfg.routes.put("/api/links/{linkId}", ctx -> linkCommand(ctx, apiToken,
                actor -> commands.edit(ctx.pathParam("linkId"), param(ctx, "target"), actor)));
    }

    /** The editions of the site's program, newest first, with what changed in each. */
    public static List<Map<String, Object>> editions(SiteState state) {
        List<Map<String, Object>> out = new ArrayList<>();
        Optional<String> program = state.siteProgram();
        if (program.isEmpty()) {
            return out;
        }
        List<SiteState.Edition> list = state.editions(program.get()).stream()
                .filter(e -> e.status() == SiteState.Status.VERIFIED).toList();
        for (int i = list.size() - 1; i >= 0; i--) {
            SiteState.Edition e = list.get(i);
            HandbookRendered r = e.rendered();
            Optional<HandbookRendered> previous = i == 0 ? Optional.empty() : Optional.of(list.get(i - 1).rendered());
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("edition", r.edition());
            m.put("sha256", r.sha256());
            m.put("url", e.url());
            m.put("publishedAt", e.writtenAt());
            m.put("pages", r.pages());
            m.put("size", r.size());
            m.put("term", r.term());
            m.put("pdfUa1", r.validation().pdfUa1());
            m.put("pdfA2", r.validation().pdfA2());
            m.put("changes", EditionChanges.between(state, previous, r));
            out.add(m);
        }
        return out;
    }

    private static void taAssignments(Context ctx, SiteState state) {
        String name = ctx.pathParam("term");
        String format = "html";
        if (name.endsWith(".json")) {
            format = "json";
            name = name.substring(0, name.length() - 5);
        } else if (name.endsWith(".csv")) {
            format = "csv";
            name = name.substring(0, name.length() - 4);
        }
        Optional<AssignmentApproved> approval = state.termBySlug(name).flatMap(state::approval);
        if (approval.isEmpty()) {
            ctx.status(404).contentType("text/plain; charset=utf-8").result("No approved TA assignments for this term.");
            return;
        }
        TaAssignments.Term term = TaAssignments.of(approval.get(), ctx.queryParam("q"));
        ctx.header("Cache-Control", "public, max-age=60");
        switch (format) {
            case "json" -> ctx.json(term);
            case "csv" -> ctx.header("Content-Disposition", Downloads.contentDisposition(
                            "TA assignments " + term.term() + ".csv").replace("inline;", "attachment;"))
                    .contentType("text/csv; charset=utf-8").result(TaAssignments.csv(term));
            default -> ctx.json(term); // replaced by the page once the web layer is in
        }
    }

    /** The link API: a bearer token (PUBLISHER_API_TOKEN) and the acting user's name. */
    private static void linkCommand(Context ctx, String apiToken, java.util.function.Function<String, SiteLink> command) {
        String auth = ctx.header("Authorization");
        String presented = auth != null && auth.startsWith("Bearer ") ? auth.substring(7).trim() : null;
        if (!PublisherService.tokenMatches(apiToken, presented)) {
            ctx.status(401).header("WWW-Authenticate", "Bearer realm=\"publisher\"").json(Map.of("error",
                    apiToken.isEmpty() ? "the link API is off (PUBLISHER_API_TOKEN is not set)" : "missing or wrong bearer token"));
            return;
        }
        String actor = param(ctx, "actor");
        if (actor == null || actor.isBlank() || actor.length() > 128 || actor.chars().anyMatch(Character::isWhitespace)) {
            ctx.status(400).json(Map.of("error", "actor: the acting coordinator's user name (1 to 128 characters, no spaces)"));
            return;
        }
        try {
            ctx.json(command.apply(actor));
        } catch (LinkCommands.Refused e) {
            ctx.status(e.status()).json(Map.of("error", e.getMessage()));
        }
    }

    /** A parameter from the form body or the query string. */
    private static String param(Context ctx, String name) {
        String v = ctx.formParam(name);
        return v != null ? v : ctx.queryParam(name);
    }
}
