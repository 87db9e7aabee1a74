package tapipeline.handbook;

import com.ibm.icu.text.ArabicShaping;
import com.ibm.icu.text.ArabicShapingException;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.documentinterchange.logicalstructure.PDStructureElement;
import org.apache.pdfbox.pdmodel.documentinterchange.logicalstructure.PDStructureNode;
import org.apache.pdfbox.text.PDFTextStripper;
import org.apache.pdfbox.text.TextPosition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tapipeline.handbook.fonts.TextPolicy;
import tapipeline.handbook.model.TermAssignment;

import java.io.IOException;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Arabic and Hebrew: TA names in the assignment table and a Hebrew policy. Checked two ways: the
 * text PDFBox extracts (logical order, as a reader copying it gets it), and the glyphs' x positions
 * on the page (what is actually drawn: right-to-left runs, joined Arabic letter forms).
 */
class RightToLeftTest {

    static RenderResult result;
    static String text;
    /** Every glyph drawn, per line (page and baseline). */
    static Map<String, List<Glyph>> lines;

    record Glyph(float x, String unicode) {
        /** The letters this glyph stands for: presentation forms and the lam-alef ligature map back to their letters (NFKC). */
        String letters() {
            return Normalizer.normalize(unicode, Normalizer.Form.NFKC);
        }
    }

    @BeforeAll
    static void render() throws IOException {
        result = Samples.RENDERER.render(RightToLeft.content(), Optional.of(RightToLeft.assignment()));
        try (PDDocument doc = Loader.loadPDF(result.pdf())) {
            text = new PDFTextStripper().getText(doc);
            lines = glyphLines(doc);
        }
    }

    @Test
    void rendersWithNothingMissing() {
        assertThat(result.missingGlyphs()).isEmpty();
        assertThat(result.pages()).isBetween(5, 12);
    }

    @Test
    void extractedTextHasTheNamesAndThePolicyInLogicalOrder() {
        // PDFBox puts right-to-left runs back into logical order (and maps Arabic presentation
        // forms back to letters), so a copy or a search finds the names as typed.
        assertThat(text).contains(RightToLeft.ARABIC_NAME, RightToLeft.HEBREW_NAME, RightToLeft.ARABIC_LIGATURE_NAME,
                RightToLeft.HEBREW_POLICY_TITLE);
        // with their marks, in logical order (each mark after its letter)
        assertThat(text).contains(RightToLeft.ARABIC_VOWELLED_NAME, RightToLeft.HEBREW_POINTED_NAME);
        // The policy up to the number: PDFBox's own reordering of a right-to-left line that mixes
        // in digits and a full stop moves "15 בספטמבר." to the front of the extracted line, so the
        // digits' placement is checked on the glyph positions below instead.
        assertThat(text).contains("סטודנטים רשאים להגיש עבודות בעברית או באנגלית. יש לפנות למזכירות עד");
        // and every Latin name of the sample is still there
        for (TermAssignment.Course c : Samples.assignment().courses()) {
            for (TermAssignment.Ta ta : c.tas()) {
                assertThat(text).contains(ta.name());
            }
        }
    }

    @Test
    void namesAreDrawnRightToLeft() {
        for (String name : List.of(RightToLeft.ARABIC_NAME, RightToLeft.HEBREW_NAME, RightToLeft.ARABIC_LIGATURE_NAME)) {
            List<Glyph> line = lineWith(name);
            // read the line from right to left: the name comes out as typed
            assertThat(noSpace(rightToLeft(line, true))).as("%s read right to left", name).contains(noSpace(name));
            // and the rest of the cell ("— 10 h") stays left to right, after the name
            assertThat(noSpace(leftToRight(line))).matches(".*—\\d+h$");
        }
    }

