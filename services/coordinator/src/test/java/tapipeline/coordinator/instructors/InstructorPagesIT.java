package tapipeline.coordinator.instructors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import tapipeline.coordinator.api.CoordinatorFixture;
import tapipeline.coordinator.runs.RunBoard;
import tapipeline.platform.kafka.Events;
import tapipeline.platform.kafka.KafkaClients;
import tapipeline.platform.testing.KafkaBrokerExtension;
import tapipeline.platform.testing.web.WebClient;
import tapipeline.schemas.EventTypes;
import tapipeline.schemas.assignment.Applicant;
import tapipeline.schemas.assignment.AssignmentProblem;
import tapipeline.schemas.assignment.ConflictOfInterest;
import tapipeline.schemas.assignment.Course;
import tapipeline.schemas.assignment.CourseGrade;
import tapipeline.schemas.assignment.Day;
import tapipeline.schemas.assignment.InstructorPreference;
import tapipeline.schemas.assignment.Meeting;
import tapipeline.schemas.assignment.Preference;
import tapipeline.schemas.assignment.RunCompleted;
import tapipeline.schemas.assignment.SolverSettings;
import tapipeline.schemas.coordinator.Account.Role;
import tapipeline.schemas.coordinator.ApplicantContact;
import tapipeline.schemas.coordinator.CourseDetail;
import tapipeline.schemas.coordinator.Dataset;

/**
 * The instructor role on a running coordinator (real broker, real HTTP, signed in): only their own
 * courses, only the fields an instructor may see, every change the term's next version audited under
 * their name, and a 404 that does not change the data for any course not theirs (another instructor's,
 * one that does not exist, the same course id in a term where they do not teach it).
 */
@ExtendWith(KafkaBrokerExtension.class)
class InstructorPagesIT {

    private static CoordinatorFixture f;
    private static String instructor;
    private static String otherInstructor;
    private static WebClient me;

    // private facts of the applicants: none may reach the instructor's page
    static final String SECRET_CONFLICT = "sister of the other instructor";
    static final String SECRET_EMAIL = "ana.silva@students.example.edu";

    @BeforeAll
    static void start() throws Exception {
        f = new CoordinatorFixture(Map.of());
        instructor = f.prefix + "-instr";
        otherInstructor = f.prefix + "-instr2";
        f.writer.write(instructor, "Ines Instructor", List.of(Role.INSTRUCTOR), CoordinatorFixture.PASSWORD.toCharArray(), false);
        f.writer.write(otherInstructor, "Otto Other", List.of(Role.INSTRUCTOR), CoordinatorFixture.PASSWORD.toCharArray(), false);
        await().atMost(Duration.ofSeconds(60)).until(() -> f.service.runtime().accounts().find(otherInstructor).isPresent());
        me = f.signedIn(instructor);
    }

    @AfterAll
    static void stop() {
        if (f != null) {
            f.close();
        }
    }

    static Course course(String id, String code, int slots, int maxTas) {
        return new Course(id, code, "Title of " + code, "101", "", "Prof", List.of(new Meeting(Day.MON, "09:00", "10:00")),
                slots, 10, List.of(), 0, maxTas, 3, false);
    }

    /** c1 is the instructor's, c2 the other instructor's; ana rated c1 5 and c2 2, bo rated c1 3. */
    static Dataset dataset(String term, String c1Teacher) {
        Applicant ana = new Applicant("ana", "Ana Silva", "MSc Computer Science", 2, 11, 37, 23,
                List.of(new Meeting(Day.THU, "13:00", "17:00")), List.of("Python"), List.of(new CourseGrade("CPSC 110", "A+")),
                List.of("CPSC 110"), List.of(new ConflictOfInterest("c2", SECRET_CONFLICT)));
        Applicant bo = new Applicant("bo", "Bo Berg", "PhD Mathematics", 3, 0, 20, 20, List.of(), List.of("R"), List.of(),
                List.of(), List.of());
        return new Dataset(term, 1, List.of(course("c1", "CPSC 110", 2, 3), course("c2", "MATH 200", 1, 1)), List.of(ana, bo),
                List.of(new Preference("ana", "c1", 5, false), new Preference("ana", "c2", 2, false),
                        new Preference("bo", "c1", 3, false)),
                List.of(InstructorPreference.request("c2", "bo", 1)), List.of(),
                List.of(new ApplicantContact("ana", SECRET_EMAIL)),
                List.of(new CourseDetail("c1", "Runs the Monday lab", List.of(c1Teacher)),
                        new CourseDetail("c2", "Marks the midterm", List.of(otherInstructor))));
    }

