package tapipeline.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tapipeline.coordinator.service.CoordinatorService;
import tapipeline.platform.kafka.Events;
import tapipeline.platform.kafka.KafkaClients;
import tapipeline.platform.kafka.Topics;
import tapipeline.platform.trace.TraceContext;
import tapipeline.platform.service.RunningService;
import tapipeline.platform.testing.EventWatcher;
import tapipeline.platform.testing.KafkaBrokerExtension;
import tapipeline.platform.testing.ServiceHarness;
import tapipeline.platform.testing.web.RouteWalker;
import tapipeline.platform.testing.web.WebClient;
import tapipeline.platform.web.Site;
import tapipeline.coordinator.runs.RunPages;
import tapipeline.coordinator.runs.RunsApi;
import tapipeline.coordinator.runs.RunsFeature;
import tapipeline.platform.web.AccountWriter;
import tapipeline.platform.web.PasswordHasher;
import tapipeline.schemas.coordinator.Account.Role;
import tapipeline.schemas.EventCodec;
import tapipeline.schemas.EventTypes;
import tapipeline.schemas.assignment.Applicant;
import tapipeline.schemas.assignment.AssignmentApproved;
import tapipeline.schemas.assignment.AssignmentProblem;
import tapipeline.schemas.assignment.Course;
import tapipeline.schemas.audit.AuditEntry;
import tapipeline.schemas.coordinator.Dataset;
import tapipeline.solver.generator.DepartmentGenerator;
import tapipeline.solver.service.SolverService;

/**
 * The coordinator's runs with the real solver service on the real embedded broker: a run requested
 * through the coordinator's API is solved, its progress streams as server-sent events, its result
 * is reviewed; an override is checked by the solver's constraint model; a re-solve keeps the pins;
 * the approval event carries public fields only; a second coordinator instance rebuilt from the
 * topics sees the same runs. (In app/, because it runs two services: a service never depends on another.)
 */
@ExtendWith(KafkaBrokerExtension.class)
class CoordinatorRunsIT {

