package tapipeline.platform.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import tapipeline.platform.testing.KafkaBrokerExtension;
import tapipeline.platform.testing.TestTopics;
import tapipeline.schemas.Envelope;
import tapipeline.schemas.EventCodec;
import tapipeline.schemas.EventTypes;
import tapipeline.schemas.audit.AuditEntry;

/**
 * Must-show (2): a malformed JSON record, a schema-invalid one and one of an unknown future version
 * each land in the dead-letter topic with their headers, while the loop goes on with the next
 * record; for both loops. Also: transient failures are retried, endless ones dead-lettered.
 */
@ExtendWith(KafkaBrokerExtension.class)
class DeadLetterIT {

    private static final Instant AT = Instant.parse("2027-01-10T09:00:00Z");

    @Test
    void the_at_least_once_loop_dead_letters_poison_and_goes_on() throws Exception {
        String bootstrap = KafkaBrokerExtension.bootstrapServers();
        String topic = createWithDeadLetters(bootstrap, "poison-alo");
        List<String> handled = new CopyOnWriteArrayList<>();
        KafkaClients clients = new KafkaClients(bootstrap);
        try (ConsumerLoop<Envelope<AuditEntry>> loop = ConsumerLoop
                .builder("dlq-test-alo", clients, Events.decoder(EventTypes.AUDIT)).groupId("g-" + topic)
                .topics(topic).handler((e, r) -> handled.add(e.payload().subject())).build().start()) {
            producePoisonSandwich(clients, topic);
            await().atMost(Duration.ofSeconds(30)).until(() -> handled.size() == 2);
            assertThat(handled).containsExactly("before", "after");
            assertThat(loop.state()).isEqualTo(LoopState.RUNNING);
            assertDeadLetters(bootstrap, topic, "g-" + topic);
        }
    }

    @Test
    void the_transactional_loop_dead_letters_poison_and_goes_on() throws Exception {
        String bootstrap = KafkaBrokerExtension.bootstrapServers();
        String topic = createWithDeadLetters(bootstrap, "poison-eos");
        String out = TestTopics.createUnique(bootstrap, "poison-eos-out", 1, false);
        KafkaClients clients = new KafkaClients(bootstrap);
        try (TransactionalLoop<Envelope<AuditEntry>> loop = TransactionalLoop
                .builder("dlq-test-eos", clients, Events.decoder(EventTypes.AUDIT)).groupId("g-" + topic)
                .topics(topic).processor((e, r, o) -> o.send(out, r.key(), r.value())).build().start()) {
            producePoisonSandwich(clients, topic);
            await().atMost(Duration.ofSeconds(30)).until(() -> KafkaReads.readAll(bootstrap, out, true).size() == 2);
            assertThat(KafkaReads.readAll(bootstrap, out, true)).extracting(ConsumerRecord::key)
                    .containsExactly("before", "after");
            assertThat(loop.state()).isEqualTo(LoopState.RUNNING);
            assertDeadLetters(bootstrap, topic, "g-" + topic);
        }
    }

    @Test
    void a_transient_failure_is_retried_and_a_persistent_one_is_dead_lettered_after_its_attempts() throws Exception {
        String bootstrap = KafkaBrokerExtension.bootstrapServers();
        String topic = createWithDeadLetters(bootstrap, "retries");
        KafkaClients clients = new KafkaClients(bootstrap);
        Map<String, AtomicInteger> tries = new ConcurrentHashMap<>();
        List<String> handled = new CopyOnWriteArrayList<>();
        try (ConsumerLoop<Envelope<AuditEntry>> loop = ConsumerLoop
                .builder("retry-test", clients, Events.decoder(EventTypes.AUDIT)).groupId("g-" + topic)
                .topics(topic).errorPolicy(new ErrorPolicy(3, Duration.ofMillis(10), Duration.ofMillis(50)))
                .handler((e, r) -> {
                    String s = e.payload().subject();
                    int n = tries.computeIfAbsent(s, k -> new AtomicInteger()).incrementAndGet();
                    if (s.equals("flaky") && n < 3) {
                        throw new java.io.IOException("temporarily unavailable (try " + n + ")");
                    }
                    if (s.equals("broken")) {
                        throw new IllegalStateException("always fails");
                    }
                    handled.add(s);
                }).build().start();
             KafkaProducer<String, byte[]> p = clients.producer("retry-test")) {
            for (String s : List.of("flaky", "broken", "fine")) {
                p.send(new ProducerRecord<>(topic, s, audit(s)));
            }
            p.flush();
            await().atMost(Duration.ofSeconds(30)).until(() -> handled.contains("fine"));
            assertThat(handled).containsExactly("flaky", "fine");
            assertThat(tries.get("flaky")).hasValue(3);
            assertThat(tries.get("broken")).hasValue(3);
            List<ConsumerRecord<String, byte[]>> dead = KafkaReads.readAll(bootstrap, topic + ".dlq", true);
            assertThat(dead).hasSize(1);
            assertThat(header(dead.get(0), DeadLetters.REASON)).isEqualTo("RETRIES_EXHAUSTED");
            assertThat(header(dead.get(0), DeadLetters.ATTEMPTS)).isEqualTo("3");
            assertThat(header(dead.get(0), DeadLetters.ERROR_MESSAGE)).isEqualTo("always fails");
            assertThat(loop.state()).isEqualTo(LoopState.RUNNING);
        }
    }

