package tapipeline.platform.service;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

import io.javalin.config.JavalinConfig;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import tapipeline.platform.config.Config;
import tapipeline.platform.config.PlatformConfig;
import tapipeline.platform.http.Health;
import tapipeline.platform.http.HttpServer;
import tapipeline.platform.kafka.ConsumerLoop;
import tapipeline.platform.kafka.ErrorPolicy;
import tapipeline.platform.kafka.FatalErrorHook;
import tapipeline.platform.kafka.KafkaClients;
import tapipeline.platform.kafka.RecordDecoder;
import tapipeline.platform.kafka.ReplayLoop;
import tapipeline.platform.kafka.TransactionalLoop;
import tapipeline.platform.kafka.WorkerLoop;

/**
 * The shared wiring of one service instance: its configuration, Kafka clients, metrics registry,
 * health checks, consumer loops and HTTP server, closed together in reverse order of creation, and
 * the shared producer closed after all of them (whenever it was created), so work that loops hand
 * back at shutdown can still send and have its last records acknowledged. Services build their
 * components on it instead of configuring Kafka themselves.
 */
public final class ServiceRuntime implements RunningService {

    private static final Logger log = LoggerFactory.getLogger(ServiceRuntime.class);

    private final String name;
    private final Config config;
    private final KafkaClients clients;
    private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Health health = new Health();
    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private final Map<String, String> urls = new LinkedHashMap<>();
    private final Map<String, String> frontUrls = new LinkedHashMap<>();
    private KafkaProducer<String, byte[]> producer;
    private boolean closed;
    private String httpBase;
    private FatalErrorHook fatalErrorHook = ProcessExit.current();

    public ServiceRuntime(String name, Config config) {
        this.name = name;
        this.config = config;
        this.clients = KafkaClients.from(config);
        meters.config().commonTags("service", name);
        new JvmMemoryMetrics().bindTo(meters);
        new JvmThreadMetrics().bindTo(meters);
        new ProcessorMetrics().bindTo(meters);
    }

    @Override
    public String name() {
        return name;
    }

    public Config config() {
        return config;
    }

    public KafkaClients clients() {
        return clients;
    }

    public PrometheusMeterRegistry meters() {
        return meters;
    }

    public Health health() {
        return health;
    }

    /** The retry policy from CONSUMER_MAX_ATTEMPTS and CONSUMER_RETRY_BACKOFF_MS. */
    public ErrorPolicy errorPolicy() {
        return new ErrorPolicy(config.get(PlatformConfig.CONSUMER_MAX_ATTEMPTS),
                Duration.ofMillis(config.get(PlatformConfig.CONSUMER_RETRY_BACKOFF_MS)), Duration.ofSeconds(5));
    }

    /**
     * What this service's components call when they cannot go on: by default {@link ProcessExit}
     * (the process exits non-zero once a main has installed it), each call naming this service.
     */
    public FatalErrorHook fatalErrorHook() {
        FatalErrorHook hook = fatalErrorHook;
        return (component, error) -> hook.fatal("service " + name + ", " + component, error);
    }

    /** Replaces the fatal-error hook (tests); set it before starting loops. */
    public ServiceRuntime onFatal(FatalErrorHook hook) {
        this.fatalErrorHook = java.util.Objects.requireNonNull(hook);
        return this;
    }

    /** This instance's id, from INSTANCE_ID. */
    public String instanceId() {
        return config.get(PlatformConfig.INSTANCE_ID);
    }

    /** How long closing waits for the shared producer's unsent records. */
    private static final Duration PRODUCER_CLOSE_TIMEOUT = Duration.ofSeconds(5);

    /**
     * One idempotent producer shared by this service's components (thread-safe). It is closed last, after
     * every loop and resource, so it is open while loops stop.
     */
    public synchronized KafkaProducer<String, byte[]> producer() {
        if (closed) {
            throw new IllegalStateException(name + " is closed: no producer");
        }
        if (producer == null) {
            producer = clients.producer(name + "-" + instanceId());
        }
        return producer;
    }

    /** Builds, registers for health and closing, and starts an at-least-once loop. */
    public <V> ConsumerLoop<V> startConsumerLoop(String loopName, RecordDecoder<V> decoder,
                                                 ConsumerLoop.Handler<V> handler, String... topics) {
        return startConsumerLoop(loopName, name + "-" + loopName, Map.of(), decoder, handler, topics);
    }

    /**
     * Like {@link #startConsumerLoop(String, RecordDecoder, ConsumerLoop.Handler, String...)} with an
     * explicit consumer group (several loops may share one to split partitions) and consumer overrides.
     */
    public <V> ConsumerLoop<V> startConsumerLoop(String loopName, String groupId, Map<String, Object> consumerOverrides,
                                                 RecordDecoder<V> decoder, ConsumerLoop.Handler<V> handler,
                                                 String... topics) {
        ConsumerLoop<V> loop = ConsumerLoop.builder(name + "-" + loopName, clients, decoder)
                .groupId(groupId).topics(topics).handler(handler).consumerOverrides(consumerOverrides)
                .errorPolicy(errorPolicy()).meters(meters).beforeCommit(this::flushProducer)
                .onFatal(fatalErrorHook()).build();
        health.register(loop);
        resources.push(loop);
        return loop.start();
    }