    /** The {@code traceparent} of the first record on {@code topic} whose payload matches, read from the start. */
    private static <T> TraceContext traceOf(String topic, Class<T> type, java.util.function.Predicate<T> matching) {
        Map<String, Object> config = Map.of(
                org.apache.kafka.clients.consumer.ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBrokerExtension.bootstrapServers(),
                org.apache.kafka.clients.consumer.ConsumerConfig.GROUP_ID_CONFIG, "trace-" + UUID.randomUUID(),
                org.apache.kafka.clients.consumer.ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                org.apache.kafka.clients.consumer.ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 20 * 1024 * 1024,
                org.apache.kafka.clients.consumer.ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 20 * 1024 * 1024);
        try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<>(config,
                new org.apache.kafka.common.serialization.StringDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                for (var r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.value() == null) {
                        continue;
                    }
                    Object payload;
                    try {
                        payload = Events.codec().decodeAny(r.value()).payload();
                    } catch (RuntimeException e) {
                        continue;   // another test's poison record on a shared topic
                    }
                    if (type.isInstance(payload) && matching.test(type.cast(payload))) {
                        return TraceContext.of(r.headers()).orElseThrow(() -> new AssertionError(
                                "the " + topic + " record of " + payload + " has no valid traceparent"));
                    }
                }
            }
        }
        throw new AssertionError("no matching " + type.getSimpleName() + " on " + topic + " within 30s");
    }

    private static final String SCRIPT_NAME = "<script>alert(1)</script>";
    private static final String SECRET = "coordinator-runs-it-secret-0123456789-0123456789";
    private static final String PASSWORD = "a long runs test password";
    private static final String COORDINATOR = "runs-coord";
    private static final String VIEWER = "runs-viewer";
    private static final String NOBODY = "runs-norole";
    private static WebClient client;
    private static final ObjectMapper JSON = EventCodec.objectMapper();

    private static RunningService solver;
    private static RunningService coordinator;
    private static String base;
    private static EventWatcher watcher;
    private static KafkaProducer<String, byte[]> producer;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        String bootstrap = KafkaBrokerExtension.bootstrapServers();
        solver = ServiceHarness.start(new SolverService(), Map.of("SOLVER_MAX_CONCURRENT_RUNS", "2"));
        coordinator = ServiceHarness.start(new CoordinatorService(), Map.of("COORDINATOR_DEPARTMENT", "IT Department",
                "WEB_SESSION_SECRET", SECRET));
        base = baseOf(coordinator);
        watcher = new EventWatcher(bootstrap, Topics.APPROVED.name(), Topics.AUDIT.name(), Topics.DATASETS.name(),
                Topics.RUN_REQUESTED.name());
        producer = new KafkaClients(bootstrap).producer("coordinator-runs-it");
        AccountWriter accounts = new AccountWriter(producer, new PasswordHasher());
        accounts.write(COORDINATOR, "Runs <i>Coordinator</i>", List.of(Role.COORDINATOR), PASSWORD.toCharArray(), false);
        accounts.write(VIEWER, "Runs Viewer", List.of(Role.VIEWER), PASSWORD.toCharArray(), false);
        accounts.write(NOBODY, "Runs Nobody", List.of(), PASSWORD.toCharArray(), false);
        client = signedIn(base, COORDINATOR);
    }

    @AfterAll
    static void stop() throws Exception {
        producer.close();
        watcher.close();
        coordinator.close();
        solver.close();
    }

    private static String baseOf(RunningService service) {
        String health = service.urls().get("coordinator health");
        return health.substring(0, health.length() - "/health".length());
    }

    /** A client signed in through the sign-in form (retried until the coordinator has read the account). */
    private static WebClient signedIn(String base, String user) throws InterruptedException {
        return WebClient.signedIn(base, user, PASSWORD, Duration.ofSeconds(60));
    }

    /** A term's dataset as the data half would write it: a generated department, one applicant with a hostile name. */
    private static Dataset dataset(String term, int courses, int applicants, long seed) throws Exception {
        AssignmentProblem p = DepartmentGenerator.generate(courses, applicants, seed);
        List<Applicant> people = new ArrayList<>(p.applicants());
        Applicant first = people.get(0);
        people.set(0, new Applicant(first.id(), SCRIPT_NAME, first.program(), first.year(), first.minHours(),
                first.maxHours(), first.targetHours(), first.unavailable(), first.skills(), first.coursesTaken(),
                first.previouslyTaught(), first.conflicts()));
        Dataset d = new Dataset(term, 1, p.courses(), people, p.preferences(), p.instructorPreferences(), List.of());
        Events.send(producer, EventTypes.COORDINATOR_DATASETS, term, d).get(10, TimeUnit.SECONDS);
        return d;
    }

    @Test
    void run_progress_review_override_resolve_approve() throws Exception {
        String term = "IT-" + UUID.randomUUID().toString().substring(0, 8);
        Dataset data = dataset(term, 25, 75, 17L);

        // start a run through the API, and follow it live
        String runId = CoordinatorApi.startRun(client, Map.of("term", term, "timeLimitSeconds", 6, "unimprovedSeconds", 3,
                "seed", 17, "reason", "first draft"), Duration.ofSeconds(30));
        List<String> sse = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> stream = follow("/api/runs/" + runId + "/events", sse);
        JsonNode run = CoordinatorApi.awaitState(client, runId, "SOLVED", Duration.ofSeconds(120));
        stream.get(30, TimeUnit.SECONDS);
        assertThat(sse).as("server-sent events").anyMatch(l -> l.equals("event: progress"));
        assertThat(sse).anyMatch(l -> l.equals("event: done"));
        assertThat(sse).anyMatch(l -> l.startsWith("data: ") && l.contains("\"bestScore\""));
        assertThat(run.get("progress").size()).as("progress points kept").isGreaterThan(0);
        assertThat(run.get("score").asText()).matches("-?\\d+hard/-?\\d+medium/-?\\d+soft");
        AssignmentProblem requested = watcher.await(AssignmentProblem.class, p -> p.runId().equals(runId),
                Duration.ofSeconds(10));
        assertThat(requested.department()).isEqualTo("IT Department");
        assertThat(requested.courses()).hasSize(data.courses().size());
        assertThat(requested.settings().timeLimitSeconds()).isEqualTo(6);
        assertThat(requested.settings().randomSeed()).isEqualTo(17L);

        JsonNode review = get("/api/runs/" + runId + "/review");
        assertThat(review.get("courses")).hasSize(25);
        assertThat(review.get("scoreBreakdown").size()).isGreaterThan(10);

        // an override to someone who lacks the course's skill: the check names the rule and the score drops
        // (the applicant with the hostile name, so the export below must show it as a plain cell)
        Applicant lacking = data.applicants().get(0);
        JsonNode filled = filledSlotLackedBy(review, data, lacking);
        String courseId = filled.get("courseId").asText();
        int slot = filled.get("slotIndex").asInt();
        JsonNode check = get("/api/runs/" + runId + "/slots/" + courseId + "/" + slot + "/check?applicantId="
                + lacking.id());
        assertThat(check.get("feasibleAfter").asBoolean()).isFalse();
        assertThat(texts(check.get("newlyBroken"))).anyMatch(v -> v.contains(lacking.id() + " lacks skill"));
        assertThat(texts(check.get("changes"), "constraint")).contains("Required skills");
        assertThat(check.get("scoreAfter").asText()).startsWith("-");
        assertThat(check.get("scoreBefore").asText()).startsWith("0hard");

        JsonNode overridden = post("/api/runs/" + runId + "/override", Map.of("courseId", courseId, "slotIndex", slot,
                "applicantId", lacking.id(), "reason", "instructor insists"), 200);
        assertThat(overridden.get("toName").asText()).isEqualTo(lacking.name());
        // an override is a new dataset version, audited with it (subject: the term; the facts name the run)
        AuditEntry overrideAudit = watcher.await(AuditEntry.class, e -> e.subject().equals(term)
                && e.action().equals("override"), Duration.ofSeconds(10));
        assertThat(overrideAudit.actor()).isEqualTo(COORDINATOR);
        assertThat(overrideAudit.detail()).contains("instructor insists").contains("breaks").contains(runId);

        // and a pin of another slot, kept as it is
        JsonNode other = otherFilledSlot(review, courseId);
        String pinnedCourse = other.get("courseId").asText();
        int pinnedSlot = other.get("slotIndex").asInt();
        String pinnedTa = other.get("applicantId").asText();
        post("/api/runs/" + runId + "/pin", Map.of("courseId", pinnedCourse, "slotIndex", pinnedSlot,
                "reason", "agreed with the TA"), 200);
        watcher.await(AuditEntry.class, e -> e.subject().equals(term) && e.action().equals("pin")
                && e.detail().contains("agreed with the TA"), Duration.ofSeconds(10));
        Dataset withPins = watcher.await(Dataset.class, d -> d.term().equals(term) && d.pins().size() == 2,
                Duration.ofSeconds(10));
        assertThat(withPins.version()).isEqualTo(3);

        JsonNode afterPins = get("/api/runs/" + runId + "/review");
        assertThat(slotOf(afterPins, courseId, slot).get("applicantId").asText()).isEqualTo(lacking.id());
        assertThat(slotOf(afterPins, courseId, slot).get("changedByCoordinator").asBoolean()).isTrue();

        // re-solve keeping both pins, from the reviewed assignment
        String resolved = post("/api/runs/" + runId + "/resolve", Map.of("timeLimitSeconds", 6, "unimprovedSeconds", 3,
                "seed", 17, "reason", "after the overrides"), 202).get("runId").asText();
        AssignmentProblem again = watcher.await(AssignmentProblem.class, p -> p.runId().equals(resolved),
                Duration.ofSeconds(10));
        assertThat(again.pins()).hasSize(2);
        assertThat(again.previousAssignment()).isNotEmpty();
        CoordinatorApi.awaitState(client, resolved, "SOLVED", Duration.ofSeconds(120));
        JsonNode second = get("/api/runs/" + resolved + "/review");
        assertThat(slotOf(second, courseId, slot).get("applicantId").asText()).as("override kept").isEqualTo(lacking.id());
        assertThat(slotOf(second, pinnedCourse, pinnedSlot).get("applicantId").asText()).as("pin kept").isEqualTo(pinnedTa);
        assertThat(second.get("previousRunId").asText()).isEqualTo(runId);
        int changes = second.get("difference").size();
        int filledSlots = again.previousAssignment().size();
        assertThat(changes).as("minimal change: %s of %s slots moved", changes, filledSlots).isLessThan(filledSlots / 3);

        // approve: the event has public fields only
        post("/api/runs/" + resolved + "/approve", Map.of("reason", "final"), 200);
        AssignmentApproved approved = watcher.await(AssignmentApproved.class, a -> a.runId().equals(resolved),
                Duration.ofSeconds(10));
        JsonNode tree = JSON.valueToTree(approved);
        assertThat(names(tree)).containsExactlyInAnyOrder("term", "runId", "approvedBy", "approvedAt", "courses");
        // the approval continues the run's W3C trace (its request's), though it came in on another HTTP request
        TraceContext requestTrace = traceOf(Topics.RUN_REQUESTED.name(), AssignmentProblem.class,
                p -> p.runId().equals(resolved));
        TraceContext approvalTrace = traceOf(Topics.APPROVED.name(), AssignmentApproved.class,
                a -> a.runId().equals(resolved));
        assertThat(approvalTrace.traceId()).as("the approval's trace id is the run request's")
                .isEqualTo(requestTrace.traceId());
        assertThat(approvalTrace.spanId()).as("a child span").isNotEqualTo(requestTrace.spanId());
        Set<String> courseFields = new HashSet<>();
        Set<String> taFields = new HashSet<>();
        tree.get("courses").forEach(c -> {
            courseFields.addAll(names(c));
            c.get("tas").forEach(t -> taFields.addAll(names(t)));
        });
        assertThat(courseFields).isSubsetOf("courseId", "code", "title", "section", "instructor", "tas");
        assertThat(taFields).containsExactlyInAnyOrder("applicantId", "name", "hours");
        String raw = JSON.writeValueAsString(approved);
        assertThat(raw).doesNotContain("\"rating\"", "\"minHours\"", "\"unavailable\"", "\"conflicts\"", "\"skills\"",
                "\"willNot\"", "\"reason\"", "\"preferences\"");
        assertThat(approved.approvedBy()).isNotBlank();
        watcher.await(AuditEntry.class, e -> e.subject().equals(resolved) && e.action().equals("approve"),
                Duration.ofSeconds(10));
        assertThat(get("/api/runs/" + resolved + "/publication").get("approved").asBoolean()).isTrue();

        // the export: the hostile name is a plain cell
        String csv = getText("/api/runs/" + resolved + "/export.csv", "text/csv");
        assertThat(csv.lines().findFirst().orElseThrow()).startsWith("course_id,code,title");
        assertThat(csv).contains("," + lacking.id() + "," + SCRIPT_NAME + ",");

        // the pages show the hostile name as text: escaped, never as markup
        String escaped = "&lt;script&gt;alert(1)&lt;/script&gt;";
        for (String page : List.of("/runs/" + resolved + "/review?q=" + java.net.URLEncoder.encode(lacking.id(),
                        java.nio.charset.StandardCharsets.UTF_8),
                "/runs/" + resolved + "/hours",
                "/runs/" + resolved + "/slots/" + courseId + "/" + slot,
                "/runs/" + runId + "/slots/" + otherSlotOf(review, courseId, slot) + "?applicantId=" + lacking.id())) {
            String html = getText(page, WebClient.HTML);
            assertThat(html).as(page).contains(escaped).doesNotContain(SCRIPT_NAME);
        }

        // hours owed: every applicant with owed minimum and assigned hours
        JsonNode tas = get("/api/runs/" + resolved + "/tas");
        assertThat(tas).hasSize(75);
        assertThat(tas.get(0).has("minHours")).isTrue();
        assertThat(tas.get(0).has("assignedHours")).isTrue();

        // a second instance rebuilds the same view from the topics
        RunningService second2 = ServiceHarness.start(new CoordinatorService(), Map.of("INSTANCE_ID", "coordinator-2",
                "WEB_SESSION_SECRET", SECRET));
        try {
            WebClient secondClient = signedIn(baseOf(second2), VIEWER);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            JsonNode rebuilt = null;
            while (System.nanoTime() < deadline) {
                HttpResponse<String> r = secondClient.get("/api/runs/" + resolved, WebClient.JSON);
                if (r.statusCode() == 200) {
                    rebuilt = JSON.readTree(r.body());
                    if (rebuilt.get("approved").asBoolean() && rebuilt.hasNonNull("score")) {
                        break;
                    }
                }
                Thread.sleep(200);
            }
            assertThat(rebuilt).isNotNull();
            assertThat(rebuilt.get("state").asText()).isEqualTo("SOLVED");
            assertThat(rebuilt.get("score").asText()).isEqualTo(get("/api/runs/" + resolved).get("score").asText());
            assertThat(rebuilt.get("approved").asBoolean()).isTrue();
        } finally {
            second2.close();
        }
    }

    @Test
    void every_runs_route_refuses_anonymous_callers_and_roles_it_does_not_allow() throws Exception {
        Site table = new Site("runs routes");
        RunsFeature.declareRoutes(table, new RunsApi(null, null, null), new RunPages(null, null, ""));
        assertThat(table.routes()).hasSizeGreaterThan(20);
        RouteWalker.assertGuarded(base, table.routes(), List.of(
                new RouteWalker.Login(VIEWER, PASSWORD, Set.of(Role.VIEWER)),
                new RouteWalker.Login(NOBODY, PASSWORD, Set.of()),
                new RouteWalker.Login(COORDINATOR, PASSWORD, Set.of(Role.COORDINATOR))));
        // and a viewer reads what a coordinator does, but changes nothing
        WebClient viewer = signedIn(base, VIEWER);
        assertThat(viewer.get("/runs", WebClient.HTML).statusCode()).isEqualTo(200);
        HttpResponse<String> refused = viewer.send("POST", "/api/runs", WebClient.JSON, "application/json",
                "{\"term\":\"x\"}", Map.of("X-CSRF-Token", viewer.csrfToken()));
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(WebClient.errorCode(refused)).isEqualTo("forbidden");
    }

    @Test
    void a_run_can_be_cancelled_and_bad_requests_name_the_field() throws Exception {
        String term = "IT-" + UUID.randomUUID().toString().substring(0, 8);
        dataset(term, 120, 360, 5L);
        String runId = CoordinatorApi.startRun(client, Map.of("term", term, "timeLimitSeconds", 300, "seed", 5),
                Duration.ofSeconds(30));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline && !get("/api/runs/" + runId).path("bestScore").isTextual()) {
            Thread.sleep(200);
        }
        post("/api/runs/" + runId + "/cancel", Map.of("reason", "data changed"), 202);
        JsonNode done = CoordinatorApi.awaitState(client, runId, "CANCELLED", Duration.ofSeconds(90));
        assertThat(done.get("cancel").get("reason").asText()).isEqualTo("data changed");

        JsonNode badLimit = post("/api/runs", Map.of("term", term, "timeLimitSeconds", 0), 400);
        assertThat(badLimit.get("error").asText()).isEqualTo("bad_request");
        assertThat(badLimit.get("message").asText()).contains("timeLimitSeconds must be 1 to 3600, was 0");
        assertThat(post("/api/runs", Map.of("term", "no-such-term"), 404).get("message").asText())
                .contains("no dataset for term no-such-term");
        assertThat(post("/api/runs/" + runId + "/cancel", Map.of(), 409).get("message").asText())
                .contains("already finished");
        assertThat(post("/api/runs/" + runId + "/pin", Map.of("courseId", "C0001", "slotIndex", "x"), 400)
                .get("message").asText()).contains("slotIndex must be a whole number, was \"x\"");
    }

    // ---- helpers

    private static JsonNode filledSlotLackedBy(JsonNode review, Dataset data, Applicant who) {
        Map<String, Course> courses = new HashMap<>();
        data.courses().forEach(c -> courses.put(c.id(), c));
        for (JsonNode c : review.get("courses")) {
            Course course = courses.get(c.get("courseId").asText());
            if (who.skills().containsAll(course.requiredSkills())) {
                continue;
            }
            for (JsonNode s : c.get("slots")) {
                if (!s.get("applicantId").isNull() && !s.get("applicantId").asText().equals(who.id())) {
                    return s;
                }
            }
        }
        throw new AssertionError("no filled slot of a course whose skills " + who.id() + " lacks");
    }

    /** Another slot of the same course, as "courseId/slot" (or the same slot when the course has one). */
    private static String otherSlotOf(JsonNode review, String courseId, int slot) {
        for (JsonNode c : review.get("courses")) {
            if (c.get("courseId").asText().equals(courseId)) {
                int other = c.get("slots").size() > 1 ? (slot == 0 ? 1 : 0) : slot;
                return courseId + "/" + other;
            }
        }
        throw new AssertionError("no course " + courseId);
    }

    private static JsonNode otherFilledSlot(JsonNode review, String notCourse) {
        for (JsonNode c : review.get("courses")) {
            if (c.get("courseId").asText().equals(notCourse)) {
                continue;
            }
            for (JsonNode s : c.get("slots")) {
                if (!s.get("applicantId").isNull()) {
                    return s;
                }
            }
        }
        throw new AssertionError("no other filled slot");
    }

    private static JsonNode slotOf(JsonNode review, String courseId, int slot) {
        for (JsonNode c : review.get("courses")) {
            if (c.get("courseId").asText().equals(courseId)) {
                return c.get("slots").get(slot);
            }
        }
        throw new AssertionError("no course " + courseId);
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static List<String> texts(JsonNode array, String field) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.get(field).asText()));
        return out;
    }

    private static Set<String> names(JsonNode object) {
        Set<String> out = new HashSet<>();
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            out.add(it.next());
        }
        return out;
    }

    /** The run's event stream, read to its end ("done") in the background by the signed-in client. */
    private static CompletableFuture<Void> follow(String path, List<String> lines) {
        return CompletableFuture.runAsync(() -> {
            HttpResponse<String> r = client.get(path, "text/event-stream");
            assertThat(r.statusCode()).isEqualTo(200);
            lines.addAll(r.body().lines().toList());
        });
    }

    private static JsonNode get(String path) throws Exception {
        HttpResponse<String> r = client.get(path, WebClient.JSON);
        assertThat(r.statusCode()).as("GET %s: %s", path, r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static String getText(String path, String accept) {
        HttpResponse<String> r = client.get(path, accept);
        assertThat(r.statusCode()).as("GET %s", path).isEqualTo(200);
        return r.body();
    }

    private static HttpResponse<String> postRaw(String path, Map<String, ?> body) throws Exception {
        return CoordinatorApi.post(client, path, body);
    }

    private static JsonNode post(String path, Map<String, ?> body, int status) throws Exception {
        HttpResponse<String> r = postRaw(path, body);
        assertThat(r.statusCode()).as("POST %s: %s", path, r.body()).isEqualTo(status);
        return JSON.readTree(r.body());
    }
}
