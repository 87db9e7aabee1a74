package tapipeline.platform.kafka;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

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

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import tapipeline.platform.config.Config;
import tapipeline.platform.config.ConfigException;
import tapipeline.platform.config.PlatformConfig;
import tapipeline.platform.trace.TraceInterceptor;

/**
 * The one place Kafka clients are configured. Keys are strings, values are the bytes of a JSON
 * envelope; producers are idempotent with acks=all; consumers commit manually and read only
 * committed data, so nothing a transaction aborted is ever seen.
 *
 * <p>The operator's {@link ClientProperties} (security, SASL, TLS, timeouts: {@code KAFKA_CLIENT_*}
 * keys or {@code KAFKA_CLIENT_CONFIG_FILE}) go into every client over the defaults here; what the
 * guarantees rest on cannot be set there ({@link ClientProperties#PLATFORM_OWNED}). A setting a
 * service asks for one client (e.g. the solver's {@code max.poll.records=1}) wins over both.
 */
public final class KafkaClients {

    /** Fetch limits above the largest record any topic allows (the handbook artifact, after compression). */
    private static final int FETCH_BYTES = Topics.ARTIFACT_MAX_BYTES + 1024 * 1024;

    private static final Logger log = LoggerFactory.getLogger(KafkaClients.class);

    private final String bootstrapServers;
    private final ClientProperties clientProperties;

    /** Clients of a plaintext cluster with no extra properties (tests, tools on the embedded broker). */
    public KafkaClients(String bootstrapServers) {
        this(bootstrapServers, ClientProperties.none());
    }

    public KafkaClients(String bootstrapServers, ClientProperties clientProperties) {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new ConfigException("configuration key " + PlatformConfig.KAFKA_BOOTSTRAP_SERVERS.name()
                    + ": no Kafka brokers given (expected host:port[,host:port...])");
        }
        this.bootstrapServers = bootstrapServers;
        this.clientProperties = Objects.requireNonNull(clientProperties, "clientProperties");
    }

    /** Brokers from KAFKA_BOOTSTRAP_SERVERS, client properties from KAFKA_CLIENT_* and KAFKA_CLIENT_CONFIG_FILE. */
    public static KafkaClients from(Config config) {
        ClientProperties extra = ClientProperties.from(config);
        KafkaClients clients = new KafkaClients(config.get(PlatformConfig.KAFKA_BOOTSTRAP_SERVERS), extra);
        if (!extra.isEmpty()) {
            log.info("Kafka client properties for every client: {}", extra); // secrets shown as [hidden]
        }
        return clients;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The operator's extra properties (their toString hides secrets). */
    public ClientProperties clientProperties() {
        return clientProperties;
    }

    public Map<String, Object> consumerProps(String groupId, String clientId) {
        Map<String, Object> p = new HashMap<>();
        // a crashed instance's partitions move to a live one after 10 s instead of the default 45 s
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 3_000);
        p.putAll(clientProperties.forConsumer());
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
        return p;
    }

    public Map<String, Object> producerProps(String clientId) {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        // an instance killed mid-transaction blocks read_committed readers until this passes,
        // unless it restarts with the same transactional.id (which aborts the old one at once)
        p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 30_000);
        p.putAll(clientProperties.forProducer());
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        // bounds a record before compression (the topics' max.message.bytes bound it after); the buffer must hold one
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.MAX_RECORD_BYTES);
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, (long) Topics.MAX_RECORD_BYTES);
        // every record sent gets a W3C traceparent (a child of the record being handled, or a new trace)
        Object operators = p.get(ProducerConfig.INTERCEPTOR_CLASSES_CONFIG);
        String interceptors = TraceInterceptor.class.getName();
        if (operators != null && !String.valueOf(operators).isBlank()) {
            interceptors = operators + "," + interceptors;
        }
        p.put(ProducerConfig.INTERCEPTOR_CLASSES_CONFIG, interceptors);
        return p;
    }

    public Map<String, Object> transactionalProducerProps(String clientId, String transactionalId) {
        Map<String, Object> p = producerProps(clientId);
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
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
        Map<String, Object> p = new HashMap<>(clientProperties.forAdmin());
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, "tapipeline-admin");
        return Admin.create(p);
    }
}
