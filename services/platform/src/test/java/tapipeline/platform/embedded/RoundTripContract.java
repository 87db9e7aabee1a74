package tapipeline.platform.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

import tapipeline.platform.testing.KafkaTestCluster;
import tapipeline.platform.testing.TestRecords;
import tapipeline.platform.testing.TestTopics;

/**
 * Produce with acks=all and idempotence, consume back in a group. Written once; run against the
 * embedded broker ({@link EmbeddedKafkaRoundTripIT}) and Testcontainers ({@link ContainerKafkaRoundTripIT}).
 */
abstract class RoundTripContract {

    private static final int RECORDS = 500;

    @Test
    void producedRecordsAreConsumedBackInOrderPerPartition(KafkaTestCluster kafka) throws Exception {
        String topic = TestTopics.createUnique(kafka.bootstrapServers(), "round-trip", 3, false);

        List<Future<RecordMetadata>> acks = new ArrayList<>();
        try (KafkaProducer<String, String> producer = TestRecords.producer(kafka.bootstrapServers())) {
            for (int i = 0; i < RECORDS; i++) {
                acks.add(producer.send(new ProducerRecord<>(topic, "key-" + (i % 7), "value-" + i)));
            }
            producer.flush();
        }
        for (Future<RecordMetadata> ack : acks) {
            assertThat(ack.get().hasOffset()).isTrue();
        }

        List<ConsumerRecord<String, String>> consumed = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = TestRecords.consumer(kafka.bootstrapServers(), TestTopics.unique("group"))) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (consumed.size() < RECORDS && System.nanoTime() < deadline) {
                ConsumerRecords<String, String> batch = consumer.poll(Duration.ofMillis(200));
                batch.forEach(consumed::add);
            }
            consumer.commitSync();
        }

        assertThat(consumed).as("records consumed from %s (%s)", topic, kafka.kind()).hasSize(RECORDS);
        assertThat(consumed).extracting(ConsumerRecord::value).doesNotHaveDuplicates();
        // per key, values arrive in the order they were sent
        for (int k = 0; k < 7; k++) {
            String key = "key-" + k;
            List<Integer> sequence = consumed.stream().filter(r -> r.key().equals(key))
                    .map(r -> Integer.parseInt(r.value().substring("value-".length()))).toList();
            assertThat(sequence).isSorted();
        }
    }
}
