package tapipeline.handbook.validate;

import org.verapdf.gf.foundry.VeraGreenfieldFoundryProvider;
import org.verapdf.pdfa.Foundries;
import org.verapdf.pdfa.PDFAParser;
import org.verapdf.pdfa.PDFAValidator;
import org.verapdf.pdfa.flavours.PDFAFlavour;
import org.verapdf.pdfa.results.TestAssertion;
import org.verapdf.pdfa.results.ValidationResult;
import org.verapdf.pdfa.validation.profiles.RuleId;
import tapipeline.handbook.ValidationReport;
import tapipeline.handbook.ValidationReport.Status;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks a PDF with veraPDF (greenfield parser) against PDF/UA-1 and PDF/A-2a (tagged, Unicode text). Seconds per flavour
 * for a short handbook, tens of seconds for a 100-page one: see the module README.
 */
public final class PdfValidator {

    /** The PDF/A flavour the renderer declares in XMP and is checked against. */
    public static final PDFAFlavour PDFA = PDFAFlavour.PDFA_2_A;
    private static final int MAX_MESSAGES = 50;

    static {
        VeraGreenfieldFoundryProvider.initialise();
    }

    private PdfValidator() {}

    public static ValidationReport validate(byte[] pdf) {
        List<String> messages = new ArrayList<>();
        Status ua = check(pdf, PDFAFlavour.PDFUA_1, messages);
        Status a = check(pdf, PDFA, messages);
        messages.add(0, "veraPDF " + PDFAFlavour.PDFUA_1.getId() + ": " + ua + ", " + PDFA.getId() + ": " + a);
        return new ValidationReport(ua, a, messages);
    }

    /** Validates one flavour; failed rules are added to {@code messages} as "flavour clause-test: description (count)". */
    public static Status check(byte[] pdf, PDFAFlavour flavour, List<String> messages) {
        try (PDFAParser parser = Foundries.defaultInstance().createParser(new ByteArrayInputStream(pdf), flavour);
             PDFAValidator validator = Foundries.defaultInstance().createValidator(flavour, false)) {
            ValidationResult result = validator.validate(parser);
            if (!result.isCompliant()) {
                Map<RuleId, Integer> failed = result.getFailedChecks();
                for (Map.Entry<RuleId, Integer> e : failed.entrySet()) {
                    if (messages.size() >= MAX_MESSAGES) {
                        break;
                    }
                    String description = result.getTestAssertions().stream()
                            .filter(t -> t.getStatus() == TestAssertion.Status.FAILED && t.getRuleId().equals(e.getKey()))
                            .map(t -> t.getMessage() + (t.getLocation() == null ? "" : " at " + t.getLocation().getContext()))
                            .findFirst().orElse("");
                    messages.add(flavour.getId() + " " + e.getKey().getClause() + "-" + e.getKey().getTestNumber()
                            + ": " + description + " (" + e.getValue() + "x)");
                }
                return Status.FAILED;
            }
            return Status.PASSED;
        } catch (Exception e) {
            messages.add(flavour.getId() + ": validation could not run: " + e);
            return Status.FAILED;
        }
    }
}
