package tapipeline.bench.cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;

import tapipeline.bench.BenchFiles;
import tapipeline.bench.BenchTable;
import tapipeline.cluster.ClusterWorkload;
import tapipeline.cluster.ScaleOutCluster;
import tapipeline.platform.kafka.Events;
import tapipeline.platform.kafka.KafkaClients;
import tapipeline.platform.kafka.Topics;
import tapipeline.schemas.EventTypes;
import tapipeline.schemas.assignment.AssignmentApproved;
import tapipeline.schemas.assignment.AssignmentProblem;
import tapipeline.schemas.assignment.RunCompleted;
import tapipeline.schemas.site.SiteLink;

/**
 * Runs completed per minute with 1, 2 and 3 solver instances on the three-broker SASL/ACL cluster
 * ({@link ScaleOutCluster}: every service a separate JVM), and approval → link flip latency while the
 * solvers are busy. Each run stops after a fixed number of score calculations (not a time limit), so
 * runs per minute measure CPU; each solver instance solves one run at a time
 * ({@code SOLVER_MAX_CONCURRENT_RUNS=1}, one move thread). Approvals go in every few seconds during the
 * measured runs; the latency is from the approval's send to the {@code site.links} record (its
 * CreateTime, stamped by the publisher) that moves the TA-assignments link, and to the one that moves
 * the handbook link to an edition rendered for that approval.
 *
 * <p>Arguments: {@code <results.md> [--instances 1,2,3] [--runs 24] [--courses 40] [--applicants 120]
 * [--calc-limit 400000] [--approval-every-ms 4000]}.
 */
public final class ScaleOutBench {

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        Map<String, String> opt = new HashMap<>();
        for (int i = 1; i + 1 < args.length; i += 2) {
            opt.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        List<Integer> instanceCounts = new ArrayList<>();
        for (String s : opt.getOrDefault("instances", "1,2,3").split(",")) {
            instanceCounts.add(Integer.parseInt(s.trim()));
        }
        int runs = Integer.parseInt(opt.getOrDefault("runs", "24"));
        int courses = Integer.parseInt(opt.getOrDefault("courses", "40"));
        int applicants = Integer.parseInt(opt.getOrDefault("applicants", "120"));
        long calcLimit = Long.parseLong(opt.getOrDefault("calc-limit", "400000"));
        long approvalEvery = Long.parseLong(opt.getOrDefault("approval-every-ms", "4000"));

        BenchTable table = new BenchTable("Scale-out: runs per minute and approval to link flip on a three-broker cluster",
                "solver instances", "runs", "wall (s)", "runs / min", "per-run solve (s, median)",
                "approvals", "TA link p50 (ms)", "TA link p99 (ms)", "handbook link p50 (ms)", "handbook link p99 (ms)", "load avg");
        for (int n : instanceCounts) {
            Result r = measure(n, runs, courses, applicants, calcLimit, approvalEvery);
            table.row(n, runs, String.format(Locale.ROOT, "%.1f", r.wallSeconds),
                    String.format(Locale.ROOT, "%.1f", runs * 60.0 / r.wallSeconds),
                    String.format(Locale.ROOT, "%.1f", r.medianSolveSeconds), r.taLatencies.size(),
                    pct(r.taLatencies, 50), pct(r.taLatencies, 99), pct(r.bookLatencies, 50), pct(r.bookLatencies, 99),
                    r.load);
        }
        table.note("Machine: " + Runtime.getRuntime().availableProcessors() + " cores. Three brokers (one JVM each),"
                + " one handbook and one publisher instance, and 1-3 solver JVMs, all on this machine: with 2 cores, a"
                + " third solver instance has no core of its own, so the third row shows the machine's limit, not Kafka's.");
        table.note("Each run: a generated department of " + courses + " courses and " + applicants + " applicants, stopped"
                + " after " + calcLimit + " score calculations (fixed work), one move thread; each instance solves one run at a"
                + " time. Runs are sent at once; wall time is from the first send to the last completed event;"
                + " runs are spread over instances by Kafka (6 partitions of assignment.run.requested, one consumer group).");
        table.note("Approval latency: an approval is sent every " + approvalEvery + " ms while runs are solved; measured from"
                + " the send to the CreateTime of the site.links record that moves the TA-assignments link (publisher),"
                + " and the one that moves the handbook link to the edition rendered for that approval (handbook render"
                + " then publisher). p99 of a few dozen samples is close to their maximum.");
        table.note("The handbook link's latency includes the handbook's quiet period (HANDBOOK_QUIET_MS, default 2,000 ms:"
                + " it waits for a burst of changes to end before rendering), then the render with veraPDF validation, then"
                + " the publisher's flip. The TA-assignments link is flipped by the publisher from the approval alone.");
        table.note("Between two runs an instance spends about 1.5 s outside the search (decoding the request, writing the"
                + " explanations and the result with acks=all to three replicas, committing, taking the next request):"
                + " compare the per-run solve time with wall time x instances / runs.");
        table.publish(out);
    }

