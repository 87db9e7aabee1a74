package tapipeline.platform.testing;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;

import tapipeline.platform.config.Config;
import tapipeline.platform.kafka.KafkaClients;
import tapipeline.platform.kafka.TopicAdmin;
import tapipeline.platform.kafka.Topics;
import tapipeline.platform.service.RunningService;
import tapipeline.platform.service.ServiceModule;

/**
 * Starts a service module against the test run's shared broker the way the launcher does: every
 * registered topic exists first, then the module starts with the given settings (ports default to
 * 0, i.e. free ones).
 */
public final class ServiceHarness {

    private ServiceHarness() {
    }

    public static RunningService start(ServiceModule module, Map<String, String> settings) throws Exception {
        String bootstrap = KafkaBrokerExtension.bootstrapServers();
        try (Admin admin = new KafkaClients(bootstrap).admin()) {
            new TopicAdmin(admin, 3, (short) 1).ensure(Topics.allWithDeadLetters());
        }
        Map<String, String> values = new HashMap<>();
        module.configKeys().stream().filter(k -> k.name().endsWith("_PORT")).forEach(k -> values.put(k.name(), "0"));
        values.putAll(settings);
        values.put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
        return module.start(Config.of(values));
    }
}
