package tapipeline.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import tapipeline.platform.testing.KafkaBrokerExtension;
import tapipeline.platform.testing.web.RouteWalker;
import tapipeline.platform.testing.web.WebClient;
import tapipeline.schemas.coordinator.Account;
import tapipeline.schemas.coordinator.Account.Role;

/**
 * The web layer on a real port, with accounts written to {@code coordinator.accounts} on the embedded
 * broker and replayed by the service's account store.
 */
@ExtendWith(KafkaBrokerExtension.class)
class WebLayerIT {

    private static WebSiteFixture site;

    @BeforeAll
    static void start() throws Exception {
        site = new WebSiteFixture();
    }

    @AfterAll
    static void stop() {
        site.close();
    }

    private static final java.util.concurrent.atomic.AtomicInteger ADDRESSES = new java.util.concurrent.atomic.AtomicInteger(1);

    /** A client at a fresh address (the fixture trusts X-Forwarded-For). */
    private static WebClient client() {
        return clientAt("10.1." + (ADDRESSES.get() / 250) + "." + (ADDRESSES.getAndIncrement() % 250 + 1));
    }

    private static WebClient clientAt(String address) {
        return new WebClient(site.base).withHeader("X-Forwarded-For", address);
    }

    @Test
    void signs_in_with_an_account_from_the_topic_and_reaches_the_dashboard() throws Exception {
        String user = site.account("viewer", List.of(Role.VIEWER), false);
        WebClient c = client();
        HttpResponse<String> anonymous = c.get("/dashboard", WebClient.HTML);
        assertThat(anonymous.statusCode()).isEqualTo(303);
        assertThat(anonymous.headers().firstValue("Location")).contains("/signin?next=%2Fdashboard");

        assertThat(c.signIn(user, WebSiteFixture.PASSWORD).statusCode()).isEqualTo(200);
        HttpResponse<String> page = c.get("/dashboard", WebClient.HTML);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<h1>Dashboard</h1>", "Display viewer", "<main id=\"main\"",
                "action=\"/signout\"", "name=\"_csrf\"", "<html lang=\"en\">", "name=\"viewport\"");
        assertThat(page.headers().firstValue("Cache-Control")).contains("no-store");
        // a viewer does not get the operator's form
        assertThat(page.body()).doesNotContain("action=\"/things\"");

