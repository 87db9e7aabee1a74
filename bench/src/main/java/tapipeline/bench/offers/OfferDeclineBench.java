package tapipeline.bench.offers;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import tapipeline.bench.BenchFiles;
import tapipeline.bench.BenchTable;
import tapipeline.coordinator.cli.ApiClient;
import tapipeline.coordinator.service.CoordinatorService;
import tapipeline.embedded.EmbeddedKafka;
import tapipeline.offers.OfferTokens;
import tapipeline.offers.OffersService;
import tapipeline.platform.config.Config;
import tapipeline.platform.kafka.Events;
import tapipeline.platform.kafka.KafkaClients;
import tapipeline.platform.kafka.TopicAdmin;
import tapipeline.platform.kafka.Topics;
import tapipeline.platform.service.RunningService;
import tapipeline.platform.testing.EventWatcher;
import tapipeline.platform.testing.web.WebClient;
import tapipeline.platform.web.AccountWriter;
import tapipeline.platform.web.PasswordHasher;
import tapipeline.platform.web.Secret;
import tapipeline.schemas.EventTypes;
import tapipeline.schemas.assignment.AssignmentProblem;
import tapipeline.schemas.coordinator.Account;
import tapipeline.schemas.coordinator.ApplicantContact;
import tapipeline.schemas.coordinator.Dataset;
import tapipeline.schemas.offers.Offer;
import tapipeline.solver.generator.DepartmentGenerator;
import tapipeline.solver.service.SolverService;

/**
 * Issue #16's goal: a TA declines an offer, and the coordinator has a minimal-change proposal to review
 * within 5 s at 300 courses. The solver, coordinator and offers services run in this JVM as the
 * launcher runs them (default settings: a proposal solves for at most COORDINATOR_PROPOSAL_SECONDS and
 * stops after COORDINATOR_PROPOSAL_UNIMPROVED_SECONDS without improvement), the embedded KRaft broker in
 * its own JVM. For each size: a generated department becomes a term's dataset (every applicant with an
 * e-mail address), a first run is solved and approved, the offers service makes its offers (no SMTP:
 * they wait in the outbox, and a link works from the moment the offer exists); then, one after another,
 * TAs decline through their links (GET the offer page, POST the form, as a browser does). The clock
 * starts just before the POST and stops when the coordinator's API reports the proposal run SOLVED.
 * Each decline comes after the previous proposal is ready, and the approved plan stays the same, so the
 * k-th proposal frees the k declined slots.
 *
 * <p>Arguments: [results-file] [sizes, default 60x150,300x750] [declines per size, default 5].
 */
public final class OfferDeclineBench {

    private static final String PASSWORD = "bench-password-0123456789";
    private static final String SECRET = "bench-offers-token-secret-0123456789-0123456789";
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    record Sample(int courses, int declines, int freed, long declineMs, long requestedMs, long readyMs, int changed, int beyond, String score) {
    }

