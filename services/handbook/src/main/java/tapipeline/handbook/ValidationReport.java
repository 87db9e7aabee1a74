package tapipeline.handbook;

import java.util.List;

/**
 * veraPDF results for the rendered file. {@link Status#NOT_CHECKED} means validation was not run
 * for this render (it is optional at run time because it costs seconds per flavour).
 */
public record ValidationReport(Status pdfUa1, Status pdfA2, List<String> messages) {

    public enum Status { PASSED, FAILED, NOT_CHECKED }

    public ValidationReport {
        messages = messages == null ? List.of() : List.copyOf(messages);
    }

    public static ValidationReport notChecked() {
        return new ValidationReport(Status.NOT_CHECKED, Status.NOT_CHECKED,
                List.of("not validated at render time"));
    }

    public boolean compliant() {
        return pdfUa1 == Status.PASSED && pdfA2 == Status.PASSED;
    }
}
