package tapipeline.platform.web;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.http.sse.SseHandler;
import io.javalin.http.staticfiles.Location;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import tapipeline.platform.config.Config;
import tapipeline.schemas.coordinator.Account;

/**
 * The web layer of one service: installs into Javalin the security headers, the session (read from
 * its signed cookie on every request, roles looked up in the {@link AccountStore}), the access and
 * CSRF checks of every route of the {@link Site}, sign-in and sign-out, the static assets and the
 * error pages (HTML in the layout for browsers, JSON for API callers, never a stack trace).
 *
 * <p>Refusals, in this order: anonymous caller on a non-public route (a browser, i.e. a request that
 * accepts text/html and is not htmx, gets 303 to {@code /signin?next=...}; anyone else 401 JSON),
 * signed in without the role (403, {@code "error":"forbidden"}), body over the route's limit (413),
 * mutating request without this session's CSRF token (403, {@code "error":"csrf"}).
 */
public final class Web {

    public static final String CSRF_FIELD = "_csrf";
    public static final String CSRF_HEADER = "X-CSRF-Token";
    public static final String SIGNIN = "/signin";
    public static final String SIGNOUT = "/signout";

    /** The content security policy of every response: no inline script or style, no framing. */
    public static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; font-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; "
            + "object-src 'none'";

    /** Referrer-Policy of every response (public: a service's own fast paths send the same). */
    public static final String REFERRER_POLICY = "same-origin";
    /** Permissions-Policy of every response (public: a service's own fast paths send the same). */
    public static final String PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()";
    private static final Logger log = LoggerFactory.getLogger(Web.class);
    private static final String ATTR_SESSION = "tapipeline.web.session";
    private static final String ATTR_USER = "tapipeline.web.user";
    private static final String ATTR_SITE = "tapipeline.web.site";
    private static final String ATTR_WEB = "tapipeline.web";
    /** A session's last-seen time is refreshed in the cookie at most this often. */
    private static final Duration TOUCH_EVERY = Duration.ofMinutes(1);

    private final Site site;
    private final AccountStore accounts;
    private final Secret secret;
    private final Duration idle;
    private final Duration max;
    private final boolean trustForwarded;
    private final PasswordHasher hasher;
    private final LoginThrottle throttle;
    private final Clock clock;
    private final List<Route> routes;

    private Web(Builder b) {
        this.site = b.site;
        this.accounts = b.accounts;
        this.secret = b.secret;
        this.idle = b.idle;
        this.max = b.max;
        this.trustForwarded = b.trustForwarded;
        this.hasher = b.hasher;
        this.throttle = b.throttle;
        this.clock = b.clock;
        List<Route> all = new ArrayList<>();
        if (site.needsSignIn()) {
            if (accounts == null) {
                throw new IllegalArgumentException("site " + site.name() + " has signed-in routes but no account store");
            }
            all.add(new Route(Route.Method.GET, SIGNIN, Access.PUBLIC, this::signInPage, null, 0));
            all.add(new Route(Route.Method.POST, SIGNIN, Access.PUBLIC, this::signIn, null, 16 * 1024));
            all.add(new Route(Route.Method.POST, SIGNOUT, Access.PUBLIC, this::signOut, null, 16 * 1024));
        }
        all.addAll(site.routes());
        this.routes = List.copyOf(all);
    }

    public static Builder builder(Site site) {
        return new Builder(site);
    }

    /** Every route served: the platform's sign-in routes and the site's, each with its access. */
    public List<Route> routes() {
        return routes;
    }

    public Site site() {
        return site;
    }

