package tapipeline.platform.testing;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The Testcontainers counterpart of {@link KafkaBrokerExtension}: one {@code apache/kafka}
 * container per test run, injected as the same {@link KafkaTestCluster}. Where Docker is missing
 * the test classes using it are reported SKIPPED with the reason, not failed.
 *
 * <p>To run one test against both, write it once in an abstract class taking a
 * {@code KafkaTestCluster} parameter and extend it twice:
 *
 * <pre>{@code
 * @ExtendWith(KafkaBrokerExtension.class)    class EmbeddedRoundTripIT  extends RoundTripContract {}
 * @ExtendWith(KafkaContainerExtension.class) class ContainerRoundTripIT extends RoundTripContract {}
 * }</pre>
 *
 * The image is {@code apache/kafka:<kafka-clients version>}, or the system property
 * {@value #IMAGE_PROPERTY}.
 */
public final class KafkaContainerExtension implements ExecutionCondition, BeforeAllCallback, ParameterResolver {

    /** System property overriding the Kafka image. */
    public static final String IMAGE_PROPERTY = "kafka.test.image";

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(KafkaContainerExtension.class);
    private static volatile Boolean dockerAvailable;

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        return dockerAvailable()
                ? ConditionEvaluationResult.enabled("Docker is available")
                : ConditionEvaluationResult.disabled("Docker is not available here: Testcontainers Kafka test skipped");
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        cluster(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == KafkaTestCluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return cluster(context);
    }

    /** The image used: {@value #IMAGE_PROPERTY} or {@code apache/kafka:<clients version>}. */
    public static String image() {
        return System.getProperty(IMAGE_PROPERTY, "apache/kafka:" + kafkaClientsVersion());
    }

    private static String kafkaClientsVersion() {
        try (InputStream in = KafkaContainerExtension.class.getResourceAsStream("/kafka/kafka-version.properties")) {
            Properties props = new Properties();
            if (in != null) {
                props.load(in);
            }
            return props.getProperty("version", "latest");
        } catch (IOException e) {
            return "latest";
        }
    }

    static boolean dockerAvailable() {
        Boolean available = dockerAvailable;
        if (available == null) {
            try {
                available = DockerClientFactory.instance().isDockerAvailable();
            } catch (RuntimeException | LinkageError e) {
                available = false;
            }
            dockerAvailable = available;
        }
        return available;
    }

    private static KafkaTestCluster cluster(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .computeIfAbsent(ContainerCluster.class, type -> ContainerCluster.start(), ContainerCluster.class);
    }

    private static final class ContainerCluster implements KafkaTestCluster, AutoCloseable {
        private final KafkaContainer container;
        private final String image;

        private ContainerCluster(KafkaContainer container, String image) {
            this.container = container;
            this.image = image;
        }

        @SuppressWarnings("resource") // closed with the root store
        static ContainerCluster start() {
            String image = image();
            KafkaContainer container = new KafkaContainer(DockerImageName.parse(image).asCompatibleSubstituteFor("apache/kafka"))
                    .withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false")
                    .withEnv("KAFKA_MESSAGE_MAX_BYTES", Integer.toString(20 * 1024 * 1024))
                    .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0");
            container.start();
            return new ContainerCluster(container, image);
        }

        @Override
        public String bootstrapServers() {
            return container.getBootstrapServers();
        }

        @Override
        public String kind() {
            return "testcontainers " + image;
        }

        @Override
        public void close() {
            container.stop();
        }
    }
}
