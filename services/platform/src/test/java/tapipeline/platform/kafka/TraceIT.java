package tapipeline.platform.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import tapipeline.platform.testing.KafkaBrokerExtension;
import tapipeline.platform.testing.TestTopics;
import tapipeline.platform.trace.TraceContext;
import tapipeline.schemas.Envelope;
import tapipeline.schemas.EventTypes;
import tapipeline.schemas.audit.AuditEntry;

/**
 * Every platform loop carries the W3C trace of the record it handles to what it produces (same trace
 * id, new span id), on the real broker; a dead letter keeps its record's trace; a redriven record
 * that fails again is marked as such on its dead letter.
 */
@ExtendWith(KafkaBrokerExtension.class)
class TraceIT {

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String PARENT = "00-" + TRACE_ID + "-00f067aa0ba902b7-01";

    @Test
    void the_at_least_once_loop_propagates_the_trace_to_what_its_handler_sends() throws Exception {
        String bootstrap = KafkaBrokerExtension.bootstrapServers();
        String in = TestTopics.createUnique(bootstrap, "trace-alo", 1, false);
        String out = TestTopics.createUnique(bootstrap, "trace-alo-out", 1, false);
        KafkaClients clients = new KafkaClients(bootstrap);
        try (KafkaProducer<String, byte[]> producer = clients.producer("trace-alo");
             ConsumerLoop<Envelope<AuditEntry>> loop = ConsumerLoop
                     .builder("trace-alo", clients, Events.decoder(EventTypes.AUDIT)).groupId("g-" + in).topics(in)
                     .handler((e, r) -> producer.send(new ProducerRecord<>(out, r.key(), r.value())).get())
                     .build().start()) {
            sendTraced(producer, in, "a");
            assertChildOfParent(awaitOne(bootstrap, out));
        }
    }

    @Test
    void the_exactly_once_loop_propagates_the_trace_to_its_outbox() throws Exception {
        String bootstrap = KafkaBrokerExtension.bootstrapServers();
        String in = TestTopics.createUnique(bootstrap, "trace-eos", 1, false);
        String out = TestTopics.createUnique(bootstrap, "trace-eos-out", 1, false);
        KafkaClients clients = new KafkaClients(bootstrap);
        try (KafkaProducer<String, byte[]> producer = clients.producer("trace-eos");
             TransactionalLoop<Envelope<AuditEntry>> loop = TransactionalLoop
                     .builder("trace-eos", clients, Events.decoder(EventTypes.AUDIT)).groupId("g-" + in).topics(in)
                     .processor((e, r, o) -> o.send(out, r.key(), r.value())).build().start()) {
            sendTraced(producer, in, "a");
            assertChildOfParent(awaitOne(bootstrap, out));
        }
    }

    @Test
    void the_worker_loop_propagates_the_trace_from_its_worker_thread() throws Exception {
        String bootstrap = KafkaBrokerExtension.bootstrapServers();
        String in = TestTopics.createUnique(bootstrap, "trace-work", 1, false);
        String out = TestTopics.createUnique(bootstrap, "trace-work-out", 1, false);
        KafkaClients clients = new KafkaClients(bootstrap);
        try (KafkaProducer<String, byte[]> producer = clients.producer("trace-work");
             WorkerLoop<Envelope<AuditEntry>> loop = WorkerLoop
                     .builder("trace-work", clients, Events.decoder(EventTypes.AUDIT)).groupId("g-" + in).topics(in)
                     .capacity(1).work((e, r, i) -> producer.send(new ProducerRecord<>(out, r.key(), r.value())).get())
                     .build().start()) {
            sendTraced(producer, in, "a");
            assertChildOfParent(awaitOne(bootstrap, out));
        }
    }

    @Test
    void a_record_sent_outside_any_loop_starts_a_trace_and_a_dead_letter_keeps_it_and_marks_a_failed_redrive()
            throws Exception {
        String bootstrap = KafkaBrokerExtension.bootstrapServers();
        String in = TestTopics.createUnique(bootstrap, "trace-dlq", 1, false);
        TestTopics.create(bootstrap, in + ".dlq", 1, false);
        KafkaClients clients = new KafkaClients(bootstrap);
        try (KafkaProducer<String, byte[]> producer = clients.producer("trace-dlq");
             ConsumerLoop<Envelope<AuditEntry>> loop = ConsumerLoop
                     .builder("trace-dlq", clients, Events.decoder(EventTypes.AUDIT)).groupId("g-" + in).topics(in)
                     .handler((e, r) -> { }).build().start()) {
            producer.send(new ProducerRecord<>(in, "plain", "{not json".getBytes(StandardCharsets.UTF_8))).get();
            RecordHeaders redriven = new RecordHeaders();
            redriven.add(DeadLetters.REPLAY, (in + ".dlq/0/0").getBytes(StandardCharsets.UTF_8));
            producer.send(new ProducerRecord<>(in, null, "again", "{still not json".getBytes(StandardCharsets.UTF_8),
                    redriven)).get();
            List<ConsumerRecord<String, byte[]>> sent = KafkaReads.readAll(bootstrap, in, true);
            assertThat(TraceContext.of(sent.get(0).headers())).isPresent();
            await().atMost(Duration.ofSeconds(30)).until(() -> KafkaReads.readAll(bootstrap, in + ".dlq", true).size() == 2);
            List<ConsumerRecord<String, byte[]>> dead = KafkaReads.readAll(bootstrap, in + ".dlq", true);
            assertThat(TraceContext.of(dead.get(0).headers())).isEqualTo(TraceContext.of(sent.get(0).headers()));
            assertThat(DeadLetters.header(dead.get(0).headers(), DeadLetters.REPLAY_FAILED)).isNull();
            assertThat(DeadLetters.header(dead.get(1).headers(), DeadLetters.REPLAY_FAILED)).isEqualTo(in + ".dlq/0/0");
        }
    }

    private static void sendTraced(KafkaProducer<String, byte[]> producer, String topic, String subject) throws Exception {
        RecordHeaders headers = new RecordHeaders();
        headers.add(TraceContext.HEADER, PARENT.getBytes(StandardCharsets.UTF_8));
        byte[] value = Events.codec().encode(Envelope.of(EventTypes.AUDIT, subject,
                new AuditEntry(subject, "test", "poke", "", Instant.parse("2027-01-10T09:00:00Z"))));
        producer.send(new ProducerRecord<>(topic, null, subject, value, headers)).get();
    }

    private static ConsumerRecord<String, byte[]> awaitOne(String bootstrap, String topic) {
        await().atMost(Duration.ofSeconds(30)).until(() -> !KafkaReads.readAll(bootstrap, topic, true).isEmpty());
        return KafkaReads.readAll(bootstrap, topic, true).get(0);
    }

    private static void assertChildOfParent(ConsumerRecord<String, byte[]> produced) {
        TraceContext t = TraceContext.of(produced.headers()).orElseThrow();
        assertThat(t.traceId()).isEqualTo(TRACE_ID);
        assertThat(t.spanId()).isNotEqualTo("00f067aa0ba902b7");
    }
}