    /** Installs everything into a Javalin config (call inside {@code Javalin.create}). */
    public void install(JavalinConfig cfg) {
        cfg.staticFiles.add(sf -> {
            sf.hostedPath = "/static/platform";
            sf.directory = "/tapipeline/web/static";
            sf.location = Location.CLASSPATH;
            sf.headers = Map.of("Cache-Control", "public, max-age=3600");
        });
        cfg.staticFiles.add(sf -> {
            sf.hostedPath = "/webjars";
            sf.directory = "META-INF/resources/webjars";
            sf.location = Location.CLASSPATH;
            sf.headers = Map.of("Cache-Control", "public, max-age=31536000, immutable");
        });
        // the server-wide body cap must not be below a route's own limit (an import route may take more)
        long largest = routes.stream().mapToLong(Route::maxBodyBytes).max().orElse(0);
        cfg.http.maxRequestSize = Math.max(cfg.http.maxRequestSize, largest);
        cfg.routes.before(this::before);
        for (Route r : routes) {
            Handler inner = r.method() == Route.Method.SSE ? new SseHandler(r.sse()) : r.handler();
            Handler guarded = ctx -> {
                if (guard(ctx, r)) {
                    inner.handle(ctx);
                }
            };
            cfg.routes.addHttpHandler(HandlerType.findOrCreate(r.method().http()), r.path(), guarded);
            if (r.method() == Route.Method.GET) {
                // HEAD answers as GET without the body (e.g. a download's headers), under the same access
                cfg.routes.addHttpHandler(HandlerType.HEAD, r.path(), guarded);
            }
        }
        cfg.routes.exception(Refused.class, (e, ctx) -> error(ctx, e.status(), e.code(), e.getMessage()));
        cfg.routes.exception(io.javalin.http.HttpResponseException.class, (e, ctx) -> {
            int status = e.getStatus();
            String code = status == 404 ? "not_found" : status == 405 ? "method_not_allowed"
                    : status == 413 ? "too_large" : status >= 500 ? "internal" : "bad_request";
            // 4xx messages of Javalin's responses (e.g. a handler's BadRequestResponse) are meant for the caller
            String message = status == 404 ? "There is no page at this address."
                    : status == 405 ? "This address does not accept " + ctx.method() + "."
                    : status == 413 ? "The request is too large for this server."
                    : status >= 500 ? "Something went wrong on our side. Please try again."
                    : e.getMessage() == null || e.getMessage().isBlank() ? "The request was refused." : e.getMessage();
            error(ctx, status, code, message);
        });
        cfg.routes.exception(Exception.class, (e, ctx) -> {
            log.error("{} {} failed", ctx.method(), ctx.path(), e);
            error(ctx, 500, "internal", "Something went wrong on our side. The error was logged; please try again.");
        });
        cfg.routes.error(404, ctx -> {
            if (ctx.resultInputStream() == null) {
                error(ctx, 404, "not_found", "There is no page at this address.");
            }
        });
        cfg.routes.error(405, ctx -> {
            if (ctx.resultInputStream() == null) {
                error(ctx, 405, "method_not_allowed", "This address does not accept " + ctx.method() + ".");
            }
        });
    }

    // ---- per request ------------------------------------------------------------------------------

    private void before(Context ctx) {
        ctx.attribute(ATTR_WEB, this);
        ctx.attribute(ATTR_SITE, site);
        ctx.header("Content-Security-Policy", CSP);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", REFERRER_POLICY);
        ctx.header("Permissions-Policy", PERMISSIONS_POLICY);
        ctx.header("X-Frame-Options", "DENY");
        if (secure(ctx)) {
            ctx.header("Strict-Transport-Security", "max-age=31536000");
        }
        Instant now = clock.instant();
        Optional<Session> session = Session.decode(ctx.cookie(Session.COOKIE), secret, now, idle, max);
        if (session.isEmpty()) {
            return;
        }
        Session s = session.get();
        if (!s.anonymous()) {
            Optional<Account> account = accounts == null ? Optional.empty() : accounts.find(s.username());
            if (account.isEmpty() || account.get().disabled()) {
                clearCookie(ctx);
                return;
            }
            Account a = account.get();
            ctx.attribute(ATTR_USER, new WebUser(a.username(), a.displayName(), java.util.EnumSet.copyOf(
                    a.roles().isEmpty() ? java.util.EnumSet.noneOf(Account.Role.class) : java.util.EnumSet.copyOf(a.roles()))));
            if (!ctx.path().startsWith("/static/") && !ctx.path().startsWith("/webjars/")) {
                ctx.header("Cache-Control", "no-store");
            }
        }
        if (now.isAfter(s.lastSeen().plus(TOUCH_EVERY))) {
            s = s.seen(now);
            setCookie(ctx, s);
        }
        ctx.attribute(ATTR_SESSION, s);
    }

    /** Access, size and CSRF checks; false when the request was refused (the response is written). */
    private boolean guard(Context ctx, Route r) {
        WebUser user = ctx.attribute(ATTR_USER);
        if (!r.access().isPublic()) {
            if (user == null) {
                if (wantsHtml(ctx)) {
                    String next = r.method() == Route.Method.GET ? ctx.path()
                            + (ctx.queryString() == null ? "" : "?" + ctx.queryString()) : null;
                    ctx.redirect(SIGNIN + (next == null ? "" : "?next=" + java.net.URLEncoder.encode(next,
                            java.nio.charset.StandardCharsets.UTF_8)), io.javalin.http.HttpStatus.SEE_OTHER);
                } else {
                    if (ctx.header("HX-Request") != null) {
                        ctx.header("HX-Redirect", SIGNIN);
                    }
                    error(ctx, 401, "unauthenticated", "Sign in first.");
                }
                return false;
            }
            if (!user.has(r.access())) {
                error(ctx, 403, "forbidden", "Your account may not do this (it needs the role "
                        + String.join(" or ", r.access().roles().stream().map(Enum::name).sorted().toList()) + ").");
                return false;
            }
        }
        if (r.mutating()) {
            long length = ctx.req().getContentLengthLong();
            if (length > r.maxBodyBytes()) {
                error(ctx, 413, "too_large", "The request is too large: " + length + " bytes, and " + r.path()
                        + " accepts at most " + r.maxBodyBytes() + " bytes (" + human(r.maxBodyBytes()) + ").");
                return false;
            }
            Session s = ctx.attribute(ATTR_SESSION);
            String token = ctx.header(CSRF_HEADER);
            if (token == null) {
                token = formParamSafely(ctx);
            }
            if (s == null || !s.csrfValid(secret, token)) {
                error(ctx, 403, "csrf", "The form has expired or did not come from this site. Reload the page and try again.");
                return false;
            }
        }
        return true;
    }