        HttpResponse<String> out = c.postForm("/signout", WebClient.HTML, Map.of("_csrf", c.csrfToken()));
        assertThat(out.statusCode()).isEqualTo(303);
        assertThat(c.get("/dashboard", WebClient.HTML).statusCode()).isEqualTo(303);
    }

    @Test
    void browser_sign_in_form_redirects_only_to_local_next() throws Exception {
        String user = site.account("nexter", List.of(Role.VIEWER), false);
        WebClient c = client();
        String token = c.startAnonymousSession();
        HttpResponse<String> r = c.postForm("/signin", WebClient.HTML, WebClient.form("username", user, "password",
                WebSiteFixture.PASSWORD, "_csrf", token, "next", "//evil.example/steal"));
        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(r.headers().firstValue("Location")).contains("/");
        WebClient d = client();
        token = d.startAnonymousSession();
        r = d.postForm("/signin", WebClient.HTML, WebClient.form("username", user, "password",
                WebSiteFixture.PASSWORD, "_csrf", token, "next", "/dashboard"));
        assertThat(r.headers().firstValue("Location")).contains("/dashboard");
    }

    @Test
    void wrong_password_unknown_and_disabled_accounts_get_the_same_answer() throws Exception {
        String ok = site.account("wrongpw", List.of(Role.VIEWER), false);
        String disabled = site.account("disabled", List.of(Role.COORDINATOR), true);
        HttpResponse<String> wrong = client().signIn(ok, "not the password");
        HttpResponse<String> unknown = client().signIn(site.prefix + "-nobody", WebSiteFixture.PASSWORD);
        HttpResponse<String> off = client().signIn(disabled, WebSiteFixture.PASSWORD);
        assertThat(List.of(wrong, unknown, off)).allSatisfy(r -> {
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(r.body()).isEqualTo(wrong.body());
        });
    }

    @Test
    void a_role_change_takes_effect_on_the_next_request_and_disabling_ends_the_session() throws Exception {
        String user = site.account("promoted", List.of(Role.VIEWER), false);
        WebClient c = client();
        assertThat(c.signIn(user, WebSiteFixture.PASSWORD).statusCode()).isEqualTo(200);
        HttpResponse<String> refused = c.postForm("/things", WebClient.JSON, Map.of("thing", "a", "_csrf", c.csrfToken()));
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(WebClient.errorCode(refused)).isEqualTo("forbidden");

        Account current = site.runtime.accounts().find(user).orElseThrow();
        site.writer.update(current, List.of(Role.OPERATOR), false);
        site.awaitStore(user, List.of(Role.OPERATOR), false);
        HttpResponse<String> added = c.postForm("/things", WebClient.JSON, Map.of("thing", "promoted-thing", "_csrf", c.csrfToken()));
        assertThat(added.statusCode()).isEqualTo(201);

        site.writer.update(site.runtime.accounts().find(user).orElseThrow(), List.of(Role.OPERATOR), true);
        site.awaitStore(user, List.of(Role.OPERATOR), true);
        HttpResponse<String> after = c.get("/api/things", WebClient.JSON);
        assertThat(after.statusCode()).isEqualTo(401);
    }

    @Test
    void csrf_is_required_on_mutating_requests_by_field_or_header() throws Exception {
        String user = site.account("csrf", List.of(Role.OPERATOR), false);
        WebClient c = client();
        c.signIn(user, WebSiteFixture.PASSWORD);
        assertThat(c.postForm("/things", WebClient.JSON, Map.of("thing", "x")).statusCode()).isEqualTo(403);
        assertThat(c.postForm("/things", WebClient.JSON, Map.of("thing", "x", "_csrf", "forged")).statusCode()).isEqualTo(403);
        assertThat(c.postForm("/things", WebClient.JSON, Map.of("thing", "by-field", "_csrf", c.csrfToken())).statusCode())
                .isEqualTo(201);
        assertThat(c.send("POST", "/things", WebClient.JSON, "application/x-www-form-urlencoded", "thing=by-header",
                Map.of("X-CSRF-Token", c.csrfToken())).statusCode()).isEqualTo(201);
        // a sign-in without the anonymous session's token is refused too (login CSRF)
        WebClient fresh = client();
        assertThat(fresh.postForm("/signin", WebClient.JSON, Map.of("username", user, "password",
                WebSiteFixture.PASSWORD)).statusCode()).isEqualTo(403);
    }

    @Test
    void every_route_of_the_table_is_guarded() throws Exception {
        List<RouteWalker.Login> logins = List.of(
                new RouteWalker.Login(site.account("walk-none", List.of(), false), WebSiteFixture.PASSWORD, Set.of()),
                new RouteWalker.Login(site.account("walk-viewer", List.of(Role.VIEWER), false), WebSiteFixture.PASSWORD,
                        Set.of(Role.VIEWER)),
                new RouteWalker.Login(site.account("walk-operator", List.of(Role.OPERATOR), false), WebSiteFixture.PASSWORD,
                        Set.of(Role.OPERATOR)),
                new RouteWalker.Login(site.account("walk-coord", List.of(Role.COORDINATOR), false), WebSiteFixture.PASSWORD,
                        Set.of(Role.COORDINATOR)));
        int before = site.site.things.size();
        assertThat(site.web.routes()).extracting(Route::path).contains("/signin", "/signout", "/things/{index}", "/events");
        RouteWalker.assertGuarded(site.base, site.web.routes(), logins);
        assertThat(site.site.things).hasSize(before);
    }

    @Test
    void every_response_carries_the_security_headers_and_escapes_output() {
        for (String path : List.of("/", "/signin", "/no-such-page", Assets.SITE_CSS, Assets.HTMX)) {
            HttpResponse<String> r = client().get(path, WebClient.HTML);
            assertThat(r.headers().firstValue("Content-Security-Policy")).as(path).contains(Web.CSP);
            assertThat(r.headers().firstValue("X-Content-Type-Options")).as(path).contains("nosniff");
            assertThat(r.headers().firstValue("Referrer-Policy")).as(path).isPresent();
            assertThat(r.headers().firstValue("Permissions-Policy")).as(path).isPresent();
        }
        HttpResponse<String> home = client().get("/", WebClient.HTML);
        assertThat(home.body()).contains("Hello &lt;world&gt; &amp; \"friends\"", "Test site &lt;&amp;&gt;")
                .doesNotContain("<world>");
        // an attribute value is escaped for its context: the failed sign-in echoes the user name
        WebClient c = client();
        String token = c.startAnonymousSession();
        HttpResponse<String> echoed = c.postForm("/signin", WebClient.HTML, WebClient.form("username",
                "\"><script>alert(1)</script>", "password", "x", "_csrf", token));
        assertThat(echoed.statusCode()).isEqualTo(401);
        assertThat(echoed.body()).contains("value=\"&#34;>&lt;script>alert(1)&lt;/script>\"")
                .doesNotContain("<script>alert(1)");
        assertThat(Web.CSP).contains("default-src 'self'", "frame-ancestors 'none'", "base-uri 'none'",
                "form-action 'self'", "object-src 'none'").doesNotContain("unsafe-inline");
    }

    @Test
    void a_viewer_gets_the_event_stream_and_the_site_url_is_listed_first() throws Exception {
        WebClient c = client();
        c.signIn(site.account("sse", List.of(Role.VIEWER), false), WebSiteFixture.PASSWORD);
        HttpResponse<String> events = c.get("/events", "text/event-stream");
        assertThat(events.statusCode()).isEqualTo(200);
        assertThat(events.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
        assertThat(events.body()).contains("event: things");
        assertThat(site.runtime.urls().entrySet().iterator().next())
                .isEqualTo(Map.entry("websitetest site", site.base + "/"));
    }

    @Test
    void head_answers_like_get_under_the_same_access() {
        HttpResponse<String> head = client().send("HEAD", "/", WebClient.HTML, null, null, Map.of());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().firstValue("Content-Security-Policy")).isPresent();
        assertThat(client().send("HEAD", "/api/things", WebClient.JSON, null, null, Map.of()).statusCode()).isEqualTo(401);
    }

    @Test
    void static_assets_are_served_with_cache_headers() {
        HttpResponse<String> css = client().get(Assets.SITE_CSS, "text/css");
        assertThat(css.statusCode()).isEqualTo(200);
        assertThat(css.headers().firstValue("Cache-Control")).contains("public, max-age=3600");
        for (String asset : List.of(Assets.HTMX, Assets.HTMX_SSE, Assets.UPLOT_JS, Assets.UPLOT_CSS, Assets.CSRF_JS)) {
            HttpResponse<String> r = client().get(asset, "*/*");
            assertThat(r.statusCode()).as(asset).isEqualTo(200);
            assertThat(r.body()).as(asset).isNotEmpty();
        }
        assertThat(client().get(Assets.HTMX, "*/*").headers().firstValue("Cache-Control")).contains("public, max-age=31536000, immutable");
        assertThat(client().get("/static/platform/../../../etc/passwd", "*/*").statusCode()).isIn(400, 404);
    }

    @Test
    void errors_are_pages_for_browsers_and_json_for_api_callers_without_internals() {
        HttpResponse<String> html = client().get("/boom", WebClient.HTML);
        assertThat(html.statusCode()).isEqualTo(500);
        assertThat(html.body()).contains("<main id=\"main\"", "Something went wrong").doesNotContain("secret internal",
                "IllegalStateException", "at tapipeline");
        HttpResponse<String> json = client().get("/boom", WebClient.JSON);
        assertThat(json.statusCode()).isEqualTo(500);
        assertThat(WebClient.errorCode(json)).isEqualTo("internal");
        assertThat(json.body()).doesNotContain("secret internal");
        HttpResponse<String> missing = client().get("/nothing-here", WebClient.HTML);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("<h1>Page not found</h1>");
        assertThat(WebClient.errorCode(client().get("/nothing-here", WebClient.JSON))).isEqualTo("not_found");
    }

    @Test
    void an_upload_over_the_route_limit_gets_413_naming_the_limit() throws Exception {
        String user = site.account("uploader", List.of(Role.OPERATOR), false);
        WebClient c = client();
        c.signIn(user, WebSiteFixture.PASSWORD);
        HttpResponse<String> big = c.send("POST", "/upload", WebClient.JSON, "text/csv", "x".repeat(2000),
                Map.of("X-CSRF-Token", c.csrfToken()));
        assertThat(big.statusCode()).isEqualTo(413);
        assertThat(WebClient.json(big).path("message").asText()).contains("2000 bytes", "/upload", "at most 1024 bytes");
        HttpResponse<String> small = c.send("POST", "/upload", WebClient.JSON, "text/csv", "x".repeat(1000),
                Map.of("X-CSRF-Token", c.csrfToken()));
        assertThat(small.statusCode()).isEqualTo(200);
    }

    @Test
    void repeated_failures_are_throttled_with_retry_after_whether_or_not_the_account_exists() throws Exception {
        String user = site.account("throttled", List.of(Role.VIEWER), false);
        for (String name : List.of(user, site.prefix + "-ghost")) {
            HttpResponse<String> last = null;
            for (int i = 0; i <= LoginThrottle.FREE_FAILURES + 1; i++) {
                last = client().signIn(name, "wrong");
            }
            assertThat(last.statusCode()).as(name).isEqualTo(429);
            assertThat(last.headers().firstValue("Retry-After")).as(name).isPresent();
        }
        // even the right password waits out the lock
        assertThat(client().signIn(user, WebSiteFixture.PASSWORD).statusCode()).isEqualTo(429);
        // one address guessing many accounts is throttled too
        HttpResponse<String> last = null;
        for (int i = 0; i <= LoginThrottle.FREE_FAILURES + 1; i++) {
            last = clientAt("192.0.2.7").signIn(site.prefix + "-spray" + i, "wrong");
        }
        assertThat(last.statusCode()).isEqualTo(429);
        assertThat(clientAt("192.0.2.7").signIn(site.account("sprayed", List.of(Role.VIEWER), false),
                WebSiteFixture.PASSWORD).statusCode()).isEqualTo(429);
    }
}
