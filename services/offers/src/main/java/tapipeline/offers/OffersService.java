package tapipeline.offers;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.javalin.http.staticfiles.Location;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import tapipeline.platform.config.Config;
import tapipeline.platform.config.Key;
import tapipeline.platform.config.PlatformConfig;
import tapipeline.platform.http.Health;
import tapipeline.platform.kafka.Events;
import tapipeline.platform.kafka.PartitionOwnership;
import tapipeline.platform.kafka.ReplayLoop;
import tapipeline.platform.kafka.Topics;
import tapipeline.platform.kafka.TransactionalPublisher;
import tapipeline.platform.kafka.access.KafkaAccess;
import tapipeline.platform.service.RunningService;
import tapipeline.platform.service.ServiceMain;
import tapipeline.platform.service.ServiceModule;
import tapipeline.platform.service.ServiceRuntime;
import tapipeline.platform.web.Secret;
import tapipeline.platform.web.Web;
import tapipeline.schemas.EventTypes;
import tapipeline.schemas.coordinator.Dataset;
import tapipeline.schemas.offers.Offer;

/**
 * The offers service, at {@code OFFERS_PORT} (8085): after an approval, an offer per TA whose assignment
 * changed (frozen courses, hours, duties, deadline), reached through a tokenized link without sign-in;
 * the TA's answer is an event ({@code offers.state}, {@code offers.answered}, {@code audit} in one
 * transaction); delivery by SMTP or, without it, the coordinator's outbox; reminders and expiry from a
 * schedule over the replayed state. Coordinators see every offer per course and per TA.
 *
 * <p>Every instance replays {@code offers.state} and {@code coordinator.datasets}; approvals are
 * consumed in the group {@value #APPROVALS_GROUP}; the schedule (sending, reminders, expiry) acts only
 * on the offers whose {@code offers.state} partition the instance holds in {@value #SCHEDULE_GROUP}.
 */
public final class OffersService implements ServiceModule {

    private static final Logger log = LoggerFactory.getLogger(OffersService.class);

    static final String APPROVALS_GROUP = "offers-approvals";
    static final String SCHEDULE_GROUP = "offers-schedule";
    /** The engine's transactional id, followed by {@code <INSTANCE_ID>}. */
    static final String TRANSACTIONAL_ID_PREFIX = "offers-engine-";

    public static final Key<Integer> PORT = Key.integer("OFFERS_PORT", 8085, 0, 65535,
            "HTTP port of the offers service (TAs' offer links, coordinators' offer pages and outbox, health, metrics).");
    public static final Key<String> TOKEN_SECRET = Key.string("OFFERS_TOKEN_SECRET", "",
            "Secret (at least 32 characters) that signs the offer links (HMAC-SHA256); the same on every instance. Empty: a key generated once and kept in DATA_DIR/offers/token-secret, with a WARN (one host only).");
    public static final Key<Integer> RESPONSE_HOURS = Key.integer("OFFERS_RESPONSE_HOURS", 168, 1, 24 * 365,
            "Hours a TA has to answer an offer; after the deadline it expires (counts as declined).");
    public static final Key<Long> RESPONSE_SECONDS = Key.longValue("OFFERS_RESPONSE_SECONDS", 0, 0, 365L * 24 * 3600,
            "When above 0, the time to answer in seconds instead of OFFERS_RESPONSE_HOURS (tests and drills).");
    public static final Key<Integer> REMINDER_HOURS = Key.integer("OFFERS_REMINDER_HOURS", 48, 1, 24 * 365,
            "A reminder goes to a TA who has not answered this many hours before the deadline (once).");
    public static final Key<Long> REMINDER_SECONDS = Key.longValue("OFFERS_REMINDER_SECONDS", 0, 0, 365L * 24 * 3600,
            "When above 0, the reminder time before the deadline in seconds instead of OFFERS_REMINDER_HOURS (tests and drills).");
    public static final Key<Integer> MAX_APPROVAL_AGE_HOURS = Key.integer("OFFERS_MAX_APPROVAL_AGE_HOURS", 336, 0,
            24 * 3650, "An approval older than this when the service first reads it is history (e.g. a past term's record, or every approval on a system the service joins late): no offers are made for it. 0: no limit.");
    public static final Key<Integer> CHECK_SECONDS = Key.integer("OFFERS_CHECK_SECONDS", 30, 1, 3600,
            "How often the schedule looks for offers to send, remind or expire.");
    public static final Key<String> SMTP_HOST = Key.string("OFFERS_SMTP_HOST", "",
            "SMTP server for the offers' e-mail. Empty: nothing is e-mailed; offers wait in the coordinators' outbox (/offers/outbox).");
    public static final Key<Integer> SMTP_PORT = Key.integer("OFFERS_SMTP_PORT", 587, 1, 65535,
            "Port of the SMTP server.");
    public static final Key<String> SMTP_USERNAME = Key.string("OFFERS_SMTP_USERNAME", "",
            "User name for SMTP authentication; empty: no authentication.");
    public static final Key<String> SMTP_PASSWORD = Key.string("OFFERS_SMTP_PASSWORD", "",
            "Password for SMTP authentication (a secret: never logged).");
    public static final Key<Boolean> SMTP_STARTTLS = Key.bool("OFFERS_SMTP_STARTTLS", true,
            "Require STARTTLS on the SMTP connection.");
    public static final Key<String> MAIL_FROM = Key.string("OFFERS_MAIL_FROM", "ta-offers@localhost",
            "Sender address of the offers' e-mail.");
    public static final Key<String> COORDINATOR_URL = Key.httpUrl("OFFERS_COORDINATOR_URL", "http://localhost:8080",
            "Base URL of the coordinator's pages: the staff navigation links back there. Empty: no link.");
    public static final Key<String> PUBLIC_URL = Key.string("OFFERS_PUBLIC_URL", "",
            "Base URL of the offer links in e-mail (e.g. https://offers.example.edu). Empty: the service's own URL.");

