package tapipeline.app;

import java.nio.file.Path;

import tapipeline.embedded.EmbeddedKafka;

/**
 * The launcher's embedded broker, in a class of its own: the broker module is a provided
 * dependency (on ./run's classpath, not in the container image), and only this class refers to it,
 * so the launcher loads and runs on a classpath without it as long as it is not asked for a broker.
 */
final class EmbeddedBroker implements AutoCloseable {

    private final EmbeddedKafka kafka;

    private EmbeddedBroker(EmbeddedKafka kafka) {
        this.kafka = kafka;
    }

    /** Starts (formatting on first use) the broker kept in {@code dataDir}; port 0 = persisted or free. */
    static EmbeddedBroker start(Path dataDir, int port) {
        // the launcher's own shutdown hook closes the services first, then the broker
        return new EmbeddedBroker(EmbeddedKafka.builder().dataDir(dataDir).stopOnJvmExit(false)
                .brokerPort(port).build().start());
    }

    String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    @Override
    public void close() {
        kafka.close();
    }
}
