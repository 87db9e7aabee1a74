package tapipeline.coordinator.pages;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import tapipeline.coordinator.api.CoordinatorFixture;
import tapipeline.coordinator.api.Multipart;
import tapipeline.coordinator.imports.ImportCases;
import tapipeline.platform.testing.KafkaBrokerExtension;
import tapipeline.platform.testing.web.WebClient;
import tapipeline.schemas.coordinator.Account.Role;

/**
 * The data half's pages without JavaScript (plain form posts, as a browser without scripts sends
 * them): import, report, apply, edits, content, history, accounts; and a hostile name shown as text
 * on every one of them and in every export.
 */
@ExtendWith(KafkaBrokerExtension.class)
class CoordinatorPagesIT {

    static final String XSS = "<script>alert(1)</script>";
    static final String ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;";

    private static CoordinatorFixture f;
    private static WebClient c;

    @BeforeAll
    static void start() throws Exception {
        f = new CoordinatorFixture(Map.of());
        c = f.signedIn(f.coordinator);
    }

    @AfterAll
    static void stop() {
        if (f != null) {
            f.close();
        }
    }

    private static HttpResponse<String> page(String path) {
        HttpResponse<String> r = c.get(path, WebClient.HTML);
        assertThat(r.statusCode()).as("GET %s: %s", path, r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        return r;
    }

    private static void assertText(String what, HttpResponse<String> r) {
        assertThat(r.body()).as(what).contains(ESCAPED).doesNotContain(XSS);
    }

    @Test
    void import_through_the_form_preview_apply_then_edit_and_a_hostile_name_is_text_everywhere() throws Exception {
        String term = f.term();
        // a name that is markup, with a space around it (a warning quoting it), in every file that shows names
        Map<String, byte[]> files = ImportCases.with("applicants.csv", ImportCases.APPLICANTS
                + "a3,\" " + XSS + "\",10,Python,\n");
        files.put("courses.csv", ImportCases.utf8(ImportCases.COURSES + "c3,XSS 1,\"" + XSS + "\",1,,1,5,,0\n"));
        Multipart m = new Multipart().field("term", term).field("_csrf", c.csrfToken()).files(files);
        HttpResponse<String> posted = c.sendBytes("POST", "/import", WebClient.HTML, m.contentType(), m.bytes(), Map.of());
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(303);
        String report = posted.headers().firstValue("Location").orElseThrow();
        assertThat(report).startsWith("/terms/" + term + "/imports/");
        HttpResponse<String> preview = page(report);
        assertThat(preview.body()).contains("Import preview").contains("courses 3 added").contains("spaces around");
        assertText("import preview", preview);

        HttpResponse<String> noReason = c.postForm(report + "/apply", WebClient.HTML, Map.of("_csrf", c.csrfToken()));
        assertThat(noReason.statusCode()).isEqualTo(400);
        assertThat(noReason.body()).contains("Say why");
        HttpResponse<String> applied = c.postForm(report + "/apply", WebClient.HTML,
                Map.of("_csrf", c.csrfToken(), "reason", "first import " + XSS));
        assertThat(applied.statusCode()).as(applied.body()).isEqualTo(303);
        assertThat(applied.headers().firstValue("Location")).contains("/terms/" + term + "?applied=1");

        HttpResponse<String> dataset = page("/terms/" + term + "?applied=1");
        assertThat(dataset.body()).contains("is now version 1").contains("No run of " + term);
        assertText("dataset page", dataset);
        assertThat(page("/").body()).as("dashboard").doesNotContain(XSS);
        assertText("applicant page", page("/terms/" + term + "/applicants/a3"));

        HttpResponse<String> hours = c.postForm("/terms/" + term + "/applicants/a3/hours", WebClient.HTML, Map.of("_csrf",
                c.csrfToken(), "expectedVersion", "1", "minHours", "5", "targetHours", "8", "maxHours", "10", "reason", "funding"));
        assertThat(hours.statusCode()).as(hours.body()).isEqualTo(303);
        HttpResponse<String> bad = c.postForm("/terms/" + term + "/applicants/a3/hours", WebClient.HTML, Map.of("_csrf",
                c.csrfToken(), "expectedVersion", "2", "minHours", "9", "targetHours", "8", "maxHours", "10", "reason", "x"));
        assertThat(bad.statusCode()).isEqualTo(422);
        assertThat(bad.body()).contains("role=\"alert\"");
        HttpResponse<String> add = c.postForm("/terms/" + term + "/applicants", WebClient.HTML, Map.of("_csrf", c.csrfToken(),
                "expectedVersion", "2", "id", "a4", "name", XSS + " two", "maxHours", "10", "targetHours", "10", "reason", "late"));
        assertThat(add.statusCode()).as(add.body()).isEqualTo(303);
        HttpResponse<String> ban = c.postForm("/terms/" + term + "/bans", WebClient.HTML, Map.of("_csrf", c.csrfToken(),
                "expectedVersion", "3", "courseId", "c3", "applicantId", "a4", "reason", "asked by the instructor"));
        assertThat(ban.statusCode()).as(ban.body()).isEqualTo(303);

        HttpResponse<String> history = page("/history?subject=" + term);
        assertThat(history.body()).contains("asked by the instructor").contains("dataset.hours").contains("import");
        assertText("history page", history);

        WebClient viewer = f.signedIn(f.viewer);
        HttpResponse<String> asViewer = viewer.get("/terms/" + term, WebClient.HTML);
        assertThat(asViewer.statusCode()).isEqualTo(200);
        assertThat(asViewer.body()).as("a viewer reads the data but gets no edit form").contains("Applicants")
                .doesNotContain("/bans\"").doesNotContain("Add an applicant");
        assertThat(viewer.get("/import", WebClient.HTML).statusCode()).isEqualTo(403);
        assertThat(viewer.get("/", WebClient.HTML).body()).doesNotContain("href=\"/import\"")
                .as("the navigation links to the offers service (COORDINATOR_OFFERS_URL's default)")
                .contains("href=\"http://localhost:8085/offers\"");

        HttpResponse<String> csv = c.get("/api/terms/" + term + "/dataset/applicants.csv", "text/csv");
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
        assertThat(csv.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        assertThat(csv.body()).as("the CSV export holds the name as plain text").contains(XSS);
        HttpResponse<String> json = c.get("/api/terms/" + term + "/dataset", WebClient.JSON);
        assertThat(json.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
    }

    @Test
    void the_dataset_page_shows_long_tables_a_hundred_rows_at_a_time_and_finds_by_name_or_skill() throws Exception {
        String term = f.term();
        Map<String, byte[]> files = new java.util.LinkedHashMap<>();
        for (tapipeline.coordinator.imports.ImportKind k : tapipeline.coordinator.imports.ImportKind.values()) {
            files.put(k.fileStem() + ".csv", tapipeline.coordinator.sample.CoordinatorSampleData.csv(k));
        }
        Multipart m = new Multipart().field("term", term).field("_csrf", c.csrfToken()).files(files);
        HttpResponse<String> posted = c.sendBytes("POST", "/import", WebClient.HTML, m.contentType(), m.bytes(), Map.of());
        String report = posted.headers().firstValue("Location").orElseThrow();
        HttpResponse<String> applied = c.postForm(report + "/apply", WebClient.HTML,
                Map.of("_csrf", c.csrfToken(), "reason", "the sample department"));
        assertThat(applied.statusCode()).as(applied.body()).isEqualTo(303);
        var sample = tapipeline.coordinator.sample.CoordinatorSampleData.sampleDataset();
        int applicants = sample.applicants().size();
        assertThat(applicants).as("the sample needs two pages of applicants").isGreaterThan(100).isLessThanOrEqualTo(200);

        String first = page("/terms/" + term).body();
        assertThat(rows(first, "applicants")).isEqualTo(100);
        assertThat(first).contains("Showing 1–100 of " + applicants).contains("Page 1 of 2").contains("Next applicants")
                .doesNotContain("Previous applicants");
        String second = page("/terms/" + term + "?ap=2&cp=1").body();
        assertThat(rows(second, "applicants")).isEqualTo(applicants - 100);
        assertThat(second).contains("Showing 101–" + applicants + " of " + applicants).contains("Previous applicants");
        assertThat(page("/terms/" + term + "?ap=99").body()).as("a page past the end shows the last")
                .contains("Showing 101–" + applicants);
        assertThat(page("/terms/" + term + "?ap=x").body()).as("a page that is not a number shows the first")
                .contains("Showing 1–100");

        var someone = sample.applicants().get(applicants - 1);
        String found = page("/terms/" + term + "?q=" + java.net.URLEncoder.encode(" " + someone.name().toUpperCase(java.util.Locale.ROOT)
                + " ", java.nio.charset.StandardCharsets.UTF_8)).body();
        assertThat(found).contains(someone.id()).contains("matching");
        assertThat(rows(found, "applicants")).isBetween(1, 100);
        String nothing = page("/terms/" + term + "?q=" + java.net.URLEncoder.encode(XSS, java.nio.charset.StandardCharsets.UTF_8)).body();
        assertThat(nothing).contains("No applicant matches").contains("No course matches");
        assertText("dataset page searched for markup", c.get("/terms/" + term + "?q=" + java.net.URLEncoder.encode(XSS,
                java.nio.charset.StandardCharsets.UTF_8), WebClient.HTML));
    }

    /** Body rows of the table with this id. */
    private static int rows(String html, String tableId) {
        int start = html.indexOf("<table aria-labelledby=\"" + tableId + "-heading\" id=\"" + tableId + "\">");
        if (start < 0) {
            return 0;
        }
        String table = html.substring(start, html.indexOf("</table>", start));
        return table.split("<tr>", -1).length - 2; // minus the text before the first row and the header row
    }

    @Test
    void a_term_named_like_markup_is_text_on_every_page_that_names_it() {
        String term = f.prefix + "-" + XSS;
        String path = Views.enc(term);
        Multipart m = new Multipart().field("term", term).field("_csrf", c.csrfToken()).files(ImportCases.valid());
        HttpResponse<String> posted = c.sendBytes("POST", "/import", WebClient.HTML, m.contentType(), m.bytes(), Map.of());
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(303);
        String report = posted.headers().firstValue("Location").orElseThrow();
        assertThat(report).startsWith("/terms/" + path + "/imports/");
        assertText("import preview", page(report));
        HttpResponse<String> applied = c.postForm(report + "/apply", WebClient.HTML, Map.of("_csrf", c.csrfToken(), "reason", "x"));
        assertThat(applied.statusCode()).isEqualTo(303);
        assertText("dataset page", page("/terms/" + path));
        assertText("dashboard", page("/"));
        // in an attribute (the datalist's option value) jte escapes < and the quotes, which is what matters there
        assertThat(page("/import").body()).as("import form").doesNotContain(XSS).contains("-&lt;script>alert(1)&lt;/script>\"");
        assertText("history", page("/history?subject=" + path));
        assertText("history index", page("/history"));
    }

    @Test
    void content_is_edited_through_the_form_audited_and_shown_as_text() {
        String program = f.prefix + "-prog";
        String content = "{\"content\":{\"programId\":\"" + program + "\",\"name\":\"Program " + XSS.replace("\"", "\\\"")
                + "\",\"degree\":\"MSc\",\"campus\":\"\",\"edition\":\"2027-2028\",\"totalUnits\":30,\"semesters\":4,"
                + "\"overview\":[\"First paragraph.\"],\"outcomes\":[\"Outcome one\"],\"curriculum\":{\"requirements\":[\"30 units\"],"
                + "\"semesters\":[{\"name\":\"Year 1 - Fall\",\"courses\":[{\"code\":\"CPSC 500\",\"title\":\"Research\",\"units\":3}]}]},"
                + "\"policies\":[{\"title\":\"Leave\",\"body\":\"Ask first.\"}],\"contacts\":[],\"links\":[{\"id\":\"calendar\","
                + "\"label\":\"Calendar\",\"url\":\"https://example.edu/calendar\"}],\"updatedAt\":\"2027-01-01T00:00:00Z\"},"
                + "\"reason\":\"new program\"}";
        HttpResponse<String> created = c.send("PUT", "/api/programs/" + program + "/content", WebClient.JSON, "application/json",
                content, Map.of("X-CSRF-Token", c.csrfToken()));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        String basedOn = WebClient.json(created).path("updatedAt").asText();

        HttpResponse<String> form = page("/content/" + program);
        assertText("content form", form);
        assertText("content index", page("/content"));
        HttpResponse<String> saved = c.postForm("/content/" + program, WebClient.HTML, WebClient.form("_csrf", c.csrfToken(),
                "basedOn", basedOn, "name", "Program " + XSS, "overview", "One.\n\nTwo " + XSS, "outcomes", "A\nB",
                "requirements", "30 units", "semester0", "CPSC 500 | Research | 3\nCPSC 501 | Seminar | 1.5",
                "policyTitle0", "Leave", "policyBody0", "Ask first.", "policyTitle1", XSS, "policyBody1", "Be kind.",
                "linkId0", "calendar", "linkLabel0", "Calendar", "linkUrl0", "https://example.edu/cal2", "linkLabel1", "", "linkUrl1", "",
                "reason", "second paragraph"));
        assertThat(saved.statusCode()).as(saved.body()).isEqualTo(303);
        var now = f.service.data().content().current(program).orElseThrow();
        assertThat(now.overview()).containsExactly("One.", "Two " + XSS);
        assertThat(now.policies()).hasSize(2);
        assertThat(now.curriculum().semesters().get(0).courses()).hasSize(2);
        assertThat(now.links().get(0).url()).isEqualTo("https://example.edu/cal2");
        HttpResponse<String> stale = c.postForm("/content/" + program, WebClient.HTML, WebClient.form("_csrf", c.csrfToken(),
                "basedOn", basedOn, "name", "Program", "reason", "late edit"));
        assertThat(stale.statusCode()).isEqualTo(409);
        HttpResponse<String> history = page("/history?subject=program:" + program);
        assertThat(history.body()).contains("second paragraph").contains("content.edit");
        assertText("content after save", page("/content/" + program));
    }

    @Test
    void accounts_are_added_changed_disabled_and_reset_and_names_are_text() {
        String user = f.prefix + "-new";
        HttpResponse<String> added = c.postForm("/accounts", WebClient.HTML, WebClient.form("_csrf", c.csrfToken(),
                "username", user, "displayName", XSS, "roles", "VIEWER", "password", "short", "reason", "x"));
        assertThat(added.statusCode()).as("a short password is refused").isEqualTo(422);
        added = c.postForm("/accounts", WebClient.HTML, WebClient.form("_csrf", c.csrfToken(),
                "username", user, "displayName", XSS, "roles", "VIEWER", "password", "a long enough password", "reason", "new TA"));
        assertThat(added.statusCode()).as(added.body()).isEqualTo(303);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
                .until(() -> f.service.runtime().accounts().find(user).isPresent());
        assertText("accounts page", page("/accounts"));
        assertText("account page", page("/accounts/" + user));
        WebClient newcomer = new WebClient(f.base);
        assertThat(newcomer.signIn(user, "a long enough password").statusCode()).isEqualTo(200);

        HttpResponse<String> roles = c.postForm("/accounts/" + user, WebClient.HTML, WebClient.form("_csrf", c.csrfToken(),
                "roles", "OPERATOR", "disabled", "true", "reason", "left"));
        assertThat(roles.statusCode()).isEqualTo(303);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
                .until(() -> f.service.runtime().accounts().find(user).map(a -> a.disabled() && a.roles().equals(List.of(Role.OPERATOR))).orElse(false));
        assertThat(newcomer.get("/", WebClient.JSON).statusCode()).as("a disabled account's session ends").isEqualTo(401);
        assertThat(new WebClient(f.base).signIn(user, "a long enough password").statusCode()).isEqualTo(401);

        HttpResponse<String> reset = c.postForm("/accounts/" + user + "/password", WebClient.HTML, WebClient.form("_csrf",
                c.csrfToken(), "password", "another long password", "reason", "forgot"));
        assertThat(reset.statusCode()).isEqualTo(303);
        HttpResponse<String> self = c.postForm("/accounts/" + f.coordinator, WebClient.HTML, WebClient.form("_csrf",
                c.csrfToken(), "roles", "VIEWER", "reason", "oops"));
        assertThat(self.statusCode()).as("no one locks themselves out").isEqualTo(422);
        HttpResponse<String> history = page("/history?subject=account:" + user);
        assertThat(history.body()).contains("account.add").contains("account.disable").contains("account.password");
        List<String> leaked = new ArrayList<>();
        for (String p : List.of("/accounts", "/accounts/" + user, "/api/accounts")) {
            if (c.get(p, p.startsWith("/api") ? WebClient.JSON : WebClient.HTML).body().contains("$argon2")) {
                leaked.add(p);
            }
        }
        assertThat(leaked).as("pages showing a password hash").isEmpty();
    }
}