    public static void main(String[] args) throws Exception {
        Path out = args.length > 0 ? Path.of(args[0]) : null;
        String sizes = args.length > 1 ? args[1] : "60x150,300x750";
        int declines = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        Path dir = Files.createTempDirectory("bench-offers");
        List<Sample> samples = new ArrayList<>();
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().dataDir(dir).build().start()) {
            String bootstrap = kafka.bootstrapServers();
            KafkaClients clients = new KafkaClients(bootstrap);
            try (Admin admin = clients.admin()) {
                new TopicAdmin(admin, 3, (short) 1).ensure(Topics.allWithDeadLetters());
            }
            try (KafkaProducer<String, byte[]> producer = clients.producer("bench-offers")) {
                new AccountWriter(producer, new PasswordHasher()).write("bench-coord", "Bench Coordinator",
                        List.of(Account.Role.COORDINATOR), PASSWORD.toCharArray(), false);
            }
            Map<String, String> common = Map.of("KAFKA_BOOTSTRAP_SERVERS", bootstrap, "DATA_DIR", dir.toString());
            try (EventWatcher watcher = new EventWatcher(bootstrap, Topics.OFFERS_STATE.name(), Topics.RUN_REQUESTED.name());
                 RunningService solver = new SolverService().start(Config.of(merge(common, Map.of("SOLVER_PORT", "0"))));
                 RunningService coordinator = new CoordinatorService().start(Config.of(merge(common,
                         Map.of("COORDINATOR_PORT", "0", "WEB_SESSION_SECRET", "bench-secret-0123456789-0123456789-xyz"))));
                 RunningService offers = new OffersService().start(Config.of(merge(common, Map.of("OFFERS_PORT", "0",
                         "OFFERS_TOKEN_SECRET", SECRET, "WEB_SESSION_SECRET", "bench-secret-0123456789-0123456789-xyz"))))) {
                String base = baseOf(coordinator, "coordinator health");
                String offersUrl = baseOf(offers, "offers health");
                ApiClient api = signIn(base);
                for (String size : sizes.split(",")) {
                    String[] ca = size.split("x");
                    samples.addAll(measure(bootstrap, clients, api, watcher, offersUrl, Integer.parseInt(ca[0]),
                            Integer.parseInt(ca[1]), declines));
                }
            }
        } finally {
            BenchFiles.deleteTempTree(dir);
        }
        String md = table(samples, declines).markdown();
        System.out.println(md);
        if (out != null) {
            Files.createDirectories(out.toAbsolutePath().getParent());
            Files.writeString(out, md, StandardCharsets.UTF_8);
        }
    }

    private static List<Sample> measure(String bootstrap, KafkaClients clients, ApiClient api, EventWatcher watcher,
            String offersUrl, int courses, int applicants, int declines) throws Exception {
        String term = "BENCH-OFFERS-" + courses;
        AssignmentProblem p = DepartmentGenerator.generate(courses, applicants, 11L);
        List<ApplicantContact> contacts = p.applicants().stream()
                .map(a -> new ApplicantContact(a.id(), a.id() + "@bench.example.edu")).toList();
        Dataset d = new Dataset(term, 1, p.courses(), p.applicants(), p.preferences(), p.instructorPreferences(),
                List.of(), contacts, List.of());
        try (KafkaProducer<String, byte[]> producer = clients.producer("bench-offers-" + courses)) {
            Events.send(producer, EventTypes.COORDINATOR_DATASETS, term, d).get(60, TimeUnit.SECONDS);
        }
        int seconds = courses <= 100 ? 20 : 40;
        String runId = startWhenReady(api, term, seconds);
        System.err.printf("%s: %d courses / %d applicants, first run %s (%d s)...%n", term, courses, applicants, runId, seconds);
        JsonNode solved = awaitSolved(api, runId, seconds + 120);
        System.err.println("first run " + solved.path("score").asText() + "; approving");
        api.postJson("/api/runs/" + runId + "/approve", Map.of("reason", "benchmark"));
        Map<String, String> approved = assignment(api.get("/api/runs/" + runId + "/review"));
        // the offers of this approval, one per assigned TA
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        List<Offer> made;
        while (true) {
            made = latest(watcher.payloads(Offer.class, o -> o.approvalRunId().equals(runId)));
            if (made.size() == approved.values().stream().distinct().count() || System.nanoTime() > deadline) {
                break;
            }
            Thread.sleep(200);
        }
        System.err.printf("%d offers made for %d TAs%n", made.size(), approved.values().stream().distinct().count());
        made.sort(Comparator.comparing(Offer::offerId));
        OfferTokens tokens = new OfferTokens(Secret.persistent("OFFERS_TOKEN_SECRET", SECRET, null));
        List<Sample> out = new ArrayList<>();
        Set<String> decliners = new HashSet<>();
        for (int k = 0; k < declines && k < made.size(); k++) {
            Offer o = made.get(k);
            decliners.add(o.applicantId());
            String path = "/offer/" + tokens.token(o.offerId());
            WebClient ta = new WebClient(offersUrl);
            HttpResponse<String> page = ta.get(path, WebClient.HTML);
            Matcher m = CSRF.matcher(page.body());
            if (page.statusCode() != 200 || !m.find()) {
                throw new IllegalStateException("offer page " + o.offerId() + ": " + page.statusCode());
            }
            String proposalId = term + "-proposal-" + o.offerId();
            long t0 = System.nanoTime();
            HttpResponse<String> answered = ta.postForm(path, WebClient.HTML, Map.of("answer", "decline",
                    "reason", "benchmark decline", "_csrf", m.group(1)));
            long t1 = System.nanoTime();
            if (answered.statusCode() != 200) {
                throw new IllegalStateException("decline of " + o.offerId() + ": " + answered.statusCode());
            }
            watcher.await(AssignmentProblem.class, r -> r.runId().equals(proposalId), Duration.ofSeconds(120));
            long t2 = System.nanoTime();
            JsonNode ready = awaitSolved(api, proposalId, 120);
            long t3 = System.nanoTime();
            Map<String, String> proposal = assignment(api.get("/api/runs/" + proposalId + "/review"));
            int changed = 0;
            int beyond = 0; // changed slots that no declined TA held: empty slots filled, or (never seen) kept TAs moved
            for (Map.Entry<String, String> slot : approved.entrySet()) {
                if (!slot.getValue().equals(proposal.get(slot.getKey()))) {
                    changed++;
                    beyond += decliners.contains(slot.getValue()) ? 0 : 1;
                }
            }
            for (String slot : proposal.keySet()) {
                if (!approved.containsKey(slot)) {
                    changed++;
                    beyond++;
                }
            }
            int freed = (int) approved.values().stream().filter(decliners::contains).count();
            Sample s = new Sample(courses, k + 1, freed, ms(t1 - t0), ms(t2 - t0), ms(t3 - t0), changed, beyond,
                    ready.path("score").asText());
            System.err.println(s);
            out.add(s);
        }
        return out;
    }

    private static BenchTable table(List<Sample> samples, int declines) {
        BenchTable t = new BenchTable("Decline -> proposal ready (goal: under 5 s at 300 courses)", "courses",
                "decline no.", "slots freed", "POST answered", "run requested", "proposal SOLVED", "slots changed", "of which not freed",
                "proposal score");
        for (Sample s : samples) {
            t.row(s.courses(), s.declines(), s.freed(), s.declineMs() + " ms", s.requestedMs() + " ms",
                    String.format(Locale.ROOT, "%.2f s", s.readyMs() / 1000.0), s.changed(), s.beyond(), s.score());
        }
        Map<Integer, List<Long>> bySize = new HashMap<>();
        samples.forEach(s -> bySize.computeIfAbsent(s.courses(), k -> new ArrayList<>()).add(s.readyMs()));
        bySize.forEach((size, v) -> {
            long[] sorted = v.stream().mapToLong(Long::longValue).sorted().toArray();
            t.row(size, "median", "", "", "", String.format(Locale.ROOT, "%.2f s", sorted[sorted.length / 2] / 1000.0),
                    "", "", "max " + String.format(Locale.ROOT, "%.2f s", sorted[sorted.length - 1] / 1000.0));
        });
        t.note("How: `bench/run offers-decline` (tapipeline.bench.offers.OfferDeclineBench), on this machine ("
                + Runtime.getRuntime().availableProcessors() + " cores). One JVM runs the solver, coordinator and offers "
                + "services with their default settings (a proposal: at most 30 s, stops after 1 s without "
                + "improvement), the embedded KRaft broker its own JVM. Data: DepartmentGenerator (seed 11) at 60 "
                + "courses / 150 applicants and 300 / 750, every applicant with an e-mail address; a first run "
                + "(20 s, 40 s) is approved and the offers service makes one offer per TA (no SMTP: the outbox). Then "
                + declines + " TAs in turn (offers in id order) decline through their links: GET the offer page, "
                + "then the clock starts just before the form's POST; \"run requested\" is when the proposal's "
                + "assignment.run.requested is read back from the broker, \"proposal SOLVED\" when the coordinator's "
                + "`GET /api/runs/{term}-proposal-{offerId}` first says SOLVED (polled every 50 ms). Each decline "
                + "waits for the previous proposal; the approved plan does not change, so the k-th proposal frees "
                + "the slots of all k declined TAs (\"slots freed\": a TA may hold slots in more than one course). \"slots changed\": slots (course, index) whose TA differs between the approved plan and "
                + "the proposal, counting a freed slot that was refilled or left empty; \"of which not freed\": changed slots no declined TA held "
                + "(an empty slot of the approved plan filled by a TA without an offer; a kept TA never moves, they are pinned).");
        return t;
    }

    /** The latest state of each offer among these records. */
    private static List<Offer> latest(List<Offer> records) {
        Map<String, Offer> byId = new HashMap<>();
        records.forEach(o -> byId.put(o.offerId(), o));
        return new ArrayList<>(byId.values());
    }

    /** slot key "courseId#index" -> applicantId, filled slots only. */
    private static Map<String, String> assignment(JsonNode review) {
        Map<String, String> out = new HashMap<>();
        for (JsonNode c : review.get("courses")) {
            int i = 0;
            for (JsonNode s : c.get("slots")) {
                if (s.hasNonNull("applicantId")) {
                    out.put(c.get("courseId").asText() + "#" + s.path("slotIndex").asInt(i), s.get("applicantId").asText());
                }
                i++;
            }
        }
        return out;
    }

    private static ApiClient signIn(String base) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                ApiClient client = new ApiClient(base);
                client.signIn("bench-coord", PASSWORD.toCharArray());
                return client;
            } catch (ApiClient.ApiException e) {
                if ((e.status() != 401 && e.status() != 429) || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(e.status() == 429 ? 4000 : 1000);
            }
        }
    }

    private static String startWhenReady(ApiClient api, String term, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (true) {
            try {
                return api.postJson("/api/runs", Map.of("term", term, "timeLimitSeconds", seconds, "seed", 11))
                        .get("runId").asText();
            } catch (ApiClient.ApiException e) {
                if (e.status() != 404 || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(500);
            }
        }
    }

    private static JsonNode awaitSolved(ApiClient api, String runId, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            try {
                JsonNode run = api.get("/api/runs/" + runId);
                String state = run.path("state").asText();
                if (state.equals("SOLVED")) {
                    return run;
                }
                if (Set.of("FAILED", "INVALID_INPUT", "CANCELLED").contains(state)) {
                    throw new IllegalStateException("run " + runId + " ended " + state);
                }
            } catch (ApiClient.ApiException e) {
                if (e.status() != 404) {
                    throw e;
                }
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("run " + runId + " not solved within " + seconds + " s");
    }

    private static long ms(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    private static String baseOf(RunningService service, String healthLabel) {
        String health = service.urls().get(healthLabel);
        return health.substring(0, health.length() - "/health".length());
    }

    private static Map<String, String> merge(Map<String, String> a, Map<String, String> b) {
        Map<String, String> m = new HashMap<>(a);
        m.putAll(b);
        return m;
    }
}