    static String newTerm(String c1Teacher) {
        String term = f.term();
        f.service.data().publishDataset(dataset(term, c1Teacher), f.coordinator, "import", "test data", "test");
        return term;
    }

    static long version(String term) {
        return f.service.data().datasets().version(term);
    }

    static HttpResponse<String> post(WebClient c, String path, Map<String, String> form) {
        String body = form.entrySet().stream().map(e -> java.net.URLEncoder.encode(e.getKey(), java.nio.charset.StandardCharsets.UTF_8)
                + "=" + java.net.URLEncoder.encode(e.getValue(), java.nio.charset.StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        return c.send("POST", path, WebClient.HTML, "application/x-www-form-urlencoded", body, Map.of("X-CSRF-Token", c.csrfToken()));
    }

    static HttpResponse<String> json(WebClient c, String method, String path, String body) {
        return c.send(method, path, WebClient.JSON, body == null ? null : "application/json", body, Map.of("X-CSRF-Token", c.csrfToken()));
    }

    @Test
    void my_courses_lists_only_the_courses_whose_details_name_the_instructor() {
        String term = newTerm(instructor);
        HttpResponse<String> page = me.get("/my", WebClient.HTML);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("/my/terms/" + term + "/courses/c1").contains("CPSC 110")
                .doesNotContain("/my/terms/" + term + "/courses/c2").doesNotContain("MATH 200");
        JsonNode api = WebClient.json(me.get("/api/my/courses", WebClient.JSON));
        assertThat(api.toString()).contains("\"courseId\":\"c1\"").doesNotContain("\"courseId\":\"c2\"");
    }

    @Test
    void the_course_page_shows_application_fields_and_this_courses_rating_and_nothing_private() {
        String term = newTerm(instructor);
        HttpResponse<String> page = me.get("/my/terms/" + term + "/courses/c1", WebClient.HTML);
        assertThat(page.statusCode()).isEqualTo(200);
        String html = page.body();
        assertThat(html).contains("Ana Silva").contains("MSc Computer Science").contains("Python").contains("CPSC 110: A+")
                .contains("5 of 5").contains("Bo Berg").contains("3 of 5").contains("Runs the Monday lab");
        assertThat(html).as("another course's rating").doesNotContain("2 of 5").doesNotContain("MATH 200");
        // the numbers as numbers: not inside the random term id or a CSRF token (base64url)
        String numbers = html.replace(term, "").replaceAll("[A-Za-z0-9_-]{40,}", "");
        assertThat(numbers).as("hours owed, target and maximum").doesNotContainPattern("(?<![\\w-])37(?![\\w-])")
                .doesNotContainPattern("(?<![\\w-])23(?![\\w-])").doesNotContain(">11<");
        assertThat(html).as("unavailability").doesNotContain("THU").doesNotContain("13:00");
        assertThat(html).as("conflicts of interest").doesNotContain(SECRET_CONFLICT).doesNotContain("conflict of interest:");
        assertThat(html).as("contacts").doesNotContain(SECRET_EMAIL);
        String api = me.get("/api/my/terms/" + term + "/courses/c1", WebClient.JSON).body();
        assertThat(api).contains("Ana Silva").doesNotContain(SECRET_CONFLICT).doesNotContain(SECRET_EMAIL)
                .doesNotContain("maxHours").doesNotContain("unavailable").doesNotContain("\"rating\"");
    }

    @Test
    void another_instructors_course_a_missing_one_and_another_terms_are_404_alike_and_change_nothing() {
        String term = newTerm(instructor);
        String otherTerm = newTerm(otherInstructor); // c1 exists there, but is not this instructor's
        long v = version(term);
        long vOther = version(otherTerm);
        HttpResponse<String> missing = me.get("/my/terms/" + term + "/courses/c9", WebClient.HTML);
        assertThat(missing.statusCode()).isEqualTo(404);
        for (String[] tc : List.of(new String[] {term, "c2"}, new String[] {otherTerm, "c1"}, new String[] {otherTerm, "c2"},
                new String[] {term + "-nope", "c1"})) {
            String base = "/my/terms/" + tc[0] + "/courses/" + tc[1];
            HttpResponse<String> get = me.get(base, WebClient.HTML);
            assertThat(get.statusCode()).as("GET " + base).isEqualTo(404);
            assertThat(get.body()).as("same page as a course that does not exist")
                    .isEqualTo(missing.body().replace("c9", tc[1]).replace(term, tc[0]));
            assertThat(get.body()).doesNotContain("Ana Silva");
            for (String action : List.of("request", "ban", "clear")) {
                HttpResponse<String> p = post(me, base + "/applicants/ana", Map.of("action", action, "rank", "1",
                        "expectedVersion", Long.toString(tc[0].equals(term) ? v : vOther)));
                assertThat(p.statusCode()).as(action + " " + base).isEqualTo(404);
            }
            assertThat(post(me, base + "/slots", Map.of("slots", "1", "expectedVersion", Long.toString(v))).statusCode()).isEqualTo(404);
            assertThat(me.get("/api" + base, WebClient.JSON).statusCode()).isEqualTo(404);
            assertThat(json(me, "PUT", "/api" + base + "/applicants/ana", "{\"kind\":\"BAN\",\"expectedVersion\":1}").statusCode())
                    .isEqualTo(404);
            assertThat(json(me, "DELETE", "/api" + base + "/applicants/bo?expectedVersion=1", null).statusCode()).isEqualTo(404);
            assertThat(json(me, "PUT", "/api" + base + "/slots", "{\"slots\":1,\"expectedVersion\":1}").statusCode()).isEqualTo(404);
        }
        assertThat(version(term)).as("nothing written").isEqualTo(v);
        assertThat(version(otherTerm)).as("nothing written").isEqualTo(vOther);
        assertThat(f.service.data().datasets().current(otherTerm).orElseThrow().instructorPreferences())
                .containsExactly(InstructorPreference.request("c2", "bo", 1));
    }

    @Test
    void the_accounts_page_grants_the_instructor_role() {
        WebClient coordinator = f.signedIn(f.coordinator);
        assertThat(coordinator.get("/accounts", WebClient.HTML).body()).contains("value=\"INSTRUCTOR\"");
        String name = f.prefix + "-granted";
        HttpResponse<String> add = post(coordinator, "/accounts", Map.of("username", name, "displayName", "Granted Instructor",
                "roles", "INSTRUCTOR", "password", CoordinatorFixture.PASSWORD, "reason", "teaches CPSC 110"));
        assertThat(add.statusCode()).as(add.body()).isEqualTo(303);
        await().atMost(Duration.ofSeconds(30)).until(() -> f.service.runtime().accounts().find(name).isPresent());
        assertThat(f.service.runtime().accounts().find(name).orElseThrow().roles()).containsExactly(Role.INSTRUCTOR);
        assertThat(coordinator.get("/accounts/" + name, WebClient.HTML).body())
                .containsPattern("id=\"role-instructor\" name=\"roles\" type=\"checkbox\" value=\"INSTRUCTOR\" checked");
        WebClient granted = f.signedIn(name);
        assertThat(granted.get("/my", WebClient.HTML).statusCode()).isEqualTo(200);
        assertThat(granted.get("/runs", WebClient.HTML).statusCode()).isEqualTo(403);
    }

    @Test
    void an_instructor_gets_403_on_the_staff_pages_and_apis() {
        newTerm(instructor);
        HttpResponse<String> home = me.get("/", WebClient.HTML);
        assertThat(home.statusCode()).as("the home page sends an instructor to their courses").isEqualTo(303);
        assertThat(home.headers().firstValue("Location")).hasValue("/my");
        for (String path : List.of("/import", "/history", "/accounts", "/content", "/runs", "/api/terms", "/api/audit")) {
            HttpResponse<String> r = me.get(path, WebClient.JSON);
            assertThat(r.statusCode()).as(path).isEqualTo(403);
        }
    }

    @Test
    void request_veto_clear_and_the_number_of_tas_each_write_the_next_version_audited_under_the_instructor() throws Exception {
        String term = newTerm(instructor);
        String course = "/my/terms/" + term + "/courses/c1";
        HttpResponse<String> request = post(me, course + "/applicants/ana", Map.of("action", "request", "rank", "1",
                "expectedVersion", "1", "note", "she ran my lab last year"));
        assertThat(request.statusCode()).as(request.body()).isEqualTo(303);
        assertThat(request.headers().firstValue("Location").orElse("")).isEqualTo(course + "?saved=request");
        assertThat(post(me, course + "/applicants/bo", Map.of("action", "ban", "expectedVersion", "2")).statusCode()).isEqualTo(303);
        assertThat(post(me, course + "/applicants/bo", Map.of("action", "clear", "expectedVersion", "3")).statusCode()).isEqualTo(303);
        assertThat(post(me, course + "/applicants/bo", Map.of("action", "ban", "expectedVersion", "4")).statusCode()).isEqualTo(303);
        assertThat(post(me, course + "/slots", Map.of("slots", "3", "expectedVersion", "5")).statusCode()).isEqualTo(303);
        Dataset d = f.service.data().datasets().current(term).orElseThrow();
        assertThat(d.version()).isEqualTo(6);
        assertThat(d.instructorPreferences()).containsExactlyInAnyOrder(InstructorPreference.request("c2", "bo", 1),
                InstructorPreference.request("c1", "ana", 1), InstructorPreference.ban("c1", "bo"));
        assertThat(d.courses().get(0).slots()).isEqualTo(3);
        assertThat(d.contacts()).as("contacts kept by the edits").hasSize(1);
        assertThat(d.courseDetails()).as("details kept by the edits").hasSize(2);
        JsonNode history = WebClient.json(f.signedIn(f.coordinator).get("/api/audit?subject=" + term, WebClient.JSON));
        assertThat(history).extracting(e -> e.path("actor").asText() + " " + e.path("action").asText()).containsExactly(
                instructor + " instructor.slots", instructor + " instructor.ban", instructor + " instructor.clear",
                instructor + " instructor.ban", instructor + " instructor.request", f.coordinator + " import");
        assertThat(history.get(4).path("reason").asText()).isEqualTo("she ran my lab last year");

        // clear errors, nothing written
        HttpResponse<String> tooMany = post(me, course + "/slots", Map.of("slots", "4", "expectedVersion", "6"));
        assertThat(tooMany.statusCode()).isEqualTo(422);
        assertThat(tooMany.body()).contains("from 1 to 3").contains("not 4");
        HttpResponse<String> badRank = post(me, course + "/applicants/ana", Map.of("action", "request", "rank", "first",
                "expectedVersion", "6"));
        assertThat(badRank.statusCode()).isEqualTo(422);
        assertThat(badRank.body()).contains("\"first\" in the field \"rank\" is not a whole number");
        HttpResponse<String> stale = post(me, course + "/applicants/ana", Map.of("action", "ban", "expectedVersion", "2"));
        assertThat(stale.statusCode()).isEqualTo(409);
        assertThat(stale.body()).contains("version 6, not 2");
        HttpResponse<String> unknown = post(me, course + "/applicants/zed", Map.of("action", "ban", "expectedVersion", "6"));
        assertThat(unknown.statusCode()).isEqualTo(422);
        assertThat(unknown.body()).contains("no applicant zed");
        assertThat(version(term)).isEqualTo(6);

        // the same through the JSON API
        HttpResponse<String> put = json(me, "PUT", "/api" + course + "/applicants/bo", "{\"kind\":\"REQUEST\",\"rank\":2,\"expectedVersion\":6}");
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        assertThat(WebClient.json(put).path("version").asLong()).isEqualTo(7);
        HttpResponse<String> del = json(me, "DELETE", "/api" + course + "/applicants/bo?expectedVersion=7", null);
        assertThat(del.statusCode()).as(del.body()).isEqualTo(200);
        HttpResponse<String> slots = json(me, "PUT", "/api" + course + "/slots", "{\"slots\":1,\"expectedVersion\":8}");
        assertThat(slots.statusCode()).as(slots.body()).isEqualTo(200);
        HttpResponse<String> badSlots = json(me, "PUT", "/api" + course + "/slots", "{\"slots\":0,\"expectedVersion\":9}");
        assertThat(badSlots.statusCode()).isEqualTo(422);
        assertThat(WebClient.errorCode(badSlots)).isEqualTo("refused");
        assertThat(f.service.data().datasets().current(term).orElseThrow().courses().get(0).slots()).isEqualTo(1);
    }

    @Test
    void the_requests_of_the_latest_run_show_as_met_or_why_not_to_the_instructor_and_the_coordinator() throws Exception {
        String term = newTerm(instructor);
        String course = "/my/terms/" + term + "/courses/c1";
        assertThat(post(me, course + "/applicants/ana", Map.of("action", "request", "rank", "1", "expectedVersion", "1")).statusCode())
                .isEqualTo(303);
        assertThat(post(me, course + "/applicants/bo", Map.of("action", "request", "rank", "2", "expectedVersion", "2")).statusCode())
                .isEqualTo(303);
        Dataset d = f.service.data().datasets().current(term).orElseThrow();
        String runId = f.prefix + "-run-" + term.substring(term.length() - 4);
        AssignmentProblem p = new AssignmentProblem(runId, term, "D", d.courses(), d.applicants(), d.preferences(),
                d.instructorPreferences(), d.pins(), List.of(), SolverSettings.defaults(), null);
        RunCompleted.Explanation why = new RunCompleted.Explanation("test", List.of(), List.of());
        // ana holds c1's first slot; bo went to c2 (whose request by the other instructor is met); c1's second slot is empty
        RunCompleted done = new RunCompleted(runId, RunCompleted.Status.SOLVED, "0hard/0medium/0soft", List.of(), List.of(
                new RunCompleted.Assignment("c1", 0, "ana", false, why), new RunCompleted.Assignment("c2", 0, "bo", false, why)),
                List.of(), List.of(), 10, 1);
        try (KafkaProducer<String, byte[]> producer = new KafkaClients(KafkaBrokerExtension.bootstrapServers()).producer("it-instr-run")) {
            Events.send(producer, EventTypes.RUN_REQUESTED, runId, p).get(30, TimeUnit.SECONDS);
            Events.send(producer, EventTypes.RUN_COMPLETED, runId, done).get(30, TimeUnit.SECONDS);
        }
        RunBoard board = f.service.runs().board();
        await().atMost(Duration.ofSeconds(30)).until(() -> board.get(runId).map(RunBoard.Run::reviewable).orElse(false));
        String html = me.get(course, WebClient.HTML).body();
        assertThat(html).contains("Your requests in run " + runId).contains("Ana Silva (rank 1): met")
                .contains("Bo Berg (rank 2): not met: went to MATH 200-101");
        WebClient viewer = f.signedIn(f.viewer);
        HttpResponse<String> staff = viewer.get("/runs/" + runId + "/requests", WebClient.HTML);
        assertThat(staff.statusCode()).isEqualTo(200);
        assertThat(staff.body()).contains("2 of 3 requests met");
        JsonNode api = WebClient.json(viewer.get("/api/runs/" + runId + "/requests", WebClient.JSON));
        assertThat(api.path("met").asInt()).isEqualTo(2);
        assertThat(api.path("requests").toString()).contains("\"outcome\":\"ELSEWHERE\"");
        assertThat(me.get("/runs/" + runId + "/requests", WebClient.HTML).statusCode()).as("staff page").isEqualTo(403);
        assertThat(viewer.get("/runs/" + runId + "/review", WebClient.HTML).body()).contains("/runs/" + runId + "/requests");
    }
}
