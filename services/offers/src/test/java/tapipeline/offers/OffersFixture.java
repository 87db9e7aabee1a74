package tapipeline.offers;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.producer.KafkaProducer;

import tapipeline.platform.kafka.Events;
import tapipeline.platform.kafka.KafkaClients;
import tapipeline.platform.testing.KafkaBrokerExtension;
import tapipeline.platform.testing.web.WebClient;
import tapipeline.schemas.EventTypes;
import tapipeline.schemas.assignment.AssignmentApproved;
import tapipeline.schemas.assignment.AssignmentApproved.ApprovedCourse;
import tapipeline.schemas.assignment.AssignmentApproved.ApprovedTa;
import tapipeline.schemas.coordinator.ApplicantContact;
import tapipeline.schemas.coordinator.CourseDetail;
import tapipeline.schemas.coordinator.Dataset;

/** Records the offers tests publish (a term's dataset v2 and its approvals) and a TA's browser without JavaScript. */
final class OffersFixture {

    static final Pattern LINK = Pattern.compile("(https?://[^\\s\"<>]+/offer/o-[0-9a-f]{24}\\.[A-Za-z0-9_-]{43})");
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    private OffersFixture() {
    }

    /** A producer for the test's records, once every registered topic exists (as the launcher makes them). */
    static KafkaProducer<String, byte[]> producer() {
        KafkaClients clients = new KafkaClients(KafkaBrokerExtension.bootstrapServers());
        try (org.apache.kafka.clients.admin.Admin admin = clients.admin()) {
            new tapipeline.platform.kafka.TopicAdmin(admin, 3, (short) 1)
                    .ensure(tapipeline.platform.kafka.Topics.allWithDeadLetters());
        } catch (Exception e) {
            throw new IllegalStateException("cannot create the topics", e);
        }
        return clients.producer("offers-test");
    }

    /** A unique term name per test, so tests on the shared broker never see each other's offers. */
    static String term(String label) {
        return label + "-" + Long.toHexString(System.nanoTime());
    }

    /** The term's dataset: an address for each applicant id given, and duties for course c1. */
    static void dataset(KafkaProducer<String, byte[]> p, String term, String... applicants) throws Exception {
        List<ApplicantContact> contacts = new ArrayList<>();
        for (String a : applicants) {
            contacts.add(new ApplicantContact(a, a + "@example.edu"));
        }
        Dataset d = new Dataset(term, 3, List.of(), List.of(), List.of(), List.of(), List.of(), contacts,
                List.of(new CourseDetail("c1", "Run two lab sections and grade weekly problem sets.", List.of("prof-c1"))));
        Events.send(p, EventTypes.COORDINATOR_DATASETS, term, d).get();
    }

    static void approve(KafkaProducer<String, byte[]> p, String term, String runId, ApprovedCourse... courses)
            throws Exception {
        Events.send(p, EventTypes.ASSIGNMENT_APPROVED, runId,
                new AssignmentApproved(term, runId, "cora", Instant.now(), List.of(courses))).get();
    }

    static ApprovedCourse course(String id, String code, ApprovedTa... tas) {
        return new ApprovedCourse(id, code, "Course " + code, "1", "Prof " + code, List.of(tas));
    }

    static ApprovedTa ta(String id, int hours) {
        return new ApprovedTa(id, "TA " + id.toUpperCase(), hours);
    }

    static String link(String text) {
        Matcher m = LINK.matcher(text);
        if (!m.find()) {
            throw new AssertionError("no offer link in: " + text);
        }
        return m.group(1);
    }

    static String path(String link) {
        return link.substring(link.indexOf("/offer/"));
    }

    /** A TA's browser without JavaScript: GET the page (a session cookie and the form's CSRF field), POST the form. */
    static HttpResponse<String> answer(WebClient ta, String path, String answer, String reason) {
        HttpResponse<String> page = ta.get(path, WebClient.HTML);
        if (page.statusCode() != 200) {
            throw new AssertionError("GET " + path + ": " + page.statusCode());
        }
        Matcher m = CSRF.matcher(page.body());
        if (!m.find()) {
            throw new AssertionError("no CSRF field in the offer page");
        }
        return ta.postForm(path, WebClient.HTML, Map.of("answer", answer, "reason", reason, "_csrf", m.group(1)));
    }
}