    private static String formParamSafely(Context ctx) {
        String type = ctx.contentType();
        if (type == null || !(type.startsWith("application/x-www-form-urlencoded") || type.startsWith("multipart/form-data"))) {
            return null;
        }
        try {
            return ctx.formParam(CSRF_FIELD);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String human(long bytes) {
        if (bytes >= 1024 * 1024) {
            return String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
        }
        return String.format(java.util.Locale.ROOT, "%.1f KiB", bytes / 1024.0);
    }

    // ---- sign-in --------------------------------------------------------------------------------------

    private void signInPage(Context ctx) {
        String next = LocalPaths.safeNext(ctx.queryParam("next"), site.home());
        if (ctx.attribute(ATTR_USER) != null) {
            ctx.redirect(next, io.javalin.http.HttpStatus.SEE_OTHER);
            return;
        }
        if (!wantsHtml(ctx)) {
            ctx.header("Cache-Control", "no-store");
            ctx.json(Map.of("csrfToken", csrfToken(ctx)));
            return;
        }
        renderSignIn(ctx, 200, next, "", null);
    }

    private void renderSignIn(Context ctx, int status, String next, String username, String error) {
        ctx.header("Cache-Control", "no-store");
        ctx.status(status);
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("next", next);
        model.put("username", username);
        model.put("error", error);
        Pages.render(ctx, PageMeta.of("Sign in"), "platform/signin.jte", model);
    }

    private void signIn(Context ctx) {
        String username = Optional.ofNullable(ctx.formParam("username")).orElse("").trim();
        String password = Optional.ofNullable(ctx.formParam("password")).orElse("");
        String next = LocalPaths.safeNext(ctx.formParam("next"), site.home());
        String address = clientAddress(ctx);
        Optional<Duration> wait = throttle.retryAfter(username, address);
        if (wait.isPresent()) {
            long seconds = Math.max(1, wait.get().toSeconds() + (wait.get().toMillisPart() > 0 ? 1 : 0));
            ctx.header("Retry-After", Long.toString(seconds));
            String message = "Too many failed sign-ins. Wait " + seconds + " seconds and try again.";
            if (wantsHtml(ctx)) {
                renderSignIn(ctx, 429, next, username, message);
            } else {
                error(ctx, 429, "throttled", message);
            }
            return;
        }
        if (!accounts.ready()) {
            error(ctx, 503, "starting", "The service is still loading accounts; try again in a few seconds.");
            return;
        }
        Optional<Account> account = accounts.find(username);
        boolean ok = hasher.verify(account.map(Account::passwordHash).orElse(null), password.toCharArray())
                && account.isPresent() && !account.get().disabled();
        if (!ok) {
            throttle.failure(username, address);
            log.info("sign-in refused for a user name from {}", address);
            String message = "Wrong user name or password, or the account is disabled.";
            if (wantsHtml(ctx)) {
                renderSignIn(ctx, 401, next, username, message);
            } else {
                error(ctx, 401, "unauthenticated", message);
            }
            return;
        }
        throttle.success(username, address);
        Session s = Session.create(account.get().username(), clock.instant());
        setCookie(ctx, s);
        ctx.header("Cache-Control", "no-store");
        if (wantsHtml(ctx)) {
            ctx.redirect(next, io.javalin.http.HttpStatus.SEE_OTHER);
        } else {
            ctx.json(Map.of("username", s.username(), "csrfToken", s.csrfToken(secret)));
        }
    }

    private void signOut(Context ctx) {
        clearCookie(ctx);
        ctx.header("Cache-Control", "no-store");
        if (wantsHtml(ctx)) {
            ctx.redirect(site.needsSignIn() ? SIGNIN : site.home(), io.javalin.http.HttpStatus.SEE_OTHER);
        } else {
            ctx.status(204);
        }
    }

    // ---- helpers for pages -------------------------------------------------------------------------

    /** The signed-in user of this request, if any. */
    public static Optional<WebUser> user(Context ctx) {
        return Optional.ofNullable(ctx.attribute(ATTR_USER));
    }

    /** The CSRF token of this request's session; creates an anonymous session (and its cookie) if none. */
    public static String csrfToken(Context ctx) {
        Web web = ctx.attribute(ATTR_WEB);
        if (web == null) {
            throw new IllegalStateException("the web layer is not installed on this server");
        }
        Session s = ctx.attribute(ATTR_SESSION);
        if (s == null) {
            s = Session.create(null, web.clock.instant());
            web.setCookie(ctx, s);
            ctx.attribute(ATTR_SESSION, s);
        }
        return s.csrfToken(web.secret);
    }

    static Site site(Context ctx) {
        Site s = ctx.attribute(ATTR_SITE);
        if (s == null) {
            throw new IllegalStateException("the web layer is not installed on this server");
        }
        return s;
    }

    /** A browser navigation: accepts HTML and is not an htmx or fetch call. */
    public static boolean wantsHtml(Context ctx) {
        String accept = ctx.header("Accept");
        return accept != null && accept.contains("text/html") && ctx.header("HX-Request") == null;
    }

    /**
     * Answers an error: a page in the layout for a browser, {@code {"error": code, "message": ...}} for
     * anyone else. The message is shown as is: never put exception text in it.
     */
    public static void error(Context ctx, int status, String code, String message) {
        ctx.status(status);
        if (wantsHtml(ctx) && ctx.attribute(ATTR_SITE) != null) {
            try {
                Map<String, Object> model = new LinkedHashMap<>();
                model.put("status", status);
                model.put("message", message);
                Pages.render(ctx, PageMeta.of(ErrorTitles.title(status)), "platform/error.jte", model);
                return;
            } catch (RuntimeException e) {
                log.error("error page failed to render", e);
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", code);
        body.put("message", message);
        ctx.json(body);
    }

    private String clientAddress(Context ctx) {
        if (trustForwarded) {
            String fwd = ctx.header("X-Forwarded-For");
            if (fwd != null && !fwd.isBlank()) {
                return fwd.split(",")[0].trim();
            }
        }
        return ctx.ip();
    }

    private boolean secure(Context ctx) {
        if ("https".equalsIgnoreCase(ctx.scheme())) {
            return true;
        }
        return trustForwarded && "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto"));
    }

    private void setCookie(Context ctx, Session s) {
        ctx.res().addHeader("Set-Cookie", Session.COOKIE + "=" + s.encode(secret) + "; Path=/; HttpOnly; SameSite=Lax"
                + "; Max-Age=" + max.toSeconds() + (secure(ctx) ? "; Secure" : ""));
    }

    private void clearCookie(Context ctx) {
        ctx.res().addHeader("Set-Cookie", Session.COOKIE + "=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0"
                + (secure(ctx) ? "; Secure" : ""));
    }

    /** Builds a {@link Web}; {@link #fromConfig} reads the WEB_* keys. */
    public static final class Builder {
        private final Site site;
        private AccountStore accounts;
        private Secret secret;
        private Duration idle = Duration.ofMinutes(30);
        private Duration max = Duration.ofHours(12);
        private boolean trustForwarded;
        private PasswordHasher hasher;
        private LoginThrottle throttle;
        private Clock clock = Clock.systemUTC();

        private Builder(Site site) {
            this.site = site;
        }

        public Builder fromConfig(Config config) {
            this.secret = Secret.fromConfig(config.get(WebConfig.WEB_SESSION_SECRET));
            this.idle = Duration.ofMinutes(config.get(WebConfig.WEB_SESSION_IDLE_MINUTES));
            this.max = Duration.ofHours(config.get(WebConfig.WEB_SESSION_MAX_HOURS));
            this.trustForwarded = config.get(WebConfig.WEB_TRUST_FORWARDED);
            return this;
        }

        public Builder accounts(AccountStore accounts) {
            this.accounts = accounts;
            return this;
        }

        public Builder secret(Secret secret) {
            this.secret = secret;
            return this;
        }

        public Builder sessionTimeouts(Duration idle, Duration max) {
            this.idle = idle;
            this.max = max;
            return this;
        }

        public Builder trustForwarded(boolean trust) {
            this.trustForwarded = trust;
            return this;
        }

        public Builder hasher(PasswordHasher hasher) {
            this.hasher = hasher;
            return this;
        }

        public Builder throttle(LoginThrottle throttle) {
            this.throttle = throttle;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        public Web build() {
            if (secret == null) {
                secret = Secret.fromConfig("");
            }
            if (throttle == null) {
                throttle = new LoginThrottle(clock);
            }
            if (hasher == null && site.needsSignIn()) {
                hasher = new PasswordHasher();
            }
            return new Web(this);
        }
    }
}
