package tapipeline.platform.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

import io.javalin.http.Handler;
import io.javalin.http.sse.SseClient;

/**
 * What a service declares about its web site: its name, language, home page, navigation and route
 * table. Every route names its {@link Access}; there is no way to add a route without one. The platform
 * adds {@code /signin}, {@code /signout} and the static assets itself (see {@link Web}).
 */
public final class Site {

    /** Body size limit of a route that does not name one: forms and JSON, not files. */
    public static final long DEFAULT_MAX_BODY_BYTES = 64 * 1024;

    private String name;
    private String lang = "en";
    private String home = "/";
    private final List<NavItem> nav = new ArrayList<>();
    private final List<Route> routes = new ArrayList<>();

    public Site(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    public Site name(String name) {
        this.name = Objects.requireNonNull(name);
        return this;
    }

    public Site lang(String lang) {
        this.lang = Objects.requireNonNull(lang);
        return this;
    }

    /** Where the site name in the header and a sign-in without {@code next} lead. */
    public Site home(String path) {
        this.home = LocalPaths.safeNext(path, "/");
        return this;
    }

    public Site nav(String label, String path, Access access) {
        nav.add(new NavItem(label, path, access));
        return this;
    }

    public Site get(String path, Access access, Handler handler) {
        return add(new Route(Route.Method.GET, path, access, handler, null, 0));
    }

    public Site post(String path, Access access, Handler handler) {
        return post(path, access, DEFAULT_MAX_BODY_BYTES, handler);
    }

    /** A POST whose body may be up to {@code maxBodyBytes} (an upload); above it the caller gets 413. */
    public Site post(String path, Access access, long maxBodyBytes, Handler handler) {
        return add(new Route(Route.Method.POST, path, access, handler, null, maxBodyBytes));
    }

    public Site put(String path, Access access, Handler handler) {
        return put(path, access, DEFAULT_MAX_BODY_BYTES, handler);
    }

    public Site put(String path, Access access, long maxBodyBytes, Handler handler) {
        return add(new Route(Route.Method.PUT, path, access, handler, null, maxBodyBytes));
    }

    public Site delete(String path, Access access, Handler handler) {
        return add(new Route(Route.Method.DELETE, path, access, handler, null, DEFAULT_MAX_BODY_BYTES));
    }

    /** A server-sent-events stream (GET); the access is checked before the stream opens. */
    public Site sse(String path, Access access, Consumer<SseClient> client) {
        return add(new Route(Route.Method.SSE, path, access, null, client, 0));
    }

    public Site add(Route route) {
        for (Route r : routes) {
            if (r.method().http().equals(route.method().http()) && r.path().equals(route.path())) {
                throw new IllegalArgumentException("route declared twice: " + route.method() + " " + route.path());
            }
        }
        routes.add(route);
        return this;
    }

    public String name() {
        return name;
    }

    public String lang() {
        return lang;
    }

    public String home() {
        return home;
    }

    public List<NavItem> nav() {
        return List.copyOf(nav);
    }

    /** The service's route table (without the platform's sign-in routes; {@link Web#routes()} has all). */
    public List<Route> routes() {
        return List.copyOf(routes);
    }

    /** Whether any route needs a signed-in caller (then the platform serves sign-in). */
    public boolean needsSignIn() {
        return routes.stream().anyMatch(r -> !r.access().isPublic()) || nav.stream().anyMatch(n -> !n.access().isPublic());
    }
}