    private record Result(double wallSeconds, double medianSolveSeconds, List<Long> taLatencies, List<Long> bookLatencies,
                          String load) {
    }

    private static Result measure(int solvers, int runs, int courses, int applicants, long calcLimit, long approvalEvery)
            throws Exception {
        Path dir = Files.createTempDirectory("scale-out-bench-");
        try (ScaleOutCluster system = ScaleOutCluster.builder().dataDir(dir).brokers(3).partitions(6)
                .instances("solver", solvers).instances("handbook", 1).instances("publisher", 1)
                .env("solver", "SOLVER_MAX_CONCURRENT_RUNS", "1").env("solver", "SOLVER_MAX_MOVE_THREADS", "1")
                .build().start()) {
            KafkaClients admin = system.adminClients();
            // warm each solver JVM up with one run (not measured)
            List<AssignmentProblem> warm = new ArrayList<>();
            for (int i = 0; i < solvers * 2; i++) {
                warm.add(ClusterWorkload.runRequest("warm-" + solvers + "-" + i, "2027W1", "WARM", courses, applicants, 60,
                        500 + i, calcLimit));
            }
            Completions done = new Completions(admin);
            try (KafkaProducer<String, byte[]> producer = system.clients("coordinator").producer("scale-out-bench")) {
                for (AssignmentProblem p : warm) {
                    Events.send(producer, EventTypes.RUN_REQUESTED, p.runId(), p).get(30, TimeUnit.SECONDS);
                }
                done.await(warm.stream().map(AssignmentProblem::runId).toList(), Duration.ofMinutes(10));

                List<AssignmentProblem> problems = new ArrayList<>();
                for (int i = 0; i < runs; i++) {
                    String dept = List.of("CPSC", "MATH", "PHYS", "LING").get(i % 4);
                    problems.add(ClusterWorkload.runRequest("bench-" + solvers + "-" + i, "2027W1", dept, courses, applicants,
                            60, 1000 + i, calcLimit));
                }
                long t0 = System.currentTimeMillis();
                for (AssignmentProblem p : problems) {
                    Events.send(producer, EventTypes.RUN_REQUESTED, p.runId(), p);
                }
                producer.flush();
                // approvals while the runs are solved
                AssignmentProblem approved = warm.get(0);
                RunCompleted approvedResult = done.result(approved.runId());
                Map<String, Long> sentAt = new ConcurrentHashMap<>();
                List<String> runIds = problems.stream().map(AssignmentProblem::runId).toList();
                int k = 0;
                while (!done.all(runIds)) {
                    String term = "Bench " + (2040 + solvers) + " " + (++k);
                    AssignmentApproved a = ClusterWorkload.approval(approved, approvedResult, "bench", Instant.now());
                    a = new AssignmentApproved(term, a.runId(), a.approvedBy(), a.approvedAt(), a.courses());
                    sentAt.put(term, System.currentTimeMillis());
                    Events.send(producer, EventTypes.ASSIGNMENT_APPROVED, a.runId(), a).get(30, TimeUnit.SECONDS);
                    done.awaitAny(runIds, approvalEvery);
                }
                long wallMs = done.lastCompletionMs(runIds) - t0;
                String load = Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
                List<Double> solveSeconds = new ArrayList<>();
                runIds.forEach(id -> solveSeconds.add(done.result(id).solveMs() / 1000.0));
                Collections.sort(solveSeconds);
                Thread.sleep(10_000); // the last approvals' flips
                List<Long> ta = new ArrayList<>();
                List<Long> book = new ArrayList<>();
                latencies(admin, sentAt, ta, book);
                return new Result(wallMs / 1000.0, solveSeconds.get(solveSeconds.size() / 2), ta, book, load);
            }
        } finally {
            BenchFiles.deleteTempTree(dir);
        }
    }

