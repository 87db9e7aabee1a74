package tapipeline.handbook.fonts;

import tapipeline.handbook.MissingGlyph;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The single gate every input string passes before it reaches the page: control and format
 * characters are removed, whitespace is normalised, and each remaining character is checked
 * against the shipped fonts. A character no font covers becomes a visible U+FFFD and is recorded
 * as a {@link MissingGlyph} with the field it came from. Not thread-safe: one per render.
 */
public final class TextPolicy {

    public static final int REPLACEMENT = 0xFFFD;
    /** Cap on reported missing glyphs so a pathological input cannot grow the event without bound. */
    public static final int MAX_REPORTED = 500;

    private final FontSet fonts;
    private final Set<MissingGlyph> missing = new LinkedHashSet<>();
    private boolean needsCjk;
    private boolean needsBidi;

    public TextPolicy(FontSet fonts) {
        this.fonts = fonts;
    }

    /** Cleans one value taken from field {@code context}; null becomes the empty string. */
    public String clean(String value, String context) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder(value.length());
        int i = 0;
        while (i < value.length()) {
            int cp = value.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == '\n' || cp == '\r' || cp == '\t' || Character.isSpaceChar(cp)) {
                if (cp == 0x00A0 || cp == 0x202F) {
                    out.append('\u00A0');
                } else {
                    out.append(' ');
                }
                continue;
            }
            int type = Character.getType(cp);
            if (type == Character.CONTROL || type == Character.FORMAT
                    || (cp & 0xFFFE) == 0xFFFE || (cp >= 0xFDD0 && cp <= 0xFDEF)) {
                continue;
            }
            if (type == Character.SURROGATE || type == Character.PRIVATE_USE || type == Character.UNASSIGNED
                    || !fonts.covers(cp)) {
                report(cp, context);
                out.appendCodePoint(REPLACEMENT);
                continue;
            }
            if (!fonts.latinCovers(cp)) {
                needsCjk = true;
            }
            if (isStrongRtl(cp)) {
                needsBidi = true;
            }
            out.appendCodePoint(cp);
        }
        return collapseSpaces(out);
    }

    private static String collapseSpaces(StringBuilder s) {
        StringBuilder out = new StringBuilder(s.length());
        boolean space = true;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == ' ') {
                if (!space) {
                    out.append(c);
                }
                space = true;
            } else {
                out.append(c);
                space = false;
            }
        }
        int end = out.length();
        while (end > 0 && out.charAt(end - 1) == ' ') {
            end--;
        }
        return out.substring(0, end);
    }

    private void report(int cp, String context) {
        if (missing.size() < MAX_REPORTED) {
            String text = Character.isSurrogate((char) cp) || cp > Character.MAX_CODE_POINT
                    ? "\uFFFD" : new String(Character.toChars(cp));
            missing.add(new MissingGlyph(cp, text, context));
        }
    }

    public List<MissingGlyph> missingGlyphs() {
        return new ArrayList<>(missing);
    }

    public FontSet fonts() {
        return fonts;
    }

    /** Whether any cleaned text has right-to-left letters (so bidi reordering and shaping only run when needed). */
    public boolean needsBidi() {
        return needsBidi;
    }

    /** Hebrew, Arabic, Syriac, Thaana, N'Ko... letters: the strong right-to-left bidi classes R and AL. */
    public static boolean isStrongRtl(int cp) {
        byte d = Character.getDirectionality(cp);
        return d == Character.DIRECTIONALITY_RIGHT_TO_LEFT || d == Character.DIRECTIONALITY_RIGHT_TO_LEFT_ARABIC;
    }

    /**
     * The language of a right-to-left string by its script, for the {@code lang} attribute: {@code he}
     * for Hebrew, {@code ar} for Arabic script (also used for Persian and Urdu, which cannot be told
     * apart reliably from a name). Empty when the string has no right-to-left letters, or also has
     * left-to-right letters, or mixes scripts: then no single language can be claimed.
     */
    public static String rtlLanguage(String s) {
        boolean hebrew = false;
        boolean arabic = false;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (isStrongRtl(cp)) {
                Character.UnicodeScript script = Character.UnicodeScript.of(cp);
                if (script == Character.UnicodeScript.HEBREW) {
                    hebrew = true;
                } else if (script == Character.UnicodeScript.ARABIC) {
                    arabic = true;
                } else {
                    return "";
                }
            } else if (Character.getDirectionality(cp) == Character.DIRECTIONALITY_LEFT_TO_RIGHT) {
                return "";
            }
        }
        return hebrew == arabic ? "" : hebrew ? "he" : "ar";
    }

    /** Whether the first strong letter is right-to-left (HTML's {@code dir="auto"} rule for a paragraph). */
    public static boolean startsRtl(String s) {
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (isStrongRtl(cp)) {
                return true;
            }
            if (Character.getDirectionality(cp) == Character.DIRECTIONALITY_LEFT_TO_RIGHT) {
                return false;
            }
        }
        return false;
    }

    /** Whether any cleaned text needs the CJK font (so it is only loaded when used). */
    public boolean needsCjk() {
        return needsCjk;
    }
}
