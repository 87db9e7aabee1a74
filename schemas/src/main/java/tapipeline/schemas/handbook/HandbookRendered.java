package tapipeline.schemas.handbook;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.UUID;
import tapipeline.schemas.support.Checks;

/**
 * A handbook edition was rendered (payload of {@code handbook.rendered}, keyed by program id). The
 * bytes themselves are on {@code handbook.artifacts} under {@code sha256}.
 *
 * @param term          the term whose approved TA list the PDF includes; {@code null} when none
 * @param pages         page count
 * @param renderedFrom  which events the PDF was made from (for replay and tracing)
 * @param validation    PDF/UA-1 and PDF/A-2 check results
 * @param missingGlyphs characters the embedded fonts could not draw
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HandbookRendered(
        String programId,
        String edition,
        String term,
        String sha256,
        long size,
        int pages,
        RenderedFrom renderedFrom,
        Validation validation,
        List<MissingGlyph> missingGlyphs) {

    public HandbookRendered {
        Checks.id(programId, "HandbookRendered.programId");
        Checks.matches(edition, HandbookContent.EDITION, "HandbookRendered.edition");
        Checks.optionalText(term, "HandbookRendered.term");
        Checks.matches(sha256, HandbookArtifact.SHA256, "HandbookRendered.sha256");
        Checks.atLeast(size, 1, "HandbookRendered.size");
        Checks.atLeast(pages, 1, "HandbookRendered.pages");
        Checks.nonNull(renderedFrom, "HandbookRendered.renderedFrom");
        Checks.nonNull(validation, "HandbookRendered.validation");
        missingGlyphs = Checks.list(missingGlyphs, "HandbookRendered.missingGlyphs");
    }

    /**
     * @param contentEventId eventId of the {@code handbook.content} event rendered
     * @param approvalRunId  runId of the {@code assignment.approved} event whose TA list is included;
     *                       {@code null} when none
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RenderedFrom(UUID contentEventId, String approvalRunId) {
        public RenderedFrom {
            Checks.nonNull(contentEventId, "RenderedFrom.contentEventId");
            Checks.optionalId(approvalRunId, "RenderedFrom.approvalRunId");
        }
    }

    /** Results of the accessibility (PDF/UA-1) and archival (PDF/A-2) checks, with their messages. */
    public record Validation(boolean pdfUa1, boolean pdfA2, List<String> messages) {
        public Validation {
            messages = Checks.texts(messages, "Validation.messages");
        }
    }

    /**
     * A character no embedded font could draw.
     *
     * @param codePoint the Unicode code point
     * @param text      the character itself
     * @param context   where it occurred, e.g. {@code contacts[2].name}
     */
    public record MissingGlyph(int codePoint, String text, String context) {
        public MissingGlyph {
            Checks.range(codePoint, 0, Character.MAX_CODE_POINT, "MissingGlyph.codePoint");
            Checks.text(text, "MissingGlyph.text");
            Checks.text(context, "MissingGlyph.context");
        }
    }
}
