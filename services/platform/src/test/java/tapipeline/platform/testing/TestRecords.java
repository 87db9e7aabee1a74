package tapipeline.platform.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** String producers/consumers for tests and a "read the whole topic" helper. */
public final class TestRecords {

    private TestRecords() {
    }

    /** An idempotent acks=all String producer; close it. */
    public static KafkaProducer<String, String> producer(String bootstrap) {
        return new KafkaProducer<>(producerProps(bootstrap), new StringSerializer(), new StringSerializer());
    }

    public static Properties producerProps(String bootstrap) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        return props;
    }

    /** A String consumer in the given group, earliest reset, no auto commit, read_committed; close it. */
    public static KafkaConsumer<String, String> consumer(String bootstrap, String groupId) {
        return new KafkaConsumer<>(consumerProps(bootstrap, groupId), new StringDeserializer(), new StringDeserializer());
    }

    public static Properties consumerProps(String bootstrap, String groupId) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        if (groupId != null) {
            props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        }
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return props;
    }

    /**
     * Every committed record of the topic, from the beginning up to the end offsets seen at the
     * start (read_committed), without a consumer group. Ordered by partition, then offset.
     */
    public static List<ConsumerRecord<String, String>> readAll(String bootstrap, String topic, Duration timeout) {
        try (KafkaConsumer<String, String> consumer = consumer(bootstrap, null)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .collect(Collectors.toList());
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            Instant deadline = Instant.now().plus(timeout);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp, timeout) < end.get(tp))) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("read only " + records.size() + " records of " + topic + " within " + timeout);
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            records.sort((a, b) -> a.partition() != b.partition()
                    ? Integer.compare(a.partition(), b.partition()) : Long.compare(a.offset(), b.offset()));
            return records;
        }
    }
}
