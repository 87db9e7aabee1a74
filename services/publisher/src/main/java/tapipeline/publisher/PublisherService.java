package tapipeline.publisher;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import tapipeline.platform.config.Config;
import tapipeline.platform.config.Key;
import tapipeline.platform.config.PlatformConfig;
import tapipeline.platform.http.Health;
import tapipeline.platform.kafka.Events;
import tapipeline.platform.kafka.ReplayLoop;
import tapipeline.platform.kafka.Topics;
import tapipeline.platform.kafka.TransactionalLoop;
import tapipeline.platform.kafka.TransactionalPublisher;
import tapipeline.platform.kafka.access.KafkaAccess;
import tapipeline.platform.service.RunningService;
import tapipeline.platform.service.ServiceModule;
import tapipeline.platform.service.ServiceRuntime;
import tapipeline.platform.web.Web;
import tapipeline.publisher.artifacts.ArtifactFollower;
import tapipeline.publisher.artifacts.ArtifactSource;
import tapipeline.publisher.artifacts.ArtifactStore;
import tapipeline.publisher.artifacts.Verification;
import tapipeline.publisher.links.LinkCommands;
import tapipeline.publisher.links.LinkFlipper;
import tapipeline.publisher.links.RegistryFence;
import tapipeline.publisher.site.DownloadFront;
import tapipeline.publisher.site.Downloads;
import tapipeline.publisher.site.FastDownloads;
import tapipeline.publisher.site.SiteRoutes;
import tapipeline.schemas.Envelope;
import tapipeline.schemas.assignment.AssignmentApproved;
import tapipeline.schemas.handbook.HandbookContent;
import tapipeline.schemas.handbook.HandbookRendered;
import tapipeline.schemas.site.SiteLink;

/**
 * The publisher: keeps the helpful links ({@code site.links}) pointing at the newest verified
 * artifacts and serves students the public site (program page, handbook downloads, TA assignments).
 *
 * <p>Every instance replays content, rendered editions, approvals and the links registry from the
 * log ({@link ReplayLoop}), so any instance serves the same site; one transactional loop per group
 * ({@link LinkFlipper}) turns inputs into link changes, each with its audit entry, in one transaction
 * with the input's offset. Artifact bytes are kept on local disk, content-addressed, as a cache of
 * {@code handbook.artifacts}: an empty disk is filled again from the topic.
 */
public final class PublisherService implements ServiceModule {

    private static final Logger log = LoggerFactory.getLogger(PublisherService.class);

    /** The transactional loop's consumer group; its transactional ids are {@code <group>-<INSTANCE_ID>}. */
    static final String LINKS_GROUP = "publisher-links";
    /** The link API's transactional publisher, followed by {@code -<INSTANCE_ID>}. */
    static final String COMMANDS_TRANSACTIONAL_ID = "publisher-commands";

    public static final Key<Integer> PORT = Key.integer("SITE_PORT", 8081, 0, 65535,
            "HTTP port of the publisher's public site (program page, handbook downloads, TA assignments).");
    public static final Key<String> ARTIFACT_DIR = Key.string("PUBLISHER_ARTIFACT_DIR", "",
            "Directory of the publisher's verified handbook files (a cache of handbook.artifacts); empty: DATA_DIR/publisher/artifacts.");
    public static final Key<String> PROGRAM = Key.string("SITE_PROGRAM", "",
            "Program id the public site shows; empty: the only program in handbook.content (the first by id if several).");
    public static final Key<String> API_TOKEN = Key.string("PUBLISHER_API_TOKEN", "",
            "Bearer token of the publisher's link API (rollback, external link edits) for the coordinator service; empty: the API is off.");

    @Override
    public String name() {
        return "publisher";
    }

    /**
     * Its inputs replayed with the links registry and consumed again by the transactional loop (one
     * input per transaction); accounts replayed (coordinators sign in to roll a link back); artifacts
     * read by key and followed (no group); links and their audit
     * entries written only in transactions (the loop's and the link API's).
     */
    @Override
    public KafkaAccess kafkaAccess() {
        return KafkaAccess.builder(name(), "publisher service: the public site and its links")
                .replays(Topics.HANDBOOK_CONTENT, Topics.HANDBOOK_RENDERED, Topics.APPROVED, Topics.SITE_LINKS) // publisher-state
                .consumes(Topics.HANDBOOK_CONTENT, Topics.HANDBOOK_RENDERED, Topics.APPROVED) // TransactionalLoop publisher-links
                .reads(Topics.HANDBOOK_ARTIFACTS)                        // ArtifactFollower, ArtifactSource (assigned)
                .replays(Topics.ACCOUNTS)                                // sign-in for the coordinators' link rollback
                .writes(Topics.SITE_LINKS, Topics.AUDIT)
                .group(LINKS_GROUP)                                      // the replay's group id is only a label
                .transactionalIdPrefix(LINKS_GROUP + "-")
                .transactionalIdPrefix(COMMANDS_TRANSACTIONAL_ID + "-")
                .build();
    }

