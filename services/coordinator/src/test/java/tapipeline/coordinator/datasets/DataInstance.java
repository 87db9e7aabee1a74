package tapipeline.coordinator.datasets;

import java.time.Duration;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;

import tapipeline.coordinator.api.DataFeature;
import tapipeline.platform.config.Config;
import tapipeline.platform.kafka.KafkaClients;
import tapipeline.platform.kafka.TopicAdmin;
import tapipeline.platform.kafka.Topics;
import tapipeline.platform.service.ServiceRuntime;
import tapipeline.platform.testing.KafkaBrokerExtension;

/** One coordinator instance's data half (no HTTP) on the shared test broker, caught up when returned. */
final class DataInstance implements AutoCloseable {

    final ServiceRuntime runtime;
    final DataFeature data;

    private DataInstance(String instanceId) throws Exception {
        String bootstrap = KafkaBrokerExtension.bootstrapServers();
        try (Admin admin = new KafkaClients(bootstrap).admin()) {
            new TopicAdmin(admin, 3, (short) 1).ensure(Topics.allWithDeadLetters());
        }
        Config config = Config.of(Map.of("KAFKA_BOOTSTRAP_SERVERS", bootstrap, "INSTANCE_ID", instanceId));
        runtime = new ServiceRuntime("coordinator", config).onFatal((component, error) -> {
            throw new AssertionError(component + " failed", error);
        });
        data = DataFeature.start(runtime, config);
        if (!data.awaitReady(Duration.ofSeconds(60))) {
            throw new AssertionError("instance " + instanceId + " did not catch up");
        }
    }

    static DataInstance start(String instanceId) throws Exception {
        return new DataInstance(instanceId);
    }

    @Override
    public void close() {
        runtime.close();
    }
}
