package tapipeline.handbook;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentCatalog;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import org.apache.pdfbox.pdmodel.interactive.action.PDActionGoTo;
import org.apache.pdfbox.pdmodel.interactive.action.PDActionURI;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotation;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationLink;
import org.apache.pdfbox.pdmodel.interactive.documentnavigation.destination.PDPageDestination;
import org.apache.pdfbox.pdmodel.interactive.documentnavigation.outline.PDOutlineItem;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tapipeline.handbook.model.ProgramContent;
import tapipeline.handbook.model.TermAssignment;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Render the sample, read it back with PDFBox, and check what a reader (or a screen reader) gets. */
class HandbookRoundTripTest {

    static ProgramContent content;
    static TermAssignment assignment;
    static RenderResult result;
    static String text;

    @BeforeAll
    static void render() throws IOException {
        content = Samples.content();
        assignment = Samples.assignment();
        result = Samples.RENDERER.render(content, Optional.of(assignment));
        try (PDDocument doc = Loader.loadPDF(result.pdf())) {
            text = new PDFTextStripper().getText(doc);
        }
    }

    @Test
    void textHasEveryNameInEveryScriptAndAllSections() {
        assertThat(text).contains(content.name(), "Pittsburgh campus", "Contents", "Program overview",
                "Learning outcomes", "Curriculum and degree requirements", "Policies", "Contacts", "Helpful links",
                "Teaching assistant assignments, Fall 2026");
        for (String outcome : content.outcomes()) {
            assertThat(squash(text)).contains(squash(outcome));
        }
        for (TermAssignment.Course c : assignment.courses()) {
            assertThat(text).contains(c.code());
            for (TermAssignment.Ta ta : c.tas()) {
                assertThat(text).as("TA name %s", ta.name()).contains(ta.name());
            }
        }
        assertThat(text).contains("김민준", "王小明", "さとう はなこ", "Γιώργος Παπαδόπουλος", "Анна Кузнецова",
                "Łukasz Żółkiewski", "İlkay Çağlar Öztürk", "Nguyễn Thị Lan", "No TA assigned");
        assertThat(result.missingGlyphs()).isEmpty();
    }

    @Test
    void runningHeaderAndPageXofYFooter() {
        int n = result.pages();
        assertThat(n).isBetween(5, 12);
        assertThat(text).contains("Page 1 of " + n, "Page " + n + " of " + n);
    }