    @Override
    public List<Key<?>> configKeys() {
        return List.of(PORT, ARTIFACT_DIR, PROGRAM, API_TOKEN);
    }

    /** Before the other services, so the launcher prints the public site first. */
    @Override
    public int startOrder() {
        return 10;
    }

    @Override
    public RunningService start(Config config) {
        ServiceRuntime runtime = new ServiceRuntime(name(), config);
        try {
            new Publisher(runtime).start();
            return runtime;
        } catch (RuntimeException e) {
            runtime.close();
            throw e;
        }
    }

    /** Runs the publisher alone. */
    public static void main(String[] args) {
        tapipeline.platform.service.ServiceMain.run(new PublisherService());
    }

    /** The directory of the artifact store. */
    static Path artifactDir(Config c) {
        String dir = c.get(ARTIFACT_DIR);
        return dir.isBlank() ? c.get(PlatformConfig.DATA_DIR).resolve("publisher").resolve("artifacts") : Path.of(dir);
    }

    /** One instance's state, loops and routes. */
    static final class Publisher implements AutoCloseable, LinkFlipper.Listener {
        private final ServiceRuntime runtime;
        private final SiteState state;
        private final ArtifactStore store;
        private final ArtifactSource source;
        private final RegistryFence flipFence;
        private final RegistryFence commandFence;
        private final TransactionalPublisher commandPublisher;
        private final LinkCommands commands;
        private final ExecutorService checker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "publisher-edition-check");
            t.setDaemon(true);
            return t;
        });
        private final Map<String, Counter> counters = new ConcurrentHashMap<>();
        private volatile boolean caughtUp;
        private volatile Web web;
        private final io.micrometer.core.instrument.Timer verifyTimer;
        /** The last refused edition of the site's program, until a later one is published; "" when none. */
        private volatile String lastRefusal = "";

        Publisher(ServiceRuntime runtime) {
            this.runtime = runtime;
            Config c = runtime.config();
            this.state = new SiteState(c.get(PROGRAM));
            this.store = new ArtifactStore(artifactDir(c));
            this.source = new ArtifactSource(runtime.clients());
            this.flipFence = new RegistryFence(runtime.clients(), state);
            this.commandFence = new RegistryFence(runtime.clients(), state);
            this.commandPublisher = new TransactionalPublisher("publisher link commands",
                    () -> runtime.clients().transactionalProducer(COMMANDS_TRANSACTIONAL_ID,
                            COMMANDS_TRANSACTIONAL_ID + "-" + runtime.instanceId()),
                    runtime.fatalErrorHook(), checker::isShutdown);
            this.commands = new LinkCommands(state, commandFence, commandPublisher, Clock.systemUTC());
            this.verifyTimer = io.micrometer.core.instrument.Timer.builder("tapipeline.publisher.verify")
                    .description("time to read (when not on disk) and check an edition's bytes before its link moves")
                    .register(runtime.meters());
        }

        void start() {
            runtime.own(this);
            runtime.health().register("editions", () -> lastRefusal.isEmpty()
                    ? Health.Check.up(state.siteProgram().map(p -> state.editions(p).size() + " edition(s) of " + p)
                    .orElse("no program content yet"))
                    : Health.Check.degraded(lastRefusal));
            runtime.own(new ArtifactFollower(runtime.clients(), store)).start();
            runtime.startReplayLoop("state", Events.anyDecoder(), this::onEvent, this::onCaughtUp,
                    Topics.HANDBOOK_CONTENT.name(), Topics.HANDBOOK_RENDERED.name(), Topics.APPROVED.name(),
                    Topics.SITE_LINKS.name());
            // one input per transaction: the registry read before an input then includes the link
            // changes of the input before it (a transaction's own writes are invisible to read_committed
            // readers until it commits). Inputs are rare (renders and approvals), so this costs nothing.
            TransactionalLoop<Envelope<?>> flips = TransactionalLoop.builder(LINKS_GROUP, runtime.clients(),
                            Events.anyDecoder())
                    .groupId(LINKS_GROUP).instanceId(runtime.instanceId())
                    .consumerOverrides(Map.of(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1))
                    .topics(Topics.HANDBOOK_CONTENT.name(), Topics.HANDBOOK_RENDERED.name(), Topics.APPROVED.name())
                    .processor(new LinkFlipper(state, store, source, flipFence, Clock.systemUTC(), this))
                    .errorPolicy(runtime.errorPolicy()).meters(runtime.meters()).onFatal(runtime.fatalErrorHook())
                    .build();
            runtime.health().register(flips);
            runtime.own(flips).start();
            Downloads downloads = runtime.own(new Downloads(state, store, source));
            String token = runtime.config().get(API_TOKEN);
            // SITE_PORT is the download front's (Netty: plain downloads with sendfile, every other
            // connection passed on to Jetty on loopback, see DownloadFront); Jetty serves the rest
            web = runtime.startWeb(runtime.config().get(PORT), "Graduate program",
                    site -> SiteRoutes.declare(site, state, downloads, commands), cfg -> {
                        SiteRoutes.installApi(cfg, commands, token);
                        // downloads that reach Jetty (on connections passed on by the front) are answered first
                        // in its handler chain, before Javalin's StatisticsHandler and the servlet context
                        cfg.jetty.modifyServer(server -> server.insertHandler(new FastDownloads(downloads)));
                    }, (host, port, webPort) -> DownloadFront.start(downloads, host, port, webPort));
            state.siteProgram().flatMap(state::content).ifPresent(c -> web.site().name(c.name()));
            runtime.addFrontUrl("public site", "/");
        }

        @SuppressWarnings("unchecked")
        private void onEvent(Envelope<?> event, ConsumerRecord<String, byte[]> record) {
            Object payload = event.payload();
            if (payload instanceof HandbookContent c) {
                state.onContent((Envelope<HandbookContent>) event);
                Web w = web;
                if (w != null && state.siteProgram().filter(c.programId()::equals).isPresent()) {
                    w.site().name(c.name()); // the header shows the program's name
                }
            } else if (payload instanceof HandbookRendered r) {
                SiteState.Edition e = state.onRendered(r, event.eventId(), event.occurredAt(), record.timestamp());
                if (caughtUp && e.status() == SiteState.Status.PENDING) {
                    checker.execute(() -> check(e));
                }
            } else if (payload instanceof AssignmentApproved a) {
                state.onApproved(a);
            } else if (payload instanceof SiteLink link) {
                state.onLink(link, record.partition(), record.offset());
            }
        }

        /** Once the state is complete: check every edition not checked yet (fetching missing files). */
        private void onCaughtUp() {
            caughtUp = true;
            for (String program : state.siteProgram().stream().toList()) {
                for (SiteState.Edition e : state.editions(program)) {
                    if (e.status() == SiteState.Status.PENDING) {
                        checker.execute(() -> check(e));
                    }
                }
            }
            log.info("publisher state replayed: {} link(s), {} term(s), artifacts in {}", state.links().size(),
                    state.terms().size(), store.dir());
        }

        /**
         * Verifies an edition on this instance (the file from disk, or fetched from the topic and
         * stored): the same pure check the flipper made, so this instance serves exactly the editions
         * that were published.
         */
        private void check(SiteState.Edition e) {
            try {
                HandbookRendered r = e.rendered();
                Verification v = Verification.ofEvent(r);
                if (v.ok()) {
                    Optional<byte[]> local = store.get(r.sha256());
                    if (local.isPresent()) {
                        v = Verification.of(r, new tapipeline.schemas.handbook.HandbookArtifact(r.sha256(),
                                tapipeline.schemas.handbook.HandbookArtifact.PDF, local.get().length, local.get()));
                    } else {
                        ArtifactSource.Fetched f = source.fetch(r.sha256(), e.recordTimestamp());
                        if (f instanceof ArtifactSource.Fetched.Found found) {
                            v = Verification.of(r, found.artifact());
                            if (v.ok()) {
                                store.put(r.sha256(), found.artifact().bytes());
                            }
                        } else if (f instanceof ArtifactSource.Fetched.Corrupt c) {
                            v = Verification.failed("artifact is corrupt: " + c.reason());
                        } else {
                            v = Verification.failed("artifact is missing from handbook.artifacts");
                        }
                    }
                }
                state.verdict(r.programId(), r.sha256(), v);
            } catch (RuntimeException ex) {
                log.warn("checking edition {} failed; it stays unserved here until the next start", e.sha256(), ex);
            }
        }

        @Override
        public void edition(HandbookRendered rendered, LinkFlipper.Outcome outcome, String reason) {
            count("tapipeline.publisher.editions", "outcome", outcome.name().toLowerCase());
            if (outcome == LinkFlipper.Outcome.REFUSED) {
                lastRefusal = "edition " + rendered.sha256().substring(0, 12) + " of " + rendered.programId()
                        + " was refused (" + reason + "); the handbook link stays on the previous edition";
            } else if (outcome == LinkFlipper.Outcome.PUBLISHED) {
                lastRefusal = "";
            }
        }

        @Override
        public void verified(long nanos) {
            verifyTimer.record(nanos, TimeUnit.NANOSECONDS);
        }

        @Override
        public void flipped(SiteLink link) {
            count("tapipeline.publisher.link.flips", "link", link.linkId());
        }

        private void count(String name, String tag, String value) {
            counters.computeIfAbsent(name + "/" + value, k -> Counter.builder(name).tag(tag, value)
                    .register(runtime.meters())).increment();
        }

        @Override
        public void close() {
            checker.shutdownNow();
            try {
                checker.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            commandPublisher.close();
            flipFence.close();
            commandFence.close();
        }
    }

    /** Constant-time comparison of a presented token with the configured one (never equal when unset). */
    public static boolean tokenMatches(String configured, String presented) {
        if (configured == null || configured.isEmpty() || presented == null) {
            return false;
        }
        return MessageDigest.isEqual(configured.getBytes(StandardCharsets.UTF_8),
                presented.getBytes(StandardCharsets.UTF_8));
    }
}
