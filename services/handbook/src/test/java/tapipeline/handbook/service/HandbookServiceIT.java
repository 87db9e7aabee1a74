package tapipeline.handbook.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import tapipeline.platform.kafka.DeadLetters;
import tapipeline.platform.kafka.Events;
import tapipeline.platform.kafka.KafkaClients;
import tapipeline.platform.kafka.Topics;
import tapipeline.platform.service.RunningService;
import tapipeline.platform.testing.EventWatcher;
import tapipeline.platform.testing.KafkaBrokerExtension;
import tapipeline.platform.testing.ServiceHarness;
import tapipeline.platform.testing.TestRecords;
import tapipeline.platform.trace.TraceContext;
import tapipeline.schemas.EventCodec;
import tapipeline.schemas.EventTypes;
import tapipeline.schemas.assignment.AssignmentApproved;
import tapipeline.schemas.handbook.HandbookArtifact;
import tapipeline.schemas.handbook.HandbookContent;
import tapipeline.schemas.handbook.HandbookRendered;

/** The handbook service on the real broker: approval in, artifact + rendered event out. */
@ExtendWith(KafkaBrokerExtension.class)
class HandbookServiceIT {

    private static RunningService service;
    private static EventWatcher watcher;
    private static KafkaProducer<String, byte[]> producer;
    private static String metricsUrl;
    private static HandbookContent sample;