    @Test
    void outlineMirrorsTheHeadings() throws IOException {
        try (PDDocument doc = Loader.loadPDF(result.pdf())) {
            List<String> top = new ArrayList<>();
            List<String> curriculumChildren = new ArrayList<>();
            for (PDOutlineItem item : doc.getDocumentCatalog().getDocumentOutline().children()) {
                top.add(item.getTitle());
                if (item.getTitle().startsWith("Curriculum")) {
                    item.children().forEach(c -> curriculumChildren.add(c.getTitle()));
                }
                assertThat(item.getDestination() != null || item.getAction() != null).isTrue();
            }
            assertThat(top).containsExactly("Program overview", "Learning outcomes",
                    "Curriculum and degree requirements", "Policies", "Contacts", "Helpful links",
                    "Teaching assistant assignments, Fall 2026");
            List<String> expected = new ArrayList<>();
            expected.add("Degree requirements");
            content.curriculum().semesters().forEach(s -> expected.add(s.name()));
            assertThat(curriculumChildren).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void tocLinksJumpToTheirHeadingsAndExternalLinksArePresent() throws IOException {
        try (PDDocument doc = Loader.loadPDF(result.pdf())) {
            List<String> uris = new ArrayList<>();
            java.util.Set<String> internal = new java.util.TreeSet<>();
            for (PDPage page : doc.getPages()) {
                for (PDAnnotation a : page.getAnnotations()) {
                    if (!(a instanceof PDAnnotationLink link)) {
                        continue;
                    }
                    assertThat(link.getContents()).as("link /Contents (PDF/UA)").isNotBlank();
                    if (link.getAction() instanceof PDActionURI uri) {
                        uris.add(uri.getURI());
                    } else {
                        PDPageDestination dest = link.getDestination() instanceof PDPageDestination d ? d
                                : (PDPageDestination) ((PDActionGoTo) link.getAction()).getDestination();
                        int target = dest.retrievePageNumber();
                        String targetText = pageText(doc, target);
                        assertThat(targetText).as("TOC entry '%s' lands on a page showing it", link.getContents())
                                .contains(link.getContents().replace("Go to ", ""));
                        internal.add(link.getContents());
                    }
                }
            }
            assertThat(internal).as("a link (title and page number) per TOC entry").hasSize(7);
            assertThat(uris).contains("https://gradadmissions.engineering.cmu.edu/apply/",
                    "https://www.ece.cmu.edu/about/visitor-info.html",
                    "http://localhost:8080/handbook/latest.pdf", "http://localhost:8080/ta-assignments",
                    "mailto:aie-director@example.edu");
        }
    }

    @Test
    void tocShowsThePageNumberOfEachSection() throws IOException {
        try (PDDocument doc = Loader.loadPDF(result.pdf())) {
            String toc = pageText(doc, 1);
            for (String line : toc.split("\\R")) {
                if (line.startsWith("Policies")) {
                    int page = Integer.parseInt(line.replaceAll(".*?(\\d+)\\s*$", "$1"));
                    assertThat(pageText(doc, page - 1)).contains("Policies");
                    return;
                }
            }
            throw new AssertionError("no Policies entry in the table of contents:\n" + toc);
        }
    }

    @Test
    void everyFontIsEmbeddedAndSubset() throws IOException {
        try (PDDocument doc = Loader.loadPDF(result.pdf())) {
            List<String> names = new ArrayList<>();
            for (PDPage page : doc.getPages()) {
                PDResources res = page.getResources();
                for (COSName n : res.getFontNames()) {
                    PDFont font = res.getFont(n);
                    names.add(font.getName());
                    assertThat(font.isEmbedded()).as("%s embedded", font.getName()).isTrue();
                    assertThat(font.getName()).as("subset tag").matches("[A-Z]{6}\\+.+");
                    assertThat(font).isInstanceOf(PDType0Font.class);
                }
            }
            assertThat(names).anyMatch(n -> n.contains("DejaVuSans-Bold"))
                    .anyMatch(n -> n.contains("DejaVuSans"))
                    .anyMatch(n -> n.contains("WenQuanYi"));
        }
    }

    @Test
    void metadataTitleLanguageAuthorSubjectAndXmp() throws IOException {
        try (PDDocument doc = Loader.loadPDF(result.pdf())) {
            PDDocumentCatalog cat = doc.getDocumentCatalog();
            assertThat(doc.getDocumentInformation().getTitle()).startsWith(content.name()).contains("2026-2027");
            assertThat(doc.getDocumentInformation().getAuthor()).contains(content.name());
            assertThat(doc.getDocumentInformation().getSubject()).contains("Fall 2026");
            assertThat(cat.getLanguage()).isEqualTo("en");
            assertThat(cat.getMarkInfo().isMarked()).isTrue();
            assertThat(cat.getStructureTreeRoot()).isNotNull();
            String xmp = new String(cat.getMetadata().toByteArray(), StandardCharsets.UTF_8);
            assertThat(xmp).contains("pdfuaid", "pdfaid:part", "2026-08-20T15:00:00");
            assertThat(doc.getDocumentInformation().getCreationDate().toInstant())
                    .isEqualTo(assignment.approvedAt());
        }
    }

    static String pageText(PDDocument doc, int zeroBasedPage) throws IOException {
        PDFTextStripper s = new PDFTextStripper();
        s.setStartPage(zeroBasedPage + 1);
        s.setEndPage(zeroBasedPage + 1);
        return s.getText(doc);
    }

    static String squash(String s) {
        return s.replaceAll("\\s+", " ");
    }
}
