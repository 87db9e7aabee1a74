package tapipeline.publisher.site;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.NotFoundResponse;

import tapipeline.platform.web.Access;
import tapipeline.platform.web.PageMeta;
import tapipeline.platform.web.Pages;
import tapipeline.platform.web.Site;
import tapipeline.platform.web.Refused;
import tapipeline.publisher.PublisherService;
import tapipeline.publisher.SiteState;
import tapipeline.publisher.changes.EditionChanges;
import tapipeline.publisher.links.LinkCommands;
import tapipeline.schemas.assignment.AssignmentApproved;
import tapipeline.schemas.handbook.HandbookRendered;
import tapipeline.schemas.site.SiteLink;

/**
 * The publisher's routes. Public pages and downloads are declared on the platform's {@link Site}
 * (every one {@link Access#PUBLIC}: students do not sign in); the link API for the coordinator
 * service is authenticated by a bearer token instead of a session, so it is installed beside the
 * route table ({@link #installApi}) and needs no CSRF token (a token is not sent by a browser on its own).
 */
public final class SiteRoutes {

    private SiteRoutes() {
    }

    /** The public site. */
    public static void declare(Site site, SiteState state, Downloads downloads, LinkCommands commands) {
        site.home("/")
                .nav("Program", "/", Access.PUBLIC)
                .nav("TA assignments", "/ta-assignments", Access.PUBLIC)
                .get("/", Access.PUBLIC, ctx -> programPage(ctx, state))
                .get(Downloads.LATEST, Access.PUBLIC, downloads::latest)
                .get(Downloads.EDITIONS + "{file}", Access.PUBLIC, downloads::edition)
                .get("/ta-assignments", Access.PUBLIC, ctx -> termsPage(ctx, state))
                .get("/ta-assignments/{term}", Access.PUBLIC, ctx -> taAssignments(ctx, state))
                .get("/api/editions", Access.PUBLIC, ctx -> ctx.json(editions(state)))
                .get("/api/links", Access.PUBLIC, ctx -> ctx.json(state.links()))
                // a coordinator signed in on this site (sessions and CSRF from the web layer)
                .post("/links/{linkId}/rollback", Access.COORDINATOR, ctx -> {
                    String actor = tapipeline.platform.web.Web.user(ctx).orElseThrow().username();
                    try {
                        ctx.json(commands.rollback(ctx.pathParam("linkId"), ctx.formParam("target"), actor));
                    } catch (Refused e) {
                        ctx.status(e.status()).json(Map.of("error", e.getMessage()));
                    }
                });
    }

    /** The link API (rollback, external links) for the coordinator service; bearer token. */
    public static void installApi(JavalinConfig cfg, LinkCommands commands, String apiToken) {
        cfg.routes.post("/api/links/{linkId}/rollback", ctx -> linkCommand(ctx, apiToken,
                actor -> commands.rollback(ctx.pathParam("linkId"), param(ctx, "target"), actor)));
        cfg.routes.put("/api/links/{linkId}", ctx -> linkCommand(ctx, apiToken,
                actor -> commands.edit(ctx.pathParam("linkId"), param(ctx, "target"), actor)));
    }

    private static void programPage(Context ctx, SiteState state) {
        Optional<ProgramView> view = ProgramView.of(state);
        if (view.isEmpty()) {
            Pages.render(ctx, PageMeta.of("Program"), "publisher/pending.jte",
                    Map.of("message", "The program's information has not been published yet. Please come back later."));
            return;
        }
        ctx.header("Cache-Control", "public, max-age=30");
        Pages.render(ctx, PageMeta.of(view.get().content().name()), "publisher/program.jte", Map.of("view", view.get()));
    }

    private static void termsPage(Context ctx, SiteState state) {
        Optional<String> target = state.link(SiteState.TA_LINK).map(state::shownTarget)
                .filter(t -> t.startsWith("/ta-assignments/") && state.servable(t));
        if (target.isPresent()) {
            ctx.redirect(target.get(), HttpStatus.SEE_OTHER);
            return;
        }
        List<TaView.TermLink> terms = state.terms().stream().map(t -> new TaView.TermLink(t, SiteState.termUrl(t))).toList();
        Pages.render(ctx, PageMeta.of("TA assignments"), "publisher/terms.jte", Map.of("terms", terms));
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
            throw new NotFoundResponse("No approved TA assignments for this term.");
        }
        TaAssignments.Term term = TaAssignments.of(approval.get(), ctx.queryParam("q"));
        ctx.header("Cache-Control", "public, max-age=60");
        switch (format) {
            case "json" -> ctx.json(term);
            case "csv" -> ctx.header("Content-Disposition", Downloads.contentDisposition(
                            "TA assignments " + term.term() + ".csv").replace("inline;", "attachment;"))
                    .contentType("text/csv; charset=utf-8").result(TaAssignments.csv(term));
            default -> Pages.render(ctx, PageMeta.of("TA assignments, " + term.term()), "publisher/ta.jte",
                    Map.of("view", TaView.of(state, term)));
        }
    }

    /** The link API: a bearer token (PUBLISHER_API_TOKEN) and the acting user's name. */
    private static void linkCommand(Context ctx, String apiToken, Function<String, SiteLink> command) {
        ctx.header("Cache-Control", "no-store");
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
        } catch (Refused e) {
            ctx.status(e.status()).json(Map.of("error", e.getMessage()));
        }
    }

    /** A parameter from the form body or the query string. */
    private static String param(Context ctx, String name) {
        String v = ctx.formParam(name);
        return v != null ? v : ctx.queryParam(name);
    }
}
