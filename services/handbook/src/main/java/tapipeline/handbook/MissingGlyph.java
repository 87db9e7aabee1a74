package tapipeline.handbook;

/**
 * A character that none of the shipped fonts can draw. It is rendered as a visible replacement
 * (U+FFFD) and reported here, never silently dropped.
 *
 * @param codePoint the code point as {@code U+XXXX}
 * @param text      the character itself
 * @param context   the input field where it occurred, e.g. {@code assignment.courses[2].tas[0].name}
 */
public record MissingGlyph(String codePoint, String text, String context) {}
