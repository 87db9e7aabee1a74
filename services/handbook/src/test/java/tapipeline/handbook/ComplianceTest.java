package tapipeline.handbook;

import org.junit.jupiter.api.Test;
import tapipeline.handbook.ValidationReport.Status;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** veraPDF (greenfield parser) on the sample handbook: PDF/UA-1 and PDF/A-2a (the level the file declares). */
class ComplianceTest {

    @Test
    void sampleHandbookPassesPdfUa1AndPdfA2a() {
        RenderResult r = Samples.RENDERER.render(Samples.content(), Optional.of(Samples.assignment()),
                RenderOptions.defaults().withValidate(true));
        assertThat(r.validation().messages()).first().asString().contains("PASSED");
        assertThat(r.validation().pdfUa1()).as(String.join("\n", r.validation().messages())).isEqualTo(Status.PASSED);
        assertThat(r.validation().pdfA2()).as(String.join("\n", r.validation().messages())).isEqualTo(Status.PASSED);
    }

    @Test
    void arabicAndHebrewHandbookPassesPdfUa1AndPdfA2a() {
        RenderResult r = Samples.RENDERER.render(RightToLeft.content(), Optional.of(RightToLeft.assignment()),
                RenderOptions.defaults().withValidate(true));
        assertThat(r.missingGlyphs()).isEmpty();
        assertThat(r.validation().pdfUa1()).as(String.join("\n", r.validation().messages())).isEqualTo(Status.PASSED);
        assertThat(r.validation().pdfA2()).as(String.join("\n", r.validation().messages())).isEqualTo(Status.PASSED);
    }

    @Test
    void hostileContentStillPassesBothProfiles() {
        RenderResult r = Samples.RENDERER.render(Hostile.content(), Optional.of(Hostile.assignment()),
                RenderOptions.defaults().withValidate(true));
        assertThat(r.missingGlyphs()).isNotEmpty();
        assertThat(r.validation().compliant()).as(String.join("\n", r.validation().messages())).isTrue();
    }
}
