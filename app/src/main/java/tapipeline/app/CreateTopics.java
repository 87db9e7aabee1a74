package tapipeline.app;

import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import tapipeline.platform.config.Config;
import tapipeline.platform.config.ConfigException;
import tapipeline.platform.config.PlatformConfig;
import tapipeline.platform.kafka.KafkaClients;
import tapipeline.platform.kafka.TopicAdmin;
import tapipeline.platform.kafka.Topics;

/**
 * Creates every registered topic (and its dead-letter topic) that the cluster lacks, and reports
 * drift. The launcher calls it before starting services; in a deployment it runs once as its own
 * container before the services start.
 */
public final class CreateTopics {

    private static final Logger log = LoggerFactory.getLogger(CreateTopics.class);

    private CreateTopics() {
    }

    public static TopicAdmin.Report ensure(Config config) {
        try (Admin admin = KafkaClients.from(config).admin()) {
            TopicAdmin.Report report = new TopicAdmin(admin, config.get(PlatformConfig.TOPIC_PARTITIONS),
                    config.get(PlatformConfig.TOPIC_REPLICATION).shortValue()).ensure(Topics.allWithDeadLetters());
            log.info("topics ready: {} created, {} drift warnings", report.created().size(), report.drift().size());
            return report;
        }
    }

    public static void main(String[] args) {
        try {
            ensure(Config.fromEnvironment());
        } catch (ConfigException e) {
            System.err.println("Configuration error: " + e.getMessage());
            System.exit(2);
        } catch (RuntimeException e) {
            System.err.println("Could not create topics: " + e.getMessage());
            System.exit(1);
        }
    }
}
