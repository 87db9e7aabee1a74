package tapipeline.platform.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import tapipeline.embedded.EmbeddedKafka;

/**
 * JUnit 5 extension giving tests a real Kafka broker: ONE embedded KRaft broker
 * ({@link EmbeddedKafka}) shared by every test class of the test run, stopped when the run ends.
 *
 * <p>If the system property {@value #BOOTSTRAP_PROPERTY} or the environment variable
 * {@value #BOOTSTRAP_ENV} is set, tests use that external cluster instead and no broker starts.
 *
 * <pre>{@code
 * @ExtendWith(KafkaBrokerExtension.class)
 * class MyLoopIT {
 *     @Test
 *     void passesEvents(KafkaTestCluster kafka) {          // parameter injection, or
 *         String bootstrap = KafkaBrokerExtension.bootstrapServers();   // static access
 *     }
 * }
 * }</pre>
 *
 * Tests share the broker, so each test should use its own topics and group ids
 * ({@link TestTopics#unique(String)}).
 */
public final class KafkaBrokerExtension implements BeforeAllCallback, ParameterResolver {

    /** System property naming an external cluster to test against. */
    public static final String BOOTSTRAP_PROPERTY = "kafka.bootstrap.servers.test";
    /** Environment variable naming an external cluster to test against. */
    public static final String BOOTSTRAP_ENV = "KAFKA_BOOTSTRAP_SERVERS_TEST";

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(KafkaBrokerExtension.class);
    private static volatile SharedCluster current;

    @Override
    public void beforeAll(ExtensionContext context) {
        cluster(context);
    }

    /**
     * The shared cluster's bootstrap servers, for static fields and helpers.
     *
     * @throws IllegalStateException if no test class using this extension has started yet
     */
    public static String bootstrapServers() {
        SharedCluster cluster = current;
        if (cluster == null) {
            throw new IllegalStateException("no shared Kafka broker: annotate the test class with "
                    + "@ExtendWith(KafkaBrokerExtension.class)");
        }
        return cluster.bootstrapServers();
    }

    /** The shared cluster of this test run, started on first use. */
    public static KafkaTestCluster cluster(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .computeIfAbsent(SharedCluster.class, type -> SharedCluster.open(), SharedCluster.class);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == KafkaTestCluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return cluster(context);
    }

    static Optional<String> externalBootstrap() {
        String value = System.getProperty(BOOTSTRAP_PROPERTY);
        if (value == null || value.isBlank()) {
            value = System.getenv(BOOTSTRAP_ENV);
        }
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    /** Closed by JUnit (as an AutoCloseable in the root store) when the test run ends. */
    private static final class SharedCluster implements KafkaTestCluster, AutoCloseable {
        private final EmbeddedKafka broker;
        private final String bootstrap;

        private SharedCluster(EmbeddedKafka broker, String bootstrap) {
            this.broker = broker;
            this.bootstrap = bootstrap;
        }

        static SharedCluster open() {
            SharedCluster cluster = externalBootstrap()
                    .map(external -> new SharedCluster(null, external))
                    .orElseGet(() -> {
                        EmbeddedKafka broker = EmbeddedKafka.builder().dataDir(dataDir()).build().start();
                        return new SharedCluster(broker, broker.bootstrapServers());
                    });
            current = cluster;
            return cluster;
        }

        /** Under target/ when run from a module directory, so the broker log survives for a look after a failure. */
        private static Path dataDir() {
            try {
                Path target = Path.of("target");
                Path parent = Files.isDirectory(target) ? target : Path.of(System.getProperty("java.io.tmpdir"));
                return Files.createTempDirectory(parent, "embedded-kafka-test-");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a data directory for the test broker", e);
            }
        }

        @Override
        public String bootstrapServers() {
            return bootstrap;
        }

        @Override
        public String kind() {
            return broker == null ? "external" : "embedded";
        }

        @Override
        public void close() {
            current = null;
            if (broker != null) {
                broker.close();
                deleteRecursively(broker.dataDir().resolve("logs")); // keep broker.log, drop the segments
            }
        }

        private static void deleteRecursively(Path dir) {
            if (!Files.exists(dir)) {
                return;
            }
            try (var walk = Files.walk(dir)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // best effort: it is under target/ or the temp directory
            }
        }

        @Override
        public String toString() {
            return kind() + " Kafka at " + bootstrap;
        }
    }
}
