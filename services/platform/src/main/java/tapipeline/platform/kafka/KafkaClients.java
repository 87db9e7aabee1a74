package tapipeline.platform.kafka;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import tapipeline.platform.config.Config;
import tapipeline.platform.config.ConfigException;
import tapipeline.platform.config.PlatformConfig;

/**
 * The one place Kafka clients are configured. Keys are strings, values are the bytes of a JSON
 * envelope; producers are idempotent with acks=all; consumers commit manually and read only
 * committed data, so nothing a transaction aborted is ever seen.
 */
public final class KafkaClients {

    /** Fetch limits above the largest record any topic allows (the handbook artifact, after compression). */
    private static final int FETCH_BYTES = Topics.ARTIFACT_MAX_BYTES + 1024 * 1024;

    private final String bootstrapServers;

    public KafkaClients(String bootstrapServers) {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new ConfigException("configuration key " + PlatformConfig.KAFKA_BOOTSTRAP_SERVERS.name()
                    + ": no Kafka brokers given (expected host:port[,host:port...])");
        }
        this.bootstrapServers = bootstrapServers;
    }

    public static KafkaClients from(Config config) {
        return new KafkaClients(config.get(PlatformConfig.KAFKA_BOOTSTRAP_SERVERS));
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public Map<String, Object> consumerProps(String groupId, String clientId) {
        Map<String, Object> p = new HashMap<>();
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, FETCH_BYTES);
        p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, FETCH_BYTES);
        // a crashed instance's partitions move to a live one after 10 s instead of the default 45 s
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 3_000);
        return p;
    }

    public Map<String, Object> producerProps(String clientId) {
        Map<String, Object> p = new HashMap<>();
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        // bounds a record before compression (the topics' max.message.bytes bound it after); the buffer must hold one
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.MAX_RECORD_BYTES);
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, (long) Topics.MAX_RECORD_BYTES);
        return p;
    }

    public Map<String, Object> transactionalProducerProps(String clientId, String transactionalId) {
        Map<String, Object> p = producerProps(clientId);
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        // an instance killed mid-transaction blocks read_committed readers until this passes,
        // unless it restarts with the same transactional.id (which aborts the old one at once)
        p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 30_000);
        return p;
    }

    public KafkaConsumer<String, byte[]> consumer(String groupId, String clientId) {
        return new KafkaConsumer<>(consumerProps(groupId, clientId));
    }

    /** A consumer with some settings changed, e.g. a longer max.poll.interval.ms for slow handlers. */
    public KafkaConsumer<String, byte[]> consumer(String groupId, String clientId, Map<String, Object> overrides) {
        Map<String, Object> p = consumerProps(groupId, clientId);
        p.putAll(overrides);
        return new KafkaConsumer<>(p);
    }

    public KafkaProducer<String, byte[]> producer(String clientId) {
        return new KafkaProducer<>(producerProps(clientId));
    }

    public KafkaProducer<String, byte[]> transactionalProducer(String clientId, String transactionalId) {
        return new KafkaProducer<>(transactionalProducerProps(clientId, transactionalId));
    }

    public Admin admin() {
        Map<String, Object> p = new HashMap<>();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, "tapipeline-admin");
        return Admin.create(p);
    }
}
