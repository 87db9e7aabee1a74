package tapipeline.app.site;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import tapipeline.platform.testing.KafkaBrokerExtension;
import tapipeline.schemas.EventCodec;
import tapipeline.schemas.assignment.Applicant;
import tapipeline.schemas.assignment.ConflictOfInterest;
import tapipeline.schemas.assignment.CourseGrade;
import tapipeline.schemas.assignment.Meeting;
import tapipeline.schemas.assignment.Preference;
import tapipeline.schemas.handbook.HandbookContent;

/**
 * What students can fetch — the program page, the TA-assignments page, its JSON and CSV, and the
 * handbook PDF — holds none of the sample dataset's private fields, checked against the real values
 * of the applicants on the approval: their ratings and will-not marks, instructors' requests and
 * bans, unavailable times, conflicts of interest (reasons), transcripts, hours owed. Applicants have
 * no e-mail field in the schemas (Applicant, coordinator.datasets); the only addresses anywhere are
 * the program's public contacts, so every address found must be one of those.
 */
@ExtendWith(KafkaBrokerExtension.class)
class PublicSitePrivacyIT {

    static PublicSite site;
    static final Map<String, String> outputs = new LinkedHashMap<>();

    @BeforeAll
    static void publish() throws Exception {
        site = new PublicSite("privacy-program").awaitPublished();
        outputs.put("TA-assignments JSON", text(site.get(site.termPath + ".json").body()));
        outputs.put("TA-assignments CSV", text(site.get(site.termPath + ".csv").body()));
        outputs.put("TA-assignments page", text(site.get(site.termPath).body()));
        outputs.put("program page", text(site.get("/").body()));
        byte[] pdf = site.get("/handbook/latest.pdf").body();
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            outputs.put("handbook PDF", new PDFTextStripper().getText(doc));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (site != null) {
            site.close();
        }
    }

    static String text(byte[] body) {
        return new String(body, StandardCharsets.UTF_8);
    }

    @Test
    void the_outputs_show_the_approved_tas_so_the_checks_below_can_fail() {
        String someTa = site.approval.courses().get(0).tas().get(0).name();
        outputs.forEach((what, text) -> {
            if (!what.equals("program page")) {
                assertThat(text).as(what).contains(someTa);
            }
        });
        assertThat(site.approvedApplicants()).hasSizeGreaterThanOrEqualTo(10);
    }

    @Test
    void no_output_holds_an_approved_applicants_private_values() {
        List<String> forbidden = new ArrayList<>();
        for (Applicant a : site.approvedApplicants()) {
            for (ConflictOfInterest c : a.conflicts()) {
                forbidden.add(c.reason());
            }
            for (Meeting m : a.unavailable()) {
                forbidden.add(m.start() + "-" + m.end());
                forbidden.add(m.start() + "–" + m.end());
                forbidden.add(m.start() + " - " + m.end());
            }
        }
        // every conflict reason and unavailable time of the whole dataset too
        site.dataset.applicants().forEach(a -> a.conflicts().forEach(c -> forbidden.add(c.reason())));
        assertThat(forbidden).isNotEmpty();
        outputs.forEach((what, text) -> {
            for (String f : forbidden) {
                assertThat(text).as("%s must not contain %s", what, f).doesNotContain(f);
            }
        });
    }

    @Test
    void no_output_holds_an_approved_applicants_grades() {
        for (Applicant a : site.approvedApplicants()) {
            for (CourseGrade g : a.coursesTaken()) {
                // a course code then its grade as a whole token ("CPSC 110 A-", "CPSC 110,B+"), not the code before a title
                Pattern grade = Pattern.compile(Pattern.quote(g.courseCode()) + "[ ,:;]+" + Pattern.quote(g.grade())
                        + "(?![\\p{L}\\p{N}+-])");
                outputs.forEach((what, text) -> assertThat(grade.matcher(text).find())
                        .as("%s shows %s's grade in %s", what, a.name(), g.courseCode()).isFalse());
            }
        }
    }

    @Test
    void no_output_names_a_private_field_or_holds_ratings_or_instructor_preferences() {
        Set<String> ratedIds = new TreeSet<>();
        site.dataset.preferences().stream().map(Preference::applicantId).forEach(ratedIds::add);
        for (Map.Entry<String, String> e : outputs.entrySet()) {
            String lower = e.getValue().toLowerCase();
            for (String word : List.of("rating", "willnot", "will not", "preference", "unavailab", "conflict",
                    "mintas", "minhours", "maxhours", "targethours", "coursestaken", "previouslytaught", "\"ban\"",
                    "\"request\"")) {
                assertThat(lower).as("%s must not mention %s", e.getKey(), word).doesNotContain(word);
            }
            // applicant ids are the dataset's keys to preferences and ratings: none is shown
            for (String id : ratedIds) {
                assertThat(e.getValue()).as("%s must not contain applicant id %s", e.getKey(), id)
                        .doesNotContainPattern("(?<![\\w-])" + Pattern.quote(id) + "(?![\\w-])");
            }
        }
    }

    @Test
    void the_json_and_csv_have_only_public_fields() throws Exception {
        JsonNode doc = EventCodec.objectMapper().readTree(outputs.get("TA-assignments JSON"));
        Set<String> fields = new TreeSet<>();
        collectFields(doc, fields);
        assertThat(fields).isSubsetOf("term", "approvedAt", "query", "courseCount", "courses", "code", "title",
                "section", "instructor", "tas", "name", "hours");
        String header = outputs.get("TA-assignments CSV").lines().findFirst().orElseThrow();
        assertThat(header).isEqualTo("term,course code,course title,section,instructor,TA,hours per week");
    }

    @Test
    void the_only_email_addresses_are_the_programs_public_contacts() {
        Set<String> allowed = new TreeSet<>();
        site.content.contacts().stream().map(HandbookContent.Contact::email).forEach(allowed::add);
        Pattern email = Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}");
        outputs.forEach((what, text) -> {
            Matcher m = email.matcher(text);
            while (m.find()) {
                assertThat(allowed).as("%s shows the address %s", what, m.group()).contains(m.group());
            }
        });
    }

    private static void collectFields(JsonNode node, Set<String> out) {
        if (node.isObject()) {
            node.fieldNames().forEachRemaining(f -> {
                out.add(f);
                collectFields(node.get(f), out);
            });
        } else if (node.isArray()) {
            node.forEach(n -> collectFields(n, out));
        }
    }
}
