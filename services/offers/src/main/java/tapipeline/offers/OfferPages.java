package tapipeline.offers;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;

import tapipeline.platform.web.Access;
import tapipeline.platform.web.PageMeta;
import tapipeline.platform.web.Pages;
import tapipeline.platform.web.Site;
import tapipeline.platform.web.Web;
import tapipeline.schemas.offers.Offer;
import tapipeline.offers.OfferViews.CourseRow;

/**
 * The offers pages. Public: a TA's offer behind its tokenized link ({@code /offer/<token>}: the frozen
 * offer, Accept and Decline with an optional reason), no sign-in; the form carries the CSRF token of
 * an anonymous session the page starts, so it works without JavaScript. Signed in: every offer of a
 * term per TA and per course (VIEWER), and the outbox of messages to send by hand (COORDINATOR).
 */
final class OfferPages {

    static final String CSS = "/static/offers/offers.css";
    static final String NOT_VALID = "This offer link is not valid. Check that you copied the whole link from the e-mail.";

    private final OfferBook book;
    private final OfferEngine engine;
    private final OfferTokens tokens;
    /** The coordinator's base URL for the staff navigation's link back, or empty for none. */
    private final String coordinatorUrl;

    OfferPages(OfferBook book, OfferEngine engine, OfferTokens tokens, String coordinatorUrl) {
        this.book = book;
        this.engine = engine;
        this.tokens = tokens;
        this.coordinatorUrl = coordinatorUrl;
    }

    void declare(Site site) {
        site.home("/offers");
        site.nav("Offers", "/offers", Access.VIEWER).nav("Outbox", "/offers/outbox", Access.COORDINATOR);
        if (!coordinatorUrl.isEmpty()) {
            // another service (its own sign-in, the same accounts): runs, proposals, approval
            site.nav("Coordinator", coordinatorUrl + "/", Access.VIEWER);
        }
        site.get("/offer/{token}", Access.PUBLIC, this::offer);
        site.post("/offer/{token}", Access.PUBLIC, 16 * 1024, this::answer);
        site.get("/offers", Access.VIEWER, this::overview);
        site.get("/offers/outbox", Access.COORDINATOR, this::outbox);
        site.post("/offers/outbox/{offerId}/sent", Access.COORDINATOR, this::markSent);
    }

    // ---- the TA's link ---------------------------------------------------------------------------------

    private void offer(Context ctx) {
        privatePage(ctx);
        Optional<Offer> found = lookUp(ctx);
        if (found.isEmpty()) {
            return;
        }
        if (refused(ctx, OfferEngine.refusal(found.get(), Instant.now()))) {
            return;
        }
        // a coordinator checking a link from the outbox is not the TA opening it, nor is a HEAD request
        boolean looking = Web.user(ctx).isPresent() || "HEAD".equals(ctx.req().getMethod());
        Offer o = looking ? found.get() : engine.open(found.get().offerId()).orElseThrow();
        if (refused(ctx, OfferEngine.refusal(o, Instant.now()))) {
            return;
        }
        renderOffer(ctx, o, null, "");
    }

    private void answer(Context ctx) {
        privatePage(ctx);
        Optional<Offer> found = lookUp(ctx);
        if (found.isEmpty()) {
            return;
        }
        Offer o = found.get();
        String answer = Optional.ofNullable(ctx.formParam("answer")).orElse("");
        String reason = Optional.ofNullable(ctx.formParam("reason")).orElse("");
        String problem = null;
        if (!answer.equals("accept") && !answer.equals("decline")) {
            problem = "Choose Accept or Decline.";
        } else if (reason.length() > Offer.MAX_REASON) {
            problem = "The reason is " + reason.length() + " characters long; at most " + Offer.MAX_REASON
                    + " are accepted. Please shorten it.";
        }
        if (problem != null) {
            if (refused(ctx, OfferEngine.refusal(o, Instant.now()))) {
                return;
            }
            if (Web.wantsHtml(ctx)) {
                ctx.status(400);
                renderOffer(ctx, o, problem, reason.length() > Offer.MAX_REASON ? reason.substring(0, Offer.MAX_REASON) : reason);
            } else {
                Web.error(ctx, 400, "bad_request", problem);
            }
            return;
        }
        boolean accept = answer.equals("accept");
        OfferEngine.Outcome outcome = engine.answer(o.offerId(), accept, reason);
        if (outcome == OfferEngine.Outcome.NOT_FOUND) {
            Web.error(ctx, 404, "not_found", NOT_VALID);
            return;
        }
        if (outcome != OfferEngine.Outcome.ANSWERED) {
            refused(ctx, outcome);
            return;
        }
        if (Web.wantsHtml(ctx)) {
            Map<String, Object> model = new LinkedHashMap<>();
            model.put("accepted", accept);
            model.put("term", o.term());
            Pages.render(ctx, PageMeta.of(accept ? "Offer accepted" : "Offer declined").withStyles(CSS),
                    "offers/answered.jte", model);
        } else {
            ctx.json(Map.of("offerId", o.offerId(), "status", accept ? "ACCEPTED" : "DECLINED"));
        }
    }

