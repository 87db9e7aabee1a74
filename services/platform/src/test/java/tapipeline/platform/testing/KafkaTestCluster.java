package tapipeline.platform.testing;

/**
 * A Kafka cluster a test talks to: the shared embedded broker, an external cluster, or a
 * Testcontainers broker. Injected as a test method or constructor parameter by
 * {@link KafkaBrokerExtension} and {@link KafkaContainerExtension}.
 */
public interface KafkaTestCluster {

    /** The {@code bootstrap.servers} value for clients. */
    String bootstrapServers();

    /** What this cluster is, for messages: "embedded", "external", "testcontainers apache/kafka:4.4.0". */
    String kind();
}
