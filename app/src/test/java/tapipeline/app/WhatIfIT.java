package tapipeline.app;

import static org.assertj.core.api.Assertions.assertThat;
import static tapipeline.app.CoordinatorApi.post;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tapipeline.coordinator.service.CoordinatorService;
import tapipeline.platform.kafka.Events;
import tapipeline.platform.kafka.KafkaClients;
import tapipeline.platform.kafka.Topics;
import tapipeline.platform.service.RunningService;
import tapipeline.platform.testing.EventWatcher;
import tapipeline.platform.testing.KafkaBrokerExtension;
import tapipeline.platform.testing.ServiceHarness;
import tapipeline.platform.testing.web.WebClient;
import tapipeline.platform.web.AccountWriter;
import tapipeline.platform.web.PasswordHasher;
import tapipeline.schemas.EventCodec;
import tapipeline.schemas.EventTypes;
import tapipeline.schemas.assignment.AssignmentApproved;
import tapipeline.schemas.assignment.AssignmentProblem;
import tapipeline.schemas.assignment.Course;
import tapipeline.schemas.assignment.RunCompleted;
import tapipeline.schemas.assignment.RunOrigin;
import tapipeline.schemas.coordinator.Account.Role;
import tapipeline.schemas.coordinator.Dataset;
import tapipeline.solver.generator.DepartmentGenerator;
import tapipeline.solver.service.SolverService;

/**
 * What-if plans end to end with the real solver service on the real broker: the term is solved and
 * approved; a scenario (one TA fewer in a course, hours capped at 15) is solved as a what-if run; the
 * comparison's numbers (score, score by constraint, slots filled of the total, TAs moved with their courses
 * and hours) match the two results as this test computes them from assignment.run.completed; the scenario
 * never touches the term's data or its approved plan.
 */
@ExtendWith(KafkaBrokerExtension.class)
class WhatIfIT {

    private static final String PASSWORD = "a long what-if test password";
    private static final ObjectMapper JSON = EventCodec.objectMapper();

