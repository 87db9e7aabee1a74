package tapipeline.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import tapipeline.platform.kafka.ConsumerLoop;
import tapipeline.platform.kafka.Events;
import tapipeline.platform.kafka.KafkaClients;
import tapipeline.platform.kafka.PoisonRecordException;
import tapipeline.platform.kafka.ReplayLoop;
import tapipeline.platform.testing.KafkaBrokerExtension;
import tapipeline.platform.testing.TestRecords;
import tapipeline.platform.testing.TestTopics;
import tapipeline.schemas.Envelope;
import tapipeline.schemas.EventTypes;
import tapipeline.schemas.audit.AuditEntry;

/**
 * Must-show: a poison record appears in the dead-letter view grouped under its reason and, redriven
 * after the fix, is processed exactly once (a second redrive, from this or another monitor instance
 * that rebuilt its state from audit, is refused); a redriven record that fails again comes back to
 * the dead letters once and is not redriven again. Real platform loop, real broker.
 */
@ExtendWith(KafkaBrokerExtension.class)
class RedriveIT {

    @Test
    void a_poison_record_is_grouped_by_reason_and_redriven_after_the_fix_is_processed_exactly_once() throws Exception {
        String bootstrap = KafkaBrokerExtension.bootstrapServers();
        KafkaClients clients = new KafkaClients(bootstrap);
        String topic = TestTopics.createUnique(bootstrap, "redrive", 1, false);
        String dlq = TestTopics.create(bootstrap, topic + ".dlq", 1, false);
        ensureAudit(bootstrap);
        AtomicBoolean fixed = new AtomicBoolean(false);
        Map<String, AtomicInteger> processed = new ConcurrentHashMap<>();
        try (KafkaProducer<String, byte[]> producer = clients.producer("redrive-test");
             ConsumerLoop<Envelope<AuditEntry>> loop = ConsumerLoop
                     .builder("redrive-test", clients, Events.decoder(EventTypes.AUDIT)).groupId("g-" + topic)
                     .topics(topic).handler((e, r) -> {
                         String s = e.payload().subject();
                         if ((s.equals("needs-fix") && !fixed.get()) || s.equals("always-bad")) {
                             throw new PoisonRecordException("UNKNOWN_PROGRAM", "program " + s + " is not known");
                         }
                         processed.computeIfAbsent(s, k -> new AtomicInteger()).incrementAndGet();
                     }).build().start()) {
            for (String s : List.of("fine", "needs-fix", "always-bad")) {
                producer.send(new ProducerRecord<>(topic, s, audit(s))).get();
            }
            producer.send(new ProducerRecord<>(topic, "garbage", "{nope".getBytes(StandardCharsets.UTF_8))).get();
            await().atMost(Duration.ofSeconds(30)).until(() -> TestRecords.readAll(bootstrap, dlq,
                    Duration.ofSeconds(2)).size() == 3);

            DeadLetterState state = new DeadLetterState();
            try (DeadLetters dl = new DeadLetters(clients, producer, state, 100_000, 100)) {
                DeadLetters.Scan scan = dl.open(dlq, true);
                await().atMost(Duration.ofSeconds(30)).until(() -> scan.done);
                assertThat(scan.read.get()).isEqualTo(3);
                assertThat(scan.total).isEqualTo(3);
                DeadLetters.Group unknown = scan.group("UNKNOWN_PROGRAM", PoisonRecordException.class.getName()).orElseThrow();
                assertThat(unknown.count).isEqualTo(2);
                assertThat(unknown.details).extracting(DeadLetters.Entry::key).containsExactly("needs-fix", "always-bad");
                DeadLetters.Entry needsFix = unknown.details.get(0);
                assertThat(needsFix.originalTopic()).isEqualTo(topic);
                assertThat(needsFix.consumerGroup()).isEqualTo("g-" + topic);
                assertThat(needsFix.message()).isEqualTo("program needs-fix is not known");
                assertThat(scan.group("MALFORMED_JSON", PoisonRecordException.class.getName())).isPresent();
                assertThat(dl.payload(dlq, needsFix.partition(), needsFix.offset()).orElseThrow().text())
                        .contains("\"subject\" : \"needs-fix\"");

                fixed.set(true);
                DeadLetters.Redrive r = dl.redrive(dlq, List.of(new long[] {needsFix.partition(), needsFix.offset()}), "op");
                await().atMost(Duration.ofSeconds(30)).until(() -> r.done);
                assertThat(r.sent.get()).isEqualTo(1);
                assertThat(r.refused).isEmpty();
                await().atMost(Duration.ofSeconds(30)).until(() -> processed.containsKey("needs-fix"));

                // again, from this instance: refused
                DeadLetters.Redrive again = dl.redrive(dlq, List.of(new long[] {needsFix.partition(), needsFix.offset()}), "op");
                await().atMost(Duration.ofSeconds(30)).until(() -> again.done);
                assertThat(again.sent.get()).isZero();
                assertThat(again.refused).singleElement().asString().contains("already redriven by op");

                // a second monitor instance rebuilds the state from audit and refuses too
                DeadLetterState other = new DeadLetterState();
                try (ReplayLoop<Envelope<AuditEntry>> replay = ReplayLoop.builder("redrive-test-state", clients,
                        Events.decoder(EventTypes.AUDIT)).topics("audit").handler((e, rec) -> other.apply(e.payload()))
                        .build().start();
                     DeadLetters second = new DeadLetters(clients, producer, other, 100_000, 100)) {
                    await().atMost(Duration.ofSeconds(30)).until(replay::caughtUp);
                    DeadLetters.Redrive third = second.redrive(dlq, List.of(new long[] {needsFix.partition(),
                            needsFix.offset()}), "other-op");
                    await().atMost(Duration.ofSeconds(30)).until(() -> third.done);
                    assertThat(third.sent.get()).isZero();
                }
                Thread.sleep(1000);
                assertThat(processed.get("needs-fix")).hasValue(1);

                // a redrive of a record that still fails comes back once, and is not redriven again
                DeadLetters.Entry bad = unknown.details.get(1);
                DeadLetters.Redrive badRedrive = dl.redrive(dlq, List.of(new long[] {bad.partition(), bad.offset()}), "op");
                await().atMost(Duration.ofSeconds(30)).until(() -> badRedrive.done);
                assertThat(badRedrive.sent.get()).isEqualTo(1);
                await().atMost(Duration.ofSeconds(30)).until(() -> TestRecords.readAll(bootstrap, dlq,
                        Duration.ofSeconds(2)).size() == 4);
                DeadLetters.Scan rescan = dl.open(dlq, true);
                await().atMost(Duration.ofSeconds(30)).until(() -> rescan.done);
                DeadLetters.Entry back = rescan.group("UNKNOWN_PROGRAM", PoisonRecordException.class.getName())
                        .orElseThrow().details.get(2);
                assertThat(back.replayFailed()).isEqualTo(dlq + "/" + bad.partition() + "/" + bad.offset());
                DeadLetters.Redrive loopAttempt = dl.redrive(dlq, List.of(new long[] {back.partition(), back.offset()}), "op");
                await().atMost(Duration.ofSeconds(30)).until(() -> loopAttempt.done);
                assertThat(loopAttempt.sent.get()).isZero();
                assertThat(loopAttempt.refused).singleElement().asString().contains("failed again after the redrive");
                Thread.sleep(1000);
                assertThat(TestRecords.readAll(bootstrap, dlq, Duration.ofSeconds(2))).hasSize(4);

                // the audit trail names each redrive
                List<ConsumerRecord<String, String>> audit = TestRecords.readAll(bootstrap, "audit", Duration.ofSeconds(3));
                assertThat(audit).filteredOn(a -> a.key().startsWith(dlq + "/")).hasSize(2);
            }
        }
    }

    static void ensureAudit(String bootstrap) {
        try {
            TestTopics.create(bootstrap, "audit", 3, false);
        } catch (IllegalStateException exists) {
            // made by another test of this run
        }
    }

    static byte[] audit(String subject) {
        return Events.codec().encode(Envelope.of(EventTypes.AUDIT, subject,
                new AuditEntry(subject, "test", "poke", "", Instant.parse("2027-01-10T09:00:00Z"))));
    }
}
