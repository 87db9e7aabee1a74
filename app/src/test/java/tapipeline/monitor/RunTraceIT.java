package tapipeline.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import tapipeline.handbook.service.HandbookService;
import tapipeline.platform.kafka.Events;
import tapipeline.platform.kafka.KafkaClients;
import tapipeline.platform.kafka.Topics;
import tapipeline.platform.trace.TraceContext;
import tapipeline.platform.service.RunningService;
import tapipeline.platform.testing.EventWatcher;
import tapipeline.platform.testing.KafkaBrokerExtension;
import tapipeline.platform.testing.ServiceHarness;
import tapipeline.publisher.PublisherService;
import tapipeline.schemas.EventTypes;
import tapipeline.schemas.assignment.AssignmentApproved;
import tapipeline.schemas.assignment.AssignmentProblem;
import tapipeline.schemas.assignment.RunCompleted;
import tapipeline.schemas.assignment.SolverSettings;
import tapipeline.schemas.handbook.HandbookContent;
import tapipeline.schemas.handbook.HandbookRendered;
import tapipeline.schemas.site.SiteLink;
import tapipeline.solver.generator.DepartmentGenerator;
import tapipeline.solver.service.SolverService;

/**
 * Must-show: the trace of a sample run lists its events in order across the solver's and the
 * handbook's topics, up to the link flip that published it. The real solver, handbook service and
 * publisher run on the real broker; the run is requested and solved, approved (a producer standing in
 * for the coordinator's approval), rendered into the handbook, and the publisher verifies the edition
 * and flips the site's handbook link to it (with its audit entry). The monitor finds each event by its
 * key, payload (runId, renderedFrom.approvalRunId), the sha256 of a rendered handbook, or its W3C trace:
 * from the approval to the flip it is one trace (the handbook's render continues the approval's, the
 * publisher's loop continues the rendered event's). In the monitor's package (its engine is
 * package-private); here because only app may depend on the solver, handbook and publisher modules.
 */
@ExtendWith(KafkaBrokerExtension.class)
class RunTraceIT {

