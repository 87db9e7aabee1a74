package tapipeline.coordinator.instructors;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;

import tapipeline.coordinator.datasets.DatasetEdits;
import tapipeline.coordinator.datasets.DatasetStore;
import tapipeline.coordinator.imports.Problem;
import tapipeline.coordinator.runs.Review;
import tapipeline.coordinator.runs.RunBoard;
import tapipeline.coordinator.runs.RunControl;
import tapipeline.coordinator.runs.RunsFeature;
import tapipeline.platform.web.Access;
import tapipeline.platform.web.PageMeta;
import tapipeline.platform.web.Pages;
import tapipeline.platform.web.Refused;
import tapipeline.platform.web.Site;
import tapipeline.platform.web.Web;
import tapipeline.platform.web.WebUser;
import tapipeline.schemas.EventCodec;
import tapipeline.schemas.coordinator.Dataset;

/**
 * The instructor role's pages and API, and "which requests were met and why not" for the coordinator's
 * review. Every instructor route is {@link Access#INSTRUCTOR} and checks the course through
 * {@link InstructorCourses#course} (404 for a course not theirs, as for one that does not exist).
 *
 * <pre>
 * GET  /my                                                   My courses (per term)
 * GET  /my/terms/{term}/courses/{courseId}                   a course: applicants, requests, bans, TAs, last run
 * POST /my/terms/{term}/courses/{courseId}/applicants/{id}   action=request (rank) | ban | clear
 * POST /my/terms/{term}/courses/{courseId}/slots             slots
 * GET  /runs/{runId}/requests                                (staff) requests met and why not, bans honoured
 * and the same under /api/my/... and /api/runs/{runId}/requests as JSON
 * </pre>
 */
public final class InstructorsFeature {