    @BeforeAll
    static void start() throws Exception {
        String bootstrap = KafkaBrokerExtension.bootstrapServers();
        KafkaClients clients = new KafkaClients(bootstrap);
        service = ServiceHarness.start(new HandbookService(),
                Map.of("HANDBOOK_QUIET_MS", "1000", "HANDBOOK_VALIDATE", "true"));
        metricsUrl = service.urls().get("handbook health").replace("/health", "/metrics");
        watcher = new EventWatcher(bootstrap, Topics.HANDBOOK_RENDERED.name(), Topics.HANDBOOK_ARTIFACTS.name());
        producer = clients.producer("handbook-it");
        try (InputStream in = HandbookServiceIT.class.getResourceAsStream("/sample/program-content.json")) {
            sample = Events.codec().decodePayload(in.readAllBytes(), EventTypes.HANDBOOK_CONTENT);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        producer.close();
        watcher.close();
        service.close();
    }

    @Test
    void an_approval_gives_an_artifact_and_a_rendered_event_whose_sha256_matches() throws Exception {
        HandbookContent content = program("it-prog-a", "2026-2027");
        send(EventTypes.HANDBOOK_CONTENT, content.programId(), content);
        AssignmentApproved approval = approval("IT Term A", Instant.parse("2030-01-01T10:00:00Z"));
        send(EventTypes.ASSIGNMENT_APPROVED, approval.term(), approval);

        HandbookRendered rendered = watcher.await(HandbookRendered.class,
                r -> r.programId().equals("it-prog-a") && "IT Term A".equals(r.term()), Duration.ofSeconds(120));
        HandbookArtifact artifact = watcher.await(HandbookArtifact.class,
                a -> a.sha256().equals(rendered.sha256()), Duration.ofSeconds(30));
        assertThat(HandbookArtifact.sha256Hex(artifact.bytes())).isEqualTo(rendered.sha256());
        assertThat(artifact.size()).isEqualTo(rendered.size());
        assertThat(rendered.validation().pdfUa1()).as("PDF/UA-1 %s", rendered.validation().messages()).isTrue();
        assertThat(rendered.validation().pdfA2()).as("PDF/A-2 %s", rendered.validation().messages()).isTrue();
        assertThat(rendered.renderedFrom().approvalRunId()).isEqualTo(approval.runId());
        try (PDDocument pdf = Loader.loadPDF(artifact.bytes())) {
            assertThat(pdf.getNumberOfPages()).isEqualTo(rendered.pages());
            String text = new PDFTextStripper().getText(pdf);
            assertThat(text).contains(approval.courses().get(0).tas().get(0).name());
        }

        // operators can preview exactly the published bytes
        HttpResponse<byte[]> preview = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                metricsUrl.replace("/metrics", "/handbooks/it-prog-a/latest.pdf"))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(preview.statusCode()).isEqualTo(200);
        assertThat(HandbookArtifact.sha256Hex(preview.body())).isEqualTo(rendered.sha256());
        assertThat(HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                metricsUrl.replace("/metrics", "/handbooks/..%2F..%2Fetc%2Fpasswd/latest.pdf"))).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);

        // the same approval delivered again renders the same bytes: no new edition
        double unchangedBefore = renders("unchanged");
        send(EventTypes.ASSIGNMENT_APPROVED, approval.term(), approval);
        long deadline = System.currentTimeMillis() + 120_000;
        while (renders("unchanged") <= unchangedBefore && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
        }
        assertThat(renders("unchanged")).isGreaterThan(unchangedBefore);
        assertThat(watcher.payloads(HandbookRendered.class,
                r -> r.programId().equals("it-prog-a") && "IT Term A".equals(r.term()))).hasSize(1);
    }

    @Test
    void the_artifact_and_rendered_event_continue_the_w3c_trace_of_the_approval_that_triggered_the_render()
            throws Exception {
        HandbookContent content = program("it-prog-trace", "2026-2027");
        send(EventTypes.HANDBOOK_CONTENT, content.programId(), content);
        // at the instant of the other test's approval: whichever runs first, the later one replaces it
        // (equal approvedAt) and each still gets the render it awaits
        AssignmentApproved approval = approval("IT Term Trace", Instant.parse("2030-01-01T10:00:00Z"));
        TraceContext coordinator = TraceContext.newTrace();
        ProducerRecord<String, byte[]> record = Events.record(EventTypes.ASSIGNMENT_APPROVED, approval.term(), approval);
        record.headers().add(TraceContext.HEADER, coordinator.header().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        producer.send(record).get(10, TimeUnit.SECONDS);

        HandbookRendered rendered = watcher.await(HandbookRendered.class,
                r -> r.programId().equals("it-prog-trace") && "IT Term Trace".equals(r.term()), Duration.ofSeconds(120));
        String bootstrap = KafkaBrokerExtension.bootstrapServers();
        var renderedRecord = TestRecords.readAll(bootstrap, Topics.HANDBOOK_RENDERED.name(), Duration.ofSeconds(30))
                .stream().filter(r -> "it-prog-trace".equals(r.key()) && r.value().contains(rendered.sha256()))
                .findFirst().orElseThrow();
        var artifactRecord = TestRecords.readAll(bootstrap, Topics.HANDBOOK_ARTIFACTS.name(), Duration.ofSeconds(30))
                .stream().filter(r -> rendered.sha256().equals(r.key())).findFirst().orElseThrow();
        // rendered on the render thread after the quiet period, yet children of the approval's trace
        for (var r : List.of(renderedRecord, artifactRecord)) {
            TraceContext t = TraceContext.of(r.headers()).orElseThrow(() -> new AssertionError(r.topic() + " has no traceparent"));
            assertThat(t.traceId()).as("%s's trace id", r.topic()).isEqualTo(coordinator.traceId());
            assertThat(t.spanId()).as("%s's span (a child, not the approval's own)", r.topic()).isNotEqualTo(coordinator.spanId());
        }
    }

    @Test
    void a_burst_of_edits_gives_one_render_of_the_last_one() throws Exception {
        for (String edition : List.of("2027-2028", "2028-2029", "2029-2030")) {
            HandbookContent c = program("it-prog-burst", edition);
            send(EventTypes.HANDBOOK_CONTENT, c.programId(), c);
        }
        HandbookRendered rendered = watcher.await(HandbookRendered.class,
                r -> r.programId().equals("it-prog-burst"), Duration.ofSeconds(120));
        assertThat(rendered.edition()).isEqualTo("2029-2030");
        Thread.sleep(3000); // longer than the quiet period: a second render would have started
        assertThat(watcher.payloads(HandbookRendered.class, r -> r.programId().equals("it-prog-burst"))
                .stream().map(HandbookRendered::edition).filter(e -> !e.equals("2029-2030")).toList()).isEmpty();
    }

    @Test
    void content_that_breaks_the_schema_is_dead_lettered_with_the_field_and_the_service_goes_on() throws Exception {
        ObjectNode bad = (ObjectNode) EventCodec.objectMapper().readTree(
                Events.codec().encode(tapipeline.schemas.Envelope.of(EventTypes.HANDBOOK_CONTENT, "it-prog-bad",
                        program("it-prog-bad", "2026-2027"))));
        ((ObjectNode) bad.get("payload")).put("totalUnits", "ninety-seven");
        producer.send(new ProducerRecord<>(Topics.HANDBOOK_CONTENT.name(), "it-prog-bad",
                EventCodec.objectMapper().writeValueAsBytes(bad))).get(10, TimeUnit.SECONDS);
        HandbookContent good = program("it-prog-after-bad", "2026-2027");
        send(EventTypes.HANDBOOK_CONTENT, good.programId(), good);

        watcher.await(HandbookRendered.class, r -> r.programId().equals("it-prog-after-bad"), Duration.ofSeconds(120));
        var dead = TestRecords.readAll(KafkaBrokerExtension.bootstrapServers(), Topics.HANDBOOK_CONTENT.name() + ".dlq",
                Duration.ofSeconds(30)).stream().filter(r -> "it-prog-bad".equals(r.key())).toList();
        assertThat(dead).hasSize(1);
        assertThat(DeadLetters.header(dead.get(0).headers(), DeadLetters.REASON)).isEqualTo("SCHEMA_INVALID");
        assertThat(DeadLetters.header(dead.get(0).headers(), DeadLetters.ERROR_MESSAGE)).contains("totalUnits");
        assertThat(watcher.payloads(HandbookRendered.class, r -> r.programId().equals("it-prog-bad"))).isEmpty();
    }

    private static HandbookContent program(String id, String edition) {
        return new HandbookContent(id, sample.name(), sample.degree(), sample.campus(), edition, sample.totalUnits(),
                sample.semesters(), sample.overview(), sample.outcomes(), sample.curriculum(), sample.policies(),
                sample.contacts(), sample.links(), sample.updatedAt());
    }

    private static AssignmentApproved approval(String term, Instant at) throws Exception {
        try (InputStream in = HandbookServiceIT.class.getResourceAsStream("/sample/approved-assignment.json")) {
            AssignmentApproved a = Events.codec().decodePayload(in.readAllBytes(), EventTypes.ASSIGNMENT_APPROVED);
            return new AssignmentApproved(term, "run-" + term.replace(' ', '-').toLowerCase(), a.approvedBy(), at,
                    a.courses());
        }
    }

    private static <T> void send(tapipeline.schemas.EventType<T> type, String correlation, T payload) throws Exception {
        producer.send(Events.record(type, correlation, payload)).get(10, TimeUnit.SECONDS);
    }

    private static double renders(String outcome) throws Exception {
        String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(metricsUrl)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return body.lines().filter(l -> l.startsWith("tapipeline_handbook_renders_total")
                        && l.contains("outcome=\"" + outcome + "\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
