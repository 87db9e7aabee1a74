package tapipeline.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import tapipeline.coordinator.cli.ApiClient;
import tapipeline.coordinator.service.CoordinatorService;
import tapipeline.embedded.EmbeddedKafka;
import tapipeline.platform.config.Config;
import tapipeline.platform.kafka.Events;
import tapipeline.platform.kafka.KafkaClients;
import tapipeline.platform.kafka.TopicAdmin;
import tapipeline.platform.kafka.Topics;
import tapipeline.platform.service.RunningService;
import tapipeline.platform.web.AccountWriter;
import tapipeline.platform.web.PasswordHasher;
import tapipeline.schemas.EventTypes;
import tapipeline.schemas.assignment.AssignmentProblem;
import tapipeline.schemas.coordinator.Account;
import tapipeline.schemas.coordinator.Dataset;
import tapipeline.solver.generator.DepartmentGenerator;
import tapipeline.solver.service.SolverService;

/**
 * Review-page latency under load: 20 signed-in users (each its own session) open pages of a solved
 * 1,500-course / 2,500-applicant run's review (50 courses a page, a random page each time, as a
 * coordinator paging through) as fast as the server answers, while a second 1,500-course run is being
 * solved by the solver service in the same JVM on the same machine. The coordinator, the solver and
 * the embedded broker (its own JVM) share the machine's cores.
 *
 * <p>Arguments: [results-file] [seconds of load, default 60].
 */
public final class CoordinatorReviewBench {

    private static final int USERS = 20;
    private static final String TERM = "BENCH-2027W1";
    private static final String MARK_START = "<!-- coordinator-review:start -->";
    private static final String MARK_END = "<!-- coordinator-review:end -->";

