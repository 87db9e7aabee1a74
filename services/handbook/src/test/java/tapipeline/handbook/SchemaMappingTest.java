package tapipeline.handbook;

import org.junit.jupiter.api.Test;
import tapipeline.schemas.Envelope;
import tapipeline.schemas.EventCodec;
import tapipeline.schemas.EventTypes;
import tapipeline.schemas.assignment.AssignmentApproved;
import tapipeline.schemas.handbook.HandbookContent;
import tapipeline.schemas.handbook.HandbookRendered;
import tapipeline.schemas.samples.SampleEvents;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The shipped samples are valid event payloads, and a render maps back to a valid {@code handbook.rendered}. */
class SchemaMappingTest {

    @Test
    void shippedSamplesReadAsEventPayloads() throws IOException {
        HandbookContent content = read("/sample/program-content.json", HandbookContent.class);
        AssignmentApproved approval = read("/sample/approved-assignment.json", AssignmentApproved.class);
        assertThat(content.totalUnits()).isEqualTo(97);
        assertThat(content.semesters()).isEqualTo(3);
        assertThat(content.outcomes()).hasSize(5);
        assertThat(content.curriculum().semesters()).hasSize(3);
        assertThat(content.curriculum().semesters().stream().flatMap(s -> s.courses().stream())
                .mapToDouble(HandbookContent.CurriculumCourse::units).sum())
                .as("the course plan adds up to the degree's units").isEqualTo(97.0);
        assertThat(content.links()).extracting(HandbookContent.Link::id)
                .containsExactly("apply", "visit", "handbook", "ta-assignments");
        assertThat(SchemaMapping.toModel(content)).isEqualTo(Samples.content());
        assertThat(SchemaMapping.toModel(approval)).isEqualTo(Samples.assignment());
        assertThat(SchemaMapping.sampleContent()).isEqualTo(content);
        assertThat(SchemaMapping.sampleApproval()).isEqualTo(approval);
    }

    @Test
    void eventPayloadsRenderAndMapToAValidRenderedEvent() {
        HandbookContent content = SampleEvents.handbookContent();
        AssignmentApproved approval = SampleEvents.assignmentApproved();
        RenderResult result = Samples.RENDERER.render(content, Optional.of(approval));
        assertThat(result.pages()).isGreaterThan(3);

        UUID contentEventId = UUID.nameUUIDFromBytes("content".getBytes());
        HandbookRendered rendered = SchemaMapping.rendered(content, Optional.of(approval), result, contentEventId);
        assertThat(rendered.sha256()).isEqualTo(result.sha256());
        assertThat(rendered.term()).isEqualTo(approval.term());
        assertThat(rendered.renderedFrom().approvalRunId()).isEqualTo(approval.runId());
        assertThat(rendered.validation().pdfUa1()).isFalse(); // not validated at render time
        assertThat(rendered.validation().messages()).contains("not validated at render time");

        byte[] json = EventCodec.standard().encodeChecked(new Envelope<>(UUID.randomUUID(),
                EventTypes.HANDBOOK_RENDERED.name(), EventTypes.HANDBOOK_RENDERED.currentVersion(), Instant.now(),
                content.programId(), rendered));
        assertThat(EventCodec.standard().decode(json, EventTypes.HANDBOOK_RENDERED).payload()).isEqualTo(rendered);
    }

    @Test
    void warmUpRendersTheShippedSample() {
        Samples.RENDERER.warmUp();
    }

    private static <T> T read(String resource, Class<T> type) throws IOException {
        try (InputStream in = SchemaMappingTest.class.getResourceAsStream(resource)) {
            return EventCodec.objectMapper().readValue(in, type);
        }
    }
}
