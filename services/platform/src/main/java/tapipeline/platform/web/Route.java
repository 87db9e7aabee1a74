package tapipeline.platform.web;

import java.util.Objects;
import java.util.function.Consumer;

import io.javalin.http.Handler;
import io.javalin.http.sse.SseClient;

/**
 * One route of a site with the access it declares. The site's route table is a list of these, so a
 * test can walk every route ({@code RouteWalker} in the platform's test jar).
 *
 * @param maxBodyBytes the largest request body accepted (413 with a message naming the limit above it)
 */
public record Route(Method method, String path, Access access, Handler handler, Consumer<SseClient> sse,
                    long maxBodyBytes) {

    /** HTTP methods a site may use; SSE is a GET that streams server-sent events. */
    public enum Method {
        GET, POST, PUT, DELETE, SSE;

        /** Mutating routes need a valid CSRF token. */
        public boolean mutating() {
            return this == POST || this == PUT || this == DELETE;
        }

        /** The method on the wire. */
        public String http() {
            return this == SSE ? "GET" : name();
        }
    }

    public Route {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(access, "access");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("a route path starts with '/': " + path);
        }
        if ((method == Method.SSE) != (sse != null) || (method != Method.SSE && handler == null)) {
            throw new IllegalArgumentException("route " + method + " " + path + ": an SSE route takes an SSE client consumer, the others a handler");
        }
        if (maxBodyBytes < 0) {
            throw new IllegalArgumentException("maxBodyBytes < 0 for " + path);
        }
    }

    public boolean mutating() {
        return method.mutating();
    }

    @Override
    public String toString() {
        return method + " " + path + " " + access;
    }
}
