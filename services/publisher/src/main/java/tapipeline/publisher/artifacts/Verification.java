package tapipeline.publisher.artifacts;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import tapipeline.platform.kafka.Topics;
import tapipeline.schemas.handbook.HandbookArtifact;
import tapipeline.schemas.handbook.HandbookRendered;

/**
 * Whether an edition may be published: its bytes hash to the rendered event's sha256, have its size
 * (and at most the artifact topic's limit), are a PDF (media type and the {@code %PDF-} header), and
 * the rendered event says PDF/UA-1 and PDF/A-2 passed. A pure function of the two events, so every
 * publisher instance reaches the same verdict.
 */
public record Verification(boolean ok, String reason) {

    private static final byte[] PDF_MAGIC = "%PDF-".getBytes(StandardCharsets.US_ASCII);

    public static Verification passed() {
        return new Verification(true, "verified");
    }

    public static Verification failed(String reason) {
        return new Verification(false, reason);
    }

    /** Checks of the rendered event alone (before any bytes are fetched). */
    public static Verification ofEvent(HandbookRendered r) {
        if (!r.validation().pdfUa1() || !r.validation().pdfA2()) {
            return failed("validation failed: PDF/UA-1 " + (r.validation().pdfUa1() ? "passed" : "failed")
                    + ", PDF/A-2 " + (r.validation().pdfA2() ? "passed" : "failed")
                    + (r.validation().messages().isEmpty() ? "" : " (" + r.validation().messages().get(0) + ")"));
        }
        if (r.size() > Topics.ARTIFACT_MAX_BYTES) {
            return failed("size " + r.size() + " bytes is over the limit of " + Topics.ARTIFACT_MAX_BYTES + " bytes");
        }
        return passed();
    }

    /** Checks the rendered event and the artifact's bytes together. */
    public static Verification of(HandbookRendered r, HandbookArtifact artifact) {
        Verification event = ofEvent(r);
        if (!event.ok()) {
            return event;
        }
        byte[] bytes = artifact.bytes();
        return ofBytes(r, artifact.contentType(), bytes);
    }

    static Verification ofBytes(HandbookRendered r, String contentType, byte[] bytes) {
        String actual = HandbookArtifact.sha256Hex(bytes);
        if (!actual.equals(r.sha256())) {
            return failed("sha256 mismatch: the rendered event says " + r.sha256() + ", the bytes hash to " + actual);
        }
        if (bytes.length != r.size()) {
            return failed("size mismatch: the rendered event says " + r.size() + " bytes, the artifact has " + bytes.length);
        }
        if (!HandbookArtifact.PDF.equals(contentType)) {
            return failed("not a PDF: the artifact's media type is " + contentType);
        }
        if (bytes.length < PDF_MAGIC.length || !Arrays.equals(bytes, 0, PDF_MAGIC.length, PDF_MAGIC, 0, PDF_MAGIC.length)) {
            return failed("not a PDF: the bytes do not start with %PDF-");
        }
        return passed();
    }
}
