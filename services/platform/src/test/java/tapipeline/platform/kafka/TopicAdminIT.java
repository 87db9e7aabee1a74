package tapipeline.platform.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import tapipeline.platform.testing.KafkaBrokerExtension;
import tapipeline.platform.testing.TestTopics;

@ExtendWith(KafkaBrokerExtension.class)
class TopicAdminIT {

    @Test
    void creates_missing_topics_once_and_reports_drift_without_changing_anything() throws Exception {
        String prefix = TestTopics.unique("reg");
        TopicSpec state = TopicSpec.compacted(prefix + ".state", "a compacted state topic");
        TopicSpec history = TopicSpec.events(prefix + ".history", "kept forever").keptForever().maxMessageBytes(2_000_000);
        List<TopicSpec> specs = List.of(state, history, history.deadLetters());
        try (Admin admin = new KafkaClients(KafkaBrokerExtension.bootstrapServers()).admin()) {
            TopicAdmin topicAdmin = new TopicAdmin(admin, 2, (short) 1);

            TopicAdmin.Report first = topicAdmin.ensure(specs);
            assertThat(first.created()).containsExactlyInAnyOrder(state.name(), history.name(), history.name() + ".dlq");
            assertThat(first.drift()).isEmpty();
            assertThat(topicAdmin.partitionCounts(List.of(state.name()))).containsEntry(state.name(), 2);

            TopicAdmin.Report second = topicAdmin.ensure(specs);
            assertThat(second.created()).isEmpty();
            assertThat(second.drift()).isEmpty();

            ConfigResource res = new ConfigResource(ConfigResource.Type.TOPIC, history.name());
            admin.incrementalAlterConfigs(Map.of(res, List.of(new AlterConfigOp(
                    new ConfigEntry("retention.ms", "3600000"), AlterConfigOp.OpType.SET)))).all().get(10, TimeUnit.SECONDS);
            // brokers apply config changes from the metadata log shortly after the call returns
            await().atMost(Duration.ofSeconds(20)).until(() -> !topicAdmin.ensure(specs).drift().isEmpty());
            TopicAdmin.Report third = topicAdmin.ensure(specs);
            assertThat(third.created()).isEmpty();
            assertThat(third.drift()).singleElement().asString()
                    .contains(history.name()).contains("retention.ms=3600000").contains("wants -1");
        }
    }
}
