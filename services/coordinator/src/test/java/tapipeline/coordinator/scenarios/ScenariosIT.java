package tapipeline.coordinator.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import tapipeline.coordinator.api.CoordinatorFixture;
import tapipeline.coordinator.runs.RunBoard;
import tapipeline.coordinator.sample.CoordinatorSampleData;
import tapipeline.platform.kafka.Events;
import tapipeline.platform.kafka.KafkaClients;
import tapipeline.platform.kafka.Topics;
import tapipeline.platform.testing.EventWatcher;
import tapipeline.platform.testing.KafkaBrokerExtension;
import tapipeline.platform.testing.TestRecords;
import tapipeline.platform.testing.web.WebClient;
import tapipeline.schemas.EventTypes;
import tapipeline.schemas.assignment.Applicant;
import tapipeline.schemas.assignment.AssignmentProblem;
import tapipeline.schemas.assignment.Course;
import tapipeline.schemas.assignment.RunOrigin;
import tapipeline.schemas.coordinator.Dataset;
import tapipeline.schemas.coordinator.Scenario;

/**
 * What-if scenarios on a running coordinator (real broker, real HTTP): a scenario is a copy of the term's
 * data, edited (one TA fewer in a course, hours capped at 15) and solved as a what-if run whose request
 * carries the scenario's data and origin WHAT_IF; the term's dataset stays at its version; the what-if run
 * is refused approval, pins and re-solve, and nothing reaches assignment.approved. The results are written
 * here in place of the solver (see WhatIfRuns).
 */
@ExtendWith(KafkaBrokerExtension.class)
class ScenariosIT {

