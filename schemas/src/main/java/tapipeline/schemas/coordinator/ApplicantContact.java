package tapipeline.schemas.coordinator;

import tapipeline.schemas.support.Checks;

/**
 * How to reach an applicant (v2 of {@code coordinator.datasets}). Private: it never leaves the
 * coordinator's and the offers service's topics (not in run requests, approvals or the public site).
 */
public record ApplicantContact(String applicantId, String email) {

    /** A plain address check (local@domain.tld, no whitespace); delivery is the real test. */
    public static final java.util.regex.Pattern EMAIL =
            java.util.regex.Pattern.compile("^[^\\s@<>\"]{1,64}@[^\\s@<>\"]{1,189}\\.[^\\s@<>\".]{1,63}$");

    public ApplicantContact {
        Checks.id(applicantId, "ApplicantContact.applicantId");
        Checks.matches(email, EMAIL, "ApplicantContact.email");
    }
}
