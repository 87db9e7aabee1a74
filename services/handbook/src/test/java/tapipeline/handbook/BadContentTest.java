package tapipeline.handbook;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.interactive.action.PDActionURI;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotation;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationLink;
import org.apache.pdfbox.text.PDFTextStripper;
import org.apache.pdfbox.text.TextPosition;
import org.junit.jupiter.api.Test;
import tapipeline.handbook.json.HandbookJson;
import tapipeline.handbook.model.ProgramContent;
import tapipeline.handbook.model.TermAssignment;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BadContentTest {

    @Test
    void missingSectionsAndNoAssignmentRenderWithPlaceholders() throws IOException {
        RenderResult r = Samples.RENDERER.render(Hostile.bareContent(), Optional.empty());
        String text = text(r.pdf());
        assertThat(text).contains("Bare Program", "Not provided in this edition.",
                "No approved teaching assistant assignment has been published");
        assertThat(r.pages()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void emptyAssignmentRenders() throws IOException {
        TermAssignment empty = new TermAssignment("Spring 2027", "run-1", "x", Instant.parse("2027-01-05T00:00:00Z"), List.of());
        String text = text(Samples.RENDERER.render(Samples.content(), Optional.of(empty)).pdf());
        assertThat(text).contains("Teaching assistant assignments, Spring 2027", "The approved assignment lists no courses.");
    }

    @Test
    void markupInNamesPrintsAsTextAndUnsafeLinksAreNotLinked() throws IOException {
        RenderResult r = Samples.RENDERER.render(Hostile.content(), Optional.of(Hostile.assignment()));
        String text = text(r.pdf());
        assertThat(text.replaceAll("\\s+", "")).contains("<script>alert('x')</script>&</td></tr>Tom&Jerry",
                "Semester<b>1</b>", "Apply&<visit>", "not-an-email</a>", "Clickme", "javascript:alert(1)");
        assertThat(text).as("running header keeps the spaces").contains("</td></tr> Tom & Jerry Program");
        try (PDDocument doc = Loader.loadPDF(r.pdf())) {
            List<String> uris = new ArrayList<>();
            for (PDPage page : doc.getPages()) {
                for (PDAnnotation a : page.getAnnotations()) {
                    if (a instanceof PDAnnotationLink l && l.getAction() instanceof PDActionURI u) {
                        uris.add(u.getURI());
                    }
                }
            }
            assertThat(uris).noneMatch(u -> u.startsWith("javascript"))
                    .contains("https://example.edu/apply?a=1&b=%3C2%3E");
        }
    }

    @Test
    void longTitlesAndUnbrokenWordsWrapInsideThePage() throws IOException {
        RenderResult r = Samples.RENDERER.render(Hostile.content(), Optional.of(Hostile.assignment()));
        try (PDDocument doc = Loader.loadPDF(r.pdf())) {
            List<String> outside = new ArrayList<>();
            PDFTextStripper stripper = new PDFTextStripper() {
                @Override
                protected void writeString(String s, List<TextPosition> positions) throws IOException {
                    PDRectangle box = getCurrentPage().getMediaBox();
                    for (TextPosition p : positions) {
                        if (p.getXDirAdj() < 0 || p.getXDirAdj() + p.getWidthDirAdj() > box.getWidth() + 0.5f
                                || p.getYDirAdj() < 0 || p.getYDirAdj() > box.getHeight()) {
                            outside.add(p.getUnicode() + "@" + p.getXDirAdj());
                        }
                    }
                    super.writeString(s, positions);
                }
            };
            String text = stripper.getText(doc);
            assertThat(outside).as("glyphs outside the page").isEmpty();
            assertThat(text.replaceAll("\\s+", "")).contains(Hostile.LONG_WORD);
            assertThat(text.replaceAll("\\s+", " ")).contains("Deep Reinforcement Learning for Autonomous Systems");
        }
    }

    @Test
    void glyphsNoFontHasAreReplacedVisiblyAndReported() throws IOException {
        RenderResult r = Samples.RENDERER.render(Hostile.content(), Optional.of(Hostile.assignment()));
        assertThat(r.missingGlyphs()).extracting(MissingGlyph::label, MissingGlyph::context)
                .contains(org.assertj.core.groups.Tuple.tuple("U+13000", "assignment.courses[0].tas[1].name"),
                        org.assertj.core.groups.Tuple.tuple("U+E000", "assignment.courses[0].tas[1].name"));
        assertThat(r.missingGlyphs()).extracting(MissingGlyph::text).contains("\uD80C\uDC00");
        String text = text(r.pdf());
        assertThat(text.replaceAll("\\s+", " ")).contains("Hieroglyph \uFFFD and private \uFFFD and bell name");
    }

    @Test
    void cjkProgramNameRendersOnTheCoverAndInTheRunningHeader() throws IOException {
        ProgramContent s = Samples.content();
        String name = "人工智能工程硕士 · 인공지능공학 석사 · AI工学修士";
        ProgramContent cjk = new ProgramContent(s.programId(), name, s.degree(), s.campus(), s.edition(),
                s.totalUnits(), s.semesters(), s.overview(), s.outcomes(), s.curriculum(), s.policies(),
                s.contacts(), s.links(), s.updatedAt());
        RenderResult r = Samples.RENDERER.render(cjk, Optional.empty());
        assertThat(r.missingGlyphs()).isEmpty();
        String text = text(r.pdf());
        assertThat(text.replaceAll("\\s+", " ")).contains(name);
        assertThat(text.replaceAll("\\s+", " ").split(java.util.regex.Pattern.quote(name), -1).length - 1)
                .as("cover title plus the running header on every page but the cover")
                .isGreaterThanOrEqualTo(r.pages());
    }

    @Test
    void requiredFieldsAreRejectedNamingTheField() {
        ProgramContent noName = new ProgramContent("p", " ", null, null, null, 0, 0, null, null, null, null, null, null, null);
        assertThatThrownBy(() -> Samples.RENDERER.render(noName, Optional.empty()))
                .isInstanceOf(InvalidHandbookException.class).hasMessageContaining("content.name")
                .extracting(e -> ((InvalidHandbookException) e).field()).isEqualTo("content.name");

        TermAssignment badHours = new TermAssignment("Fall", "r", "x", null, List.of(new TermAssignment.Course(
                "c", "C", "T", "A", "I", List.of(new TermAssignment.Ta("a", "N", -3)))));
        assertThatThrownBy(() -> Samples.RENDERER.render(Samples.content(), Optional.of(badHours)))
                .isInstanceOf(InvalidHandbookException.class)
                .extracting(e -> ((InvalidHandbookException) e).field()).isEqualTo("assignment.courses[0].tas[0].hours");

        String huge = "x".repeat(30_000);
        ProgramContent hugeOverview = new ProgramContent("p", "P", null, null, null, 0, 0, List.of("ok", huge),
                null, null, null, null, null, null);
        assertThatThrownBy(() -> Samples.RENDERER.render(hugeOverview, Optional.empty()))
                .isInstanceOf(InvalidHandbookException.class).hasMessageContaining("content.overview[1]");
    }

    @Test
    void unreadableJsonNamesTheField() {
        String json = "{\"programId\":\"p\",\"name\":\"P\",\"totalUnits\":\"many\"}";
        assertThatThrownBy(() -> HandbookJson.content(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(InvalidHandbookException.class).hasMessageContaining("content.totalUnits");
    }

    static String text(byte[] pdf) throws IOException {
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            return new PDFTextStripper().getText(doc);
        }
    }
}