    @Test
    void a_scenario_is_edited_and_solved_apart_from_the_term_and_its_what_if_run_is_never_approved() throws Exception {
        String bootstrap = KafkaBrokerExtension.bootstrapServers();
        try (CoordinatorFixture f = new CoordinatorFixture(Map.of());
             KafkaProducer<String, byte[]> producer = new KafkaClients(bootstrap).producer("it-scenarios");
             EventWatcher watcher = new EventWatcher(bootstrap, Topics.RUN_REQUESTED.name(), Topics.SCENARIOS.name())) {
            String term = f.term();
            Dataset sample = CoordinatorSampleData.sampleDataset();
            Dataset base = new Dataset(term, 1, sample.courses(), sample.applicants(), sample.preferences(),
                    sample.instructorPreferences(), sample.pins(), sample.contacts(), sample.courseDetails());
            Events.send(producer, EventTypes.COORDINATOR_DATASETS, term, base).get(30, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(30)).until(() -> f.service.data().datasets().current(term).isPresent());
            WebClient c = f.signedIn(f.coordinator);
            Course cut = base.courses().stream().filter(x -> x.slots() >= 2).findFirst().orElseThrow();

            // create: a copy of the term's current data
            JsonNode created = json(post(c, "/api/terms/" + term + "/scenarios",
                    "{\"name\":\"one TA fewer in " + cut.code() + ", hours capped at 15\",\"description\":\"budget cut\"}"), 201);
            String id = created.path("scenarioId").asText();
            assertThat(id).startsWith(term.toLowerCase() + "-one-ta-fewer-in-");
            assertThat(created.path("baseVersion").asLong()).isEqualTo(1);
            assertThat(created.path("version").asLong()).isEqualTo(1);
            // names: unique in the term (whatever the case), at most 200 characters, required
            JsonNode dup = json(post(c, "/api/terms/" + term + "/scenarios",
                    "{\"name\":\"ONE TA FEWER IN " + cut.code() + ", hours capped at 15\"}"), 409);
            assertThat(dup.path("message").asText()).contains("name: term " + term + " already has a scenario named");
            assertThat(json(post(c, "/api/terms/" + term + "/scenarios", "{\"name\":\"" + "n".repeat(201) + "\"}"), 400)
                    .path("message").asText()).isEqualTo("name must be at most 200 characters, was 201");
            assertThat(json(post(c, "/api/terms/no-such-term/scenarios", "{\"name\":\"x\"}"), 404)
                    .path("message").asText()).contains("has no dataset to copy");

            // edits: one TA fewer, then hours capped at 15; each against the version it was made on
            String edits = "/api/scenarios/" + id + "/edits";
            assertThat(json(post(c, edits, "{\"kind\":\"slots\",\"courseId\":\"" + cut.id() + "\",\"slots\":"
                    + (cut.slots() - 1) + ",\"expectedVersion\":1,\"reason\":\"budget\"}"), 200).path("version").asLong())
                    .isEqualTo(2);
            assertThat(json(post(c, edits, "{\"kind\":\"capHours\",\"maxHours\":15,\"expectedVersion\":1}"), 409)
                    .path("message").asText()).contains("expectedVersion: scenario " + id + " is at version 2, not 1");
            assertThat(json(post(c, edits, "{\"kind\":\"capHours\",\"maxHours\":\"lots\",\"expectedVersion\":2}"), 400)
                    .path("message").asText()).isEqualTo("maxHours must be a whole number, was \"lots\"");
            assertThat(json(post(c, edits, "{\"kind\":\"slots\",\"courseId\":\"NOPE\",\"slots\":2,\"expectedVersion\":2}"), 404)
                    .path("message").asText()).contains("courseId: no course has the id \"NOPE\"");
            assertThat(json(post(c, edits, "{\"kind\":\"grow\",\"expectedVersion\":2}"), 400)
                    .path("message").asText()).contains("kind must be slots, capHours, removeApplicant or removeCourse");
            assertThat(json(post(c, edits, "{\"kind\":\"capHours\",\"maxHours\":15,\"expectedVersion\":2}"), 200)
                    .path("version").asLong()).isEqualTo(3);
            Scenario written = watcher.await(Scenario.class, s -> s.scenarioId().equals(id) && s.dataset().version() == 3,
                    Duration.ofSeconds(10));
            assertThat(written.baseVersion()).isEqualTo(1);
            assertThat(written.createdBy()).isEqualTo(f.coordinator);
            JsonNode shown = WebClient.json(c.get("/api/scenarios/" + id, WebClient.JSON));
            assertThat(shown.path("edits")).hasSize(3);
            assertThat(shown.path("edits").get(0).path("detail").asText()).contains("hours capped at 15");

            // solve: the request carries the scenario's data and origin WHAT_IF
            String runId = json(post(c, "/api/scenarios/" + id + "/runs", "{\"timeLimitSeconds\":5,\"seed\":7}"), 202)
                    .path("runId").asText();
            AssignmentProblem requested = watcher.await(AssignmentProblem.class, p -> p.runId().equals(runId),
                    Duration.ofSeconds(10));
            assertThat(requested.origin()).isEqualTo(RunOrigin.whatIf(id));
            assertThat(requested.term()).isEqualTo(term);
            assertThat(requested.courses().stream().filter(x -> x.id().equals(cut.id())).findFirst().orElseThrow().slots())
                    .isEqualTo(cut.slots() - 1);
            assertThat(requested.applicants()).allSatisfy(a -> assertThat(a.maxHours()).isLessThanOrEqualTo(15));
            assertThat(base.applicants().stream().mapToInt(Applicant::maxHours).max().orElseThrow())
                    .as("the sample has applicants above 15 h").isGreaterThan(15);
            assertThat(requested.courses()).hasSameSizeAs(base.courses());
            assertThat(requested.settings().timeLimitSeconds()).isEqualTo(5);
            JsonNode listed = WebClient.json(c.get("/api/runs?term=" + term, WebClient.JSON));
            assertThat(listed.get(0).path("origin").path("kind").asText()).isEqualTo("WHAT_IF");
            assertThat(listed.get(0).path("origin").path("scenarioId").asText()).isEqualTo(id);

            // the term's dataset is untouched: the same version and data, one record on coordinator.datasets
            assertThat(f.service.data().datasets().current(term).orElseThrow()).isEqualTo(base);
            assertThat(TestRecords.readAll(bootstrap, Topics.DATASETS.name(), Duration.ofSeconds(10)).stream()
                    .filter(r -> term.equals(r.key())).count()).isEqualTo(1);

            // the what-if run completes; it is reviewed with its own pins, and refused approval, pins and re-solve
            WhatIfRuns.complete(producer, WhatIfRuns.fill(requested, 0, 7));
            RunBoard board = f.service.runs().board();
            await().atMost(Duration.ofSeconds(30)).until(() -> board.get(runId).map(RunBoard.Run::reviewable).orElse(false));
            HttpResponse<String> approve = post(c, "/api/runs/" + runId + "/approve", "{\"reason\":\"looks good\"}");
            assertThat(approve.statusCode()).isEqualTo(409);
            assertThat(WebClient.json(approve).path("message").asText()).contains("is a what-if run of scenario " + id)
                    .contains("cannot be approved");
            String firstCourse = requested.courses().get(0).id();
            assertThat(post(c, "/api/runs/" + runId + "/pin", "{\"courseId\":\"" + firstCourse + "\",\"slotIndex\":0}")
                    .statusCode()).isEqualTo(409);
            assertThat(post(c, "/api/runs/" + runId + "/override", "{\"courseId\":\"" + firstCourse
                    + "\",\"slotIndex\":0,\"applicantId\":\"" + requested.applicants().get(3).id() + "\",\"reason\":\"x\"}")
                    .statusCode()).isEqualTo(409);
            assertThat(post(c, "/api/runs/" + runId + "/resolve", "{\"timeLimitSeconds\":5}").statusCode()).isEqualTo(409);
            String review = c.get("/runs/" + runId + "/review", WebClient.HTML).body();
            assertThat(review).contains("id=\"what-if\"").doesNotContain("/api/runs/" + runId + "/approve\"");
            Thread.sleep(500); // anything the refusals wrote would be on the topics by now
            List<ConsumerRecord<String, String>> approvals = TestRecords.readAll(bootstrap, Topics.APPROVED.name(),
                    Duration.ofSeconds(10));
            assertThat(approvals.stream().filter(r -> term.equals(r.key()))).as("nothing approved for the term").isEmpty();
            assertThat(f.service.data().datasets().current(term).orElseThrow().version()).isEqualTo(1);

            // without a run of the term there is nothing to compare with
            HttpResponse<String> compare = c.get("/api/scenarios/" + id + "/compare", WebClient.JSON);
            assertThat(compare.statusCode()).isEqualTo(409);
            assertThat(WebClient.json(compare).path("message").asText()).contains("has no completed run to compare with");

            // a viewer reads, but changes nothing
            WebClient viewer = f.signedIn(f.viewer);
            assertThat(viewer.get("/scenarios/" + id, WebClient.HTML).statusCode()).isEqualTo(200);
            assertThat(post(viewer, edits, "{\"kind\":\"capHours\",\"maxHours\":10,\"expectedVersion\":3}").statusCode())
                    .isEqualTo(403);

            // a second instance replays the scenario from the topic and edits it under the same lock
            try (CoordinatorFixture second = new CoordinatorFixture(Map.of("INSTANCE_ID", f.prefix + "-second"))) {
                WebClient c2 = second.signedIn(second.coordinator);
                await().atMost(Duration.ofSeconds(30)).until(() -> c2.get("/api/scenarios/" + id, WebClient.JSON).statusCode() == 200);
                assertThat(WebClient.json(c2.get("/api/scenarios/" + id, WebClient.JSON)).path("version").asLong()).isEqualTo(3);
                Course other = base.courses().stream().filter(x -> !x.id().equals(cut.id())).findFirst().orElseThrow();
                assertThat(json(post(c2, edits, "{\"kind\":\"removeCourse\",\"courseId\":\"" + other.id()
                        + "\",\"expectedVersion\":3}"), 200).path("version").asLong()).isEqualTo(4);
                await().atMost(Duration.ofSeconds(10)).until(() -> WebClient.json(c.get("/api/scenarios/" + id, WebClient.JSON))
                        .path("version").asLong() == 4);
                assertThat(json(post(c, edits, "{\"kind\":\"capHours\",\"maxHours\":10,\"expectedVersion\":3}"), 409)
                        .path("message").asText()).contains("is at version 4, not 3");
            }

            // delete: a tombstone; the scenario is gone, its run stays on the board
            assertThat(c.send("DELETE", "/api/scenarios/" + id, WebClient.JSON, "application/json", "{\"reason\":\"done\"}",
                    Map.of("X-CSRF-Token", c.csrfToken())).statusCode()).isEqualTo(200);
            assertThat(c.get("/api/scenarios/" + id, WebClient.JSON).statusCode()).isEqualTo(404);
            List<ConsumerRecord<String, String>> records = TestRecords.readAll(bootstrap, Topics.SCENARIOS.name(),
                    Duration.ofSeconds(10)).stream().filter(r -> id.equals(r.key())).toList();
            assertThat(records.get(records.size() - 1).value()).as("a tombstone").isNull();
            assertThat(board.get(runId)).isPresent();
            // the name is free again
            json(post(c, "/api/terms/" + term + "/scenarios", "{\"name\":\"one TA fewer in " + cut.code()
                    + ", hours capped at 15\"}"), 201);
        }
    }

    static HttpResponse<String> post(WebClient c, String path, String json) {
        return c.send("POST", path, WebClient.JSON, "application/json", json, Map.of("X-CSRF-Token", c.csrfToken()));
    }

    static JsonNode json(HttpResponse<String> r, int status) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        return WebClient.json(r);
    }
}
