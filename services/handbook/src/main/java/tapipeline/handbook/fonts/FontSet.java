package tapipeline.handbook.fonts;

import com.ibm.icu.text.ArabicShaping;
import com.ibm.icu.text.ArabicShapingException;
import org.apache.fontbox.ttf.CmapLookup;
import org.apache.fontbox.ttf.TTFParser;
import org.apache.fontbox.ttf.TrueTypeFont;
import org.apache.pdfbox.io.RandomAccessReadBuffer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.BitSet;

/**
 * The fonts shipped in this module's resources (DejaVu Sans regular and bold for Latin, Greek,
 * Cyrillic and more; WenQuanYi Zen Hei for Chinese, Japanese kana and Korean Hangul), with the
 * set of code points each one covers and their advance widths. The coverage and widths are
 * immutable and safe to share; the parsed fonts need the lock (see {@link #regularFont()}).
 */
public final class FontSet {

    public static final String SANS = "DejaVu Sans";
    /** DejaVu Sans regular registered under a second name at every weight: bold text whose glyph only the regular face has falls back here. */
    public static final String SANS_FALLBACK = "DejaVu Sans Fallback";
    public static final String CJK = "WenQuanYi Zen Hei";

    /** Code points above this are never checked and count as uncovered. */
    private static final int MAX_CODE_POINT = 0x2FFFF;

    private final BitSet latinCoverage;
    private final BitSet cjkCoverage;
    /**
     * Arabic-script letters (Arabic, Arabic Supplement, Arabic Extended-A) whose base form DejaVu
     * has but one of whose contextual presentation forms it lacks: shaping would turn them into a
     * glyph no font can draw, so they count as missing.
     */
    private final BitSet unshapeable;
    /** Advance widths in em for the Basic Multilingual Plane, 0 where the font has no glyph. */
    private final float[] regularAdvance = new float[0x10000];
    private final float[] boldAdvance = new float[0x10000];
    private final float[] cjkAdvance = new float[0x10000];

    private final TrueTypeFont regularFont;
    private final TrueTypeFont boldFont;
    private final TrueTypeFont cjkFont;

    private FontSet(byte[] sansRegular, byte[] sansBold, byte[] cjk) throws IOException {
        this.regularFont = new TTFParser().parse(new RandomAccessReadBuffer(sansRegular));
        this.boldFont = new TTFParser().parse(new RandomAccessReadBuffer(sansBold));
        this.cjkFont = new TTFParser().parse(new RandomAccessReadBuffer(cjk));
        BitSet latin = coverage(sansRegular, regularAdvance);
        latin.or(coverage(sansBold, boldAdvance));
        this.latinCoverage = latin;
        this.cjkCoverage = coverage(cjk, cjkAdvance);
        this.unshapeable = unshapeable(latin);
    }

    /** The shaper the renderer uses (ICU4J, letters to presentation forms, as openhtmltopdf's {@code ICUBidiReorderer}). */
    public static ArabicShaping arabicShaper() {
        return new ArabicShaping(ArabicShaping.LETTERS_SHAPE);
    }

    /** Package-private for the test. */
    static BitSet unshapeable(BitSet covered) {
        ArabicShaping shaper = arabicShaper();
        BitSet out = new BitSet();
        String tatweel = "\u0640";
        int[][] blocks = {{0x0600, 0x06FF}, {0x0750, 0x077F}, {0x08A0, 0x08FF}};
        for (int[] block : blocks) {
            for (int cp = block[0]; cp <= block[1]; cp++) {
                if (!covered.get(cp)) {
                    continue;
                }
                String c = String.valueOf((char) cp);
                // isolated, final, initial and medial contexts (tatweel joins on both sides), and with lam before alef-like letters
                for (String context : new String[] {c, tatweel + c, c + tatweel, tatweel + c + tatweel, "\u0644" + c, tatweel + "\u0644" + c}) {
                    try {
                        String shaped = shaper.shape(context);
                        if (!shaped.codePoints().allMatch(covered::get)) {
                            out.set(cp);
                        }
                    } catch (ArabicShapingException e) {
                        out.set(cp);
                    }
                }
            }
        }
        return out;
    }

    /** Loads the fonts from the classpath ({@code /fonts/...}). */
    public static FontSet load() {
        try {
            return new FontSet(resource("DejaVuSans.ttf"), resource("DejaVuSans-Bold.ttf"),
                    resource("WenQuanYiZenHei.ttf"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the shipped fonts", e);
        }
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = FontSet.class.getResourceAsStream("/fonts/" + name)) {
            if (in == null) {
                throw new IOException("font resource /fonts/" + name + " is missing from the classpath");
            }
            return in.readAllBytes();
        }
    }

    private static BitSet coverage(byte[] ttfBytes, float[] advances) throws IOException {
        BitSet set = new BitSet();
        try (TrueTypeFont ttf = new TTFParser().parse(new RandomAccessReadBuffer(ttfBytes))) {
            CmapLookup cmap = ttf.getUnicodeCmapLookup();
            float unitsPerEm = ttf.getUnitsPerEm();
            for (int cp = 0; cp <= MAX_CODE_POINT; cp++) {
                int gid = cmap.getGlyphId(cp);
                if (gid > 0) {
                    set.set(cp);
                    if (cp < advances.length) {
                        advances[cp] = ttf.getAdvanceWidth(gid) / unitsPerEm;
                    }
                }
            }
        }
        return set;
    }

    /**
     * The advance width of a code point in em, from the font the layout will use for it (bold
     * DejaVu, regular DejaVu, then the CJK font); 1 em when unknown. For estimating line breaks.
     */
    public float advance(int codePoint, boolean bold) {
        if (codePoint < 0 || codePoint >= regularAdvance.length) {
            return 1f;
        }
        if (bold && boldAdvance[codePoint] > 0) {
            return boldAdvance[codePoint];
        }
        if (regularAdvance[codePoint] > 0) {
            return regularAdvance[codePoint];
        }
        if (cjkAdvance[codePoint] > 0) {
            return cjkAdvance[codePoint];
        }
        return codePoint == ' ' ? 0.32f : 1f;
    }

    /** A shipped font (DejaVu regular or bold) other than the CJK one can draw this code point. */
    public boolean latinCovers(int codePoint) {
        return codePoint <= MAX_CODE_POINT && latinCoverage.get(codePoint);
    }

    public boolean cjkCovers(int codePoint) {
        return codePoint <= MAX_CODE_POINT && cjkCoverage.get(codePoint);
    }

    public boolean covers(int codePoint) {
        return (latinCovers(codePoint) && !unshapeable.get(codePoint)) || cjkCovers(codePoint);
    }

    /** An Arabic-script letter whose base glyph exists but not every joined form (see {@link #covers}). */
    public boolean lacksShapedForms(int codePoint) {
        return codePoint <= MAX_CODE_POINT && unshapeable.get(codePoint);
    }

    /**
     * The parsed fonts, shared by every render so the 11 MB CJK font is not parsed again each time.
     * FontBox reads tables lazily from a shared buffer: callers must hold the lock of this
     * {@code FontSet} while a document that uses them is laid out and saved.
     */
    public TrueTypeFont regularFont() {
        return regularFont;
    }

    public TrueTypeFont boldFont() {
        return boldFont;
    }

    public TrueTypeFont cjkFont() {
        return cjkFont;
    }
}
