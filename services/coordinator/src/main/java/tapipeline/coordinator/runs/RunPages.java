package tapipeline.coordinator.runs;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import tapipeline.platform.web.Access;
import tapipeline.platform.web.Assets;
import tapipeline.platform.web.PageMeta;
import tapipeline.platform.web.Pages;
import tapipeline.platform.web.Site;
import tapipeline.platform.web.Web;
import tapipeline.platform.web.Refused;
import tapipeline.schemas.assignment.Applicant;
import tapipeline.schemas.assignment.RunCompleted;
import tapipeline.schemas.assignment.RunOrigin;

/**
 * The run pages: the runs list with the start form, a run's live page (server-sent HTML fragments for
 * htmx; a reload shows the same without JavaScript), the review by course with the score by
 * constraint, the difference from the previous run and approval, a slot's explanation with pin and
 * override (checked before it is made), hours owed, and publication. Forms post to the API routes,
 * which answer a browser with a redirect back to the page.
 */
public final class RunPages {

    /** Courses per review page (a 1,500-course run is 30 pages; the search box finds one at once). */
    static final int COURSES_PER_PAGE = 50;
    /** Changes against the previous run listed on the review page (the count is always complete). */
    static final int MAX_CHANGES_SHOWN = 200;

    private static final TemplateEngine FRAGMENTS = TemplateEngine.createPrecompiled(ContentType.Html);

    private final RunBoard board;
    private final RunControl control;
    private final String siteUrl;
    /** A what-if run's scenario by name (set once the scenarios have started; until then, and for a deleted one, its id). */
    private volatile java.util.function.UnaryOperator<String> scenarioNames = id -> id;

    public RunPages(RunBoard board, RunControl control, String siteUrl) {
        this.siteUrl = siteUrl.replaceAll("/+$", "");
        this.board = board;
        this.control = control;
    }

    public void declare(Site site) {
        site.nav("Runs", "/runs", Access.VIEWER);
        site.get("/runs", Access.VIEWER, this::list);
        site.get("/runs/{runId}", Access.VIEWER, this::run);
        site.sse("/runs/{runId}/live", Access.VIEWER, this::live);
        site.get("/runs/{runId}/review", Access.VIEWER, this::review);
        site.get("/runs/{runId}/slots/{courseId}/{slot}", Access.VIEWER, this::slot);
        site.get("/runs/{runId}/hours", Access.VIEWER, this::hours);
        site.get("/runs/{runId}/publication", Access.VIEWER, this::publication);
    }

    /** Names what-if runs' scenarios on these pages: a scenario id to its name (the id when it is gone). */
    void scenarioNames(java.util.function.UnaryOperator<String> names) {
        this.scenarioNames = java.util.Objects.requireNonNull(names);
    }

    private String scenarioName(RunBoard.Run run) {
        return run.scenarioId() == null ? null : scenarioNames.apply(run.scenarioId());
    }

    static boolean canEdit(Context ctx) {
        return Web.user(ctx).map(u -> u.has(Access.COORDINATOR)).orElse(false);
    }

    private void list(Context ctx) {
        String term = blankToNull(ctx.queryParam("term"));
        List<RunViews.RunRow> rows = board.list(term).stream().map(r -> RunViews.RunRow.of(r, scenarioName(r))).toList();
        Pages.render(ctx, meta("Runs"), "coordinator/runs/list.jte",
                Map.of("model", new RunViews.RunList(rows, term == null ? "" : term, canEdit(ctx),
                        blankToNull(ctx.queryParam("error")))));
    }

