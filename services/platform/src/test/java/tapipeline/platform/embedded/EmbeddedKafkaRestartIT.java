package tapipeline.platform.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tapipeline.embedded.EmbeddedKafka;
import tapipeline.platform.testing.TestRecords;
import tapipeline.platform.testing.TestTopics;

/**
 * Must-show: a broker stopped and started again on the same data directory keeps every committed
 * record, the committed consumer-group offsets and its cluster id, on the same port.
 */
class EmbeddedKafkaRestartIT {

    private static final int RECORDS = 2_000;
    private static final int TX_COMMITTED = 300;
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path dataDir;

    @Test
    void restartOnTheSameDataDirectoryLosesNothing() throws Exception {
        String topic = "restart-events";
        String txTopic = "restart-transactional";
        String group = "restart-group";
        Map<TopicPartition, OffsetAndMetadata> committed;
        String clusterId;
        String bootstrap;
        long firstPid;

        try (EmbeddedKafka kafka = EmbeddedKafka.builder().dataDir(dataDir).build()) {
            kafka.start();
            bootstrap = kafka.bootstrapServers();
            clusterId = kafka.clusterId();
            firstPid = kafka.pid().orElseThrow();
            assertThat(describeClusterId(bootstrap)).isEqualTo(clusterId);

            TestTopics.create(bootstrap, topic, 3, false);
            TestTopics.create(bootstrap, txTopic, 1, false);
            produceAcked(bootstrap, topic);
            produceTransactions(bootstrap, txTopic);
            committed = commitHalf(bootstrap, topic, group);

            kafka.stop();
            assertThat(kafka.isRunning()).isFalse();
            assertThat(ProcessHandle.of(firstPid).map(ProcessHandle::isAlive).orElse(false))
                    .as("broker process after stop()").isFalse();
            assertThat(portOpen(kafka.brokerPort())).as("broker port after stop()").isFalse();

            kafka.start();
            assertThat(kafka.pid().orElseThrow()).isNotEqualTo(firstPid);
            assertThat(kafka.bootstrapServers()).isEqualTo(bootstrap);
            assertThat(kafka.clusterId()).isEqualTo(clusterId);
            assertThat(describeClusterId(bootstrap)).isEqualTo(clusterId);

            List<ConsumerRecord<String, String>> records = TestRecords.readAll(bootstrap, topic, READ_TIMEOUT);
            assertThat(records).hasSize(RECORDS);
            assertThat(records).extracting(ConsumerRecord::value)
                    .containsExactlyInAnyOrderElementsOf(expectedValues("event-", RECORDS));

            List<ConsumerRecord<String, String>> txRecords = TestRecords.readAll(bootstrap, txTopic, READ_TIMEOUT);
            assertThat(txRecords).extracting(ConsumerRecord::value)
                    .as("committed transaction kept, aborted one invisible")
                    .containsExactlyElementsOf(expectedValues("tx-", TX_COMMITTED));

            try (Admin admin = TestTopics.admin(bootstrap)) {
                Map<TopicPartition, OffsetAndMetadata> after = admin.listConsumerGroupOffsets(group)
                        .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
                assertThat(after).isEqualTo(committed);
            }
        }

        String log = Files.readString(dataDir.resolve(EmbeddedKafka.LOG_FILE));
        assertThat(count(log, "Formatting metadata directory")).as("storage formatted once").isEqualTo(1);
        assertThat(count(log, "===== embedded-kafka restart")).isEqualTo(1);
    }

    private static void produceAcked(String bootstrap, String topic) throws Exception {
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        try (KafkaProducer<String, String> producer = TestRecords.producer(bootstrap)) {
            for (int i = 0; i < RECORDS; i++) {
                acks.add(producer.send(new ProducerRecord<>(topic, "k" + (i % 50), "event-" + i)));
            }
            producer.flush();
        }
        for (Future<RecordMetadata> ack : acks) {
            ack.get(30, TimeUnit.SECONDS);
        }
    }

    /** One committed transaction and one aborted one: checks the one-node transaction settings too. */
    private static void produceTransactions(String bootstrap, String topic) {
        Properties props = TestRecords.producerProps(bootstrap);
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "restart-it-tx");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            for (int i = 0; i < TX_COMMITTED; i++) {
                producer.send(new ProducerRecord<>(topic, "tx", "tx-" + i));
            }
            producer.commitTransaction();
            producer.beginTransaction();
            for (int i = 0; i < 50; i++) {
                producer.send(new ProducerRecord<>(topic, "tx", "aborted-" + i));
            }
            producer.flush();
            producer.abortTransaction();
        }
    }

    /** Commits, per partition, the offset halfway through what is there. */
    private static Map<TopicPartition, OffsetAndMetadata> commitHalf(String bootstrap, String topic, String group) {
        try (KafkaConsumer<String, String> consumer = TestRecords.consumer(bootstrap, group)) {
            List<TopicPartition> partitions = List.of(
                    new TopicPartition(topic, 0), new TopicPartition(topic, 1), new TopicPartition(topic, 2));
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            Map<TopicPartition, OffsetAndMetadata> offsets = new java.util.HashMap<>();
            end.forEach((tp, offset) -> offsets.put(tp, new OffsetAndMetadata(offset / 2, "half")));
            consumer.assign(partitions);
            consumer.commitSync(offsets);
            return Map.copyOf(offsets);
        }
    }

    private static String describeClusterId(String bootstrap) throws Exception {
        try (Admin admin = TestTopics.admin(bootstrap)) {
            return admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS);
        }
    }

    private static List<String> expectedValues(String prefix, int n) {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            values.add(prefix + i);
        }
        return values;
    }

    private static boolean portOpen(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static int count(String text, String needle) {
        Matcher m = Pattern.compile(Pattern.quote(needle)).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
