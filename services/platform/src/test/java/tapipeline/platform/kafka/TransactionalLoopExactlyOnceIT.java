package tapipeline.platform.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import tapipeline.embedded.ChildJvm;
import tapipeline.platform.testing.KafkaBrokerExtension;
import tapipeline.platform.testing.TestTopics;
import tapipeline.schemas.Envelope;
import tapipeline.schemas.EventTypes;
import tapipeline.schemas.audit.AuditEntry;

/**
 * Must-show (1): 10,000 events go through the transactional loop running in a child JVM, which is
 * killed with SIGKILL half-way (no commit, no shutdown hook) and started again: the read_committed
 * output holds every input exactly once.
 */
@ExtendWith(KafkaBrokerExtension.class)
class TransactionalLoopExactlyOnceIT {

    private static final Logger log = LoggerFactory.getLogger(TransactionalLoopExactlyOnceIT.class);
    private static final int EVENTS = 10_000;

    @Test
    void every_input_appears_exactly_once_in_the_committed_output_after_a_kill_and_restart() throws Exception {
        String bootstrap = KafkaBrokerExtension.bootstrapServers();
        String in = TestTopics.createUnique(bootstrap, "eos-in", 3, false);
        String out = TestTopics.createUnique(bootstrap, "eos-out", 3, false);
        String group = "relay-" + in;

        KafkaClients clients = new KafkaClients(bootstrap);
        try (KafkaProducer<String, byte[]> producer = clients.producer("eos-input")) {
            Instant at = Instant.parse("2027-01-10T09:00:00Z");
            for (int i = 0; i < EVENTS; i++) {
                AuditEntry e = new AuditEntry("event-" + i, "test", "input", "n=" + i, at);
                producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(in, e.subject(),
                        Events.codec().encode(Envelope.of(EventTypes.AUDIT, e.subject(), e))));
            }
            producer.flush();
        }

        Path logDir = Files.createTempDirectory("relay-logs");
        // 300 µs per record: long enough that the kill lands half-way, short enough to finish in seconds
        Process first = startRelay(bootstrap, in, out, group, logDir.resolve("first.log"), 300);
        long committedAtKill;
        try (Admin admin = clients.admin()) {
            long deadline = System.currentTimeMillis() + 120_000;
            while (committed(admin, group) < EVENTS / 3) {
                assertThat(first.isAlive()).as("relay still running; see %s", logDir).isTrue();
                assertThat(System.currentTimeMillis()).as("relay made progress in time").isLessThan(deadline);
                Thread.sleep(20);
            }
            first.destroyForcibly(); // SIGKILL: no commit, no abort, no shutdown hook
            assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
            committedAtKill = committed(admin, group);
            log.info("killed the relay with {} of {} inputs committed", committedAtKill, EVENTS);
            assertThat(committedAtKill).as("killed half-way, not after the end").isLessThan(EVENTS);

            Process second = startRelay(bootstrap, in, out, group, logDir.resolve("second.log"), 0);
            try {
                deadline = System.currentTimeMillis() + 120_000;
                while (committed(admin, group) < EVENTS) {
                    assertThat(second.isAlive()).as("restarted relay still running; see %s", logDir).isTrue();
                    assertThat(System.currentTimeMillis()).as("restarted relay finished in time").isLessThan(deadline);
                    Thread.sleep(50);
                }
            } finally {
                second.destroy(); // SIGTERM: graceful
                second.waitFor(30, TimeUnit.SECONDS);
            }
        }

        List<ConsumerRecord<String, byte[]>> committedOutput = KafkaReads.readAll(bootstrap, out, true);
        List<ConsumerRecord<String, byte[]>> everything = KafkaReads.readAll(bootstrap, out, false);
        log.info("output: {} committed records, {} including aborted ones", committedOutput.size(), everything.size());

        Map<String, Integer> counts = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : committedOutput) {
            Envelope<AuditEntry> e = Events.codec().decode(r.value(), EventTypes.AUDIT);
            assertThat(e.payload().action()).isEqualTo("relayed");
            counts.merge(e.payload().subject(), 1, Integer::sum);
        }
        List<String> duplicates = new ArrayList<>();
        counts.forEach((k, v) -> {
            if (v != 1) {
                duplicates.add(k + " x" + v);
            }
        });
        assertThat(duplicates).as("inputs emitted more than once").isEmpty();
        assertThat(counts).hasSize(EVENTS);
        assertThat(committedOutput).hasSize(EVENTS);
    }

    private static long committed(Admin admin, String group) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets =
                admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
        return offsets.values().stream().filter(o -> o != null).mapToLong(OffsetAndMetadata::offset).sum();
    }

    private static Process startRelay(String bootstrap, String in, String out, String group, Path logFile,
                                      long delayMicros) throws Exception {
        List<String> cmd = List.of(ChildJvm.javaBinary(), "-Xmx256m", "-cp", ChildJvm.classpathString(),
                RelayMain.class.getName(), bootstrap, in, out, group, "relay-0", Long.toString(delayMicros));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(logFile.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
    }
}