    private void run(Context ctx) {
        RunBoard.Run run = found(ctx);
        RunViews.RunPage page = new RunViews.RunPage(run.runId(), run.term(), RunViews.when(run.requestedAt()),
                run.problem() == null ? 0 : run.problem().settings().timeLimitSeconds(),
                run.problem() == null ? 0 : run.problem().settings().randomSeed(),
                run.problem() == null ? 0 : run.problem().pins().size(),
                run.cancel() == null ? null : run.cancel().reason(), canEdit(ctx) && !run.done(), RunViews.Live.of(run),
                run.scenarioId(), scenarioName(run), run.approvalOnly()
                        ? "approved by " + run.approval().approvedBy() + " " + RunViews.when(run.approval().approvedAt())
                        : null);
        Pages.render(ctx, meta("Run " + run.runId()).withScripts(Assets.HTMX_SSE), "coordinator/runs/run.jte",
                Map.of("model", page));
    }

    /** The live fragment as HTML events: "progress" while solving, "done" at the end (htmx swaps both). */
    private void live(SseClient client) {
        String runId = client.ctx().pathParam("runId");
        if (board.get(runId).isEmpty()) {
            client.sendEvent("done", "<p>No such run.</p>");
            client.close();
            return;
        }
        // at most 5 swaps a second, whatever the progress rate
        RunFollower.follow(board, runId, client, 200, "waiting", run -> {
            StringOutput html = new StringOutput();
            FRAGMENTS.render("coordinator/runs/live.jte", Map.of("live", RunViews.Live.of(run)), html);
            // one line: an SSE data field ends at a line break (the fragment has no <pre>, so spaces do)
            return html.toString().replace('\r', ' ').replace('\n', ' ').strip();
        });
    }

    private void review(Context ctx) {
        RunBoard.Run run = found(ctx);
        if (!run.reviewable()) {
            ctx.redirect("/runs/" + RunsApi.enc(run.runId()), io.javalin.http.HttpStatus.SEE_OTHER);
            return;
        }
        Review review = control.review(run.runId());
        String q = blankToNull(ctx.queryParam("q"));
        List<Review.CourseRow> rows = review.byCourse();
        if (q != null) {
            String needle = q.toLowerCase(Locale.ROOT);
            rows = rows.stream().filter(r -> matches(review, r, needle)).toList();
        }
        int pages = Math.max(1, (rows.size() + COURSES_PER_PAGE - 1) / COURSES_PER_PAGE);
        int page = Math.min(pages, Math.max(1, parseOr(ctx.queryParam("page"), 1)));
        List<RunViews.CourseView> courses = new ArrayList<>();
        for (Review.CourseRow row : rows.subList((page - 1) * COURSES_PER_PAGE,
                Math.min(rows.size(), page * COURSES_PER_PAGE))) {
            List<RunViews.SlotView> slots = new ArrayList<>();
            for (Review.Slot s : row.slots()) {
                slots.add(new RunViews.SlotView(s.courseId(), s.slotIndex(), s.applicantId(),
                        s.applicantId() == null ? null : review.name(s.applicantId()), s.pinned(), s.changedByCoordinator(),
                        slotHref(run.runId(), s.courseId(), s.slotIndex())));
            }
            courses.add(new RunViews.CourseView(row.course().id(), row.course().code(), row.course().title(),
                    row.course().section(), row.course().instructor(), row.course().hoursPerSlot(), slots));
        }
        int filled = review.assignment().size();
        int total = review.byCourse().stream().mapToInt(r -> r.slots().size()).sum();
        List<RunViews.ChangeView> changes = new ArrayList<>();
        int changeCount = 0;
        String previousRunId = null;
        // a proposal is compared with the approved plan it changes, not with the run requested before it
        RunBoard.Run prev = proposalBase(run).or(() -> board.previous(run)).orElse(null);
        if (prev != null) {
            previousRunId = prev.runId();
            List<Review.Change> all = review.differenceFrom(control.asSolved(prev));
            changeCount = all.size();
            for (Review.Change c : all.subList(0, Math.min(MAX_CHANGES_SHOWN, all.size()))) {
                changes.add(new RunViews.ChangeView(courseLabel(review, c.courseId()), c.slotIndex(),
                        c.before() == null ? "(empty)" : review.name(c.before()),
                        c.after() == null ? "(empty)" : review.name(c.after())));
            }
        }
        RunViews.ReviewPage model = new RunViews.ReviewPage(run.runId(), run.term(), RunViews.label(run.state()),
                run.result().score(), run.result().scoreBreakdown(), courses, page, pages, q == null ? "" : q,
                rows.size(), filled, total - filled, previousRunId, changes, changeCount, review.pins().size(),
                canEdit(ctx) && run.scenarioId() == null, RunViews.Publication.of(board, run), flash(ctx), run.scenarioId(),
                scenarioName(run), proposalNote(run));
        Pages.render(ctx, meta("Review " + run.runId()), "coordinator/runs/review.jte", Map.of("model", model));
    }

