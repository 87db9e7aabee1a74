package tapipeline.coordinator.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import tapipeline.coordinator.imports.ImportCases;
import tapipeline.coordinator.imports.Problem;
import tapipeline.platform.testing.KafkaBrokerExtension;
import tapipeline.platform.testing.TestRecords;
import tapipeline.platform.testing.web.RouteWalker;
import tapipeline.platform.testing.web.WebClient;
import tapipeline.schemas.EventTypes;
import tapipeline.schemas.coordinator.Account.Role;

/**
 * The data half's REST API on a running coordinator (real broker, real HTTP, signed in): every import
 * problem class with its file, line and column; all or nothing; the size limit before parsing; edits
 * with the expected version; content; audit; and the guards of the whole route table.
 */
@ExtendWith(KafkaBrokerExtension.class)
class CoordinatorDataApiIT {

    private static CoordinatorFixture f;
    private static WebClient coordinator;

    @BeforeAll
    static void start() throws Exception {
        f = new CoordinatorFixture(Map.of("COORDINATOR_IMPORT_MAX_BYTES", Integer.toString(256 * 1024)));
        coordinator = f.signedIn(f.coordinator);
    }

    @AfterAll
    static void stop() {
        if (f != null) {
            f.close();
        }
    }

    static HttpResponse<String> upload(WebClient c, String path, Map<String, byte[]> files) {
        Multipart m = new Multipart().files(files);
        return c.sendBytes("POST", path, WebClient.JSON, m.contentType(), m.bytes(), Map.of("X-CSRF-Token", c.csrfToken()));
    }

