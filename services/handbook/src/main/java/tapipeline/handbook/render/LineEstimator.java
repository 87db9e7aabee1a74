package tapipeline.handbook.render;

import tapipeline.handbook.fonts.FontSet;

/**
 * Estimates how many lines a text takes in a box of a given width, with the shipped fonts'
 * advance widths and a greedy word wrap (long words break anywhere, as with
 * {@code word-wrap: break-word}). Slightly pessimistic on purpose: it is used to place page
 * breaks between table rows, where too few lines would let the engine split a row.
 */
final class LineEstimator {

    /** Widens every measurement a little to cover kerning-free differences and break rules. */
    private static final float SLACK = 1.02f;

    private final FontSet fonts;

    LineEstimator(FontSet fonts) {
        this.fonts = fonts;
    }

    int lines(String text, float widthPt, float sizePt, boolean bold) {
        if (text == null || text.isEmpty()) {
            return 1;
        }
        float width = widthPt / (sizePt * SLACK);
        float space = fonts.advance(' ', bold);
        int lines = 1;
        float x = 0;
        for (String word : text.split(" ")) {
            if (word.isEmpty()) {
                continue;
            }
            float w = width(word, bold);
            float needed = x == 0 ? w : x + space + w;
            if (needed <= width) {
                x = needed;
                continue;
            }
            if (x > 0) {
                lines++;
                x = 0;
            }
            if (w <= width) {
                x = w;
                continue;
            }
            // a word wider than the box breaks between characters
            int i = 0;
            while (i < word.length()) {
                int cp = word.codePointAt(i);
                float a = fonts.advance(cp, bold);
                if (x + a > width && x > 0) {
                    lines++;
                    x = 0;
                }
                x += a;
                i += Character.charCount(cp);
            }
        }
        return lines;
    }

    private float width(String word, boolean bold) {
        float w = 0;
        for (int i = 0; i < word.length(); ) {
            int cp = word.codePointAt(i);
            w += fonts.advance(cp, bold);
            i += Character.charCount(cp);
        }
        return w;
    }
}
