package tapipeline.handbook.render;

import com.openhtmltopdf.bidi.BidiReorderer;
import com.openhtmltopdf.bidi.support.ICUBidiReorderer;

/**
 * The engine's hook for right-to-left runs: openhtmltopdf-rtl-support's {@link ICUBidiReorderer}
 * (ICU4J: reversal into drawing order, Arabic letters to their joined presentation forms), except
 * for Arabic vowel marks (harakat). ICU turns a mark between two letters into a spacing
 * "tatweel with mark" form (U+FE71, U+FE77...), which draws as a stretched connecting stroke; here
 * such forms go back to the combining mark (U+064B–U+0652), which the font draws over its letter
 * while the letters keep the joined forms ICU chose (marks are transparent to joining).
 */
public final class RtlReorderer implements BidiReorderer {

    private final ICUBidiReorderer icu = new ICUBidiReorderer();

    @Override
    public String reorderRTLTextToLTR(String text) {
        return icu.reorderRTLTextToLTR(text);
    }

    @Override
    public String shapeText(String text) {
        String shaped = icu.shapeText(text);
        StringBuilder out = null;
        for (int i = 0; i < shaped.length(); i++) {
            char c = shaped.charAt(i);
            char mark = combiningMark(c);
            if (mark != 0) {
                if (out == null) {
                    out = new StringBuilder(shaped.length()).append(shaped, 0, i);
                }
                out.append(mark);
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? shaped : out.toString();
    }

    /** The combining mark of an isolated or medial harakat presentation form (U+FE70–U+FE7F), else 0. */
    static char combiningMark(char c) {
        if (c < 0xFE70 || c > 0xFE7F || c == 0xFE73 || c == 0xFE75) {
            return 0;
        }
        // FE70/FE71 fathatan, FE72 dammatan, FE74 kasratan, FE76/77 fatha, FE78/79 damma,
        // FE7A/7B kasra, FE7C/7D shadda, FE7E/7F sukun
        return switch (c) {
            case 0xFE70, 0xFE71 -> '\u064B';
            case 0xFE72 -> '\u064C';
            case 0xFE74 -> '\u064D';
            default -> (char) (0x064E + (c - 0xFE76) / 2);
        };
    }

    @Override
    public String deshapeText(String text) {
        return icu.deshapeText(text);
    }

    @Override
    public boolean isLiveImplementation() {
        return true;
    }
}