    /**
     * Builds, registers for health and closing, and starts a loop that works on records off the poll thread,
     * up to {@code capacity} at once (see {@link WorkerLoop}); offsets are committed after the shared
     * producer is flushed.
     */
    public <V> WorkerLoop<V> startWorkerLoop(String loopName, String groupId, int capacity,
                                             Map<String, Object> consumerOverrides, RecordDecoder<V> decoder,
                                             WorkerLoop.Work<V> work, String... topics) {
        WorkerLoop<V> loop = WorkerLoop.builder(name + "-" + loopName, clients, decoder)
                .groupId(groupId).topics(topics).work(work).capacity(capacity).consumerOverrides(consumerOverrides)
                .errorPolicy(errorPolicy()).meters(meters).beforeCommit(this::flushProducer)
                .onFatal(fatalErrorHook()).build();
        health.register(loop);
        resources.push(loop);
        return loop.start();
    }

    /** Outputs a handler sent through {@link #producer()} are acknowledged before its input is committed. */
    private void flushProducer() {
        KafkaProducer<String, byte[]> p;
        synchronized (this) {
            p = producer;
        }
        if (p != null) {
            p.flush();
        }
    }

    /** Builds, registers for health and closing, and starts an exactly-once loop. */
    public <V> TransactionalLoop<V> startTransactionalLoop(String loopName, RecordDecoder<V> decoder,
                                                           TransactionalLoop.Processor<V> processor,
                                                           String... topics) {
        TransactionalLoop<V> loop = TransactionalLoop.builder(name + "-" + loopName, clients, decoder)
                .groupId(name + "-" + loopName).instanceId(instanceId()).topics(topics).processor(processor)
                .errorPolicy(errorPolicy()).meters(meters).onFatal(fatalErrorHook()).build();
        health.register(loop);
        resources.push(loop);
        return loop.start();
    }

    /** Builds, registers for health (ready once caught up) and closing, and starts a state replay loop. */
    public <V> ReplayLoop<V> startReplayLoop(String loopName, RecordDecoder<V> decoder, ConsumerLoop.Handler<V> handler,
                                             Runnable onCaughtUp, String... topics) {
        ReplayLoop<V> loop = ReplayLoop.builder(name + "-" + loopName, clients, decoder).topics(topics)
                .handler(handler).onCaughtUp(onCaughtUp).errorPolicy(errorPolicy()).meters(meters)
                .onFatal(fatalErrorHook()).build();
        health.register(loop);
        resources.push(loop);
        return loop.start();
    }

    /** Starts the HTTP server with /health and /metrics plus the given routes. */
    public HttpServer startHttp(int port, Consumer<JavalinConfig> routes) {
        String host = config.get(PlatformConfig.HTTP_HOST);
        HttpServer server = HttpServer.start(host, port, health, meters, routes);
        resources.push(server);
        httpBase = "http://" + ("0.0.0.0".equals(host) ? "localhost" : host) + ":" + server.port();
        urls.put(name + " health", httpBase + "/health");
        return server;
    }

    /**
     * Starts the HTTP server (with /health and /metrics) serving a web site: the service declares its
     * name, navigation and routes (each with its access) on the {@link tapipeline.platform.web.Site};
     * the platform adds sign-in (when any route needs it, with the shared account store), sessions,
     * CSRF checks, security headers, static assets and error pages (see {@link tapipeline.platform.web.Web}).
     *
     * @param extra further Javalin settings (rarely needed; routes belong on the site)
     */
    public tapipeline.platform.web.Web startWeb(int port, String siteName, Consumer<tapipeline.platform.web.Site> declare,
                                                Consumer<JavalinConfig> extra) {
        tapipeline.platform.web.Site site = new tapipeline.platform.web.Site(siteName);
        declare.accept(site);
        tapipeline.platform.web.Web.Builder builder = tapipeline.platform.web.Web.builder(site).fromConfig(config);
        if (site.needsSignIn()) {
            builder.accounts(accounts());
        }
        tapipeline.platform.web.Web web = builder.build();
        startHttp(port, cfg -> {
            web.install(cfg);
            extra.accept(cfg);
        });
        // the site's own address is listed first, before its health, and among the URLs people open
        Map<String, String> before = new LinkedHashMap<>(urls);
        urls.clear();
        urls.put(name + " site", httpBase + site.home());
        urls.putAll(before);
        frontUrls.put(name + " site", httpBase + site.home());
        return web;
    }

    /**
     * A server that owns a site's public port in front of the service's web server (the publisher's
     * download front): it answers what it can itself and passes every other connection on to the web
     * server, with the client's address in a PROXY protocol header.
     */
    public interface Front extends AutoCloseable {
        /** The public port it listens on. */
        int port();

