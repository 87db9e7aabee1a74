package tapipeline.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A three-node {@link KafkaCluster} with real clients: replication, SCRAM users and ACLs, and what
 * producers see when one and then two nodes stop, and when a node is killed. One cluster serves the
 * whole class (its start is the expensive part); the tests run in order and each leaves every node
 * running except the second, which leaves one stopped for the third.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KafkaClusterIT {

    private static final String ACL_TOPIC = "acl-topic";
    private static final String DURABLE_TOPIC = "durable";
    private static final String WAITING_TOPIC = "waiting";
    private static final Duration WAIT = Duration.ofSeconds(60);

    private static KafkaCluster cluster;
    private static Admin admin;

    @BeforeAll
    static void startCluster() throws Exception {
        Instant begin = Instant.now();
        cluster = KafkaCluster.builder().build().start();
        long startMillis = Duration.between(begin, Instant.now()).toMillis();
        System.out.printf("measure: 3-node cluster started in %d ms (load %s)%n", startMillis, loadAverage());
        Thread.sleep(3000); // past the start's JIT and GC burst
        for (int i = 0; i < cluster.size(); i++) {
            int node = i;
            cluster.pid(i).ifPresent(pid -> System.out.printf("measure: node %d RSS idle after start %s%n", node, rss(pid)));
        }
        admin = Admin.create(new HashMap<>(cluster.adminClientProperties()));
        // all topics now: with a node down, a topic of replication factor 3 cannot be created
        admin.createTopics(List.of(
                new NewTopic(ACL_TOPIC, 1, (short) 3),
                new NewTopic(DURABLE_TOPIC, 3, (short) 3),
                new NewTopic(WAITING_TOPIC, 1, (short) 3))).all().get(30, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stopCluster() {
        if (admin != null) {
            admin.close();
        }
        if (cluster != null) {
            for (int i = 0; i < cluster.size(); i++) {
                int node = i;
                cluster.pid(i).ifPresent(pid -> System.out.printf("measure: node %d RSS after the tests %s (load %s)%n", node, rss(pid),
                        loadAverage()));
            }
            Instant begin = Instant.now();
            cluster.close();
            System.out.printf("measure: cluster closed in %d ms%n", Duration.between(begin, Instant.now()).toMillis());
        }
    }

    @Test
    @Order(1)
    void aTopicHasThreeInSyncReplicasAndAUserWritesAndReadsOnlyOnceAnAclAllowsIt() throws Exception {
        await("three in-sync replicas of " + ACL_TOPIC, () -> isrSizes(ACL_TOPIC).equals(List.of(3)));
        cluster.createUsers(Map.of("solver", "solver-secret"));
        Map<String, Object> solver = new HashMap<>(cluster.clientProperties("solver", "solver-secret"));

        try (KafkaProducer<String, String> producer = producer(solver)) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(ACL_TOPIC, "k", "denied")).get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(TopicAuthorizationException.class);
        }
        await("the denial in a node log", () -> anyNodeLogContains("Principal = User:solver is Denied operation = "));

        ResourcePattern topic = new ResourcePattern(ResourceType.TOPIC, ACL_TOPIC, PatternType.LITERAL);
        ResourcePattern group = new ResourcePattern(ResourceType.GROUP, "solver-group", PatternType.LITERAL);
        cluster.createAcls(List.of(
                allow(topic, AclOperation.WRITE),
                allow(topic, AclOperation.READ),
                allow(topic, AclOperation.DESCRIBE),
                allow(group, AclOperation.READ)));

        try (KafkaProducer<String, String> producer = producer(solver)) {
            producer.send(new ProducerRecord<>(ACL_TOPIC, "k", "allowed")).get(30, TimeUnit.SECONDS);
        }
        solver.put(ConsumerConfig.GROUP_ID_CONFIG, "solver-group");
        try (KafkaConsumer<String, String> consumer = consumer(solver)) {
            consumer.subscribe(List.of(ACL_TOPIC));
            List<String> values = new ArrayList<>();
            Instant deadline = Instant.now().plus(WAIT);
            while (!values.contains("allowed") && Instant.now().isBefore(deadline)) {
                consumer.poll(Duration.ofMillis(500)).forEach(r -> values.add(r.value()));
            }
            assertThat(values).containsExactly("allowed");
        }
    }

    @Test
    @Order(2)
    void withOneNodeStoppedEveryAcknowledgedRecordIsKeptAndSendsGoOn() throws Exception {
        int stopped = leaderOf(DURABLE_TOPIC, 0);
        Map<String, RecordMetadata> acked = new ConcurrentHashMap<>();
        AtomicReference<Exception> sendError = new AtomicReference<>();
        int total = 0;
        try (KafkaProducer<String, String> producer = producer(adminProperties())) {
            CompletableFuture<Void> stopping = null;
            for (int i = 0; i < 3000; i++, total++) {
                if (i == 500) {
                    stopping = CompletableFuture.runAsync(() -> cluster.stopNode(stopped));
                }
                String value = "record-" + i;
                producer.send(new ProducerRecord<>(DURABLE_TOPIC, Integer.toString(i), value), (metadata, e) -> {
                    if (e == null) {
                        acked.put(value, metadata);
                    } else {
                        sendError.compareAndSet(null, e);
                    }
                });
                Thread.sleep(2);
            }
            stopping.get(60, TimeUnit.SECONDS);
            assertThat(cluster.isRunning(stopped)).isFalse();
            // with the node down, sends still succeed (two in-sync replicas remain)
            List<Future<RecordMetadata>> afterStop = new ArrayList<>();
            for (int i = 0; i < 200; i++, total++) {
                afterStop.add(producer.send(new ProducerRecord<>(DURABLE_TOPIC, "after-" + i, "after-" + i)));
            }
            for (Future<RecordMetadata> f : afterStop) {
                f.get(60, TimeUnit.SECONDS);
            }
            producer.flush();
        }
        assertThat(sendError.get()).as("a send failed").isNull();
        assertThat(acked).hasSize(3000);
        assertThat(isrSizes(DURABLE_TOPIC)).allMatch(size -> size == 2);

        List<String> read = readAll(DURABLE_TOPIC, total);
        assertThat(read).containsAll(acked.keySet()).doesNotHaveDuplicates().hasSize(total);
    }

    @Test
    @Order(3)
    void withTwoNodesStoppedAnAcksAllSendWaitsUntilANodeReturns() throws Exception {
        List<Integer> running = runningNodes();
        if (running.size() == 3) { // run alone: stop the first node here
            cluster.stopNode(running.remove(0));
        }
        assertThat(running).hasSize(2);
        Map<String, Object> props = adminProperties();
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "180000");
        try (KafkaProducer<String, String> producer = producer(props)) {
            producer.send(new ProducerRecord<>(WAITING_TOPIC, "k", "before")).get(30, TimeUnit.SECONDS);

            int second = running.get(0);
            cluster.stopNode(second);
            Future<RecordMetadata> waiting = producer.send(new ProducerRecord<>(WAITING_TOPIC, "k", "while-two-down"));
            assertThatThrownBy(() -> waiting.get(8, TimeUnit.SECONDS))
                    .as("an acks=all send with one in-sync replica must wait, not complete or fail")
                    .isInstanceOf(TimeoutException.class);
            assertThat(waiting.isDone()).isFalse();

            Instant restart = Instant.now();
            cluster.startNode(second);
            System.out.printf("measure: stopped node %d rejoined in %d ms (load %s)%n", second,
                    Duration.between(restart, Instant.now()).toMillis(), loadAverage());
            waiting.get(120, TimeUnit.SECONDS);
        }
        assertThat(readAll(WAITING_TOPIC, 2)).containsExactly("before", "while-two-down");
        for (int i = 0; i < cluster.size(); i++) {
            cluster.startNode(i);
        }
        await("three in-sync replicas of " + WAITING_TOPIC, () -> isrSizes(WAITING_TOPIC).equals(List.of(3)));
    }

    @Test
    @Order(4)
    void aKilledNodeRestartsOnItsDataAndRejoinsTheInSyncReplicas() throws Exception {
        int victim = leaderOf(DURABLE_TOPIC, 1);
        long pid = cluster.pid(victim).orElseThrow();
        cluster.killNode(victim);
        assertThat(cluster.isRunning(victim)).isFalse();
        Path pidFile = cluster.nodeDir(victim).resolve(EmbeddedKafka.PID_FILE);
        assertThat(Files.readString(pidFile).trim()).as("a killed node leaves its pid file").isEqualTo(Long.toString(pid));

        Instant restart = Instant.now();
        cluster.startNode(victim);
        System.out.printf("measure: killed node %d rejoined in %d ms (load %s)%n", victim,
                Duration.between(restart, Instant.now()).toMillis(), loadAverage());
        assertThat(cluster.isRunning(victim)).isTrue();
        assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)).hasSize(3);
        await("three in-sync replicas of " + DURABLE_TOPIC, () -> isrSizes(DURABLE_TOPIC).equals(List.of(3, 3, 3)));
        try (KafkaProducer<String, String> producer = producer(adminProperties())) {
            producer.send(new ProducerRecord<>(DURABLE_TOPIC, "after-kill", "after-kill")).get(30, TimeUnit.SECONDS);
        }
    }

    // ---------------------------------------------------------------- helpers

    private static AclBinding allow(ResourcePattern pattern, AclOperation operation) {
        return new AclBinding(pattern, new AccessControlEntry("User:solver", "*", operation, AclPermissionType.ALLOW));
    }

    private static Map<String, Object> adminProperties() {
        return new HashMap<>(cluster.adminClientProperties());
    }

    private static KafkaProducer<String, String> producer(Map<String, Object> base) {
        Map<String, Object> p = new HashMap<>(base);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
        p.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }

    private static KafkaConsumer<String, String> consumer(Map<String, Object> base) {
        Map<String, Object> p = new HashMap<>(base);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
    }

    /** Every value of the topic, from the beginning, as admin (no group), once {@code expected} have come. */
    private static List<String> readAll(String topic, int expected) throws Exception {
        try (KafkaConsumer<String, String> consumer = consumer(adminProperties())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (var info : consumer.partitionsFor(topic)) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<String> values = new ArrayList<>();
            Instant deadline = Instant.now().plus(WAIT);
            while (values.size() < expected && Instant.now().isBefore(deadline)) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    values.add(r.value());
                }
            }
            // anything beyond the expected count would be a duplicate: poll once more to see it
            consumer.poll(Duration.ofMillis(500)).forEach(r -> values.add(r.value()));
            return values;
        }
    }

    private static List<Integer> isrSizes(String topic) throws Exception {
        TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic);
        return description.partitions().stream().map(p -> p.isr().size()).toList();
    }

    private static int leaderOf(String topic, int partition) throws Exception {
        TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic);
        return description.partitions().get(partition).leader().id();
    }

    private static List<Integer> runningNodes() {
        List<Integer> running = new ArrayList<>();
        for (int i = 0; i < cluster.size(); i++) {
            if (cluster.isRunning(i)) {
                running.add(i);
            }
        }
        return running;
    }

    private static boolean anyNodeLogContains(String text) {
        for (int i = 0; i < cluster.size(); i++) {
            try {
                if (Files.readString(cluster.nodeLog(i), StandardCharsets.UTF_8).contains(text)) {
                    return true;
                }
            } catch (java.io.IOException e) {
                fail("cannot read " + cluster.nodeLog(i), e);
            }
        }
        return false;
    }

    private interface Check {
        boolean holds() throws Exception;
    }

    private static void await(String what, Check check) throws Exception {
        Instant deadline = Instant.now().plus(WAIT);
        while (!check.holds()) {
            if (Instant.now().isAfter(deadline)) {
                fail("not within " + WAIT.toSeconds() + " s: " + what);
            }
            Thread.sleep(200);
        }
    }

    private static String rss(long pid) {
        try {
            return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
                    .filter(l -> l.startsWith("VmRSS:")).map(l -> l.substring(6).trim()).findFirst().orElse("?");
        } catch (java.io.IOException e) {
            return "?";
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "?";
        }
    }
}