    /** The approved run a PROPOSAL changes, while the board still has it reviewable. */
    private java.util.Optional<RunBoard.Run> proposalBase(RunBoard.Run run) {
        RunOrigin origin = run.problem() == null ? null : run.problem().origin();
        if (origin == null || origin.kind() != RunOrigin.Kind.PROPOSAL) {
            return java.util.Optional.empty();
        }
        return board.get(origin.approvedRunId()).filter(RunBoard.Run::reviewable);
    }

    /** What a proposal is, in words (null for other runs). */
    static String proposalNote(RunBoard.Run run) {
        RunOrigin origin = run.problem() == null ? null : run.problem().origin();
        if (origin == null || origin.kind() != RunOrigin.Kind.PROPOSAL) {
            return null;
        }
        int n = origin.offerIds().size();
        return "Proposed after " + n + (n == 1 ? " offer was" : " offers were") + " declined or expired ("
                + String.join(", ", origin.offerIds()) + "): a re-solve of approved run " + origin.approvedRunId()
                + " that keeps every accepted and pending offer. Approving it sends new offers only to the TAs whose "
                + "assignment changed.";
    }

    private static boolean matches(Review review, Review.CourseRow row, String needle) {
        if ((row.course().code() + " " + row.course().title() + " " + row.course().id() + " "
                + row.course().instructor()).toLowerCase(Locale.ROOT).contains(needle)) {
            return true;
        }
        return row.slots().stream().anyMatch(s -> s.applicantId() != null
                && (review.name(s.applicantId()) + " " + s.applicantId()).toLowerCase(Locale.ROOT).contains(needle));
    }

    private void slot(Context ctx) {
        RunBoard.Run run = found(ctx);
        if (!run.reviewable()) {
            ctx.redirect("/runs/" + RunsApi.enc(run.runId()), io.javalin.http.HttpStatus.SEE_OTHER);
            return;
        }
        Review review = control.review(run.runId());
        String courseId = ctx.pathParam("courseId");
        int index = RunsApi.intParam(ctx.pathParam("slot"), "slot");
        Review.Slot slot = review.slot(courseId, index);
        if (slot == null) {
            throw new Refused(404, "no slot " + index + " of course " + courseId + " in run " + run.runId());
        }
        SlotExplanations.Why why = control.why(run.result(), courseId, index);
        RunCompleted.UnassignedSlot blocked = why.blocked();
        RunCompleted.Explanation explanation = why.explanation();
        // the override choices: the solver's runner-ups and the blocked candidates first, then everyone
        List<RunViews.Option> options = new ArrayList<>();
        Set<String> listed = new HashSet<>();
        if (explanation != null) {
            explanation.runnerUps().forEach(c -> addOption(options, listed, review, c.applicantId(), "runner-up"));
        }
        if (blocked != null) {
            blocked.blockers().forEach(c -> addOption(options, listed, review, c.applicantId(), "considered"));
        }
        for (Applicant a : review.applicants()) {
            addOption(options, listed, review, a.id(), null);
        }
        String checkId = blankToNull(ctx.queryParam("applicantId"));
        OverrideCheck check = null;
        String error = null;
        if (checkId != null) {
            try {
                check = control.check(run.runId(), courseId, index, checkId);
            } catch (Refused e) {
                error = e.getMessage();
            }
        }
        RunViews.SlotPage model = new RunViews.SlotPage(run.runId(), courseLabel(review, courseId), courseId, index,
                slot.applicantId(), slot.applicantId() == null ? null : review.name(slot.applicantId()), slot.pinned(),
                slot.changedByCoordinator(), explanation, blocked, why.missing(), options, check, checkId,
                canEdit(ctx) && run.scenarioId() == null, // a what-if run's slots are the scenario's: no pin, no override
                flash(ctx), error);
        Pages.render(ctx, meta(courseLabel(review, courseId) + " slot " + (index + 1)),
                "coordinator/runs/slot.jte", Map.of("model", model));
    }

