package tapipeline.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tapipeline.platform.config.Config;
import tapipeline.platform.kafka.KafkaClients;
import tapipeline.platform.kafka.TopicSpec;
import tapipeline.platform.kafka.Topics;

/** The one-command launcher: embedded broker, every topic, every service; stops cleanly and restarts. */
class LauncherIT {

    @Test
    void starts_the_broker_topics_and_services_then_stops_and_restarts_on_the_same_data(@TempDir Path data)
            throws Exception {
        Config config = Config.of(Map.of("DATA_DIR", data.toString(), "EMBEDDED_KAFKA_PORT", "0",
                "COORDINATOR_PORT", "0", "SITE_PORT", "0", "MONITOR_PORT", "0", "OFFERS_PORT", "0", "SOLVER_PORT", "0",
                "HANDBOOK_PORT", "0"));
        String bootstrap;
        try (Launcher launcher = new Launcher().start(config, false)) {
            bootstrap = launcher.urls().get("Kafka bootstrap servers");
            assertThat(bootstrap).startsWith("127.0.0.1:");
            try (Admin admin = new KafkaClients(bootstrap).admin()) {
                Set<String> names = admin.listTopics().names().get(10, TimeUnit.SECONDS);
                assertThat(names).containsAll(Topics.allWithDeadLetters().stream().map(TopicSpec::name).toList());
            }
            assertThat(launcher.services()).allSatisfy(s -> assertThat(s.urls()).isNotEmpty());
            // the monitor runs and its URL is among those the launcher prints
            assertThat(launcher.urls().get("monitor site")).matches("http://[^/]+:\\d+/");
            // and the offers service (the coordinators' offers page is its home)
            assertThat(launcher.urls().get("offers site")).matches("http://[^/]+:\\d+/offers");
        }
        assertThat(ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().orElse("").contains(data.toString()))
                .toList()).as("no broker process left behind").isEmpty();

        try (Launcher again = new Launcher().start(config, false)) {
            assertThat(again.urls().get("Kafka bootstrap servers")).isEqualTo(bootstrap);
        }
    }
}
