package tapipeline.publisher;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import tapipeline.platform.kafka.Events;
import tapipeline.platform.kafka.Topics;
import tapipeline.schemas.Envelope;
import tapipeline.schemas.EventCodec;
import tapipeline.schemas.EventTypes;
import tapipeline.schemas.assignment.AssignmentApproved;
import tapipeline.schemas.handbook.HandbookArtifact;
import tapipeline.schemas.handbook.HandbookContent;
import tapipeline.schemas.handbook.HandbookRendered;

/** Events a test publishes the way the handbook service and the coordinator would. */
final class Fixtures {

    private Fixtures() {
    }

    static HandbookContent content(String programId, String edition, String overview) {
        return new HandbookContent(programId, "MS in Testing Ünïcode", "Master of Science", "Pittsburgh campus", edition,
                97, 3, List.of(overview), List.of("Test things well."),
                new HandbookContent.Curriculum(List.of("97 units"), List.of()), List.of(),
                List.of(new HandbookContent.Contact("Program director", "Dr. Test", "director@example.edu")),
                List.of(new HandbookContent.Link("apply", "Apply to the program", "https://example.edu/apply"),
                        new HandbookContent.Link("visit", "Visit the campus", "https://example.edu/visit"),
                        new HandbookContent.Link("handbook", "Program handbook (PDF)", "/handbook/latest.pdf"),
                        new HandbookContent.Link("ta-assignments", "Teaching assistant assignments", "/ta-assignments")),
                Instant.parse("2026-08-14T09:30:00Z"));
    }

    /** A small, distinct, PDF-looking file. */
    static byte[] pdf(String marker) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("%PDF-1.7\n% " + marker + "\n").getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < 2000; i++) {
            out.writeBytes(("line " + i + " of " + marker + "\n").getBytes(StandardCharsets.UTF_8));
        }
        out.writeBytes("%%EOF\n".getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    static HandbookRendered rendered(String programId, String edition, byte[] pdf, UUID contentEventId, String runId,
                                     boolean ua, boolean a2) {
        return new HandbookRendered(programId, edition, runId == null ? null : "Fall 2026",
                HandbookArtifact.sha256Hex(pdf), pdf.length, 3,
                new HandbookRendered.RenderedFrom(contentEventId, runId),
                new HandbookRendered.Validation(ua, a2, ua && a2 ? List.of() : List.of("rule 7.1 failed")), List.of());
    }

    static <T> Envelope<T> send(KafkaProducer<String, byte[]> producer, tapipeline.schemas.EventType<T> type, T payload)
            throws Exception {
        Envelope<T> e = Envelope.of(type, type.keyOf(payload), payload);
        producer.send(Events.record(type, e)).get(10, TimeUnit.SECONDS);
        return e;
    }

    /** The artifact and then its rendered event, as the handbook service writes them. */
    static Envelope<HandbookRendered> publishEdition(KafkaProducer<String, byte[]> producer, HandbookRendered r, byte[] pdf)
            throws Exception {
        send(producer, EventTypes.HANDBOOK_ARTIFACTS, HandbookArtifact.of(HandbookArtifact.PDF, pdf));
        return send(producer, EventTypes.HANDBOOK_RENDERED, r);
    }

    /** An artifact record under {@code sha256} whose bytes hash to something else. */
    static void sendCorruptArtifact(KafkaProducer<String, byte[]> producer, String sha256, byte[] otherBytes)
            throws Exception {
        ObjectNode env = (ObjectNode) EventCodec.objectMapper().readTree(Events.codec().encode(
                Envelope.of(EventTypes.HANDBOOK_ARTIFACTS, sha256, HandbookArtifact.of(HandbookArtifact.PDF, otherBytes))));
        ((ObjectNode) env.get("payload")).put("sha256", sha256);
        producer.send(new ProducerRecord<>(Topics.HANDBOOK_ARTIFACTS.name(), sha256,
                EventCodec.objectMapper().writeValueAsBytes(env))).get(10, TimeUnit.SECONDS);
    }

    static AssignmentApproved approval(String term, String runId, Instant at, String taName) {
        return new AssignmentApproved(term, runId, "coordinator", at, List.of(
                new AssignmentApproved.ApprovedCourse("c-1", "18-661", "Machine Learning for Engineers", "A", "Dr. Alvarez",
                        List.of(new AssignmentApproved.ApprovedTa("a-1", "José Ramírez", 20),
                                new AssignmentApproved.ApprovedTa("a-2", taName, 10))),
                new AssignmentApproved.ApprovedCourse("c-2", "18-786", "Deep Learning", "A", "Dr. Watanabe",
                        List.of(new AssignmentApproved.ApprovedTa("a-3", "Анна Кузнецова", 15))),
                new AssignmentApproved.ApprovedCourse("c-3", "18-797", "Capstone", "A", "Dr. <b>Bold</b>", List.of())));
    }
}
