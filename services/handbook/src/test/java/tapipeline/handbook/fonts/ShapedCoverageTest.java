package tapipeline.handbook.fonts;

import org.junit.jupiter.api.Test;

import java.util.BitSet;

import static org.assertj.core.api.Assertions.assertThat;

/** An Arabic letter counts as covered only if every joined form ICU shapes it into is in the font. */
class ShapedCoverageTest {

    @Test
    void aLetterWhoseJoinedFormsTheFontLacksIsUnshapeable() {
        BitSet baseOnly = new BitSet();
        baseOnly.set(0x0621, 0x064B); // hamza .. yeh, no presentation forms
        BitSet unshapeable = FontSet.unshapeable(baseOnly);
        assertThat(unshapeable.get(0x0644)).as("lam").isTrue();
        assertThat(unshapeable.get(0x0628)).as("beh").isTrue();

        BitSet withForms = (BitSet) baseOnly.clone();
        withForms.set(0xFE70, 0xFF00); // Arabic Presentation Forms-B, incl. lam-alef ligatures
        withForms.set(0x0640);         // tatweel, used for the joining contexts
        assertThat(FontSet.unshapeable(withForms).get(0x0644)).isFalse();
        assertThat(FontSet.unshapeable(withForms).get(0x0628)).isFalse();
    }

    @Test
    void theShippedFontsHaveEveryJoinedFormOfTheirArabicLetters() {
        FontSet fonts = FontSet.load();
        int letters = 0;
        for (int cp = 0x0600; cp <= 0x06FF; cp++) {
            if (fonts.latinCovers(cp)) {
                letters++;
                assertThat(fonts.lacksShapedForms(cp)).as("U+%04X", cp).isFalse();
                assertThat(fonts.covers(cp)).isTrue();
            }
        }
        assertThat(letters).isGreaterThan(100);
        for (int cp = 0x05D0; cp <= 0x05EA; cp++) {
            assertThat(fonts.covers(cp)).as("Hebrew U+%04X", cp).isTrue();
        }
    }
}
