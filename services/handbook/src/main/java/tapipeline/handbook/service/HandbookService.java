package tapipeline.handbook.service;

import tapipeline.platform.kafka.access.KafkaAccess;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import tapipeline.handbook.HandbookRenderer;
import tapipeline.handbook.InvalidHandbookException;
import tapipeline.handbook.RenderOptions;
import tapipeline.handbook.RenderResult;
import tapipeline.handbook.SchemaMapping;
import tapipeline.handbook.model.ContentCheck;
import tapipeline.handbook.validate.PdfValidator;
import tapipeline.platform.config.Config;
import tapipeline.platform.config.Key;
import tapipeline.platform.http.Health;
import tapipeline.platform.kafka.Events;
import tapipeline.platform.kafka.PartitionOwnership;
import tapipeline.platform.kafka.PoisonRecordException;
import tapipeline.platform.kafka.ReplayLoop;
import tapipeline.platform.kafka.Topics;
import tapipeline.platform.kafka.TransactionalPublisher;
import tapipeline.platform.service.RunningService;
import tapipeline.platform.service.ServiceModule;
import tapipeline.platform.service.ServiceRuntime;
import tapipeline.platform.trace.TraceContext;
import tapipeline.schemas.Envelope;
import tapipeline.schemas.EventTypes;
import tapipeline.schemas.assignment.AssignmentApproved;
import tapipeline.schemas.handbook.HandbookArtifact;
import tapipeline.schemas.handbook.HandbookContent;
import tapipeline.schemas.handbook.HandbookRendered;

/**
 * The handbook service: whenever a program's content ({@code handbook.content}) or the approved TA
 * assignment ({@code assignment.approved}) changes, it renders the handbook PDF after a quiet period
 * (a burst of edits gives one render) and publishes the bytes to {@code handbook.artifacts} (keyed
 * by sha256) and a {@code handbook.rendered} event, both in one Kafka transaction.
 *
 * <p>Its state is the log: a {@link ReplayLoop} reads content, approvals and earlier rendered events
 * from the beginning. Rendering is reproducible, so inputs it has already rendered give the same
 * sha256, and nothing new is published: a redelivered or replayed event creates no new edition.
 * Content or an approval that cannot make a handbook is dead-lettered with the field at fault and
 * the previous good input stays in use.
 *
 * <p>Every instance replays all of its inputs (state topics are small), and renders the programs whose
 * {@code handbook.content} partition it holds in the group {@code handbook-render}
 * ({@link PartitionOwnership}): with several instances, each program has exactly one renderer, a
 * partition moves only after its holder finished the render in hand, and a killed instance's programs
 * move to the others after the session timeout (its unfinished transaction is never committed). The new
 * holder renders once more and publishes only if the PDF differs from the last edition it replayed, so
 * one approval makes one edition. The artifact and its rendered event go out in one transaction whose
 * id belongs to the partition ({@code handbook-renderer-p<n>}), opened when the partition is gained: an
 * instance that lost a partition without being asked (paused past the session timeout) is fenced by the
 * next holder and cannot publish for it.
 */
public final class HandbookService implements ServiceModule {

    /** The renderer's transactional id, followed by {@code -<INSTANCE_ID>}. */
    static final String RENDERER_TRANSACTIONAL_ID = "handbook-renderer";
    /** The consumer group whose partitions of handbook.content say which instance renders which program. */
    static final String RENDER_GROUP = "handbook-render";

    private static final Logger log = LoggerFactory.getLogger(HandbookService.class);

    public static final Key<Integer> PORT = Key.integer("HANDBOOK_PORT", 8084, 0, 65535,
            "HTTP port of the handbook service (health, metrics, rendered editions).");
    public static final Key<Long> QUIET_MS = Key.longValue("HANDBOOK_QUIET_MS", 2000, 0, 600_000,
            "Quiet period after the last content or approval change before the handbook is rendered.");
    public static final Key<Boolean> VALIDATE = Key.bool("HANDBOOK_VALIDATE", true,
            "Check every rendered PDF with veraPDF (PDF/UA-1, PDF/A-2) and report it in handbook.rendered.");
    public static final Key<String> SITE_URL = tapipeline.platform.config.PlatformConfig.PUBLIC_SITE_URL;

    @Override
    public String name() {
        return "handbook";
    }

    /** Its inputs replayed; an artifact and its rendered event written in one transaction per instance. */
    @Override
    public KafkaAccess kafkaAccess() {
        return KafkaAccess.builder(name(), "handbook service: renders program handbooks")
                .replays(Topics.HANDBOOK_CONTENT, Topics.APPROVED, Topics.HANDBOOK_RENDERED) // ReplayLoop handbook-inputs
                .writes(Topics.HANDBOOK_ARTIFACTS, Topics.HANDBOOK_RENDERED)
                .consumes(Topics.HANDBOOK_CONTENT)                                          // PartitionOwnership handbook-render
                .group(RENDER_GROUP)                                                        // which programs this instance renders
                .transactionalIdPrefix(RENDERER_TRANSACTIONAL_ID + "-")                     // -p<partition held>
                .build();
    }