    static Stream<ImportCases.Case> cases() {
        return ImportCases.cases().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void each_import_problem_class_comes_back_with_its_file_line_and_column(ImportCases.Case c) {
        String term = f.term();
        HttpResponse<String> r = upload(coordinator, "/api/terms/" + term + "/imports", c.files());
        JsonNode body = WebClient.json(r);
        boolean warning = Set.of(Problem.Code.UNKNOWN_COLUMN, Problem.Code.TRAILING_SPACE, Problem.Code.NEAR_DUPLICATE)
                .contains(c.code());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(warning ? 200 : 422);
        assertThat(body.path("ok").asBoolean()).isEqualTo(warning);
        JsonNode list = body.path(warning ? "warnings" : "errors");
        assertThat(list).as(r.body()).anySatisfy(p -> {
            assertThat(p.path("code").asText()).isEqualTo(c.code().name());
            assertThat(p.path("file").asText()).isEqualTo(c.file());
            assertThat(p.path("line").asInt()).isEqualTo(c.line());
            assertThat(p.path("column").asInt()).isEqualTo(c.column());
            assertThat(p.path("field").asText()).isEqualTo(c.field());
        });
    }

    @Test
    void an_import_with_an_error_applies_nothing_and_a_clean_one_applies_whole() throws Exception {
        String term = f.term();
        HttpResponse<String> bad = upload(coordinator, "/api/terms/" + term + "/imports?apply=true&reason=try",
                ImportCases.with("preferences.csv", ImportCases.PREFERENCES + "a1,c9,4,\n"));
        assertThat(bad.statusCode()).isEqualTo(422);
        String badId = WebClient.json(bad).path("importId").asText();
        HttpResponse<String> applyBad = coordinator.send("POST", "/api/terms/" + term + "/imports/" + badId + "/apply",
                WebClient.JSON, "application/json", "{\"reason\":\"force it\"}", Map.of("X-CSRF-Token", coordinator.csrfToken()));
        assertThat(applyBad.statusCode()).isEqualTo(422);
        assertThat(coordinator.get("/api/terms/" + term + "/dataset", WebClient.JSON).statusCode()).isEqualTo(404);
        assertThat(datasetRecords(term)).isEmpty();

        HttpResponse<String> ok = upload(coordinator, "/api/terms/" + term + "/imports", ImportCases.valid());
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        String id = WebClient.json(ok).path("importId").asText();
        assertThat(WebClient.json(ok).path("summary").asText()).contains("courses 2 added");
        HttpResponse<String> noReason = coordinator.send("POST", "/api/terms/" + term + "/imports/" + id + "/apply",
                WebClient.JSON, "application/json", "{}", Map.of("X-CSRF-Token", coordinator.csrfToken()));
        assertThat(noReason.statusCode()).isEqualTo(400);
        HttpResponse<String> applied = coordinator.send("POST", "/api/terms/" + term + "/imports/" + id + "/apply",
                WebClient.JSON, "application/json", "{\"reason\":\"spring intake\"}", Map.of("X-CSRF-Token", coordinator.csrfToken()));
        assertThat(applied.statusCode()).as(applied.body()).isEqualTo(200);
        assertThat(WebClient.json(applied).path("version").asLong()).isEqualTo(1);
        JsonNode dataset = WebClient.json(coordinator.get("/api/terms/" + term + "/dataset", WebClient.JSON));
        assertThat(dataset.path("courses")).hasSize(2);
        assertThat(dataset.path("applicants")).hasSize(2);
        assertThat(dataset.path("preferences")).hasSize(2);
        JsonNode history = WebClient.json(coordinator.get("/api/audit?subject=" + term, WebClient.JSON));
        assertThat(history).singleElement().satisfies(e -> {
            assertThat(e.path("actor").asText()).isEqualTo(f.coordinator);
            assertThat(e.path("action").asText()).isEqualTo("import");
            assertThat(e.path("reason").asText()).isEqualTo("spring intake");
        });
    }

    @Test
    void an_upload_over_the_limit_is_refused_before_parsing_with_the_limit_named() {
        byte[] big = new byte[300 * 1024];
        java.util.Arrays.fill(big, (byte) 'x');
        HttpResponse<String> r = upload(coordinator, "/api/terms/" + f.term() + "/imports", Map.of("courses.csv", big));
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(WebClient.json(r).path("message").asText()).contains("307398 bytes").contains("limit of 262144 bytes").contains("COORDINATOR_IMPORT_MAX_BYTES");
    }

    @Test
    void edits_need_the_current_version_and_a_reason_and_are_audited() throws Exception {
        String term = f.term();
        applyValid(term);
        Map<String, String> h = Map.of("X-CSRF-Token", coordinator.csrfToken());
        HttpResponse<String> stale = coordinator.send("PUT", "/api/terms/" + term + "/applicants/a1/hours", WebClient.JSON,
                "application/json", "{\"minHours\":5,\"targetHours\":10,\"maxHours\":12,\"expectedVersion\":0,\"reason\":\"x\"}", h);
        assertThat(stale.statusCode()).isEqualTo(409);
        HttpResponse<String> hours = coordinator.send("PUT", "/api/terms/" + term + "/applicants/a1/hours", WebClient.JSON,
                "application/json", "{\"minHours\":5,\"targetHours\":10,\"maxHours\":12,\"expectedVersion\":1,\"reason\":\"funding changed\"}", h);
        assertThat(hours.statusCode()).as(hours.body()).isEqualTo(200);
        HttpResponse<String> bad = coordinator.send("PUT", "/api/terms/" + term + "/applicants/a1/hours", WebClient.JSON,
                "application/json", "{\"minHours\":15,\"targetHours\":10,\"maxHours\":12,\"expectedVersion\":2,\"reason\":\"oops\"}", h);
        assertThat(bad.statusCode()).isEqualTo(422);
        HttpResponse<String> ban = coordinator.send("POST", "/api/terms/" + term + "/bans", WebClient.JSON, "application/json",
                "{\"courseId\":\"c2\",\"applicantId\":\"a1\",\"expectedVersion\":2,\"reason\":\"conflict with the instructor\"}", h);
        assertThat(ban.statusCode()).as(ban.body()).isEqualTo(201);
        HttpResponse<String> add = coordinator.send("POST", "/api/terms/" + term + "/applicants", WebClient.JSON, "application/json",
                "{\"applicant\":{\"id\":\"a3\",\"name\":\"Late Applicant\",\"program\":\"MSc\",\"year\":1,\"minHours\":0,\"maxHours\":10,"
                        + "\"targetHours\":10,\"unavailable\":[],\"skills\":[\"Python\"],\"coursesTaken\":[],\"previouslyTaught\":[],"
                        + "\"conflicts\":[]},\"expectedVersion\":3,\"reason\":\"applied late\"}", h);
        assertThat(add.statusCode()).as(add.body()).isEqualTo(201);
        JsonNode d = WebClient.json(coordinator.get("/api/terms/" + term + "/dataset", WebClient.JSON));
        assertThat(d.path("version").asLong()).isEqualTo(4);
        assertThat(d.path("applicants")).hasSize(3);
        assertThat(d.path("instructorPreferences").toString()).contains("\"BAN\"");
        JsonNode history = WebClient.json(coordinator.get("/api/audit?subject=" + term, WebClient.JSON));
        assertThat(history).extracting(e -> e.path("reason").asText())
                .containsExactly("applied late", "conflict with the instructor", "funding changed", "sample");
    }

    @Test
    void the_whole_route_table_refuses_anonymous_viewer_instructor_and_role_less_callers_and_checks_csrf() {
        // the walk covers the what-if scenarios' routes too (they are in the service's table)
        assertThat(f.service.web().routes()).extracting(r -> r.method() + " " + r.path()).contains(
                "GET /scenarios", "GET /terms/{term}/scenarios", "GET /scenarios/{scenarioId}",
                "GET /scenarios/{scenarioId}/compare", "POST /scenarios/{scenarioId}/delete",
                "GET /api/terms/{term}/scenarios", "POST /api/terms/{term}/scenarios", "GET /api/scenarios/{scenarioId}",
                "DELETE /api/scenarios/{scenarioId}", "POST /api/scenarios/{scenarioId}/edits",
                "POST /api/scenarios/{scenarioId}/runs", "GET /api/scenarios/{scenarioId}/compare");
        String instructor = f.prefix + "-walk-instr";
        f.writer.write(instructor, "Walking Instructor", List.of(Role.INSTRUCTOR), CoordinatorFixture.PASSWORD.toCharArray(), false);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60))
                .until(() -> f.service.runtime().accounts().find(instructor).isPresent());
        RouteWalker.assertGuarded(f.base, f.service.web().routes(), List.of(
                new RouteWalker.Login(f.coordinator, CoordinatorFixture.PASSWORD, Set.of(Role.COORDINATOR)),
                new RouteWalker.Login(f.viewer, CoordinatorFixture.PASSWORD, Set.of(Role.VIEWER)),
                new RouteWalker.Login(instructor, CoordinatorFixture.PASSWORD, Set.of(Role.INSTRUCTOR)),
                new RouteWalker.Login(f.nobody, CoordinatorFixture.PASSWORD, Set.of())));
        assertThat(f.service.web().routes()).filteredOn(r -> r.mutating() && !r.access().isPublic())
                .allSatisfy(r -> assertThat(r.access().allows(Set.of(Role.VIEWER))).as("%s open to a viewer", r).isFalse());
        // an instructor reaches the instructor routes (under /my and /api/my) and nothing else; staff never reach those
        assertThat(f.service.web().routes()).filteredOn(r -> r.path().startsWith("/my") || r.path().startsWith("/api/my"))
                .isNotEmpty().allSatisfy(r -> assertThat(r.access().roles()).as("%s", r).containsExactly(Role.INSTRUCTOR));
        assertThat(f.service.web().routes()).filteredOn(r -> !r.access().isPublic() && !r.path().startsWith("/my")
                        && !r.path().startsWith("/api/my") && !r.path().equals("/")) // "/" sends an instructor to /my
                .allSatisfy(r -> assertThat(r.access().allows(Set.of(Role.INSTRUCTOR))).as("%s open to an instructor", r).isFalse());
    }

    @Test
    void a_mutating_call_without_the_sessions_csrf_token_is_refused() {
        String term = f.term();
        Multipart m = new Multipart().files(ImportCases.valid());
        HttpResponse<String> r = coordinator.sendBytes("POST", "/api/terms/" + term + "/imports", WebClient.JSON, m.contentType(),
                m.bytes(), Map.of());
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(WebClient.errorCode(r)).isEqualTo("csrf");
        WebClient other = f.signedIn(f.coordinator);
        HttpResponse<String> foreign = coordinator.sendBytes("POST", "/api/terms/" + term + "/imports", WebClient.JSON,
                m.contentType(), m.bytes(), Map.of("X-CSRF-Token", other.csrfToken() + "x"));
        assertThat(foreign.statusCode()).isEqualTo(403);
    }

    @Test
    void each_template_downloads_with_its_example_row_and_imports_without_error() {
        Map<String, byte[]> files = new java.util.LinkedHashMap<>();
        for (String kind : List.of("courses", "applicants", "preferences", "instructor_requests")) {
            HttpResponse<String> t = coordinator.get("/api/templates/" + kind + ".csv", "text/csv");
            assertThat(t.statusCode()).isEqualTo(200);
            assertThat(t.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
            assertThat(t.headers().firstValue("Content-Disposition").orElse("")).contains(kind + ".csv");
            assertThat(t.body().lines().count()).as("header and one example row").isEqualTo(2);
            files.put(kind + ".csv", t.body().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        HttpResponse<String> r = upload(coordinator, "/api/terms/" + f.term() + "/imports", files);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(WebClient.json(r).path("errors")).isEmpty();
    }

    @Test
    void the_openapi_document_lists_every_api_route_of_the_service() {
        JsonNode doc = WebClient.json(new WebClient(f.base).get("/api/openapi.json", WebClient.JSON));
        assertThat(doc.path("openapi").asText()).startsWith("3.1");
        List<String> missing = f.service.web().routes().stream().filter(r -> r.path().startsWith("/api/"))
                .filter(r -> !doc.path("paths").path(r.path()).has(r.method().http().toLowerCase()))
                .map(r -> r.method() + " " + r.path()).toList();
        assertThat(missing).as("routes missing from /api/openapi.json").isEmpty();
    }

    private static void applyValid(String term) {
        HttpResponse<String> ok = upload(coordinator, "/api/terms/" + term + "/imports?apply=true&reason=sample", ImportCases.valid());
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(WebClient.json(ok).path("applied").asBoolean()).isTrue();
    }

    private static List<?> datasetRecords(String term) {
        return TestRecords.readAll(KafkaBrokerExtension.bootstrapServers(), EventTypes.COORDINATOR_DATASETS.topic(),
                Duration.ofSeconds(5)).stream().filter(r -> term.equals(r.key())).toList();
    }

}