    @Override
    public String name() {
        return "offers";
    }

    /**
     * Its own state and the datasets replayed (and accounts, for sign-in); approvals consumed; offer
     * states, answers and audit written in one transaction per change.
     */
    @Override
    public KafkaAccess kafkaAccess() {
        return KafkaAccess.builder(name(), "offers service: offers to TAs, answers, reminders, expiry")
                .replays(Topics.OFFERS_STATE, Topics.DATASETS, Topics.ACCOUNTS)  // ReplayLoops offers-state, accounts
                .consumes(Topics.APPROVED)                                        // ConsumerLoop offers-approvals
                .group(APPROVALS_GROUP)
                .consumes(Topics.OFFERS_STATE)                                    // PartitionOwnership offers-schedule
                .group(SCHEDULE_GROUP)
                .writes(Topics.OFFERS_STATE, Topics.OFFERS_ANSWERED, Topics.AUDIT)
                .transactionalIdPrefix(TRANSACTIONAL_ID_PREFIX)                  // offers-engine-<INSTANCE_ID>
                .build();
    }

    @Override
    public List<Key<?>> configKeys() {
        return List.of(PORT, TOKEN_SECRET, RESPONSE_HOURS, RESPONSE_SECONDS, REMINDER_HOURS, REMINDER_SECONDS,
                MAX_APPROVAL_AGE_HOURS, CHECK_SECONDS, SMTP_HOST, SMTP_PORT, SMTP_USERNAME, SMTP_PASSWORD, SMTP_STARTTLS,
                MAIL_FROM, COORDINATOR_URL, PUBLIC_URL);
    }

    @Override
    public int startOrder() {
        return 150; // after the coordinator, whose approvals and datasets it reads
    }

    @Override
    public RunningService start(Config config) {
        ServiceRuntime runtime = new ServiceRuntime(name(), config);
        try {
            build(runtime);
            return runtime;
        } catch (RuntimeException e) {
            runtime.close();
            throw e;
        }
    }

    private static Duration seconds(Config c, Key<Long> seconds, Key<Integer> hours) {
        long s = c.get(seconds);
        return s > 0 ? Duration.ofSeconds(s) : Duration.ofHours(c.get(hours));
    }

