package tapipeline.platform.testing.web;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import tapipeline.platform.web.Access;
import tapipeline.platform.web.Route;
import tapipeline.schemas.coordinator.Account.Role;

/**
 * Walks a running site's whole route table ({@code Web.routes()}) and checks its guards, so a route added
 * later cannot be forgotten:
 * <ul>
 *   <li>every non-public route refuses an anonymous API caller with 401 ({@code "error":"unauthenticated"}),
 *       and every non-public GET sends an anonymous browser to {@code /signin} (303);</li>
 *   <li>every non-public route refuses each given account whose roles it does not allow with 403
 *       ({@code "error":"forbidden"}), even with a valid CSRF token;</li>
 *   <li>every mutating route refuses an allowed caller without a CSRF token and with another session's
 *       token with 403 ({@code "error":"csrf"}).</li>
 * </ul>
 * No request it sends is allowed through, so walking changes nothing. Path parameters ({@code {id}})
 * are filled with {@code walker-test}. All problems are reported at once.
 */
public final class RouteWalker {

    /** An account the walker may sign in with. */
    public record Login(String username, String password, Set<Role> roles) {
    }

    private RouteWalker() {
    }

    public static void assertGuarded(String baseUrl, List<Route> routes, List<Login> logins) {
        List<String> problems = new ArrayList<>();
        Map<Login, WebClient> signedIn = new LinkedHashMap<>();
        for (Login l : logins) {
            WebClient c = new WebClient(baseUrl);
            HttpResponse<String> r = c.signIn(l.username(), l.password());
            if (r.statusCode() != 200) {
                throw new AssertionError("route walker: cannot sign in as " + l.username() + ": " + r.statusCode() + " " + r.body());
            }
            signedIn.put(l, c);
        }
        WebClient otherSession = new WebClient(baseUrl);
        String foreignToken = otherSession.startAnonymousSession();
        int checked = 0;
        for (Route route : routes) {
            String path = route.path().replaceAll("\\{[^}]+}", "walker-test").replaceAll("<[^>]+>", "walker-test");
            String method = route.method().http();
            String what = route.method() + " " + route.path();
            Access access = route.access();
            if (!access.isPublic()) {
                WebClient anon = new WebClient(baseUrl);
                HttpResponse<String> r = anon.send(method, path, WebClient.JSON, bodyType(route), body(route), Map.of());
                expect(problems, what, "anonymous API caller", r, 401, "unauthenticated");
                if (!route.mutating()) {
                    HttpResponse<String> b = anon.send(method, path, WebClient.HTML, null, null, Map.of());
                    String location = b.headers().firstValue("Location").orElse("");
                    if (b.statusCode() != 303 || !location.startsWith("/signin")) {
                        problems.add(what + ": anonymous browser expected 303 to /signin, got " + b.statusCode()
                                + " Location=" + location);
                    }
                }
                boolean someoneRefused = false;
                for (Map.Entry<Login, WebClient> e : signedIn.entrySet()) {
                    if (access.allows(e.getKey().roles())) {
                        continue;
                    }
                    someoneRefused = true;
                    WebClient c = e.getValue();
                    HttpResponse<String> f = c.send(method, path, WebClient.JSON, bodyType(route), body(route),
                            Map.of("X-CSRF-Token", c.csrfToken()));
                    expect(problems, what, e.getKey().username() + " (roles " + e.getKey().roles() + ")", f, 403, "forbidden");
                }
                if (!someoneRefused) {
                    problems.add(what + ": no given account lacks the access " + access
                            + "; add one (e.g. an account with no role) so the role check is walked");
                }
            }
            if (route.mutating()) {
                WebClient allowed = null;
                String who = "anonymous session";
                if (access.isPublic()) {
                    allowed = new WebClient(baseUrl);
                    allowed.startAnonymousSession();
                } else {
                    for (Map.Entry<Login, WebClient> e : signedIn.entrySet()) {
                        if (access.allows(e.getKey().roles())) {
                            allowed = e.getValue();
                            who = e.getKey().username();
                            break;
                        }
                    }
                }
                if (allowed == null) {
                    problems.add(what + ": no given account has the access " + access + "; add one so CSRF is walked");
                } else {
                    HttpResponse<String> none = allowed.send(method, path, WebClient.JSON, bodyType(route), body(route), Map.of());
                    expect(problems, what, who + " without a CSRF token", none, 403, "csrf");
                    HttpResponse<String> foreign = allowed.send(method, path, WebClient.JSON, bodyType(route), body(route),
                            Map.of("X-CSRF-Token", foreignToken));
                    expect(problems, what, who + " with another session's CSRF token", foreign, 403, "csrf");
                }
            }
            checked++;
        }
        if (!problems.isEmpty()) {
            throw new AssertionError("route guards failed on " + problems.size() + " check(s) of " + checked + " routes:\n  "
                    + String.join("\n  ", problems));
        }
    }

    private static String bodyType(Route r) {
        return r.mutating() ? "application/x-www-form-urlencoded" : null;
    }

    private static String body(Route r) {
        return r.mutating() ? "walker=1" : null;
    }

    private static void expect(List<String> problems, String what, String who, HttpResponse<String> r, int status, String code) {
        if (r.statusCode() != status || !code.equals(WebClient.errorCode(r))) {
            problems.add(what + ": " + who + " expected " + status + " \"" + code + "\", got " + r.statusCode() + " "
                    + abbreviate(r.body()));
        }
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }
}
