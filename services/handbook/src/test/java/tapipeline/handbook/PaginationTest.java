package tapipeline.handbook;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.junit.jupiter.api.Test;
import tapipeline.handbook.model.TermAssignment;

import java.io.IOException;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** A TA table longer than a page repeats its header row on every page it spans and never splits a row. */
class PaginationTest {

    @Test
    void longTaTableRepeatsItsHeaderRowOnEveryPage() throws IOException {
        TermAssignment big = SyntheticAssignment.generate(120, 7);
        RenderResult r = Samples.RENDERER.render(Samples.content(), Optional.of(big));
        try (PDDocument doc = Loader.loadPDF(r.pdf())) {
            assertThat(doc.getNumberOfPages()).isEqualTo(r.pages()).isGreaterThan(8);
            int firstTablePage = -1;
            StringBuilder all = new StringBuilder();
            for (int p = 0; p < doc.getNumberOfPages(); p++) {
                String text = HandbookRoundTripTest.pageText(doc, p);
                all.append(text);
                if (firstTablePage < 0 && text.contains(big.courses().get(0).code() + " ")) {
                    firstTablePage = p;
                }
                if (firstTablePage >= 0) {
                    assertThat(text).as("page %d repeats the header row", p + 1)
                            .contains("Course", "Section", "Instructor", "Teaching assistants");
                    String afterHeader = text.substring(text.indexOf("(hours)") + "(hours)".length()).strip();
                    assertThat(afterHeader).as("page %d starts with a whole row, not the rest of one", p + 1)
                            .matches("(?s)\\d{2}-\\d{3} .*");
                }
                assertThat(text).contains("Page " + (p + 1) + " of " + r.pages());
            }
            assertThat(firstTablePage).isPositive();
            for (TermAssignment.Course c : big.courses()) {
                assertThat(all).contains(c.code());
            }
        }
    }
}
