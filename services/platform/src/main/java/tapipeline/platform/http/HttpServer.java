package tapipeline.platform.http;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.json.JavalinJackson;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import tapipeline.schemas.EventCodec;

/**
 * A service's HTTP server: Javalin with {@code /health} (live/ready with reasons, 503 when not
 * ready), {@code /health/live} and {@code /metrics} (Prometheus text), plus whatever routes the
 * service adds. Request bodies are size-limited.
 */
public final class HttpServer implements AutoCloseable {

    /** Default request size limit: room for a CSV import, not for a denial of service. */
    public static final long DEFAULT_MAX_REQUEST_BYTES = 5L * 1024 * 1024;

    /** The build's version (the platform jar's Implementation-Version), "development" when run from classes. */
    public static final String VERSION = java.util.Optional.ofNullable(HttpServer.class.getPackage()
            .getImplementationVersion()).orElse("development");

    private final Javalin app;

    private HttpServer(Javalin app) {
        this.app = app;
    }

    /**
     * Starts a server on {@code host:port} (0 picks a free port).
     *
     * @param routes the service's own routes and settings, applied after the standard ones
     */
    public static HttpServer start(String host, int port, Health health, PrometheusMeterRegistry meters,
                                   Consumer<JavalinConfig> routes) {
        Javalin app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.http.maxRequestSize = DEFAULT_MAX_REQUEST_BYTES;
            cfg.jsonMapper(new JavalinJackson(EventCodec.objectMapper(), false));
            cfg.routes.get("/health/live", ctx -> ctx.json(Map.of("status", "UP")));
            cfg.routes.get("/health", ctx -> {
                Map<String, Health.Check> checks = health.evaluate();
                boolean ready = checks.values().stream().allMatch(Health.Check::up);
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("status", Health.status(checks));
                body.put("live", true);
                body.put("ready", ready);
                body.put("version", VERSION);
                body.put("checks", checks);
                ctx.status(ready ? 200 : 503).json(body);
            });
            cfg.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                    .result(meters.scrape()));
            routes.accept(cfg);
        });
        app.start(host, port);
        return new HttpServer(app);
    }

    public int port() {
        return app.port();
    }

    public Javalin javalin() {
        return app;
    }

    @Override
    public void close() {
        app.stop();
    }
}
