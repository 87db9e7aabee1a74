package tapipeline.coordinator.pages;

import java.util.List;

import tapipeline.coordinator.datasets.DatasetDiff;
import tapipeline.coordinator.imports.Problem;
import tapipeline.schemas.assignment.Applicant;
import tapipeline.schemas.assignment.Course;
import tapipeline.schemas.assignment.InstructorPreference;
import tapipeline.schemas.audit.AuditEntry;
import tapipeline.schemas.coordinator.Account;
import tapipeline.schemas.handbook.HandbookContent;

/** The models the data half's templates render (records, so the templates are type-checked). */
public final class Views {

    private Views() {
    }

    /** A path segment or query value, percent-encoded (the template escapes it for HTML as well). */
    public static String enc(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** {@code /terms/<term>} */
    public static String termUrl(String term) {
        return "/terms/" + enc(term);
    }

    /** A term on the dashboard. */
    public record TermRow(String term, long version, int courses, int applicants, int preferences, int requests) {
    }

    /** The dashboard. */
    public record Dashboard(List<TermRow> terms, boolean canEdit, String sampleTerm) {
    }

    /** The import form; {@code error} a refusal to show above it (null when none). */
    public record ImportForm(List<String> terms, String term, String error) {
    }

    /** A checked import. */
    public record ImportReport(String term, String importId, long baseVersion, List<String> files, List<Problem> errors,
                               List<Problem> warnings, String summary, List<DatasetDiff.Section> changes, String error) {
        public boolean ok() {
            return errors.isEmpty();
        }
    }

    /** A term's dataset page. */
    public record DatasetPage(String term, long version, List<Course> courses, List<Applicant> applicants,
                              List<InstructorPreference> bans, List<InstructorPreference> requests, int preferences,
                              int pins, String lastRunId, List<DatasetDiff.Section> changesSinceRun, boolean hasRun,
                              boolean canEdit, String message, String error, String query, Paged<Applicant> applicantRows,
                              Paged<Course> courseRows) {

        /** The dataset page's own address with the search and the two tables' pages. */
        public String url(String q, int applicantPage, int coursePage) {
            StringBuilder u = new StringBuilder(termUrl(term)).append("?");
            if (q != null && !q.isBlank()) {
                u.append("q=").append(enc(q)).append("&");
            }
            return u.append("ap=").append(applicantPage).append("&cp=").append(coursePage).toString();
        }
    }

    /**
     * One page of a long table: {@code items} are rows {@code first} to {@code last} (1-based) of the
     * {@code matched} rows the search kept out of {@code total}.
     */
    public record Paged<T>(List<T> items, int page, int pages, int matched, int total) {
        public static final int PAGE_SIZE = 100;

        /** Page {@code page} (1-based, clamped to the pages there are) of the rows {@code keep} accepts. */
        public static <T> Paged<T> of(List<T> all, java.util.function.Predicate<T> keep, int page) {
            List<T> matched = all.stream().filter(keep).toList();
            int pages = Math.max(1, (matched.size() + PAGE_SIZE - 1) / PAGE_SIZE);
            int p = Math.min(Math.max(1, page), pages);
            int from = (p - 1) * PAGE_SIZE;
            return new Paged<>(matched.subList(Math.min(from, matched.size()), Math.min(from + PAGE_SIZE, matched.size())),
                    p, pages, matched.size(), all.size());
        }

        public int first() {
            return items.isEmpty() ? 0 : (page - 1) * PAGE_SIZE + 1;
        }

        public int last() {
            return first() + items.size() - (items.isEmpty() ? 0 : 1);
        }
    }

    /** One applicant, with the hours form. */
    public record ApplicantPage(String term, long version, Applicant applicant, List<InstructorPreference> requests,
                                boolean canEdit, String error) {
    }

    /** The content index. */
    public record ContentIndex(List<HandbookContent> programs) {
    }

    /** A program's content editor: every list field as text, one item per line (paragraphs: blank line between). */
    public record ContentForm(String programId, String name, String updatedAt, String overview, String outcomes,
                              String requirements, List<HandbookContent.Policy> policies,
                              List<HandbookContent.Link> links, List<HandbookContent.Semester> semesters,
                              boolean canEdit, String message, String error) {
    }

    /** A subject's history; {@code subjects} when no subject is chosen. */
    public record History(String subject, List<AuditRow> entries, List<String> subjects) {
    }

    public record AuditRow(String at, String actor, String action, String reason, String detail) {
        public static AuditRow of(AuditEntry e, String reason, String facts) {
            String at = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(java.time.ZoneOffset.UTC)
                    .format(e.at());
            return new AuditRow(at, e.actor(), e.action(), reason, facts);
        }
    }

    /** The accounts admin page. */
    public record Accounts(List<Account> accounts, String me, String message, String error) {
    }

    /** One account's admin page. */
    public record AccountPage(Account account, boolean self, String message, String error) {
    }

    /** The first-start setup page. */
    public record Setup(String token, String error, boolean done) {
    }
}
