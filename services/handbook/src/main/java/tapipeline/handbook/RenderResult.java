package tapipeline.handbook;

import java.util.List;

/**
 * One rendered handbook.
 *
 * @param pdf           the PDF bytes (identical for identical inputs)
 * @param sha256        lowercase hex SHA-256 of {@code pdf}
 * @param pages         page count
 * @param missingGlyphs characters no shipped font covers (rendered as U+FFFD)
 * @param validation    veraPDF results, or NOT_CHECKED
 * @param inputHash     hex SHA-256 of the canonical inputs; the PDF's dates and /ID derive from them
 */
public record RenderResult(
        byte[] pdf,
        String sha256,
        int pages,
        List<MissingGlyph> missingGlyphs,
        ValidationReport validation,
        String inputHash) {

    public RenderResult {
        missingGlyphs = List.copyOf(missingGlyphs);
    }

    public int size() {
        return pdf.length;
    }
}
