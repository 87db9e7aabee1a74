package tapipeline.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import tapipeline.platform.kafka.Events;
import tapipeline.platform.kafka.KafkaClients;
import tapipeline.platform.kafka.Topics;
import tapipeline.schemas.EventTypes;
import tapipeline.schemas.assignment.AssignmentApproved;
import tapipeline.schemas.assignment.AssignmentProblem;
import tapipeline.schemas.assignment.RunCompleted;
import tapipeline.schemas.handbook.HandbookRendered;
import tapipeline.schemas.site.SiteLink;

/**
 * The system scaled out on a real three-broker cluster, each service as separate processes under its
 * own SCRAM principal and ACLs ({@link ScaleOutCluster}): three solvers, two of every other service.
 * The tests run in order on one cluster: what a principal may not do; forty runs over three solvers
 * with one solver killed (SIGKILL) and one broker stopped half-way; approvals with two handbook and two
 * publisher instances (one handbook instance killed); and two brokers stopped under a waiting producer.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScaleOutIT {

    private static final Logger log = LoggerFactory.getLogger(ScaleOutIT.class);
    private static final Duration READ = Duration.ofSeconds(30);
    private static final Pattern SOLVING = Pattern.compile("solving run (\\S+) \\(");
    private static final Pattern SOLVING_AT = Pattern.compile("(?m)^(\\d{2}:\\d{2}:\\d{2}\\.\\d{3}) .*solving run (\\S+) \\(");
    private static final Pattern FINISHED = Pattern.compile("run (\\S+) (\\w+) with score");
    private static final int RUNS = 40;

    /** Kept after the run (under target/, so mvn clean removes it): the broker and service logs are the evidence. */
    static Path dir;
    static ScaleOutCluster system;
    /** Filled by the run test, used by the approval tests. */
    static final Map<String, AssignmentProblem> problems = new LinkedHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createDirectories(Path.of("target", "scale-out-it")).resolve(Long.toString(System.currentTimeMillis()))
                .toAbsolutePath();
        system = ScaleOutCluster.builder().dataDir(dir).brokers(3).partitions(6)
                .instances("solver", 3).instances("handbook", 2).instances("publisher", 2)
                .instances("coordinator", 2).instances("monitor", 2)
                .env("solver", "SOLVER_CHECKPOINT_SECONDS", "1")
                .env("handbook", "HANDBOOK_QUIET_MS", "300")
                .build().start();
    }

    @AfterAll
    static void stop() {
        if (system != null) {
            system.close();
        }
    }

    @Test
    @Order(1)
    void a_service_cannot_write_a_topic_it_does_not_own() throws Exception {
        // every instance is healthy under its own principal: its ACLs cover what it reads and writes
        for (String service : List.of("solver", "handbook", "publisher", "coordinator", "monitor")) {
            assertThat(system.instances(service)).allSatisfy(p -> assertThat(p.isAlive()).as(p.instanceId()).isTrue());
        }
        String marker = "solver-intrusion-" + System.nanoTime();
        try (KafkaProducer<String, byte[]> solver = system.clients("solver").producer("intruder")) {
            Future<RecordMetadata> sent = solver.send(new ProducerRecord<>(Topics.SITE_LINKS.name(), marker, "{}".getBytes()));
            assertThatThrownBy(() -> sent.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(TopicAuthorizationException.class);
        }
        // the brokers' authorizer logged the denial
        // (the producer is stopped at its first step, the metadata request: DESCRIBE; WRITE when it may describe)
        Pattern denied = Pattern.compile("Principal = User:solver is Denied operation = (WRITE|DESCRIBE) .*Topic:LITERAL:site\\.links");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(anyNodeLogMatches(denied))
                .as("a broker log names the denied write of User:solver to site.links").isTrue());
        // nothing was written
        assertThat(ClusterWorkload.readRaw(system.adminClients(), Topics.SITE_LINKS.name(), READ))
                .noneMatch(r -> marker.equals(r.key()));
    }

    @Test
    @Order(2)
    void forty_runs_spread_over_three_solvers_and_survive_a_killed_solver_and_a_stopped_broker() throws Exception {
        KafkaClients coordinator = system.clients("coordinator");
        List<String> runIds = new ArrayList<>();
        try (KafkaProducer<String, byte[]> producer = coordinator.producer("scale-out-it")) {
            for (int i = 0; i < RUNS; i++) {
                String department = List.of("CPSC", "MATH", "PHYS", "LING").get(i % 4);
                String runId = "scale-" + department.toLowerCase(Locale.ROOT) + "-" + i;
                AssignmentProblem p = ClusterWorkload.runRequest(runId, "2027W1", department, 24, 60, 5, 1000 + i);
                problems.put(runId, p);
                runIds.add(runId);
                Events.send(producer, EventTypes.RUN_REQUESTED, runId, p).get(30, TimeUnit.SECONDS);
            }
        }
        // kill a solver once it has finished a run and has another in progress that has written a checkpoint
        // (every second) and started at most 3.5 s ago, so more than a second of its 5 s is left: the
        // checkpoint topic is read first (it can take a second or two), then each solver's log afresh,
        // and the kill follows at once (a run seen in progress earlier had ended by the kill, once)
        ServiceProcess[] chosen = new ServiceProcess[1];
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200)).until(() -> {
            Set<String> withCheckpointNow = checkpointKeys();
            for (ServiceProcess solver : system.instances("solver")) {
                String text = solver.logText();
                Set<String> young = startedWithin(text, Duration.ofMillis(3500));
                young.retainAll(inProgress(text));
                young.retainAll(withCheckpointNow);
                if (!finished(text).isEmpty() && !young.isEmpty()) {
                    chosen[0] = solver;
                    return true;
                }
            }
            return false;
        });
        ServiceProcess victim = chosen[0];
        victim.kill();
        // what it had in hand, from its log as it was when it died
        Set<String> interrupted = inProgress(victim.logText());
        Set<String> withCheckpoint = checkpointed(interrupted);
        Map<String, String> finishedBeforeKill = finished(victim.logText());
        log.info("killed {} with runs in progress {} ({} with a checkpoint) after it finished {}", victim, interrupted,
                withCheckpoint, finishedBeforeKill.keySet());
        assertThat(withCheckpoint).as("runs in progress with a checkpoint when the solver was killed").isNotEmpty();

        // and stop one broker while the others carry on
        await().atMost(Duration.ofMinutes(2)).until(() -> completedCount(runIds) >= 20);
        system.kafka().stopNode(2);
        try {
            await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> completedCount(runIds) == RUNS);
        } finally {
            system.kafka().startNode(2);
        }

        // exactly once: one completed event per run
        Map<String, Long> completions = ClusterWorkload.readAll(system.adminClients(), EventTypes.RUN_COMPLETED, READ).stream()
                .filter(e -> runIds.contains(e.key()))
                .collect(Collectors.groupingBy(ClusterWorkload.Event::key, TreeMap::new, Collectors.counting()));
        assertThat(completions).hasSize(RUNS).allSatisfy((run, n) -> assertThat(n).as(run).isEqualTo(1L));

        // the runs the killed solver had in hand resumed elsewhere from their checkpoints
        String survivors = system.instances("solver").stream().filter(ServiceProcess::isAlive)
                .map(ServiceProcess::logText).collect(Collectors.joining("\n"));
        for (String run : withCheckpoint) {
            assertThat(survivors.contains("Run " + run + " resumes from its checkpoint"))
                    .as("a surviving solver resumed %s from its checkpoint", run).isTrue();
        }
        // spread: every solver finished runs, and every run was finished by exactly one solver
        Map<String, Integer> perInstance = new TreeMap<>();
        Map<String, String> finishedBy = new HashMap<>();
        for (ServiceProcess p : system.instances("solver")) {
            Map<String, String> done = finished(p.logText());
            perInstance.put(p.instanceId(), done.size());
            done.keySet().forEach(run -> assertThat(finishedBy.put(run, p.instanceId())).as(run + " finished twice").isNull());
        }
        log.info("runs finished per solver instance: {}", perInstance);
        assertThat(finishedBy.keySet()).containsAll(runIds);
        assertThat(perInstance.values()).allSatisfy(n -> assertThat(n).isPositive());
    }

    @Test
    @Order(3)
    void two_handbook_and_two_publisher_instances_make_one_edition_and_one_flip_per_approval() throws Exception {
        assertThat(problems).as("the run test ran first").isNotEmpty();
        List<String> terms = List.of("Fall 2031", "Winter 2032", "Spring 2032");
        List<String> runs = new ArrayList<>(problems.keySet()).subList(0, terms.size());
        Map<String, RunCompleted> results = completedResults();
        try (KafkaProducer<String, byte[]> producer = system.clients("coordinator").producer("scale-out-approvals")) {
            for (int i = 0; i < terms.size(); i++) {
                AssignmentProblem p = problems.get(runs.get(i));
                AssignmentApproved approval = ClusterWorkload.approval(p, results.get(p.runId()), "coordinator", Instant.now());
                approval = new AssignmentApproved(terms.get(i), approval.runId(), approval.approvedBy(), approval.approvedAt(),
                        approval.courses());
                Events.send(producer, EventTypes.ASSIGNMENT_APPROVED, p.runId(), approval).get(30, TimeUnit.SECONDS);
                if (i == 1) {
                    // one handbook instance dies while an approval is in flight: the other takes its partitions
                    system.instances("handbook").get(0).kill();
                }
                String term = terms.get(i);
                await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                        .until(() -> flipped(term));
            }
        }
        Thread.sleep(5_000); // time for a duplicate to show up, if there were one
        for (String term : terms) {
            List<HandbookRendered> editions = rendered(term);
            assertThat(editions).as("editions rendered for " + term).hasSize(1);
            String sha = editions.get(0).sha256();
            List<SiteLink> links = links();
            assertThat(links.stream().filter(l -> l.linkId().equals("handbook") && l.target().contains(sha)))
                    .as("handbook link flips to the " + term + " edition").hasSize(1);
            assertThat(links.stream().filter(l -> l.linkId().equals("ta-assignments") && l.target().endsWith(slug(term))))
                    .as("TA-assignments link flips to " + term).hasSize(1);
        }
    }

    @Test
    @Order(4)
    void with_two_brokers_down_a_producer_waits_and_nothing_is_lost() throws Exception {
        AssignmentProblem p = problems.values().iterator().next();
        AssignmentApproved approval = ClusterWorkload.approval(p, completedResults().get(p.runId()), "coordinator", Instant.now());
        String term = "Summer 2032";
        approval = new AssignmentApproved(term, approval.runId(), approval.approvedBy(), approval.approvedAt(), approval.courses());
        system.kafka().stopNode(1);
        system.kafka().stopNode(2);
        Future<RecordMetadata> sent;
        try (KafkaProducer<String, byte[]> producer = system.clients("coordinator").producer("scale-out-outage")) {
            try {
                sent = Events.send(producer, EventTypes.ASSIGNMENT_APPROVED, p.runId(), approval);
                Thread.sleep(10_000);
                assertThat(sent.isDone()).as("acks=all with one of three replicas: the send waits").isFalse();
                system.kafka().startNode(1);
                RecordMetadata md = sent.get(2, TimeUnit.MINUTES);
                log.info("the waiting send was acknowledged at {}-{}@{}", md.topic(), md.partition(), md.offset());
            } finally {
                system.kafka().startNode(1);
                system.kafka().startNode(2);
            }
        }
        // the services carry on: the approval is published once
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).until(() -> flipped(term));
        Thread.sleep(5_000);
        assertThat(rendered(term)).hasSize(1);
        assertThat(links().stream().filter(l -> l.linkId().equals("ta-assignments") && l.target().endsWith(slug(term)))).hasSize(1);
    }

    // ---- helpers

    private static boolean anyNodeLogMatches(Pattern p) throws Exception {
        for (int i = 0; i < system.kafka().size(); i++) {
            Path logFile = system.kafka().nodeLog(i);
            if (Files.exists(logFile) && p.matcher(Files.readString(logFile)).find()) {
                return true;
            }
        }
        return false;
    }

    private static Set<String> inProgress(String logText) {
        Set<String> started = new HashSet<>();
        Matcher m = SOLVING.matcher(logText);
        while (m.find()) {
            started.add(m.group(1));
        }
        started.removeAll(finished(logText).keySet());
        Matcher h = Pattern.compile("run (\\S+) handed back").matcher(logText);
        while (h.find()) {
            started.remove(h.group(1));
        }
        return started;
    }

    private static Map<String, String> finished(String logText) {
        Map<String, String> done = new HashMap<>();
        Matcher m = FINISHED.matcher(logText);
        while (m.find()) {
            done.put(m.group(1), m.group(2));
        }
        return done;
    }

    /** Those of {@code runs} that have a record in the compacted checkpoint topic. */
    private static Set<String> checkpointed(Set<String> runs) {
        if (runs.isEmpty()) {
            return Set.of();
        }
        Set<String> keys = checkpointKeys();
        return runs.stream().filter(keys::contains).collect(Collectors.toSet());
    }

    /** The runs with a live (not tombstoned) record in the checkpoint topic. */
    private static Set<String> checkpointKeys() {
        Map<String, Boolean> live = new HashMap<>();
        ClusterWorkload.readRaw(system.adminClients(), Topics.RUN_CHECKPOINT.name(), READ)
                .forEach(r -> live.put(r.key(), r.value() != null));
        return live.entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey).collect(Collectors.toSet());
    }

    /** The runs a solver's log says it started solving less than {@code age} ago (its lines begin with HH:mm:ss.SSS, this machine's clock). */
    private static Set<String> startedWithin(String logText, Duration age) {
        Set<String> out = new HashSet<>();
        java.time.LocalTime now = java.time.LocalTime.now();
        Matcher m = SOLVING_AT.matcher(logText);
        while (m.find()) {
            Duration since = Duration.between(java.time.LocalTime.parse(m.group(1)), now);
            if (!since.isNegative() && since.compareTo(age) <= 0) {
                out.add(m.group(2));
            }
        }
        return out;
    }

    private static long completedCount(List<String> runIds) {
        return ClusterWorkload.readAll(system.adminClients(), EventTypes.RUN_COMPLETED, READ).stream()
                .map(ClusterWorkload.Event::key).filter(runIds::contains).distinct().count();
    }

    private static Map<String, RunCompleted> completedResults() {
        Map<String, RunCompleted> out = new HashMap<>();
        ClusterWorkload.readAll(system.adminClients(), EventTypes.RUN_COMPLETED, READ).forEach(e -> out.put(e.key(), e.payload()));
        return out;
    }

    private static List<HandbookRendered> rendered(String term) {
        return ClusterWorkload.readAll(system.adminClients(), EventTypes.HANDBOOK_RENDERED, READ).stream()
                .map(ClusterWorkload.Event::payload).filter(r -> term.equals(r.term())).toList();
    }

    private static List<SiteLink> links() {
        return ClusterWorkload.readAll(system.adminClients(), EventTypes.SITE_LINKS, READ).stream()
                .map(ClusterWorkload.Event::payload).toList();
    }

    /** Both links moved for {@code term}: the TA-assignments page, and the handbook to an edition of that term. */
    private static boolean flipped(String term) {
        List<HandbookRendered> editions = rendered(term);
        List<SiteLink> links = links();
        boolean ta = links.stream().anyMatch(l -> l.linkId().equals("ta-assignments") && l.target().endsWith(slug(term)));
        boolean book = editions.stream().anyMatch(e -> links.stream()
                .anyMatch(l -> l.linkId().equals("handbook") && l.target().contains(e.sha256())));
        return ta && book;
    }

    private static String slug(String term) {
        return "/ta-assignments/" + term.toLowerCase(Locale.ROOT).replace(' ', '-');
    }
}