    private final InstructorCourses courses;
    private final RunBoard board;
    private final RunControl control;
    /** The outcomes of the last few reviews looked at (mapping a large run's problem takes a moment). */
    private final Map<Review, RequestOutcomes.Result> outcomes = new java.util.LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Review, RequestOutcomes.Result> eldest) {
            return size() > 8;
        }
    };

    public InstructorsFeature(DatasetStore datasets, DatasetEdits edits, RunsFeature runs) {
        this.courses = new InstructorCourses(datasets, edits);
        this.board = runs.board();
        this.control = runs.control();
    }

    public InstructorCourses courses() {
        return courses;
    }

    public void declare(Site site) {
        site.nav("My courses", "/my", Access.INSTRUCTOR);
        site.get("/my", Access.INSTRUCTOR, this::myCourses)
                .get("/my/terms/{term}/courses/{courseId}", Access.INSTRUCTOR, this::coursePage)
                .post("/my/terms/{term}/courses/{courseId}/applicants/{applicantId}", Access.INSTRUCTOR, this::markPost)
                .post("/my/terms/{term}/courses/{courseId}/slots", Access.INSTRUCTOR, this::slotsPost)
                .get("/runs/{runId}/requests", Access.VIEWER, this::requestsPage)
                .get("/api/my/courses", Access.INSTRUCTOR, this::myCoursesJson)
                .get("/api/my/terms/{term}/courses/{courseId}", Access.INSTRUCTOR, this::courseJson)
                .put("/api/my/terms/{term}/courses/{courseId}/applicants/{applicantId}", Access.INSTRUCTOR, this::markJson)
                .delete("/api/my/terms/{term}/courses/{courseId}/applicants/{applicantId}", Access.INSTRUCTOR, this::clearJson)
                .put("/api/my/terms/{term}/courses/{courseId}/slots", Access.INSTRUCTOR, this::slotsJson)
                .get("/api/runs/{runId}/requests", Access.VIEWER, this::requestsJson);
    }

    /** The instructor pages' own style sheet (served with the runs' static files). */
    public static final String CSS = RunsFeature.STATIC + "/instructors.css";

    private static PageMeta meta(String title) {
        return PageMeta.of(title).withStyles(CSS);
    }

    static String user(Context ctx) {
        return Web.user(ctx).map(WebUser::username).orElseThrow(() -> new Refused(401, "Sign in first."));
    }

    // ------------------------------------------------------------------ the latest run of a term

    /** The term's latest approved run, else its latest reviewable one; empty when it has none. */
    Optional<RunBoard.Run> latestRun(String term) {
        List<RunBoard.Run> runs = board.list(term).stream().filter(RunBoard.Run::reviewable).toList();
        return runs.stream().filter(r -> r.approval() != null).findFirst().or(() -> runs.stream().findFirst());
    }

    InstructorViews.RunOutcome outcomeFor(String term, String courseId) {
        Optional<RunBoard.Run> run = latestRun(term);
        if (run.isEmpty()) {
            return null;
        }
        RequestOutcomes.Result r = outcomesOf(run.get().runId()).ofCourse(courseId);
        return new InstructorViews.RunOutcome(run.get().runId(), run.get().approval() != null,
                r.requests().stream().map(x -> new InstructorViews.RequestLine(x.applicantName(), x.rank(), x.met(),
                        x.met() ? "" : x.forInstructor())).toList(),
                r.bans().stream().map(b -> new InstructorViews.BanLine(b.applicantName(), b.honoured())).toList());
    }

    // ------------------------------------------------------------------ pages

    void myCourses(Context ctx) {
        WebUser u = Web.user(ctx).orElseThrow(() -> new Refused(401, "Sign in first."));
        Pages.render(ctx, meta("My courses"), "coordinator/instructors/my.jte",
                Map.of("view", new InstructorViews.MyCourses(u.displayName(), courses.mine(u.username()))));
    }

    void coursePage(Context ctx) {
        String message = switch (Optional.ofNullable(ctx.queryParam("saved")).orElse("")) {
            case "request" -> "Request saved.";
            case "ban" -> "Veto saved.";
            case "clear" -> "Cleared.";
            case "slots" -> "Number of TAs saved.";
            default -> null;
        };
        renderCourse(ctx, 200, message, null);
    }

    private void renderCourse(Context ctx, int status, String message, String error) {
        String term = ctx.pathParam("term");
        String courseId = ctx.pathParam("courseId");
        InstructorViews.CoursePage page = courses.page(term, courseId, user(ctx), "1".equals(ctx.queryParam("all")),
                null, message, error);
        page = withRun(page);
        ctx.status(status);
        Pages.render(ctx, meta(page.code() + " " + page.section() + " — applicants"),
                "coordinator/instructors/course.jte", Map.of("view", page));
    }

    private InstructorViews.CoursePage withRun(InstructorViews.CoursePage p) {
        return new InstructorViews.CoursePage(p.term(), p.version(), p.courseId(), p.code(), p.section(), p.title(), p.slots(),
                p.minTas(), p.maxTas(), p.hoursPerSlot(), p.duties(), p.applicants(), p.all(), p.applicantCount(),
                outcomeFor(p.term(), p.courseId()), p.message(), p.error());
    }

    void markPost(Context ctx) {
        String term = ctx.pathParam("term");
        String courseId = ctx.pathParam("courseId");
        String applicantId = ctx.pathParam("applicantId");
        String username = user(ctx);
        courses.course(term, courseId, username); // 404 before anything is read from the form
        String action = Optional.ofNullable(ctx.formParam("action")).orElse("");
        change(ctx, () -> {
            long expected = number(ctx.formParam("expectedVersion"), "expectedVersion");
            String note = note(ctx.formParam("note"));
            switch (action) {
                case "request" -> courses.request(term, courseId, applicantId, (int) number(ctx.formParam("rank"), "rank"),
                        expected, username, note);
                case "ban" -> courses.ban(term, courseId, applicantId, expected, username, note);
                case "clear" -> courses.clear(term, courseId, applicantId, expected, username, note);
                default -> throw new Refused(400, "Choose Request, Veto or Clear (the form sent \"" + action + "\").");
            }
            redirect(ctx, term, courseId, action);
        });
    }

    void slotsPost(Context ctx) {
        String term = ctx.pathParam("term");
        String courseId = ctx.pathParam("courseId");
        String username = user(ctx);
        courses.course(term, courseId, username);
        change(ctx, () -> {
            courses.slots(term, courseId, (int) number(ctx.formParam("slots"), "slots"),
                    number(ctx.formParam("expectedVersion"), "expectedVersion"), username, note(ctx.formParam("note")));
            redirect(ctx, term, courseId, "slots");
        });
    }

    /** Runs a change from a form; a refusal (but a 404), a rejected edit or a version conflict shows the course page again with the error. */
    private void change(Context ctx, Runnable change) {
        try {
            change.run();
        } catch (Refused e) {
            if (e.status() == 404) {
                throw e;
            }
            renderCourse(ctx, e.status(), null, e.getMessage());
        } catch (DatasetEdits.RejectedException e) {
            renderCourse(ctx, 422, null, problems(e.problems()));
        } catch (DatasetStore.VersionConflictException e) {
            renderCourse(ctx, 409, null, e.getMessage());
        }
    }

    private static void redirect(Context ctx, String term, String courseId, String saved) {
        String all = "1".equals(ctx.queryParam("all")) || "1".equals(ctx.formParam("all")) ? "&all=1" : "";
        ctx.redirect(InstructorViews.courseUrl(term, courseId) + "?saved=" + saved + all, HttpStatus.SEE_OTHER);
    }

    /** A whole number of a form or body field; a clear 422 naming the field otherwise. */
    static long number(String value, String field) {
        String v = value == null ? "" : value.strip();
        if (v.isEmpty()) {
            throw new Refused(422, "The field \"" + field + "\" is empty: give a whole number.");
        }
        if (!v.matches("-?\\d{1,12}")) {
            throw new Refused(422, "\"" + (v.length() > 40 ? v.substring(0, 40) + "…" : v) + "\" in the field \"" + field
                    + "\" is not a whole number.");
        }
        return Long.parseLong(v);
    }

    static String note(String value) {
        String v = value == null ? "" : value.strip();
        if (v.length() > 2000) {
            throw new Refused(422, "The note is " + v.length() + " characters; at most 2000 fit.");
        }
        return v.isEmpty() ? null : v;
    }

    static String problems(List<Problem> problems) {
        StringBuilder sb = new StringBuilder();
        for (Problem p : problems) {
            sb.append(sb.length() > 0 ? " " : "").append(p.message()).append('.');
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------ requests met (staff)

    private RequestOutcomes.Result outcomes(String runId) {
        RunBoard.Run run = board.get(runId).orElseThrow(() -> new Refused(404, "There is no run " + runId + "."));
        if (!run.reviewable()) {
            throw new Refused(409, "Run " + runId + " has no assignment to review (it is " + run.state() + ").");
        }
        return outcomesOf(runId);
    }

    /** A run's outcomes, cached by review (a review changes only with the term's pins, and then is a new object). */
    private RequestOutcomes.Result outcomesOf(String runId) {
        Review review = control.review(runId);
        synchronized (outcomes) {
            RequestOutcomes.Result cached = outcomes.get(review);
            if (cached != null) {
                return cached;
            }
        }
        RequestOutcomes.Result r = RequestOutcomes.of(review.problem(), review.assignment());
        synchronized (outcomes) {
            outcomes.put(review, r);
        }
        return r;
    }

    void requestsPage(Context ctx) {
        String runId = ctx.pathParam("runId");
        RequestOutcomes.Result r = outcomes(runId);
        Pages.render(ctx, meta("Requests of run " + runId), "coordinator/instructors/requests.jte",
                Map.of("runId", runId, "result", r));
    }

    void requestsJson(Context ctx) {
        RequestOutcomes.Result r = outcomes(ctx.pathParam("runId"));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("runId", ctx.pathParam("runId"));
        body.put("met", r.met());
        body.put("requests", r.requests());
        body.put("bans", r.bans());
        ctx.json(body);
    }

    // ------------------------------------------------------------------ JSON API

    void myCoursesJson(Context ctx) {
        ctx.json(courses.mine(user(ctx)));
    }

    void courseJson(Context ctx) {
        InstructorViews.CoursePage p = withRun(courses.page(ctx.pathParam("term"), ctx.pathParam("courseId"), user(ctx),
                "1".equals(ctx.queryParam("all")), null, null, null));
        ctx.json(p);
    }

    void markJson(Context ctx) {
        String term = ctx.pathParam("term");
        String courseId = ctx.pathParam("courseId");
        String applicantId = ctx.pathParam("applicantId");
        String username = user(ctx);
        courses.course(term, courseId, username);
        JsonNode body = body(ctx);
        String kind = body.path("kind").asText("");
        long expected = number(body.path("expectedVersion").asText(null), "expectedVersion");
        String note = note(body.path("note").asText(null));
        Dataset d = switch (kind) {
            case "REQUEST" -> courses.request(term, courseId, applicantId, (int) number(body.path("rank").asText(null), "rank"),
                    expected, username, note);
            case "BAN" -> courses.ban(term, courseId, applicantId, expected, username, note);
            default -> throw new Refused(422, "\"kind\" must be REQUEST or BAN, not \"" + kind + "\".");
        };
        ctx.json(Map.of("version", d.version()));
    }

    void clearJson(Context ctx) {
        String term = ctx.pathParam("term");
        String courseId = ctx.pathParam("courseId");
        String username = user(ctx);
        courses.course(term, courseId, username);
        Dataset d = courses.clear(term, courseId, ctx.pathParam("applicantId"),
                number(ctx.queryParam("expectedVersion"), "expectedVersion"), username, note(ctx.queryParam("note")));
        ctx.json(Map.of("version", d.version()));
    }

    void slotsJson(Context ctx) {
        String term = ctx.pathParam("term");
        String courseId = ctx.pathParam("courseId");
        String username = user(ctx);
        courses.course(term, courseId, username);
        JsonNode body = body(ctx);
        Dataset d = courses.slots(term, courseId, (int) number(body.path("slots").asText(null), "slots"),
                number(body.path("expectedVersion").asText(null), "expectedVersion"), username, note(body.path("note").asText(null)));
        ctx.json(Map.of("version", d.version()));
    }

    private static JsonNode body(Context ctx) {
        try {
            JsonNode n = EventCodec.objectMapper().readTree(ctx.bodyAsBytes());
            if (n == null || !n.isObject()) {
                throw new Refused(400, "Send a JSON object.");
            }
            return n;
        } catch (java.io.IOException e) {
            throw new Refused(400, "The body is not JSON: " + e.getMessage());
        }
    }

}
