package tapipeline.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A one-node {@link KafkaCluster} on a data directory, closed and started again by a new instance:
 * the replication settings shrink to one node, and the cluster id, ports and generated admin password
 * persist, so the second instance serves the first one's records at the same bootstrap servers.
 */
class KafkaClusterRestartIT {

    @TempDir
    Path dataDir;

    @Test
    void aOneNodeClusterRestartsOnItsDataDirectoryWithTheSameAddressAndAdmin() throws Exception {
        String bootstrap;
        String clusterId;
        try (KafkaCluster cluster = KafkaCluster.builder().nodes(1).dataDir(dataDir).build().start()) {
            bootstrap = cluster.bootstrapServers();
            clusterId = cluster.clusterId();
            Properties server = NodeProcess.readProperties(cluster.nodeDir(0).resolve("server.properties"));
            assertThat(server.getProperty("default.replication.factor")).isEqualTo("1");
            assertThat(server.getProperty("min.insync.replicas")).isEqualTo("1");
            assertThat(server.getProperty("offsets.topic.replication.factor")).isEqualTo("1");
            try (Admin admin = Admin.create(new HashMap<>(cluster.adminClientProperties()))) {
                // no replication factor given: the broker's default, clamped to the one node
                admin.createTopics(List.of(new NewTopic("kept", java.util.Optional.of(1), java.util.Optional.empty())))
                        .all().get(30, TimeUnit.SECONDS);
            }
            Map<String, Object> p = new HashMap<>(cluster.adminClientProperties());
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>("kept", "k", "before-restart")).get(30, TimeUnit.SECONDS);
            }
        }
        assertThat(Files.exists(dataDir.resolve(KafkaCluster.STATE_FILE))).isTrue();

        try (KafkaCluster cluster = KafkaCluster.builder().nodes(1).dataDir(dataDir).build().start()) {
            assertThat(cluster.bootstrapServers()).isEqualTo(bootstrap);
            assertThat(cluster.clusterId()).isEqualTo(clusterId);
            Map<String, Object> p = new HashMap<>(cluster.adminClientProperties());
            p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
                TopicPartition partition = new TopicPartition("kept", 0);
                consumer.assign(List.of(partition));
                consumer.seekToBeginning(List.of(partition));
                List<String> values = new java.util.ArrayList<>();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (values.isEmpty() && System.nanoTime() < deadline) {
                    consumer.poll(Duration.ofMillis(500)).forEach(r -> values.add(r.value()));
                }
                assertThat(values).containsExactly("before-restart");
            }
        }
    }
}
