package tapipeline.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import tapipeline.handbook.service.HandbookService;
import tapipeline.platform.kafka.Events;
import tapipeline.platform.kafka.KafkaClients;
import tapipeline.platform.kafka.Topics;
import tapipeline.platform.kafka.TransactionalLoop;
import tapipeline.platform.service.RunningService;
import tapipeline.platform.testing.EventWatcher;
import tapipeline.platform.testing.KafkaBrokerExtension;
import tapipeline.platform.testing.ServiceHarness;
import tapipeline.schemas.Envelope;
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
 * handbook's topics. The real solver and handbook services run on the real broker; the run is
 * requested, solved, approved (as the coordinator will), rendered into the handbook, and a link is
 * flipped to the new edition by a stand-in for the publisher (a platform exactly-once loop on
 * handbook.rendered, until the publisher module lands), whose site.links record the monitor finds by
 * its W3C trace id alone. In the monitor's package (its engine is package-private); here because
 * only app may depend on the solver and handbook modules.
 */
@ExtendWith(KafkaBrokerExtension.class)
class RunTraceIT {

    @Test
    void the_trace_of_a_sample_run_lists_its_events_in_order_across_the_solver_and_handbook_topics() throws Exception {
        String bootstrap = KafkaBrokerExtension.bootstrapServers();
        KafkaClients clients = new KafkaClients(bootstrap);
        String runId = "trace-run-" + System.nanoTime();
        long from = System.currentTimeMillis() - 60_000;
        try (RunningService solver = ServiceHarness.start(new SolverService(), Map.of());
             RunningService handbook = ServiceHarness.start(new HandbookService(),
                     Map.of("HANDBOOK_VALIDATE", "false", "HANDBOOK_QUIET_MS", "100"));
             EventWatcher watcher = new EventWatcher(bootstrap, Topics.RUN_COMPLETED.name(),
                     Topics.HANDBOOK_RENDERED.name());
             KafkaProducer<String, byte[]> coordinator = clients.producer("coordinator-stand-in");
             TransactionalLoop<Envelope<HandbookRendered>> publisher = TransactionalLoop
                     .builder("publisher-stand-in", clients, Events.decoder(EventTypes.HANDBOOK_RENDERED))
                     .groupId("publisher-stand-in-" + runId).topics(Topics.HANDBOOK_RENDERED.name())
                     .processor((e, r, out) -> {
                         if (runId.equals(e.payload().renderedFrom().approvalRunId())) {
                             String target = "/handbooks/" + e.payload().programId() + "/" + e.payload().sha256() + ".pdf";
                             out.send(Events.record(EventTypes.SITE_LINKS, "handbook-pdf-" + runId,
                                     new SiteLink("handbook-pdf-" + runId, "Program handbook", target, 1, null,
                                             "publisher", Instant.now())));
                         }
                     }).build().start();
             RunTracer tracer = new RunTracer(clients, 100_000)) {
            HandbookContent content = resource("/sample/program-content.json", EventTypes.HANDBOOK_CONTENT);
            coordinator.send(Events.record(EventTypes.HANDBOOK_CONTENT, content.programId(), content)).get(10, TimeUnit.SECONDS);
            AssignmentProblem problem = DepartmentGenerator.generate(8, 24, 3L).withRunId(runId)
                    .withSettings(new SolverSettings(2, 1, 3L, null, Map.of()));
            coordinator.send(Events.record(EventTypes.RUN_REQUESTED, runId, problem)).get(10, TimeUnit.SECONDS);
            watcher.await(RunCompleted.class, c -> c.runId().equals(runId), Duration.ofSeconds(120));

            AssignmentApproved sample = resource("/sample/approved-assignment.json", EventTypes.ASSIGNMENT_APPROVED);
            AssignmentApproved approval = new AssignmentApproved("Trace Term", runId, "coordinator",
                    Instant.parse("2031-01-01T00:00:00Z"), sample.courses());
            coordinator.send(Events.record(EventTypes.ASSIGNMENT_APPROVED, approval.term(), approval)).get(10, TimeUnit.SECONDS);
            HandbookRendered rendered = watcher.await(HandbookRendered.class,
                    r -> runId.equals(r.renderedFrom().approvalRunId()), Duration.ofSeconds(120));

            await().atMost(Duration.ofSeconds(60)).until(() -> {
                RunTracer.Search s = tracer.start(runId, from, System.currentTimeMillis(), 100_000);
                await().atMost(Duration.ofSeconds(60)).until(() -> s.done);
                return s.events.stream().anyMatch(ev -> ev.topic().equals(Topics.SITE_LINKS.name()));
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
            // the solver's stages, then the approval, the handbook's, the link flip
            assertThat(topics).containsSubsequence("assignment.run.requested", "assignment.run.progress",
                    "assignment.run.completed", "assignment.approved", "handbook.rendered", "site.links");
            assertThat(topics).contains("assignment.run.status", "handbook.artifacts");
            assertThat(topics.indexOf("handbook.artifacts")).isGreaterThan(topics.indexOf("assignment.approved"));
            assertThat(topics.lastIndexOf("site.links")).isEqualTo(topics.size() - 1);

            RunTracer.Event requested = first(events, "assignment.run.requested");
            RunTracer.Event completed = first(events, "assignment.run.completed");
            RunTracer.Event artifact = first(events, "handbook.artifacts");
            RunTracer.Event link = first(events, "site.links");
            assertThat(requested.producer()).isEqualTo("coordinator-stand-in");
            assertThat(completed.producer()).startsWith("solver");
            assertThat(first(events, "handbook.rendered").producer()).startsWith("handbook");
            // the solver's outputs carry the request's trace (propagated by the worker loop)
            assertThat(completed.traceId()).isEqualTo(requested.traceId());
            assertThat(artifact.key()).isEqualTo(rendered.sha256());
            assertThat(link.why()).isEqualTo("same W3C trace as an earlier event of the run");
            assertThat(link.traceId()).isEqualTo(first(events, "handbook.rendered").traceId());
            assertThat(events).allSatisfy(ev -> assertThat(ev.offset()).isNotNegative());
            assertThat(search.read.get()).isLessThanOrEqualTo(100_000);
        }
    }

    private static RunTracer.Event first(List<RunTracer.Event> events, String topic) {
        return events.stream().filter(e -> e.topic().equals(topic)).findFirst().orElseThrow();
    }

    private static <T> T resource(String path, tapipeline.schemas.EventType<T> type) throws Exception {
        try (InputStream in = HandbookService.class.getResourceAsStream(path)) {
            return Events.codec().decodePayload(in.readAllBytes(), type);
        }
    }
}
