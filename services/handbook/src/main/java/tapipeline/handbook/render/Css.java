package tapipeline.handbook.render;

import tapipeline.handbook.fonts.FontSet;

/** The handbook stylesheet. Input text reaches it only through {@link #string}, which escapes every character. */
final class Css {

    /** Page geometry, in points; keep in step with the {@code @page} rule below (Letter, margins 22/18/20/18 mm). */
    static final float CONTENT_WIDTH = 612f - 2 * mm(18);
    static final float CONTENT_HEIGHT = 792f - mm(22) - mm(20);
    /** TA table: cell text size and line height, and the vertical space a cell adds (padding + border). */
    static final float TA_FONT = 9f;
    static final float TA_LINE = TA_FONT * 1.4f;
    static final float HEADER_FONT = 10f;
    static final float HEADER_LINE = HEADER_FONT * 1.4f;
    static final float CELL_EXTRA_Y = 6.5f;
    static final float CELL_EXTRA_X = 8.5f;

    private Css() {}

    private static float mm(float mm) {
        return mm * 72f / 25.4f;
    }

    static String stylesheet(boolean cjk, String runningTitle, String runningEdition) {
        String family = "'" + FontSet.SANS + "', '" + FontSet.SANS_FALLBACK + "'"
                + (cjk ? ", '" + FontSet.CJK + "'" : "");
        String header = string(shorten(runningTitle, 90));
        String edition = string(shorten(runningEdition, 40));
        return """
                @page {
                  size: letter;
                  margin: 22mm 18mm 20mm 18mm;
                  @top-left { content: %2$s; font-family: %1$s; font-size: 8pt; color: #444444; }
                  @top-right { content: %3$s; font-family: %1$s; font-size: 8pt; color: #444444; }
                  @bottom-center { content: "Page " counter(page) " of " counter(pages); font-family: %1$s; font-size: 8pt; color: #444444; }
                }
                @page :first {
                  @top-left { content: none; }
                  @top-right { content: none; }
                }
                html, body { font-family: %1$s; font-size: 10pt; line-height: 1.4; color: #111111; }
                body { margin: 0; }
                p, li, td, th, h1, h2, h3, a, span, div { word-wrap: break-word; }
                h1, h2, h3 { font-weight: bold; page-break-after: avoid; line-height: 1.2; }
                h2 { font-size: 16pt; color: #7a0019; border-bottom: 0.75pt solid #7a0019; padding-bottom: 2pt; margin: 20pt 0 8pt 0; }
                h3 { font-size: 12pt; margin: 14pt 0 6pt 0; }
                .cover { page-break-after: always; padding-top: 140pt; }
                .cover-title { font-size: 28pt; color: #7a0019; margin: 0 0 14pt 0; }
                .cover-degree { font-size: 15pt; margin: 0 0 6pt 0; }
                .cover-campus { font-size: 13pt; margin: 0 0 24pt 0; }
                .cover-facts, .cover-edition, .cover-term, .cover-date { font-size: 11pt; margin: 0 0 4pt 0; }
                .toc { page-break-after: always; }
                .toc-list { list-style-type: none; padding: 0; margin: 0; }
                .toc-list li { margin: 0 0 6pt 0; font-size: 11pt; }
                a { color: #0b4f9c; text-decoration: underline; }
                a.toc-link { color: #111111; text-decoration: none; }
                a.toc-link::after { content: leader('.') target-counter(attr(href), page); }
                .url { display: block; font-size: 8.5pt; color: #444444; }
                .links li { margin-bottom: 5pt; }
                .none { color: #444444; font-style: normal; }
                table { width: 100%%; border-collapse: collapse; table-layout: fixed; margin: 4pt 0 10pt 0; -fs-table-paginate: paginate; }
                thead { display: table-header-group; }
                tr { page-break-inside: avoid; }
                .new-page { page-break-before: always; }
                tr.break { page-break-before: always; }
                th, td { border: 0.5pt solid #8c8c8c; padding: 3pt 4pt; text-align: left; vertical-align: top; }
                th { background-color: #ececec; font-weight: bold; }
                td.num { text-align: right; }
                tr.total td { font-weight: bold; }
                .code { font-weight: bold; }
                .tas td { font-size: 9pt; }
                """.formatted(family, header, edition);
    }

    static String shorten(String s, int max) {
        if (s.codePointCount(0, s.length()) <= max) {
            return s;
        }
        return s.substring(0, s.offsetByCodePoints(0, max - 1)) + "\u2026";
    }

    /**
     * A CSS string literal with every character other than ASCII letters and digits written as a
     * six-digit escape (spaces too: CSS swallows one space after an escape).
     */
    static String string(String s) {
        StringBuilder out = new StringBuilder("\"");
        s.codePoints().forEach(cp -> {
            if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9')) {
                out.appendCodePoint(cp);
            } else {
                out.append(String.format("\\%06X", cp));
            }
        });
        return out.append('"').toString();
    }
}