    private static void build(ServiceRuntime runtime) {
        Config c = runtime.config();
        Secret secret = Secret.persistent(TOKEN_SECRET.name(), c.get(TOKEN_SECRET),
                c.get(PlatformConfig.DATA_DIR).resolve("offers").resolve("token-secret"));
        OfferBook book = new OfferBook();
        Mailer mailer = Mailer.fromConfig(c);
        String configuredUrl = c.get(PUBLIC_URL).trim();
        java.util.concurrent.atomic.AtomicBoolean stopping = new java.util.concurrent.atomic.AtomicBoolean();
        TransactionalPublisher publisher = new TransactionalPublisher("offers engine",
                () -> runtime.clients().transactionalProducer("offers-engine-" + runtime.instanceId(),
                        TRANSACTIONAL_ID_PREFIX + runtime.instanceId()),
                runtime.fatalErrorHook(), stopping::get);
        OfferEngine engine = new OfferEngine(book, new OfferTokens(secret), mailer,
                () -> configuredUrl.isEmpty() ? runtime.httpBaseUrl() : configuredUrl,
                seconds(c, RESPONSE_SECONDS, RESPONSE_HOURS), seconds(c, REMINDER_SECONDS, REMINDER_HOURS),
                Duration.ofHours(c.get(MAX_APPROVAL_AGE_HOURS)), Clock.systemUTC(), publisher);
        runtime.own(engine);
        runtime.own(() -> stopping.set(true)); // closed before the engine: a commit timeout is then not retried
        if (mailer == null) {
            log.info("OFFERS_SMTP_HOST is not set: offers wait in the outbox (/offers/outbox) to be sent by hand");
        }
        java.util.concurrent.atomic.AtomicBoolean replayed = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicBoolean webUp = new java.util.concurrent.atomic.AtomicBoolean();
        engine.ready(() -> replayed.get() && webUp.get()); // links need the state and the service's own URL
        ReplayLoop<?> state = runtime.startReplayLoop("state", Events.anyDecoder(), (e, r) -> {
            if (e.payload() instanceof Offer o) {
                book.put(o);
            } else if (e.payload() instanceof Dataset d) {
                book.put(d);
            }
        }, () -> {
            replayed.set(true);
            engine.tickNow();
        }, Topics.OFFERS_STATE.name(), Topics.DATASETS.name());
        PartitionOwnership ownership = new PartitionOwnership(runtime.clients(), SCHEDULE_GROUP,
                "offers-schedule-" + runtime.instanceId(), Topics.OFFERS_STATE.name(), new PartitionOwnership.Listener() {
                    @Override
                    public void assigned(java.util.Set<Integer> partitions) {
                        engine.tickNow();
                    }

                    @Override
                    public void revoking(java.util.Set<Integer> partitions) {
                        // owns() already says no for these offers; a pass in hand finishes its current offer
                    }
                }, runtime.fatalErrorHook());
        runtime.own(ownership);
        ownership.start();
        engine.owns(ownership::owns);
        runtime.health().register("offers", () -> engine.lastSendFailure().isEmpty()
                ? Health.Check.up(book.all().size() + " offer(s); " + (engine.smtp() ? "e-mail by SMTP" : "outbox (no SMTP)"))
                : Health.Check.down(engine.lastSendFailure()));
        OfferPages pages = new OfferPages(book, engine, new OfferTokens(secret), c.get(COORDINATOR_URL));
        runtime.startWeb(c.get(PORT), "TA offers", pages::declare, cfg -> {
            cfg.staticFiles.add(sf -> {
                sf.hostedPath = "/static/offers";
                sf.directory = "/tapipeline/offers/static";
                sf.location = Location.CLASSPATH;
                sf.headers = Map.of("Cache-Control", "public, max-age=3600");
            });
            cfg.routes.exception(IllegalArgumentException.class,
                    (e, ctx) -> Web.error(ctx, 400, "bad_request", e.getMessage()));
        });
        webUp.set(true);
        engine.tickNow();
        runtime.startConsumerLoop("approvals", APPROVALS_GROUP, Map.of(), Events.decoder(EventTypes.ASSIGNMENT_APPROVED),
                (e, r) -> {
                    // decisions need the whole replayed state (this service's offers, the term's dataset)
                    if (!state.awaitCaughtUp(Duration.ofMinutes(3))) {
                        throw new IllegalStateException("offers.state and coordinator.datasets are not replayed yet");
                    }
                    engine.approved(e.payload());
                }, Topics.APPROVED.name());
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "offers-check");
            t.setDaemon(true);
            return t;
        });
        runtime.own(timer::shutdownNow);
        int every = c.get(CHECK_SECONDS);
        timer.scheduleWithFixedDelay(engine::tickNow, every, every, TimeUnit.SECONDS);
    }

    /** Runs the offers service alone. */
    public static void main(String[] args) {
        ServiceMain.run(new OffersService());
    }
}