    @Override
    public List<Key<?>> configKeys() {
        return List.of(PORT, QUIET_MS, VALIDATE);
    }

    @Override
    public int startOrder() {
        return 50;
    }

    @Override
    public RunningService start(Config config) {
        ServiceRuntime runtime = new ServiceRuntime(name(), config);
        try {
            new Renderer(runtime).start();
            return runtime;
        } catch (RuntimeException e) {
            runtime.close();
            throw e;
        }
    }

    /** Runs the handbook service alone. */
    public static void main(String[] args) {
        tapipeline.platform.service.ServiceMain.run(new HandbookService());
    }

    /** The state and the render scheduling of one instance. */
    private static final class Renderer implements AutoCloseable {
        private final ServiceRuntime runtime;
        private final HandbookRenderer renderer = new HandbookRenderer();
        private final RenderOptions options;
        private final long quietMs;
        private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "handbook-render");
            t.setDaemon(true);
            return t;
        });
        private final Map<String, ScheduledFuture<?>> pending = new ConcurrentHashMap<>();
        private final Map<String, Envelope<HandbookContent>> contents = new ConcurrentHashMap<>();
        private final Map<String, HandbookRendered> lastRendered = new ConcurrentHashMap<>();
        /** The bytes of each program's latest render, for the operators' preview. */
        private final Map<String, byte[]> latestPdf = new ConcurrentHashMap<>();
        private volatile Envelope<AssignmentApproved> approval;
        /**
         * Per program, the W3C trace of the last input that (re)started its quiet period (an approval
         * or its content): the render runs on its own thread, later, so it enters this trace itself,
         * and its artifact and rendered event are children of that input, not a new trace.
         */
        private final Map<String, TraceContext> triggers = new ConcurrentHashMap<>();
        private volatile boolean caughtUp;
        /** Which programs this instance renders: those whose handbook.content partition it holds. */
        private volatile PartitionOwnership ownership;
        /** Why the last render failed, as a plain sentence for /health (details go to the log), or "". */
        private volatile String lastFailure = "";
        /**
         * Per partition of handbook.content held, the artifact and its rendered event in one transaction,
         * with the transactional id {@code handbook-renderer-p<partition>}: the next holder's
         * initTransactions fences this instance's producer for that partition, so an instance that lost a
         * partition without noticing (paused past the session timeout) cannot commit an edition for it.
         * Used on the render thread; created and closed on the ownership thread.
         */
        private final Map<Integer, TransactionalPublisher> publishers = new ConcurrentHashMap<>();
        private final Timer renderTimer;
        private final Timer validateTimer;
        private final Timer publishTimer;
        private final Map<String, Counter> outcomes = new ConcurrentHashMap<>();

        Renderer(ServiceRuntime runtime) {
            this.runtime = runtime;
            Config c = runtime.config();
            this.options = new RenderOptions(URI.create(c.get(SITE_URL)), c.get(VALIDATE));
            this.quietMs = c.get(QUIET_MS);
            this.renderTimer = Timer.builder("tapipeline.handbook.render").description("render + validate time")
                    .register(runtime.meters());
            this.validateTimer = Timer.builder("tapipeline.handbook.validate").description("veraPDF validation time")
                    .register(runtime.meters());
            this.publishTimer = Timer.builder("tapipeline.handbook.publish")
                    .description("time to publish an artifact and its rendered event (one transaction)")
                    .register(runtime.meters());
        }

        void start() {
            runtime.own(this);
            // pays class loading and JIT on the render thread while the state is replayed
            scheduler.execute(renderer::warmUp);
            runtime.health().register("renderer", () -> lastFailure.isEmpty()
                    ? Health.Check.up(lastRendered.size() + " handbook(s) published")
                    : Health.Check.down(lastFailure));
            runtime.startReplayLoop("inputs", Events.anyDecoder(), this::onEvent, this::onCaughtUp,
                    Topics.HANDBOOK_CONTENT.name(), Topics.APPROVED.name(), Topics.HANDBOOK_RENDERED.name());
            ownership = new PartitionOwnership(runtime.clients(), RENDER_GROUP, "handbook-render-" + runtime.instanceId(),
                    Topics.HANDBOOK_CONTENT.name(), new PartitionOwnership.Listener() {
                        @Override
                        public void assigned(Set<Integer> partitions) {
                            partitions.forEach(Renderer.this::openPublisher);
                            contents.keySet().forEach(Renderer.this::schedule);
                        }

                        @Override
                        public void revoking(Set<Integer> partitions) {
                            handOver();
                            partitions.forEach(Renderer.this::closePublisher);
                        }
                    }, runtime.fatalErrorHook()).start();
            runtime.startHttp(runtime.config().get(PORT), cfg -> {
                cfg.routes.get("/handbooks", ctx -> {
                    Map<String, Object> body = new LinkedHashMap<>();
                    lastRendered.forEach((program, r) -> body.put(program, Map.of("edition", r.edition(),
                            "sha256", r.sha256(), "pages", r.pages(), "size", r.size(),
                            "term", String.valueOf(r.term()), "validation", r.validation(),
                            "pdf", "/handbooks/" + program + "/latest.pdf")));
                    ctx.json(body);
                });
                // a preview for operators; students get handbooks from the publisher's site
                cfg.routes.get("/handbooks/{program}/latest.pdf", ctx -> {
                    byte[] pdf = latestPdf.get(ctx.pathParam("program"));
                    if (pdf == null) {
                        ctx.status(404).result("no handbook rendered for this program yet");
                        return;
                    }
                    ctx.contentType("application/pdf").header("Content-Disposition", "inline").result(pdf);
                });
            });
            runtime.addHttpUrl("handbook editions", "/handbooks");
        }

        private void onEvent(Envelope<?> event, ConsumerRecord<String, byte[]> record) {
            Object payload = event.payload();
            if (payload instanceof HandbookContent content) {
                check(() -> ContentCheck.check(SchemaMapping.toModel(content)));
                @SuppressWarnings("unchecked")
                Envelope<HandbookContent> e = (Envelope<HandbookContent>) event;
                contents.put(content.programId(), e);
                TraceContext.current().ifPresent(t -> triggers.put(content.programId(), t));
                schedule(content.programId());
            } else if (payload instanceof AssignmentApproved approved) {
                check(() -> ContentCheck.check(SchemaMapping.toModel(approved)));
                Envelope<AssignmentApproved> current = approval;
                if (current == null || !approved.approvedAt().isBefore(current.payload().approvedAt())) {
                    @SuppressWarnings("unchecked")
                    Envelope<AssignmentApproved> e = (Envelope<AssignmentApproved>) event;
                    approval = e;
                    TraceContext.current().ifPresent(t -> contents.keySet().forEach(id -> triggers.put(id, t)));
                    contents.keySet().forEach(this::schedule);
                }
            } else if (payload instanceof HandbookRendered rendered) {
                lastRendered.put(rendered.programId(), rendered);
            }
        }

        /** Input that cannot make a handbook is poison: dead-lettered with the field at fault. */
        private static void check(Runnable check) {
            try {
                check.run();
            } catch (InvalidHandbookException e) {
                throw new PoisonRecordException("INVALID_HANDBOOK_INPUT", e.getMessage(), e);
            }
        }

        private void onCaughtUp() {
            caughtUp = true;
            contents.keySet().forEach(this::schedule);
        }

        /** (Re)starts the quiet period of one program; the render runs when it ends. */
        private void schedule(String programId) {
            if (!caughtUp) {
                return; // the state is not complete yet; onCaughtUp schedules everything once it is
            }
            if (ownership == null || !ownership.owns(programId)) {
                return; // another instance renders it; assigned() schedules it if its partition comes here
            }
            pending.compute(programId, (id, previous) -> {
                if (previous != null) {
                    previous.cancel(false);
                }
                return scheduler.schedule(() -> render(id), quietMs, TimeUnit.MILLISECONDS);
            });
        }

        private void render(String programId) {
            Envelope<HandbookContent> content = contents.get(programId);
            Envelope<AssignmentApproved> approved = approval;
            if (content == null || !ownership.owns(programId)) {
                return;
            }
            MDC.put("correlationId", programId);
            // the loop's scope ended when the input was handled; the records of this render continue its trace
            TraceContext trigger = triggers.get(programId);
            try (TraceContext.Scope trace = trigger == null ? null : TraceContext.enter(trigger)) {
                Optional<AssignmentApproved> a = Optional.ofNullable(approved).map(Envelope::payload);
                long start = System.nanoTime();
                // drawn and validated in two steps, so that each has its own timer (bench/run approval-flip)
                RenderResult drawn = renderer.render(content.payload(), a, options.withValidate(false));
                long drawnAt = System.nanoTime();
                RenderResult result = options.validate()
                        ? new RenderResult(drawn.pdf(), drawn.sha256(), drawn.pages(), drawn.missingGlyphs(),
                        PdfValidator.validate(drawn.pdf()), drawn.inputHash())
                        : drawn;
                long end = System.nanoTime();
                renderTimer.record(end - start, TimeUnit.NANOSECONDS);
                validateTimer.record(end - drawnAt, TimeUnit.NANOSECONDS);
                HandbookRendered previous = lastRendered.get(programId);
                if (previous != null && previous.sha256().equals(result.sha256())) {
                    latestPdf.put(programId, result.pdf());
                    log.info("handbook of {} unchanged (sha256 {}); no new edition", programId, shortSha(result));
                    count("unchanged");
                    lastFailure = "";
                    return;
                }
                HandbookRendered rendered = SchemaMapping.rendered(content.payload(), a, result, content.eventId());
                long publishStart = System.nanoTime();
                if (!publish(programId, HandbookArtifact.of(HandbookArtifact.PDF, result.pdf()), rendered)) {
                    log.info("handbook of {}: its partition went to another instance during the render; not published",
                            programId);
                    return;
                }
                publishTimer.record(System.nanoTime() - publishStart, TimeUnit.NANOSECONDS);
                lastRendered.put(programId, rendered);
                latestPdf.put(programId, result.pdf());
                lastFailure = "";
                count("published");
                log.info("published handbook of {}: {} pages, {} bytes, sha256 {}, PDF/UA-1 {}, PDF/A-2 {}, {} missing glyphs",
                        programId, result.pages(), result.size(), shortSha(result), result.validation().pdfUa1(),
                        result.validation().pdfA2(), result.missingGlyphs().size());
            } catch (RuntimeException e) {
                if (!ownership.owns(programId)) {
                    // the partition moved while the render was published (e.g. this instance was paused past the
                    // session timeout): the new holder's producer fenced this one and renders it itself
                    log.info("handbook of {}: not published, its partition went to another instance ({})", programId,
                            e.toString());
                    return;
                }
                lastFailure = "the last render failed and is retried every 30 s; see the log";
                count("failed");
                log.error("rendering the handbook of {} failed; retrying in 30 s", programId, e);
                pending.put(programId, scheduler.schedule(() -> render(programId), 30, TimeUnit.SECONDS));
            } finally {
                MDC.remove("correlationId");
            }
        }

        /**
         * The artifact and its rendered event in one transaction: never one without the other. The
         * publisher follows the producer's contract (a timed-out commit is retried, a fenced producer
         * replaced, a fatal error stops the process); it throws when nothing was published, and
         * render() then tries again in 30 s.
         */
        private boolean publish(String programId, HandbookArtifact artifact, HandbookRendered rendered) {
            TransactionalPublisher publisher = publishers.get(ownership.partitionOf(programId));
            if (publisher == null) {
                return false;
            }
            publisher.publish(List.of(Events.record(EventTypes.HANDBOOK_ARTIFACTS, programId, artifact),
                    Events.record(EventTypes.HANDBOOK_RENDERED, programId, rendered)));
            return true;
        }

        /** On gaining a partition: its producer, whose initTransactions fences the previous holder's. */
        private void openPublisher(int partition) {
            publishers.computeIfAbsent(partition, p -> {
                TransactionalPublisher publisher = new TransactionalPublisher("handbook renderer p" + p,
                        () -> runtime.clients().transactionalProducer("handbook-renderer-p" + p,
                                RENDERER_TRANSACTIONAL_ID + "-p" + p),
                        runtime.fatalErrorHook(), scheduler::isShutdown);
                publisher.init();
                return publisher;
            });
        }

        private void closePublisher(int partition) {
            TransactionalPublisher publisher = publishers.remove(partition);
            if (publisher != null) {
                publisher.close();
            }
        }

        private void count(String outcome) {
            outcomes.computeIfAbsent(outcome, o -> Counter.builder("tapipeline.handbook.renders").tag("outcome", o)
                    .register(runtime.meters())).increment();
        }

        private static String shortSha(RenderResult r) {
            return r.sha256().substring(0, 12);
        }

        /**
         * Partitions are leaving: cancels the renders not started for programs no longer held (owns() is
         * already false for them) and waits for the render in hand, so the next holder starts after its
         * edition is published (and replays it: an unchanged PDF is then not published again).
         */
        private void handOver() {
            pending.forEach((program, future) -> {
                if (!ownership.owns(program)) {
                    future.cancel(false);
                }
            });
            try {
                scheduler.submit(() -> { }).get(120, TimeUnit.SECONDS);
            } catch (java.util.concurrent.RejectedExecutionException | java.util.concurrent.CancellationException e) {
                // stopping: nothing more runs
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                log.warn("handing over handbook partitions: the render in hand did not finish: {}", e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void close() {
            if (ownership != null) {
                ownership.close(); // hands the programs over after the render in hand
            }
            scheduler.shutdownNow();
            try {
                scheduler.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            List.copyOf(publishers.keySet()).forEach(this::closePublisher);
        }
    }
}