    @Test
    void the_trace_of_a_sample_run_lists_its_events_in_order_across_the_solver_and_handbook_topics_up_to_the_flip()
            throws Exception {
        String bootstrap = KafkaBrokerExtension.bootstrapServers();
        KafkaClients clients = new KafkaClients(bootstrap);
        String runId = "trace-run-" + System.nanoTime();
        String program = "trace-prog-" + System.nanoTime();
        long from = System.currentTimeMillis() - 60_000;
        Map<String, String> site = new HashMap<>();
        site.put("SITE_PROGRAM", program);
        site.put("INSTANCE_ID", "trace-" + program);
        site.put("PUBLISHER_ARTIFACT_DIR", java.nio.file.Files.createTempDirectory("trace-artifacts").toString());
        try (RunningService solver = ServiceHarness.start(new SolverService(), Map.of());
             // validated: the publisher refuses an edition without PDF/UA-1 and PDF/A-2
             RunningService handbook = ServiceHarness.start(new HandbookService(),
                     Map.of("HANDBOOK_QUIET_MS", "100", "INSTANCE_ID", "trace-" + program));
             RunningService publisher = ServiceHarness.start(new PublisherService(), site);
             EventWatcher watcher = new EventWatcher(bootstrap, Topics.RUN_COMPLETED.name(),
                     Topics.HANDBOOK_RENDERED.name(), Topics.SITE_LINKS.name());
             KafkaProducer<String, byte[]> coordinator = clients.producer("coordinator-stand-in");
             RunTracer tracer = new RunTracer(clients, 100_000)) {
            HandbookContent sample = resource("/sample/program-content.json", EventTypes.HANDBOOK_CONTENT);
            HandbookContent content = new HandbookContent(program, sample.name(), sample.degree(), sample.campus(),
                    sample.edition(), sample.totalUnits(), sample.semesters(), sample.overview(), sample.outcomes(),
                    sample.curriculum(), sample.policies(), sample.contacts(), sample.links(), Instant.now());
            coordinator.send(Events.record(EventTypes.HANDBOOK_CONTENT, content.programId(), content)).get(10, TimeUnit.SECONDS);
            AssignmentProblem problem = DepartmentGenerator.generate(8, 24, 3L).withRunId(runId)
                    .withSettings(new SolverSettings(2, 1, 3L, null, Map.of()));
            ProducerRecord<String, byte[]> request = Events.record(EventTypes.RUN_REQUESTED, runId, problem);
            TraceContext runTrace = TraceContext.stamp(request.headers());
            coordinator.send(request).get(10, TimeUnit.SECONDS);
            watcher.await(RunCompleted.class, c -> c.runId().equals(runId), Duration.ofSeconds(120));

            AssignmentApproved sampleApproval = resource("/sample/approved-assignment.json", EventTypes.ASSIGNMENT_APPROVED);
            // now, not a fixed future instant: the handbook and the publisher follow the latest approval,
            // and other ITs on this broker approve after this one
            AssignmentApproved approval = new AssignmentApproved("Trace Term " + runId, runId, "coordinator",
                    Instant.now(), sampleApproval.courses());
            ProducerRecord<String, byte[]> approved = Events.record(EventTypes.ASSIGNMENT_APPROVED, approval.term(), approval);
            // as the coordinator does (RunControl.approve): the approval is sent in the run request's trace
            try (TraceContext.Scope ignored = TraceContext.enter(runTrace)) {
                coordinator.send(approved).get(10, TimeUnit.SECONDS);
            }
            HandbookRendered rendered = watcher.await(HandbookRendered.class,
                    r -> r.programId().equals(program) && runId.equals(r.renderedFrom().approvalRunId()),
                    Duration.ofSeconds(180));
            // the real publisher verified the edition and moved the handbook link to its immutable URL
            watcher.await(SiteLink.class, l -> l.linkId().equals("handbook") && l.target().contains(rendered.sha256()),
                    Duration.ofSeconds(120));

            await().atMost(Duration.ofSeconds(90)).until(() -> {
                RunTracer.Search s = tracer.start(runId, from, System.currentTimeMillis(), 100_000);
                await().atMost(Duration.ofSeconds(60)).until(() -> s.done);
                return s.events.stream().anyMatch(ev -> isFlip(ev, rendered))
                        && s.events.stream().anyMatch(ev -> ev.topic().equals("audit") && ev.key().equals("site.links/handbook"));
            });
            RunTracer.Search search = tracer.start(runId, from, System.currentTimeMillis(), 100_000);
            await().atMost(Duration.ofSeconds(60)).until(() -> search.done);
            assertThat(search.error).isNull();
            List<RunTracer.Event> events = search.events;
            List<String> topics = events.stream().map(RunTracer.Event::topic).toList();

            // in time order, each with its position and the time since the previous one
            assertThat(events).extracting(RunTracer.Event::timestamp).isSorted();
            assertThat(events.get(0).sincePreviousMs()).isZero();
            for (int i = 1; i < events.size(); i++) {
                assertThat(events.get(i).sincePreviousMs()).isEqualTo(events.get(i).timestamp() - events.get(i - 1).timestamp());
            }
            // the solver's stages, then the approval, the handbook's, the publisher's flip
            assertThat(topics).containsSubsequence("assignment.run.requested", "assignment.run.progress",
                    "assignment.run.completed", "assignment.approved", "handbook.rendered", "site.links");
            assertThat(topics.indexOf("assignment.run.status")).isGreaterThan(topics.indexOf("assignment.run.requested"));

            RunTracer.Event requested = first(events, e -> e.topic().equals("assignment.run.requested"));
            RunTracer.Event completed = first(events, e -> e.topic().equals("assignment.run.completed"));
            RunTracer.Event approval1 = first(events, e -> e.topic().equals("assignment.approved"));
            RunTracer.Event renderedEvent = first(events, e -> e.topic().equals("handbook.rendered")
                    && e.key().equals(program));
            RunTracer.Event artifact = first(events, e -> e.topic().equals("handbook.artifacts")
                    && e.key().equals(rendered.sha256()));
            RunTracer.Event flip = first(events, e -> isFlip(e, rendered));
            RunTracer.Event flipAudit = first(events, e -> e.topic().equals("audit") && e.key().equals("site.links/handbook")
                    && e.traceId() != null && e.traceId().equals(flip.traceId()));
            int approvedAt = events.indexOf(approval1);
            assertThat(events.indexOf(artifact)).isGreaterThan(approvedAt).isLessThan(events.indexOf(flip));
            assertThat(events.indexOf(renderedEvent)).isGreaterThan(approvedAt).isLessThan(events.indexOf(flip));
            assertThat(flip.timestamp()).isGreaterThanOrEqualTo(renderedEvent.timestamp());

            assertThat(requested.producer()).isEqualTo("coordinator-stand-in");
            assertThat(completed.producer()).startsWith("solver");
            assertThat(renderedEvent.producer()).startsWith("handbook");
            assertThat(flip.producer()).startsWith("publisher");
            assertThat(flipAudit.summary()).contains("action=link.flip", "actor=publisher");
            // the solver's outputs carry the request's trace: the worker loop propagates it, and the progress
            // and checkpoints sent from the solver's own threads enter it
            assertThat(events).filteredOn(e -> e.topic().startsWith("assignment.run."))
                    .extracting(RunTracer.Event::traceId).containsOnly(requested.traceId());
            assertThat(completed.traceId()).isEqualTo(requested.traceId());
            // one W3C trace from the request to the flip: the approval continues the request's, the render
            // the approval's, the publisher's loop the rendered event's
            assertThat(approval1.traceId()).isEqualTo(requested.traceId());
            assertThat(List.of(renderedEvent, artifact, flip, flipAudit)).extracting(RunTracer.Event::traceId)
                    .containsOnly(approval1.traceId());
            assertThat(renderedEvent.why()).isEqualTo("payload.renderedFrom.approvalRunId");
            assertThat(artifact.why()).isEqualTo("key is the sha256 of a handbook rendered for the run");
            assertThat(flip.why()).isEqualTo("same W3C trace as an earlier event of the run");
            assertThat(events).allSatisfy(ev -> assertThat(ev.offset()).isNotNegative());
            assertThat(search.read.get()).isLessThanOrEqualTo(100_000);
        }
    }

    /** The publisher's flip of the handbook link to this edition's URL. */
    private static boolean isFlip(RunTracer.Event e, HandbookRendered rendered) {
        // the summary shortens a target to 80 characters: /handbook/editions/ and the first 61 of the sha256
        return e.topic().equals("site.links") && "handbook".equals(e.key())
                && e.summary().contains("/handbook/editions/" + rendered.sha256().substring(0, 40));
    }

    private static RunTracer.Event first(List<RunTracer.Event> events, java.util.function.Predicate<RunTracer.Event> p) {
        return events.stream().filter(p).findFirst()
                .orElseThrow(() -> new AssertionError("no such event in the trace: " + events));
    }

    private static <T> T resource(String path, tapipeline.schemas.EventType<T> type) throws Exception {
        try (InputStream in = HandbookService.class.getResourceAsStream(path)) {
            return Events.codec().decodePayload(in.readAllBytes(), type);
        }
    }
}