    @Test
    void a_scenario_solved_by_the_real_solver_compares_with_the_approved_plan_and_never_touches_it() throws Exception {
        String bootstrap = KafkaBrokerExtension.bootstrapServers();
        String term = "WI-" + UUID.randomUUID().toString().substring(0, 8);
        String user = "whatif-" + UUID.randomUUID().toString().substring(0, 6);
        try (RunningService solver = ServiceHarness.start(new SolverService(), Map.of());
             RunningService coordinator = ServiceHarness.start(new CoordinatorService(),
                     Map.of("WEB_SESSION_SECRET", "what-if-it-secret-0123456789-0123456789"));
             KafkaProducer<String, byte[]> producer = new KafkaClients(bootstrap).producer("what-if-it");
             EventWatcher watcher = new EventWatcher(bootstrap, Topics.RUN_REQUESTED.name(), Topics.RUN_COMPLETED.name(),
                     Topics.APPROVED.name(), Topics.DATASETS.name())) {
            new AccountWriter(producer, new PasswordHasher()).write(user, "What-if Coordinator", List.of(Role.COORDINATOR),
                    PASSWORD.toCharArray(), false);
            AssignmentProblem generated = DepartmentGenerator.generate(20, 60, 23L);
            Dataset data = new Dataset(term, 1, generated.courses(), generated.applicants(), generated.preferences(),
                    generated.instructorPreferences(), List.of());
            Events.send(producer, EventTypes.COORDINATOR_DATASETS, term, data).get(10, TimeUnit.SECONDS);
            String base = coordinator.urls().get("coordinator").replaceAll("/$", "");
            WebClient c = WebClient.signedIn(base, user, PASSWORD, Duration.ofSeconds(60));

            // the term's plan: solved by the real solver, approved
            String planRun = CoordinatorApi.startRun(c, Map.of("term", term, "timeLimitSeconds", 4,
                    "unimprovedSeconds", 2, "seed", 23, "reason", "the plan"), Duration.ofSeconds(30));
            CoordinatorApi.awaitState(c, planRun, "SOLVED", Duration.ofSeconds(120));
            assertThat(post(c, "/api/runs/" + planRun + "/approve", Map.of("reason", "the plan")).statusCode())
                    .isEqualTo(200);

            // the scenario: one TA fewer in a course with several, every applicant capped at 15 h
            Course cut = data.courses().stream().filter(x -> x.slots() >= 2).findFirst().orElseThrow();
            assertThat(data.applicants()).anyMatch(a -> a.maxHours() > 15);
            String id = body(post(c, "/api/terms/" + term + "/scenarios", Map.of("name", "one TA fewer in "
                    + cut.code() + ", cap hours at 15")), 201).path("scenarioId").asText();
            body(post(c, "/api/scenarios/" + id + "/edits", Map.of("kind", "slots", "courseId", cut.id(), "slots",
                    cut.slots() - 1, "expectedVersion", 1)), 200);
            body(post(c, "/api/scenarios/" + id + "/edits", Map.of("kind", "capHours", "maxHours", 15,
                    "expectedVersion", 2)), 200);
            String whatIfRun = body(post(c, "/api/scenarios/" + id + "/runs", Map.of("timeLimitSeconds", 4,
                    "unimprovedSeconds", 2, "seed", 23)), 202).path("runId").asText();
            AssignmentProblem whatIfProblem = watcher.await(AssignmentProblem.class, p -> p.runId().equals(whatIfRun),
                    Duration.ofSeconds(10));
            assertThat(whatIfProblem.origin()).isEqualTo(RunOrigin.whatIf(id));
            assertThat(whatIfProblem.applicants()).allSatisfy(a -> assertThat(a.maxHours()).isLessThanOrEqualTo(15));
            CoordinatorApi.awaitState(c, whatIfRun, "SOLVED", Duration.ofSeconds(120));

            // the comparison, against the two results as the solver wrote them
            AssignmentProblem planProblem = watcher.await(AssignmentProblem.class, p -> p.runId().equals(planRun),
                    Duration.ofSeconds(10));
            RunCompleted plan = watcher.await(RunCompleted.class, r -> r.runId().equals(planRun), Duration.ofSeconds(10));
            RunCompleted whatIf = watcher.await(RunCompleted.class, r -> r.runId().equals(whatIfRun), Duration.ofSeconds(10));
            JsonNode cmp = body(c.get("/api/scenarios/" + id + "/compare", WebClient.JSON), 200);
            assertThat(cmp.path("plan").path("runId").asText()).isEqualTo(planRun);
            assertThat(cmp.path("plan").path("kind").asText()).isEqualTo("approved");
            assertThat(cmp.path("scenario").path("runId").asText()).isEqualTo(whatIfRun);
            assertThat(cmp.path("plan").path("score").asText()).isEqualTo(plan.score());
            assertThat(cmp.path("scenario").path("score").asText()).isEqualTo(whatIf.score());
            int planFilled = filled(plan);
            int whatIfFilled = filled(whatIf);
            int planTotal = planProblem.courses().stream().mapToInt(Course::slots).sum();
            int whatIfTotal = whatIfProblem.courses().stream().mapToInt(Course::slots).sum();
            assertThat(whatIfTotal).isEqualTo(planTotal - 1);
            assertThat(cmp.path("plan").path("filled").asInt()).isEqualTo(planFilled);
            assertThat(cmp.path("plan").path("total").asInt()).isEqualTo(planTotal);
            assertThat(cmp.path("scenario").path("filled").asInt()).isEqualTo(whatIfFilled);
            assertThat(cmp.path("scenario").path("total").asInt()).isEqualTo(whatIfTotal);
            Map<String, String> planScores = new HashMap<>();
            plan.scoreBreakdown().forEach(k -> planScores.put(k.constraint(), k.score()));
            for (JsonNode row : cmp.path("constraints")) {
                assertThat(row.path("plan").asText()).as(row.path("constraint").asText())
                        .isEqualTo(planScores.getOrDefault(row.path("constraint").asText(), ""));
            }
            assertThat(cmp.path("constraints").size()).isGreaterThanOrEqualTo(plan.scoreBreakdown().size());

            // moved TAs: those whose set of courses differs, with their courses and hours, computed here
            Map<String, Set<String>> before = coursesByTa(plan);
            Map<String, Set<String>> after = coursesByTa(whatIf);
            Set<String> everyone = new TreeSet<>(before.keySet());
            everyone.addAll(after.keySet());
            List<String> moved = new ArrayList<>();
            for (String ta : everyone) {
                if (!before.getOrDefault(ta, Set.of()).equals(after.getOrDefault(ta, Set.of()))) {
                    moved.add(ta);
                }
            }
            assertThat(moved).as("capping hours at 15 moves someone").isNotEmpty();
            Map<String, Integer> hoursBefore = hours(plan, planProblem);
            Map<String, Integer> hoursAfter = hours(whatIf, whatIfProblem);
            assertThat(cmp.path("moved").asInt()).isEqualTo(moved.size());
            Map<String, JsonNode> shown = new TreeMap<>();
            cmp.path("movedTas").forEach(t -> shown.put(t.path("applicantId").asText(), t));
            assertThat(shown.keySet()).containsExactlyInAnyOrderElementsOf(moved);
            int losers = 0;
            for (String ta : moved) {
                JsonNode t = shown.get(ta);
                assertThat(t.path("hoursBefore").asInt()).as(ta).isEqualTo(hoursBefore.getOrDefault(ta, 0));
                assertThat(t.path("hoursAfter").asInt()).as(ta).isEqualTo(hoursAfter.getOrDefault(ta, 0));
                assertThat(t.path("hoursAfter").asInt()).as(ta + " capped").isLessThanOrEqualTo(15);
                assertThat(t.path("before").size()).as(ta).isEqualTo(before.getOrDefault(ta, Set.of()).size());
                assertThat(t.path("after").size()).as(ta).isEqualTo(after.getOrDefault(ta, Set.of()).size());
                if (t.path("loses").asBoolean()) {
                    losers++;
                }
            }
            assertThat(cmp.path("losers").asInt()).isEqualTo(losers);
            System.out.printf("what-if: plan %s %d of %d filled, scenario %s %d of %d filled, %d TAs moved (%d gain, %d lose)%n",
                    plan.score(), planFilled, planTotal, whatIf.score(), whatIfFilled, whatIfTotal, moved.size(),
                    cmp.path("gainers").asInt(), losers);

            // the page shows the same numbers, server-rendered
            String page = body(c.get("/scenarios/" + id + "/compare", WebClient.HTML));
            assertThat(page).contains(planFilled + " of " + planTotal).contains(whatIfFilled + " of " + whatIfTotal)
                    .contains(moved.size() + " TAs hold a different set of courses")
                    .contains(plan.score()).contains(whatIf.score());

            // the scenario touched nothing of the term: its data at version 1, one approval (the plan's)
            JsonNode termData = body(c.get("/api/terms/" + term + "/dataset", WebClient.JSON), 200);
            assertThat(termData.path("version").asLong()).isEqualTo(1);
            assertThat(JSON.treeToValue(termData, Dataset.class)).isEqualTo(data);
            HttpResponse<String> refused = post(c, "/api/runs/" + whatIfRun + "/approve", Map.of("reason", "try"));
            assertThat(refused.statusCode()).isEqualTo(409);
            Thread.sleep(500);
            List<AssignmentApproved> approvals = watcher.payloads(AssignmentApproved.class, a -> a.term().equals(term));
            assertThat(approvals).extracting(AssignmentApproved::runId).containsExactly(planRun);
            assertThat(watcher.payloads(Dataset.class, d -> d.term().equals(term))).hasSize(1);
            JsonNode planNow = body(c.get("/api/runs/" + planRun, WebClient.JSON), 200);
            assertThat(planNow.path("approved").asBoolean()).isTrue();
        }
    }

    private static int filled(RunCompleted r) {
        return (int) r.assignments().stream().filter(a -> a.applicantId() != null).count();
    }

    private static Map<String, Set<String>> coursesByTa(RunCompleted r) {
        Map<String, Set<String>> out = new HashMap<>();
        r.assignments().stream().filter(a -> a.applicantId() != null)
                .forEach(a -> out.computeIfAbsent(a.applicantId(), k -> new TreeSet<>()).add(a.courseId()));
        return out;
    }

    private static Map<String, Integer> hours(RunCompleted r, AssignmentProblem p) {
        Map<String, Integer> perSlot = new HashMap<>();
        p.courses().forEach(c -> perSlot.put(c.id(), c.hoursPerSlot()));
        Map<String, Integer> out = new HashMap<>();
        r.assignments().stream().filter(a -> a.applicantId() != null)
                .forEach(a -> out.merge(a.applicantId(), perSlot.get(a.courseId()), Integer::sum));
        return out;
    }

    private static JsonNode body(HttpResponse<String> r, int status) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        return JSON.readTree(r.body());
    }

    private static String body(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r.body();
    }
}