    @Test
    void the_transactional_loop_dead_letters_an_input_whose_output_the_cluster_refuses_and_goes_on() throws Exception {
        String bootstrap = KafkaBrokerExtension.bootstrapServers();
        String topic = createWithDeadLetters(bootstrap, "refused-eos");
        // the broker refuses any batch over 64 KiB on this topic; the producer's own limit is far higher
        String out = TestTopics.create(bootstrap, TestTopics.unique("refused-eos-out"), 1, false,
                Map.of("max.message.bytes", Integer.toString(64 * 1024)));
        KafkaClients clients = new KafkaClients(bootstrap);
        byte[] huge = new byte[256 * 1024];
        new java.util.Random(7).nextBytes(huge); // incompressible: still over the limit after zstd
        try (TransactionalLoop<Envelope<AuditEntry>> loop = TransactionalLoop
                .builder("refused-test-eos", clients, Events.decoder(EventTypes.AUDIT)).groupId("g-" + topic)
                .topics(topic).errorPolicy(new ErrorPolicy(3, Duration.ofMillis(10), Duration.ofMillis(50)))
                .processor((e, r, o) -> o.send(out, r.key(), "huge".equals(r.key()) ? huge : r.value())).build().start();
             KafkaProducer<String, byte[]> p = clients.producer("refused-test")) {
            for (String s : List.of("a", "b", "huge", "c")) {
                p.send(new ProducerRecord<>(topic, s, audit(s)));
            }
            p.flush();
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> KafkaReads.readAll(bootstrap, topic + ".dlq", true).size() == 1);
            List<ConsumerRecord<String, byte[]>> dead = KafkaReads.readAll(bootstrap, topic + ".dlq", true);
            assertThat(dead.get(0).key()).isEqualTo("huge");
            assertThat(header(dead.get(0), DeadLetters.REASON)).isEqualTo(TransactionalLoop.OUTPUT_REFUSED);
            assertThat(header(dead.get(0), DeadLetters.ATTEMPTS)).isEqualTo("3");
            assertThat(header(dead.get(0), DeadLetters.ORIGINAL_OFFSET)).isEqualTo("2");
            await().atMost(Duration.ofSeconds(30)).until(() -> KafkaReads.readAll(bootstrap, out, true).size() == 3);
            assertThat(KafkaReads.readAll(bootstrap, out, true)).extracting(ConsumerRecord::key)
                    .containsExactly("a", "b", "c");
            assertThat(loop.state()).isEqualTo(LoopState.RUNNING);
        }
    }

    private static String createWithDeadLetters(String bootstrap, String prefix) {
        String topic = TestTopics.createUnique(bootstrap, prefix, 1, false);
        TestTopics.create(bootstrap, topic + ".dlq", 1, false);
        return topic;
    }

    /** valid, malformed JSON, schema-invalid, future version, valid: in this order on one partition. */
    private static void producePoisonSandwich(KafkaClients clients, String topic) throws Exception {
        ObjectNode invalid = (ObjectNode) EventCodec.objectMapper().readTree(audit("invalid"));
        ((ObjectNode) invalid.get("payload")).remove("actor");
        ObjectNode future = (ObjectNode) EventCodec.objectMapper().readTree(audit("future"));
        future.put("version", 99);
        try (KafkaProducer<String, byte[]> p = clients.producer("poison-test")) {
            p.send(new ProducerRecord<>(topic, "before", audit("before")));
            p.send(new ProducerRecord<>(topic, "malformed", "{\"eventId\": oops".getBytes(StandardCharsets.UTF_8)));
            p.send(new ProducerRecord<>(topic, "invalid", EventCodec.objectMapper().writeValueAsBytes(invalid)));
            p.send(new ProducerRecord<>(topic, "future", EventCodec.objectMapper().writeValueAsBytes(future)));
            p.send(new ProducerRecord<>(topic, "after", audit("after")));
            p.flush();
        }
    }

    private static void assertDeadLetters(String bootstrap, String topic, String group) {
        await().atMost(Duration.ofSeconds(30))
                .until(() -> KafkaReads.readAll(bootstrap, topic + ".dlq", true).size() == 3);
        List<ConsumerRecord<String, byte[]>> dead = KafkaReads.readAll(bootstrap, topic + ".dlq", true);
        assertThat(dead).extracting(ConsumerRecord::key).containsExactly("malformed", "invalid", "future");
        assertThat(dead).extracting(r -> header(r, DeadLetters.REASON))
                .containsExactly("MALFORMED_JSON", "SCHEMA_INVALID", "UNKNOWN_VERSION");
        assertThat(dead).extracting(r -> header(r, DeadLetters.ORIGINAL_OFFSET)).containsExactly("1", "2", "3");
        for (ConsumerRecord<String, byte[]> r : dead) {
            assertThat(header(r, DeadLetters.ORIGINAL_TOPIC)).isEqualTo(topic);
            assertThat(header(r, DeadLetters.ORIGINAL_PARTITION)).isEqualTo("0");
            assertThat(header(r, DeadLetters.CONSUMER_GROUP)).isEqualTo(group);
            assertThat(header(r, DeadLetters.ATTEMPTS)).isEqualTo("1");
            assertThat(header(r, DeadLetters.ERROR_CLASS)).isNotBlank();
            assertThat(header(r, DeadLetters.ERROR_MESSAGE)).isNotBlank();
            assertThat(header(r, DeadLetters.ORIGINAL_TIMESTAMP)).isNotBlank();
        }
        assertThat(header(dead.get(1), DeadLetters.ERROR_MESSAGE)).contains("actor");
        assertThat(header(dead.get(2), DeadLetters.ERROR_MESSAGE)).contains("99");
    }

    private static String header(ConsumerRecord<String, byte[]> r, String key) {
        return DeadLetters.header(r.headers(), key);
    }

    private static byte[] audit(String subject) {
        return Events.codec().encode(Envelope.of(EventTypes.AUDIT, subject,
                new AuditEntry(subject, "test", "poke", "", AT)));
    }
}