    @Test
    void arabicLettersAreShapedIntoJoinedForms() throws ArabicShapingException {
        ArabicShaping shaper = new ArabicShaping(ArabicShaping.LETTERS_SHAPE);
        for (String name : List.of(RightToLeft.ARABIC_NAME, RightToLeft.ARABIC_LIGATURE_NAME)) {
            String shaped = shaper.shape(name);
            assertThat(shaped).as("ICU gives presentation forms").isNotEqualTo(name);
            assertThat(shaped.chars()).anyMatch(c -> c >= 0xFE70 && c <= 0xFEFF);
            // the glyphs drawn are the joined (initial, medial, final) forms, not the isolated letters
            List<Glyph> line = lineWith(name);
            assertThat(noSpace(rightToLeft(line, false))).as("%s drawn shaped", name).contains(noSpace(shaped));
        }
        // "علاء": lam and alef drawn as one ligature glyph (final lam-alef, U+FEFC)
        assertThat(lineWith(RightToLeft.ARABIC_LIGATURE_NAME)).extracting(Glyph::unicode).contains("\uFEFC");
        // "ليلى": initial lam, medial yeh, medial lam, final alef maksura
        assertThat(noSpace(rightToLeft(lineWith(RightToLeft.ARABIC_NAME), false))).contains("\uFEDF\uFEF4\uFEE0\uFEF0");
    }

    @Test
    void arabicVowelMarksStayCombiningMarksOverTheirLetters() {
        // ICU alone would turn a mark between letters into a spacing "tatweel with mark" form
        // (U+FE71, U+FE77...), drawn as a stretched stroke; the renderer keeps the combining marks
        Set<String> drawn = lines.values().stream().flatMap(List::stream).map(Glyph::unicode).collect(Collectors.toSet());
        assertThat(drawn).contains("\u064F", "\u064E", "\u0651", "\u0650");
        assertThat(drawn).noneMatch(u -> u.chars().anyMatch(c -> c >= 0xFE70 && c <= 0xFE7F));
        // the letters around them are still joined: initial meem, medial hah, medial meem, final dal
        List<Glyph> line = lines.values().stream().filter(l -> l.stream().anyMatch(g -> g.unicode().equals("\u064F")))
                .findFirst().orElseThrow();
        String lettersRightToLeft = line.stream().sorted(Comparator.comparing(Glyph::x).reversed())
                .map(Glyph::unicode).filter(u -> !u.isBlank() && Character.getType(u.codePointAt(0)) != Character.NON_SPACING_MARK)
                .collect(Collectors.joining());
        assertThat(lettersRightToLeft).contains("\uFEE3\uFEA4\uFEE4\uFEAA");
    }

    @Test
    void hebrewPolicyIsARightToLeftParagraph() {
        List<Glyph> line = lineWith("סטודנטים רשאים");
        String rtl = noSpace(rightToLeft(line, true));
        assertThat(rtl).contains(noSpace("סטודנטים רשאים להגיש עבודות בעברית או באנגלית. יש לפנות למזכירות עד"));
        // base direction right to left (dir="rtl"): the final full stop is drawn at the left end,
        // the number reads 15 left to right, between "עד" (to its right) and "בספטמבר" (to its left)
        Glyph leftmost = line.stream().min(Comparator.comparing(Glyph::x)).orElseThrow();
        assertThat(leftmost.unicode()).isEqualTo(".");
        float one = x(line, "1");
        float five = x(line, "5");
        assertThat(one).isLessThan(five);
        assertThat(rtl).contains("עד51בספטמבר."); // right to left: digits appear reversed, i.e. drawn as 15
        // the heading too is right-aligned: it starts further right than the Latin headings' left margin
        List<Glyph> title = lineWith(RightToLeft.HEBREW_POLICY_TITLE);
        assertThat(title.stream().map(Glyph::x).min(Float::compare).orElseThrow()).isGreaterThan(300f);
    }

    @Test
    void rightToLeftTextCarriesItsLanguageInTheStructureTree() throws IOException {
        try (PDDocument doc = Loader.loadPDF(result.pdf())) {
            Set<String> langs = new TreeSet<>();
            collectLangs(doc.getDocumentCatalog().getStructureTreeRoot(), langs);
            assertThat(langs).contains("ar", "he");
            assertThat(doc.getDocumentCatalog().getLanguage()).isEqualTo("en");
        }
    }

