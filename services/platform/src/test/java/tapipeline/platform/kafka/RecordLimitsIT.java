package tapipeline.platform.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import tapipeline.platform.testing.KafkaBrokerExtension;
import tapipeline.platform.testing.TestTopics;
import tapipeline.schemas.EventTypes;
import tapipeline.schemas.handbook.HandbookContent;
import tapipeline.schemas.samples.SampleEvents;

/** Record size limits on the real broker: every topic has one, and going over it says which and where. */
@ExtendWith(KafkaBrokerExtension.class)
class RecordLimitsIT {

    private final KafkaClients clients = new KafkaClients(KafkaBrokerExtension.bootstrapServers());

    /** A schema-valid handbook whose policies hold {@code chars} random letters (zstd cannot shrink them much). */
    private static HandbookContent handbookOf(int chars) {
        HandbookContent sample = SampleEvents.payload(EventTypes.HANDBOOK_CONTENT);
        Random random = new Random(chars);
        String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,;:-()";
        List<HandbookContent.Policy> policies = new ArrayList<>();
        for (int left = chars; left > 0; left -= 50_000) {
            StringBuilder body = new StringBuilder();
            for (int i = 0; i < Math.min(left, 50_000); i++) {
                body.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            policies.add(new HandbookContent.Policy("Policy " + policies.size(), "x" + body));
        }
        return new HandbookContent(sample.programId(), sample.name(), sample.degree(), sample.campus(),
                sample.edition(), sample.totalUnits(), sample.semesters(), sample.overview(), sample.outcomes(),
                sample.curriculum(), policies, sample.contacts(), sample.links(), sample.updatedAt());
    }

    @Test
    void a_handbook_over_its_topic_limit_fails_naming_the_topic_and_the_limit_and_one_under_it_is_stored()
            throws Exception {
        try (Admin admin = clients.admin();
             KafkaProducer<String, byte[]> producer = clients.producer("record-limits-it")) {
            new TopicAdmin(admin, 1, (short) 1).ensure(List.of(Topics.HANDBOOK_CONTENT));
            assertThat(topicConfig(admin, Topics.HANDBOOK_CONTENT.name()).get("max.message.bytes").value())
                    .isEqualTo(Integer.toString(Topics.CONTENT_MAX_BYTES));

            // 3 M random characters compress to about 2.3 MB: under the 4 MiB limit
            RecordMetadata stored = Events.send(producer, EventTypes.HANDBOOK_CONTENT, "limits", handbookOf(3_000_000))
                    .get(60, TimeUnit.SECONDS);
            assertThat(stored.serializedValueSize()).isGreaterThan(3_000_000);

            // 8 M (within the schema's limits: 160 policies of 50,000 characters) compress to about 6 MB: over it
            assertThatThrownBy(() -> Events.send(producer, EventTypes.HANDBOOK_CONTENT, "limits",
                    handbookOf(8_000_000)).get(60, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(RecordTooLargeException.class)
                    .hasMessageContaining("record too large for topic handbook.content")
                    .hasMessageContaining("max.message.bytes is 4,194,304 bytes after compression")
                    .hasMessageContaining("max.request.size is 67,108,864 bytes before compression");
        }
    }

    @Test
    void a_record_over_the_producers_request_size_fails_naming_the_topic_too() throws Exception {
        String topic = TestTopics.createUnique(KafkaBrokerExtension.bootstrapServers(), "limits-raw", 1, false);
        try (KafkaProducer<String, byte[]> producer = clients.producer("record-limits-it-raw")) {
            byte[] value = new byte[Topics.MAX_RECORD_BYTES + 1];
            assertThatThrownBy(() -> Events.send(producer, new ProducerRecord<>(topic, "k", value))
                    .get(60, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(RecordTooLargeException.class)
                    .hasMessageContaining("record too large for topic " + topic)
                    .hasMessageContaining("67,108,866 bytes before compression")
                    .hasMessageContaining("the broker's message.max.bytes (not in the Topics registry)");
        }
    }

    @Test
    void every_registered_limit_fits_the_broker_and_the_clients() throws Exception {
        try (Admin admin = clients.admin()) {
            String brokerId = Integer.toString(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)
                    .iterator().next().id());
            ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, brokerId);
            Config config = admin.describeConfigs(List.of(broker)).all().get(30, TimeUnit.SECONDS).get(broker);
            int brokerMax = Integer.parseInt(config.get("message.max.bytes").value());
            int replicaFetch = Integer.parseInt(config.get("replica.fetch.max.bytes").value());
            Map<String, Object> consumer = clients.consumerProps("g", "c");
            Map<String, Object> producer = clients.producerProps("p");
            for (TopicSpec spec : Topics.allWithDeadLetters()) {
                assertThat(spec.maxMessageBytes()).as("max.message.bytes of %s", spec.name()).isNotNull()
                        .isLessThanOrEqualTo(brokerMax)
                        .isLessThanOrEqualTo(replicaFetch)
                        .isLessThanOrEqualTo((Integer) consumer.get("max.partition.fetch.bytes"))
                        .isLessThanOrEqualTo((Integer) consumer.get("fetch.max.bytes"))
                        .isLessThanOrEqualTo((Integer) producer.get("max.request.size"));
            }
            assertThat(((Number) producer.get("buffer.memory")).longValue())
                    .isGreaterThanOrEqualTo((Integer) producer.get("max.request.size"));
        }
    }

    @Test
    void a_changed_record_limit_is_reported_as_drift() throws Exception {
        TopicSpec spec = TopicSpec.events(TestTopics.unique("limits-drift"), "a topic with a limit")
                .maxMessageBytes(Topics.SMALL_MAX_BYTES);
        try (Admin admin = clients.admin()) {
            TopicAdmin topicAdmin = new TopicAdmin(admin, 1, (short) 1);
            assertThat(topicAdmin.ensure(List.of(spec)).drift()).isEmpty();

            ConfigResource res = new ConfigResource(ConfigResource.Type.TOPIC, spec.name());
            admin.incrementalAlterConfigs(Map.of(res, List.of(new AlterConfigOp(
                    new ConfigEntry("max.message.bytes", "2000000"), AlterConfigOp.OpType.SET))))
                    .all().get(10, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(20)).until(() -> !topicAdmin.ensure(List.of(spec)).drift().isEmpty());
            assertThat(topicAdmin.ensure(List.of(spec)).drift()).singleElement().asString()
                    .contains(spec.name()).contains("max.message.bytes=2000000").contains("wants 1048576");
        }
    }

    private static Config topicConfig(Admin admin, String topic) throws Exception {
        ConfigResource res = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        return admin.describeConfigs(List.of(res)).all().get(30, TimeUnit.SECONDS).get(res);
    }
}