    private static void addOption(List<RunViews.Option> options, Set<String> listed, Review review, String id,
                                  String note) {
        if (id != null && review.applicant(id) != null && listed.add(id)) {
            options.add(new RunViews.Option(id, review.name(id) + " (" + id + ")" + (note == null ? "" : ", " + note)));
        }
    }

    private void hours(Context ctx) {
        RunBoard.Run run = found(ctx);
        if (!run.reviewable()) {
            ctx.redirect("/runs/" + RunsApi.enc(run.runId()), io.javalin.http.HttpStatus.SEE_OTHER);
            return;
        }
        Review review = control.review(run.runId());
        List<RunViews.TaView> rows = new ArrayList<>();
        int shortCount = 0;
        int owed = 0;
        int shortTotal = 0;
        for (Review.TaRow r : review.byTa()) {
            List<String> slots = new ArrayList<>();
            r.slots().forEach(s -> slots.add(courseLabel(review, s.courseId()) + (s.pinned() ? " (pinned)" : "")));
            rows.add(new RunViews.TaView(r.applicant().id(), r.applicant().name(), r.applicant().minHours(),
                    r.applicant().targetHours(), r.applicant().maxHours(), r.assignedHours(), r.shortfall(),
                    r.overMaximum(), String.join(", ", slots)));
            owed += r.applicant().minHours();
            shortTotal += r.shortfall();
            if (r.shortfall() > 0) {
                shortCount++;
            }
        }
        Pages.render(ctx, meta("Hours owed " + run.runId()), "coordinator/runs/hours.jte",
                Map.of("model", new RunViews.HoursPage(run.runId(), run.term(), rows, shortCount, owed, shortTotal)));
    }

    private void publication(Context ctx) {
        RunBoard.Run run = found(ctx);
        Pages.render(ctx, meta("Publication " + run.runId()), "coordinator/runs/publication.jte",
                Map.of("model", RunViews.Publication.of(board, run), "term", run.term() == null ? "" : run.term(), "siteUrl", siteUrl));
    }

    // ---- helpers

    private static PageMeta meta(String title) {
        return PageMeta.of(title).withStyles(RunsFeature.RUNS_CSS);
    }

    static String courseLabel(Review review, String courseId) {
        var c = review.course(courseId);
        return c == null ? courseId : c.code() + "-" + c.section();
    }

    static String slotHref(String runId, String courseId, int slot) {
        return "/runs/" + RunsApi.enc(runId) + "/slots/" + RunsApi.enc(courseId) + "/" + slot;
    }

    private RunBoard.Run found(Context ctx) {
        String runId = ctx.pathParam("runId");
        return board.get(runId).orElseThrow(() -> new Refused(404, "no run " + runId));
    }

    private static String flash(Context ctx) {
        String done = ctx.queryParam("done");
        if (done == null) {
            return null;
        }
        return switch (done) {
            case "pinned" -> "Pinned.";
            case "unpinned" -> "Unpinned.";
            case "overridden" -> "Override saved. It is a pin: a re-solve keeps it.";
            case "approved" -> "Approved. Publication follows below.";
            default -> null;
        };
    }

    private static int parseOr(String value, int fallback) {
        try {
            return value == null ? fallback : Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