    @Test
    void aRightToLeftLetterNoFontHasIsStillReportedMissing() {
        TermAssignment a = RightToLeft.assignment();
        // Syriac (right to left, not in DejaVu)
        String syriac = "\u0710\u0720\u0717\u0710";
        TermAssignment.Course c = new TermAssignment.Course("rtl-2", "18-790", "Syriac test", "B", "",
                List.of(new TermAssignment.Ta("s1", RightToLeft.ARABIC_NAME + " " + syriac, 4)));
        List<TermAssignment.Course> courses = new ArrayList<>(a.courses());
        courses.add(c);
        RenderResult r = Samples.RENDERER.render(RightToLeft.content(),
                Optional.of(new TermAssignment(a.term(), a.runId(), a.approvedBy(), a.approvedAt(), courses)));
        assertThat(r.missingGlyphs()).extracting(MissingGlyph::codePoint).contains(0x0710, 0x0720, 0x0717);
        assertThat(r.missingGlyphs()).extracting(MissingGlyph::context)
                .containsOnly("assignment.courses[" + (courses.size() - 1) + "].tas[0].name");
    }

    @Test
    void languageAndDirectionRules() {
        assertThat(TextPolicy.rtlLanguage(RightToLeft.HEBREW_NAME)).isEqualTo("he");
        assertThat(TextPolicy.rtlLanguage(RightToLeft.ARABIC_NAME)).isEqualTo("ar");
        assertThat(TextPolicy.rtlLanguage("Laila " + RightToLeft.ARABIC_NAME)).isEmpty();
        assertThat(TextPolicy.rtlLanguage(RightToLeft.ARABIC_NAME + " " + RightToLeft.HEBREW_NAME)).isEmpty();
        assertThat(TextPolicy.rtlLanguage("Anna")).isEmpty();
        assertThat(TextPolicy.startsRtl("15 " + RightToLeft.HEBREW_POLICY)).isTrue();
        assertThat(TextPolicy.startsRtl("Policy: " + RightToLeft.HEBREW_POLICY)).isFalse();
    }

    // ---- helpers

    static Map<String, List<Glyph>> glyphLines(PDDocument doc) throws IOException {
        Map<String, List<Glyph>> byLine = new TreeMap<>();
        PDFTextStripper stripper = new PDFTextStripper() {
            @Override
            protected void processTextPosition(TextPosition t) {
                String key = getCurrentPageNo() + ":" + Math.round(t.getYDirAdj());
                byLine.computeIfAbsent(key, k -> new ArrayList<>()).add(new Glyph(t.getXDirAdj(), t.getUnicode()));
            }
        };
        stripper.getText(doc);
        return byLine;
    }

    /** The glyphs of the line on which, read right to left, the given logical text appears. */
    static List<Glyph> lineWith(String logical) {
        List<List<Glyph>> found = lines.values().stream()
                .filter(l -> noSpace(rightToLeft(l, true)).contains(noSpace(logical)))
                .collect(Collectors.toList());
        assertThat(found).as("a line showing '%s' when read right to left", logical).hasSize(1);
        return found.get(0);
    }

    static String rightToLeft(List<Glyph> line, boolean letters) {
        return line.stream().sorted(Comparator.comparing(Glyph::x).reversed())
                .map(g -> letters ? g.letters() : g.unicode()).collect(Collectors.joining());
    }

    static String leftToRight(List<Glyph> line) {
        return line.stream().sorted(Comparator.comparing(Glyph::x)).map(Glyph::letters).collect(Collectors.joining());
    }

    static float x(List<Glyph> line, String unicode) {
        return line.stream().filter(g -> g.unicode().equals(unicode)).map(Glyph::x).findFirst().orElseThrow();
    }

    static String noSpace(String s) {
        return s.replaceAll("\\s+", "");
    }

    static void collectLangs(PDStructureNode node, Set<String> langs) {
        if (node == null) {
            return;
        }
        if (node instanceof PDStructureElement e && e.getLanguage() != null) {
            langs.add(e.getLanguage());
        }
        for (Object kid : node.getKids()) {
            if (kid instanceof PDStructureNode n) {
                collectLangs(n, langs);
            }
        }
    }
}
