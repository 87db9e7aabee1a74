package tapipeline.handbook;

import java.util.Locale;

/**
 * A character that none of the shipped fonts can draw. It is rendered as a visible replacement
 * (U+FFFD) and reported here, never silently dropped.
 *
 * @param codePoint the Unicode code point (a lone surrogate is reported as itself)
 * @param text      the character itself, or U+FFFD when it cannot stand alone (lone surrogate)
 * @param context   the input field where it occurred, e.g. {@code assignment.courses[2].tas[0].name}
 */
public record MissingGlyph(int codePoint, String text, String context) {

    /** {@code U+XXXX}. */
    public String label() {
        return String.format(Locale.ROOT, "U+%04X", codePoint);
    }
}