    public static void main(String[] args) throws Exception {
        Path out = args.length > 0 ? Path.of(args[0]) : null;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        Path dir = Files.createTempDirectory("bench-coordinator-review");
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().dataDir(dir).build().start()) {
            String bootstrap = kafka.bootstrapServers();
            KafkaClients clients = new KafkaClients(bootstrap);
            try (Admin admin = clients.admin()) {
                new TopicAdmin(admin, 3, (short) 1).ensure(Topics.allWithDeadLetters());
            }
            String password = "bench-password-0123456789"; // a String: the hasher wipes the char[] it is given
            try (KafkaProducer<String, byte[]> producer = clients.producer("bench-coordinator-review")) {
                AccountWriter accounts = new AccountWriter(producer, new PasswordHasher());
                for (int i = 0; i < USERS; i++) {
                    accounts.write(user(i), "Bench user " + i, List.of(Account.Role.COORDINATOR), password.toCharArray(), false);
                }
                AssignmentProblem p = DepartmentGenerator.generate(1500, 2500, 7L);
                Dataset d = new Dataset(TERM, 1, p.courses(), p.applicants(), p.preferences(),
                        p.instructorPreferences(), List.of());
                Events.send(producer, EventTypes.COORDINATOR_DATASETS, TERM, d).get(60, TimeUnit.SECONDS);
            }
            Map<String, String> common = Map.of("KAFKA_BOOTSTRAP_SERVERS", bootstrap, "DATA_DIR", dir.toString());
            try (RunningService solver = new SolverService().start(Config.of(merge(common,
                    Map.of("SOLVER_PORT", "0", "SOLVER_MAX_CONCURRENT_RUNS", "1"))));
                 RunningService coordinator = new CoordinatorService().start(Config.of(merge(common,
                         Map.of("COORDINATOR_PORT", "0", "WEB_SESSION_SECRET", "bench-secret-0123456789-0123456789-xyz"))))) {
                String health = coordinator.urls().get("coordinator health");
                URI base = URI.create(health.substring(0, health.length() - "/health".length()));
                ApiClient admin = signIn(base, user(0), password);
                String reviewed = startWhenReady(admin, 40);
                System.err.println("first run " + reviewed + " solving (40 s)...");
                JsonNode first = await(admin, reviewed, 300, true);
                System.err.println("first run: " + first.path("state").asText() + " " + first.path("score").asText());
                String solving = admin.postJson("/api/runs", Map.of("term", TERM, "timeLimitSeconds", seconds + 120,
                        "seed", 8)).get("runId").asText();
                JsonNode during = awaitPhase(admin, solving, "LOCAL_SEARCH", 180);
                System.err.println("second run " + solving + " in " + during.path("state").asText() + "; load for " + seconds + " s");

                List<ApiClient> users = new ArrayList<>();
                for (int i = 0; i < USERS; i++) {
                    users.add(signIn(base, user(i), password));
                }
                int pages = 30;
                String page = "/runs/" + reviewed + "/review?page=";
                // warm-up: every page once
                for (int i = 1; i <= pages; i++) {
                    users.get(0).getBytes(page + i);
                }
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
                ExecutorService pool = Executors.newFixedThreadPool(USERS);
                List<Future<long[]>> results = new ArrayList<>();
                for (ApiClient u : users) {
                    results.add(pool.submit(() -> {
                        long[] lat = new long[200_000];
                        int n = 0;
                        while (System.nanoTime() < end && n < lat.length) {
                            int pageNo = 1 + ThreadLocalRandom.current().nextInt(pages);
                            long t0 = System.nanoTime();
                            String html = new String(u.getBytes(page + pageNo), StandardCharsets.UTF_8);
                            lat[n++] = System.nanoTime() - t0;
                            if (!html.contains("By course")) {
                                throw new IllegalStateException("not the review page");
                            }
                        }
                        return Arrays.copyOf(lat, n);
                    }));
                }
                List<Long> all = new ArrayList<>();
                for (Future<long[]> f : results) {
                    for (long v : f.get()) {
                        all.add(v);
                    }
                }
                pool.shutdown();
                JsonNode after = admin.get("/api/runs/" + solving);
                String stateAfter = after.path("state").asText();
                long[] sorted = all.stream().mapToLong(Long::longValue).sorted().toArray();
                BenchTable table = new BenchTable("Review page under load: " + USERS
                        + " signed-in users while a 1,500-course run solves", "measurement", "result");
                table.row("requests", String.format(Locale.ROOT, "%,d in %d s (%.0f/s)", sorted.length, seconds,
                        sorted.length / (double) seconds));
                table.row("p50", ms(pct(sorted, 0.50)));
                table.row("p95 (goal < 200 ms)", ms(pct(sorted, 0.95)));
                table.row("p99", ms(pct(sorted, 0.99)));
                table.row("max", ms(sorted[sorted.length - 1]));
                table.row("solving run during the load", solving + ": " + during.path("state").asText() + " at the start, "
                        + stateAfter + " at the end (best " + after.path("bestScore").asText("") + ")");
                table.note("How: `bench/run coordinator-review` (tapipeline.bench.CoordinatorReviewBench). One JVM runs the "
                        + "solver and coordinator services (as the launcher does), the embedded KRaft broker runs in its own "
                        + "JVM; all on this machine (" + Runtime.getRuntime().availableProcessors() + " cores). The data: a "
                        + "generated 1,500-course / 2,500-applicant department (seed 7) as the term's dataset; a first run of "
                        + "40 s is solved and reviewed; a second run of the same data is started and measured only once it "
                        + "is in local search, so the solver uses a core for the whole measurement. " + USERS + " accounts, "
                        + "each signed in through the sign-in form with its own session cookie, then each user thread "
                        + "requests a random page (1-" + pages + ", 50 courses a page) of the first run's review page "
                        + "(`GET /runs/{run}/review?page=N`, full HTML in the layout) back to back for " + seconds
                        + " s after one warm-up pass; latency is the client's wall time per request (java.net.http, "
                        + "HTTP/1.1 keep-alive), percentiles over all requests.");
                String md = table.markdown();
                System.out.println(md);
                if (out != null) {
                    publish(out, md);
                }
            }
        } finally {
            deleteQuietly(dir);
        }
    }

    private static String user(int i) {
        return String.format(Locale.ROOT, "bench%02d", i);
    }

    /** Signs in, retried while the coordinator is still reading coordinator.accounts. */
    private static ApiClient signIn(URI base, String user, String password) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                ApiClient client = new ApiClient(base.toString());
                client.signIn(user, password.toCharArray());
                return client;
            } catch (ApiClient.ApiException e) {
                if ((e.status() != 401 && e.status() != 429) || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(e.status() == 429 ? 4000 : 1000); // 429: the sign-in throttle after early refusals
            }
        }
    }

    private static String startWhenReady(ApiClient api, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (true) {
            try {
                return api.postJson("/api/runs", Map.of("term", TERM, "timeLimitSeconds", seconds, "seed", 7))
                        .get("runId").asText();
            } catch (ApiClient.ApiException e) {
                if (e.status() != 404 || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(500);
            }
        }
    }

    private static JsonNode await(ApiClient api, String runId, int seconds, boolean done) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            JsonNode run = api.get("/api/runs/" + runId);
            String state = run.path("state").asText();
            if (done && (state.equals("SOLVED") || state.equals("CANCELLED") || state.equals("FAILED")
                    || state.equals("INVALID_INPUT"))) {
                return run;
            }
            Thread.sleep(1000);
        }
        throw new IllegalStateException("run " + runId + " did not end within " + seconds + " s");
    }

    private static JsonNode awaitPhase(ApiClient api, String runId, String state, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            JsonNode run = api.get("/api/runs/" + runId);
            if (run.path("state").asText().equals(state)) {
                return run;
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("run " + runId + " did not reach " + state + " within " + seconds + " s");
    }

    private static long pct(long[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    private static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
    }

    private static Map<String, String> merge(Map<String, String> a, Map<String, String> b) {
        Map<String, String> m = new java.util.HashMap<>(a);
        m.putAll(b);
        return m;
    }

    /** Writes this benchmark's section of the file, leaving the rest (the import benchmark's) as it is. */
    static void publish(Path file, String section) throws IOException {
        // a section of the file shared with the import benchmark: its title one level down
        String body = section.strip().startsWith("# ") ? "#" + section.strip() : section.strip();
        String block = MARK_START + "\n" + body + "\n" + MARK_END + "\n";
        String text = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "# Coordinator benchmarks\n\n";
        int a = text.indexOf(MARK_START);
        int b = text.indexOf(MARK_END);
        if (a >= 0 && b > a) {
            text = text.substring(0, a) + block + text.substring(b + MARK_END.length()).replaceFirst("^\n", "");
        } else {
            text = text.stripTrailing() + "\n\n" + block;
        }
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    private static void deleteQuietly(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp dir left behind is harmless
        }
    }
}
