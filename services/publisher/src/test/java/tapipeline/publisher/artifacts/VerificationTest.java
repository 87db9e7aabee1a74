package tapipeline.publisher.artifacts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import tapipeline.schemas.handbook.HandbookArtifact;
import tapipeline.schemas.handbook.HandbookRendered;

class VerificationTest {

    static HandbookRendered rendered(byte[] bytes, long size, boolean ua, boolean a2) {
        return new HandbookRendered("p", "2026-2027", null, HandbookArtifact.sha256Hex(bytes), size, 1,
                new HandbookRendered.RenderedFrom(UUID.randomUUID(), null),
                new HandbookRendered.Validation(ua, a2, List.of()), List.of());
    }

    @Test
    void a_pdf_matching_its_event_passes() {
        byte[] pdf = "%PDF-1.7 ok".getBytes(StandardCharsets.US_ASCII);
        assertThat(Verification.of(rendered(pdf, pdf.length, true, true), HandbookArtifact.of("application/pdf", pdf)).ok()).isTrue();
    }

    @Test
    void each_check_can_refuse() {
        byte[] pdf = "%PDF-1.7 ok".getBytes(StandardCharsets.US_ASCII);
        byte[] other = "%PDF-1.7 other".getBytes(StandardCharsets.US_ASCII);
        byte[] html = "<html>".getBytes(StandardCharsets.US_ASCII);
        assertThat(Verification.of(rendered(pdf, pdf.length, true, true), HandbookArtifact.of("application/pdf", other)).reason())
                .startsWith("sha256 mismatch");
        assertThat(Verification.of(rendered(pdf, pdf.length + 1, true, true), HandbookArtifact.of("application/pdf", pdf)).reason())
                .startsWith("size mismatch");
        assertThat(Verification.of(rendered(html, html.length, true, true), HandbookArtifact.of("application/pdf", html)).reason())
                .contains("%PDF-");
        assertThat(Verification.of(rendered(pdf, pdf.length, true, true), HandbookArtifact.of("text/html", pdf)).reason())
                .contains("media type");
        assertThat(Verification.of(rendered(pdf, pdf.length, false, true), HandbookArtifact.of("application/pdf", pdf)).reason())
                .contains("PDF/UA-1 failed");
        assertThat(Verification.of(rendered(pdf, pdf.length, true, false), HandbookArtifact.of("application/pdf", pdf)).reason())
                .contains("PDF/A-2 failed");
    }
}
