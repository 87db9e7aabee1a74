package tapipeline.platform.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import tapipeline.platform.testing.KafkaBrokerExtension;
import tapipeline.platform.testing.TestTopics;
import tapipeline.schemas.Envelope;
import tapipeline.schemas.EventTypes;
import tapipeline.schemas.audit.AuditEntry;

/** State rebuilt from the log: replays from the beginning, reports caught-up, keeps following. */
@ExtendWith(KafkaBrokerExtension.class)
class ReplayLoopIT {

    @Test
    void replays_existing_records_reports_caught_up_then_follows_new_ones() throws Exception {
        String bootstrap = KafkaBrokerExtension.bootstrapServers();
        String topic = TestTopics.createUnique(bootstrap, "state", 2, true);
        TestTopics.create(bootstrap, topic + ".dlq", 1, false);
        KafkaClients clients = new KafkaClients(bootstrap);
        try (KafkaProducer<String, byte[]> p = clients.producer("state-writer")) {
            for (int i = 0; i < 50; i++) {
                p.send(new ProducerRecord<>(topic, "key-" + (i % 10), audit("key-" + (i % 10), "v" + i)));
            }
            p.send(new ProducerRecord<>(topic, "bad", "not json".getBytes(StandardCharsets.UTF_8)));
            p.flush();

            Map<String, String> state = new ConcurrentHashMap<>();
            AtomicInteger sizeWhenCaughtUp = new AtomicInteger(-1);
            try (ReplayLoop<Envelope<?>> loop = ReplayLoop.builder("replay-test", clients, Events.anyDecoder())
                    .topics(topic)
                    .handler((e, r) -> state.put(r.key(), ((AuditEntry) e.payload()).detail()))
                    .onCaughtUp(() -> sizeWhenCaughtUp.set(state.size()))
                    .build().start()) {
                assertThat(loop.awaitCaughtUp(Duration.ofSeconds(30))).isTrue();
                assertThat(sizeWhenCaughtUp.get()).isEqualTo(10);
                assertThat(state).containsEntry("key-3", "v43").containsEntry("key-9", "v49");

                p.send(new ProducerRecord<>(topic, "key-3", audit("key-3", "latest")));
                p.flush();
                await().atMost(Duration.ofSeconds(20)).until(() -> "latest".equals(state.get("key-3")));
                assertThat(loop.state()).isEqualTo(LoopState.RUNNING);
            }
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> KafkaReads.readAll(bootstrap, topic + ".dlq", true).size() == 1);

            // a restart replays everything again, but the poison record is not dead-lettered twice
            try (ReplayLoop<Envelope<?>> again = ReplayLoop.builder("replay-test", clients, Events.anyDecoder())
                    .topics(topic).handler((e, r) -> { }).build().start()) {
                assertThat(again.awaitCaughtUp(Duration.ofSeconds(30))).isTrue();
            }
            assertThat(KafkaReads.readAll(bootstrap, topic + ".dlq", true)).hasSize(1);
        }
    }

    @Test
    void dead_letters_with_malformed_or_missing_position_headers_do_not_block_readiness() throws Exception {
        String bootstrap = KafkaBrokerExtension.bootstrapServers();
        String topic = TestTopics.createUnique(bootstrap, "state-dlq-headers", 1, true);
        String dlqTopic = TestTopics.create(bootstrap, topic + ".dlq", 1, false);
        KafkaClients clients = new KafkaClients(bootstrap);
        String loopName = "replay-malformed";
        try (KafkaProducer<String, byte[]> p = clients.producer("state-writer")) {
            p.send(new ProducerRecord<>(topic, "key-1", audit("key-1", "v1")));
            p.send(new ProducerRecord<>(topic, "bad", "not json".getBytes(StandardCharsets.UTF_8))); // offset 1
            p.send(new ProducerRecord<>(topic, "key-2", audit("key-2", "v2")));
            // DLQs are kept forever and anyone may write to them: two dead letters of this loop that
            // name no usable position, and one (well-formed) for the poison record at offset 1
            p.send(deadLetter(dlqTopic, loopName, topic, "not-a-partition", "1"));
            p.send(deadLetter(dlqTopic, loopName, topic, "0", null));
            p.send(deadLetter(dlqTopic, loopName, topic, "0", "1"));
            p.flush();
        }
        io.micrometer.core.instrument.simple.SimpleMeterRegistry meters = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        Map<String, String> state = new ConcurrentHashMap<>();
        try (ReplayLoop<Envelope<?>> loop = ReplayLoop.builder(loopName, clients, Events.anyDecoder()).topics(topic)
                .meters(meters)
                .handler((e, r) -> state.put(r.key(), ((AuditEntry) e.payload()).detail())).build().start()) {
            assertThat(loop.awaitCaughtUp(Duration.ofSeconds(30))).isTrue();
            assertThat(loop.readiness().ready()).isTrue();
            assertThat(state).containsEntry("key-1", "v1").containsEntry("key-2", "v2");
            assertThat(meters.get("tapipeline.replay.dlq.malformed").tag("loop", loopName).counter().count())
                    .isEqualTo(2.0);
        }
        // the well-formed dead letter still counts: the poison record at offset 1 is not dead-lettered again
        assertThat(KafkaReads.readAll(bootstrap, dlqTopic, true)).hasSize(3);
    }

    private static ProducerRecord<String, byte[]> deadLetter(String dlqTopic, String group, String topic,
                                                             String partition, String offset) {
        ProducerRecord<String, byte[]> r = new ProducerRecord<>(dlqTopic, "bad", "not json".getBytes(StandardCharsets.UTF_8));
        r.headers().add(DeadLetters.CONSUMER_GROUP, group.getBytes(StandardCharsets.UTF_8));
        r.headers().add(DeadLetters.ORIGINAL_TOPIC, topic.getBytes(StandardCharsets.UTF_8));
        r.headers().add(DeadLetters.ORIGINAL_PARTITION, partition.getBytes(StandardCharsets.UTF_8));
        if (offset != null) {
            r.headers().add(DeadLetters.ORIGINAL_OFFSET, offset.getBytes(StandardCharsets.UTF_8));
        }
        return r;
    }

    private static byte[] audit(String subject, String detail) {
        return Events.codec().encode(Envelope.of(EventTypes.AUDIT, subject,
                new AuditEntry(subject, "test", "set", detail, Instant.parse("2027-01-10T09:00:00Z"))));
    }
}