        @Override
        void close();
    }

    /** Starts a {@link Front} on the public host and port, passing connections to the web server's port on loopback. */
    @FunctionalInterface
    public interface FrontStarter {
        Front start(String host, int port, int webPort) throws Exception;
    }

    /**
     * Like {@link #startWeb(int, String, Consumer, Consumer)}, with a {@link Front} on the public port:
     * the web server listens on a free loopback port and reads the client's address from the PROXY
     * protocol header the front sends (Jetty's ProxyConnectionFactory), so pages, sessions and the
     * sign-in throttle see the real client; the URLs listed are the front's.
     */
    public tapipeline.platform.web.Web startWeb(int port, String siteName, Consumer<tapipeline.platform.web.Site> declare,
                                                Consumer<JavalinConfig> extra, FrontStarter front) {
        String host = config.get(PlatformConfig.HTTP_HOST);
        tapipeline.platform.web.Web web = startWeb(0, siteName, declare, cfg -> {
            cfg.jetty.addConnector((server, http) -> {
                org.eclipse.jetty.server.ServerConnector c = new org.eclipse.jetty.server.ServerConnector(server,
                        new org.eclipse.jetty.server.ProxyConnectionFactory(org.eclipse.jetty.http.HttpVersion.HTTP_1_1.asString()),
                        new org.eclipse.jetty.server.HttpConnectionFactory(http));
                c.setHost("127.0.0.1");
                c.setPort(0);
                return c;
            });
            extra.accept(cfg);
        });
        String internal = httpBase;
        Front f;
        try {
            f = front.start(host, port, URI.create(internal).getPort());
        } catch (Exception e) {
            throw new IllegalStateException(name + ": cannot start the front on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        resources.push(f);
        httpBase = "http://" + ("0.0.0.0".equals(host) ? "localhost" : host) + ":" + f.port();
        // every URL listed so far named the web server's own port: list the front's instead
        urls.replaceAll((k, v) -> v.startsWith(internal) ? httpBase + v.substring(internal.length()) : v);
        frontUrls.replaceAll((k, v) -> v.startsWith(internal) ? httpBase + v.substring(internal.length()) : v);
        return web;
    }

    /** {@link #startWeb(int, String, Consumer, Consumer)} without extra Javalin settings. */
    public tapipeline.platform.web.Web startWeb(int port, String siteName, Consumer<tapipeline.platform.web.Site> declare) {
        return startWeb(port, siteName, declare, cfg -> { });
    }

    private tapipeline.platform.web.AccountStore accountStore;

    /**
     * The accounts of {@code coordinator.accounts}, replayed once per service (the first call starts
     * the replay loop; health is not ready until it has caught up).
     */
    public synchronized tapipeline.platform.web.AccountStore accounts() {
        if (accountStore == null) {
            accountStore = tapipeline.platform.web.AccountStore.start(this);
        }
        return accountStore;
    }

    /** {@code http://host:port} of this service's HTTP server, once started. */
    public String httpBaseUrl() {
        if (httpBase == null) {
            throw new IllegalStateException(name + ": the HTTP server is not started");
        }
        return httpBase;
    }

    /** Lists a path of this service's HTTP server (started by {@link #startHttp}) among its URLs. */
    public void addHttpUrl(String label, String path) {
        if (httpBase == null) {
            throw new IllegalStateException(name + ": start the HTTP server before listing its URLs");
        }
        urls.put(label, httpBase + path);
    }

    /** Like {@link #addHttpUrl}, for a URL people open (the launcher prints these first). */
    public void addFrontUrl(String label, String path) {
        String url = httpBase + path;
        // a better name for a URL already listed (e.g. the site's) replaces the old one
        urls.values().removeIf(url::equals);
        frontUrls.values().removeIf(url::equals);
        addHttpUrl(label, path);
        frontUrls.put(label, url);
    }

    @Override
    public Map<String, String> frontUrls() {
        return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(frontUrls));
    }

    /** Registers something to close with the service. */
    public <T extends AutoCloseable> T own(T resource) {
        resources.push(resource);
        return resource;
    }

    @Override
    public Map<String, String> urls() {
        return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(urls));
    }

    /**
     * Closes everything in reverse order of creation (the HTTP server, then loops, which stop taking
     * records and hand back work in flight), then the shared producer, so the last records sent while
     * stopping are acknowledged.
     */
    @Override
    public void close() {
        while (!resources.isEmpty()) {
            AutoCloseable r = resources.pop();
            try {
                r.close();
            } catch (Exception e) {
                log.warn("{}: error while closing {}: {}", name, r, e.toString());
            }
        }
        KafkaProducer<String, byte[]> p;
        synchronized (this) {
            p = producer;
            producer = null;
            closed = true;
        }
        if (p != null) {
            try {
                p.close(PRODUCER_CLOSE_TIMEOUT);
            } catch (RuntimeException e) {
                log.warn("{}: error while closing the producer: {}", name, e.toString());
            }
        }
        meters.close();
    }
}