    private void renderOffer(Context ctx, Offer o, String error, String reason) {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("offer", o);
        model.put("action", "/offer/" + ctx.pathParam("token"));
        model.put("deadline", OfferMail.when(o.deadline()));
        model.put("error", error);
        model.put("reason", reason);
        Pages.render(ctx, PageMeta.of("Your TA offer for " + o.term()).withStyles(CSS), "offers/offer.jte", model);
    }

    /** The offer a valid token names; otherwise 404 (a bad MAC and an unknown offer look the same). */
    private Optional<Offer> lookUp(Context ctx) {
        Optional<Offer> o = tokens.verify(ctx.pathParam("token")).flatMap(book::offer);
        if (o.isEmpty()) {
            Web.error(ctx, 404, "not_found", NOT_VALID);
        }
        return o;
    }

    /** 410 with a plain sentence and none of the offer's details; false when there is nothing to refuse. */
    private static boolean refused(Context ctx, OfferEngine.Outcome why) {
        if (why == null) {
            return false;
        }
        String message = switch (why) {
            case ALREADY_ANSWERED -> "This offer has already been answered. The link cannot be used again.";
            case WITHDRAWN -> "This offer was withdrawn. If a new offer was made, it came in a separate e-mail.";
            case EXPIRED -> "This offer has expired: its deadline has passed. Please contact the TA coordinator.";
            default -> NOT_VALID;
        };
        Web.error(ctx, 410, "gone", message);
        return true;
    }

    /** The page holds a private link: not stored, not indexed. */
    private static void privatePage(Context ctx) {
        ctx.header("Cache-Control", "no-store");
        ctx.header("X-Robots-Tag", "noindex, nofollow");
    }

    // ---- coordinators ------------------------------------------------------------------------------------

    private void overview(Context ctx) {
        SortedSet<String> terms = book.terms();
        String term = Optional.ofNullable(ctx.queryParam("term")).filter(t -> !t.isBlank())
                .orElse(terms.isEmpty() ? null : terms.last());
        List<Offer> offers = term == null ? List.of() : book.ofTerm(term);
        Map<Offer.Status, Integer> counts = new EnumMap<>(Offer.Status.class);
        for (Offer.Status s : Offer.Status.values()) {
            counts.put(s, 0);
        }
        offers.forEach(o -> counts.merge(o.status(), 1, Integer::sum));
        List<Offer> byTa = new ArrayList<>(offers);
        byTa.sort(Comparator.comparing(Offer::name).thenComparing(Offer::applicantId)
                .thenComparing(Offer::createdAt, Comparator.reverseOrder()));
        List<CourseRow> byCourse = new ArrayList<>();
        offers.forEach(o -> o.lines().forEach(l -> byCourse.add(new CourseRow(l, o))));
        byCourse.sort(Comparator.comparing((CourseRow r) -> r.line().code()).thenComparing(r -> r.line().section())
                .thenComparing(r -> r.offer().name()).thenComparing(r -> r.offer().createdAt(), Comparator.reverseOrder()));
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("terms", List.copyOf(terms));
        model.put("term", term);
        model.put("counts", counts);
        model.put("byTa", byTa);
        model.put("byCourse", byCourse);
        Pages.render(ctx, PageMeta.of(term == null ? "Offers" : "Offers for " + term).withStyles(CSS),
                "offers/overview.jte", model);
    }

    private void outbox(Context ctx) {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("entries", engine.outbox());
        model.put("smtp", engine.smtp());
        model.put("done", ctx.queryParam("sent"));
        ctx.header("Cache-Control", "no-store");
        Pages.render(ctx, PageMeta.of("Outbox").withStyles(CSS), "offers/outbox.jte", model);
    }

    private void markSent(Context ctx) {
        String offerId = ctx.pathParam("offerId");
        String kind = Optional.ofNullable(ctx.formParam("kind")).orElse("offer");
        if (!OfferTokens.OFFER_ID.matcher(offerId).matches()) {
            Web.error(ctx, 404, "not_found", "There is no offer " + offerId + ".");
            return;
        }
        if (!kind.equals("offer") && !kind.equals("reminder")) {
            Web.error(ctx, 400, "bad_request", "kind: offer or reminder, got '" + kind + "'");
            return;
        }
        String user = Web.user(ctx).orElseThrow().username();
        if (!engine.markSent(offerId, kind, user)) {
            Web.error(ctx, 409, "conflict", "This message is no longer waiting in the outbox (already sent, answered,"
                    + " withdrawn or expired).");
            return;
        }
        if (Web.wantsHtml(ctx)) {
            ctx.redirect("/offers/outbox?sent=" + offerId, HttpStatus.SEE_OTHER);
        } else {
            ctx.json(Map.of("offerId", offerId, "marked", kind));
        }
    }
}