    /** From each approval's send to the site.links records that move the TA link to its term and the handbook link after it. */
    private static void latencies(KafkaClients admin, Map<String, Long> sentAt, List<Long> ta, List<Long> book) {
        var rendered = ClusterWorkload.readAll(admin, EventTypes.HANDBOOK_RENDERED, Duration.ofSeconds(30));
        var links = ClusterWorkload.readAll(admin, EventTypes.SITE_LINKS, Duration.ofSeconds(30));
        sentAt.forEach((term, sent) -> {
            String slug = "/ta-assignments/" + term.toLowerCase(Locale.ROOT).replace(' ', '-');
            links.stream().filter(l -> l.payload().linkId().equals("ta-assignments") && l.payload().target().equals(slug))
                    .findFirst().ifPresent(l -> ta.add(l.timestamp() - sent));
            Set<String> shas = new java.util.HashSet<>();
            rendered.stream().filter(r -> term.equals(r.payload().term())).forEach(r -> shas.add(r.payload().sha256()));
            links.stream().filter(l -> l.payload().linkId().equals("handbook")
                            && shas.stream().anyMatch(s -> l.payload().target().contains(s)))
                    .findFirst().ifPresent(l -> book.add(l.timestamp() - sent));
        });
        Collections.sort(ta);
        Collections.sort(book);
    }

    private static String pct(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return "-";
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return Long.toString(sorted.get(Math.max(0, Math.min(sorted.size() - 1, i))));
    }

    /** Completed events as they arrive (a reader thread on assignment.run.completed from its end at start). */
    private static final class Completions implements AutoCloseable {
        private final Map<String, RunCompleted> results = new ConcurrentHashMap<>();
        private final Map<String, Long> at = new ConcurrentHashMap<>();
        private final Thread reader;
        private volatile boolean closed;

        Completions(KafkaClients admin) {
            var decoder = Events.decoder(EventTypes.RUN_COMPLETED);
            KafkaConsumer<String, byte[]> consumer = admin.consumer(null, "scale-out-bench-completions");
            List<TopicPartition> parts = consumer.partitionsFor(Topics.RUN_COMPLETED.name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(parts);
            consumer.seekToEnd(parts);
            parts.forEach(consumer::position);
            reader = new Thread(() -> {
                try (consumer) {
                    while (!closed) {
                        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                            results.put(r.key(), decoder.decode(r).payload());
                            at.merge(r.key(), r.timestamp(), Math::min);
                        }
                    }
                }
            }, "completions");
            reader.setDaemon(true);
            reader.start();
        }

        boolean all(List<String> ids) {
            return results.keySet().containsAll(ids);
        }

        void await(List<String> ids, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!all(ids)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("runs not completed within " + timeout);
                }
                Thread.sleep(100);
            }
        }

        void awaitAny(List<String> ids, long ms) throws InterruptedException {
            long deadline = System.currentTimeMillis() + ms;
            while (!all(ids) && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
        }

        RunCompleted result(String id) {
            return results.get(id);
        }

        long lastCompletionMs(List<String> ids) {
            return ids.stream().mapToLong(at::get).max().orElseThrow();
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
