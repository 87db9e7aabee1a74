package tapipeline.platform.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tapipeline.platform.config.Config;
import tapipeline.platform.config.ConfigException;

class ClientPropertiesTest {

    private static final String JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required"
            + " username=\"alice\" password=\"s3cret-pw\";";

    @Test
    void key_names_map_to_kafka_property_names_as_in_confluent_images() {
        assertThat(ClientProperties.propertyName("KAFKA_CLIENT_SECURITY_PROTOCOL")).isEqualTo("security.protocol");
        assertThat(ClientProperties.propertyName("KAFKA_CLIENT_SASL_JAAS_CONFIG")).isEqualTo("sasl.jaas.config");
        assertThat(ClientProperties.propertyName("KAFKA_CLIENT_SSL_TRUSTSTORE_LOCATION")).isEqualTo("ssl.truststore.location");
        assertThat(ClientProperties.propertyName("KAFKA_CLIENT_A__B")).isEqualTo("a_b");
        assertThat(ClientProperties.propertyName("KAFKA_CLIENT_A___B_C")).isEqualTo("a-b.c");
    }

    @Test
    void every_client_gets_the_environment_properties_over_the_platform_defaults() {
        Config config = Config.from(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", "broker:9093",
                "KAFKA_CLIENT_SECURITY_PROTOCOL", "SASL_SSL",
                "KAFKA_CLIENT_SASL_MECHANISM", "SCRAM-SHA-512",
                "KAFKA_CLIENT_SASL_JAAS_CONFIG", JAAS,
                "KAFKA_CLIENT_SESSION_TIMEOUT_MS", "20000",
                "KAFKA_CLIENT_MAX_POLL_RECORDS", "50"), Map.of());
        KafkaClients clients = KafkaClients.from(config);

        Map<String, Object> consumer = clients.consumerProps("g", "c");
        assertThat(consumer).containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("sasl.jaas.config", JAAS)
                .containsEntry(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "20000")
                .containsEntry(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "50")
                .containsEntry(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false)
                .containsEntry(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "broker:9093");

        Map<String, Object> producer = clients.transactionalProducerProps("p", "tx-1");
        assertThat(producer).containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.jaas.config", JAAS)
                .containsEntry(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "tx-1")
                .as("a consumer-only property stays out of the producer").doesNotContainKey(ConsumerConfig.MAX_POLL_RECORDS_CONFIG);

        Map<String, Object> keyTail = clients.consumerProps(null, "key-tail");
        assertThat(keyTail).containsEntry("security.protocol", "SASL_SSL");
        assertThat(clients.clientProperties().forAdmin()).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry(AdminClientConfig.SECURITY_PROTOCOL_CONFIG, "SASL_SSL")
                .doesNotContainKey(ConsumerConfig.MAX_POLL_RECORDS_CONFIG);
    }

    @Test
    void a_client_properties_file_applies_and_keys_win_over_it(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("client.properties");
        Files.writeString(file, """
                # as for kafka-console-producer --command-config
                security.protocol=SASL_PLAINTEXT
                sasl.mechanism=SCRAM-SHA-256
                request.timeout.ms=15000
                """);
        Config config = Config.from(Map.of("KAFKA_BOOTSTRAP_SERVERS", "b:9092", "KAFKA_CLIENT_CONFIG_FILE", file.toString(),
                "KAFKA_CLIENT_SASL_MECHANISM", "SCRAM-SHA-512"), Map.of());
        ClientProperties props = ClientProperties.from(config);
        assertThat(props.names()).containsExactlyInAnyOrder("security.protocol", "sasl.mechanism", "request.timeout.ms");
        assertThat(props.forProducer()).containsEntry("security.protocol", "SASL_PLAINTEXT")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512").containsEntry("request.timeout.ms", "15000");
    }

    @Test
    void keys_in_the_tapipeline_properties_file_count_too(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("app.properties");
        Files.writeString(file, "KAFKA_CLIENT_SECURITY_PROTOCOL=SSL\nKAFKA_CLIENT_ACKS=1\n");
        Config owned = Config.from(Map.of("TAPIPELINE_CONFIG_FILE", file.toString()), Map.of());
        assertThatThrownBy(() -> ClientProperties.from(owned)).hasMessageContaining("acks")
                .hasMessageContaining("properties file " + file + " (KAFKA_CLIENT_ACKS)");
        Files.writeString(file, "KAFKA_CLIENT_SECURITY_PROTOCOL=SSL\n");
        Config config = Config.from(Map.of("TAPIPELINE_CONFIG_FILE", file.toString()), Map.of());
        assertThat(ClientProperties.from(config).forConsumer()).containsEntry("security.protocol", "SSL");
    }

    @Test
    void an_unknown_property_stops_start_up_naming_it_and_where_it_was_set() {
        Config config = Config.from(Map.of("KAFKA_CLIENT_SECURITY_PROTOKOL", "SSL"), Map.of());
        assertThatThrownBy(() -> ClientProperties.from(config)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("security.protokol")
                .hasMessageContaining("(from environment variable KAFKA_CLIENT_SECURITY_PROTOKOL)")
                .hasMessageContaining("not a property of Kafka's producer, consumer or admin client");
    }

    @Test
    void a_property_the_platform_owns_cannot_be_set() {
        for (String key : new String[] {"KAFKA_CLIENT_ENABLE_AUTO_COMMIT", "KAFKA_CLIENT_ISOLATION_LEVEL",
                "KAFKA_CLIENT_TRANSACTIONAL_ID", "KAFKA_CLIENT_VALUE_SERIALIZER", "KAFKA_CLIENT_ACKS",
                "KAFKA_CLIENT_BOOTSTRAP_SERVERS", "KAFKA_CLIENT_ENABLE_IDEMPOTENCE"}) {
            Config config = Config.from(Map.of(key, "x"), Map.of());
            assertThatThrownBy(() -> ClientProperties.from(config)).as(key).isInstanceOf(ConfigException.class)
                    .hasMessageContaining(ClientProperties.propertyName(key))
                    .hasMessageContaining(key)
                    .hasMessageContaining("cannot be set");
        }
    }

    @Test
    void a_bad_value_is_refused_with_kafkas_reason() {
        Config config = Config.from(Map.of("KAFKA_CLIENT_SECURITY_PROTOCOL", "SASL_TLS"), Map.of());
        assertThatThrownBy(() -> ClientProperties.from(config)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("security.protocol").hasMessageContaining("'SASL_TLS'");
        Config number = Config.from(Map.of("KAFKA_CLIENT_REQUEST_TIMEOUT_MS", "soon"), Map.of());
        assertThatThrownBy(() -> ClientProperties.from(number)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("request.timeout.ms").hasMessageContaining("'soon'");
    }

    @Test
    void secrets_never_appear_in_what_is_logged_or_in_errors() {
        ClientProperties props = ClientProperties.from(Config.from(Map.of(
                "KAFKA_CLIENT_SECURITY_PROTOCOL", "SASL_SSL",
                "KAFKA_CLIENT_SASL_JAAS_CONFIG", JAAS,
                "KAFKA_CLIENT_SSL_TRUSTSTORE_PASSWORD", "trust-pw",
                "KAFKA_CLIENT_SSL_KEY_PASSWORD", "key-pw"), Map.of()));
        assertThat(props.toString()).contains("security.protocol=SASL_SSL", "sasl.jaas.config=[hidden]",
                "ssl.truststore.password=[hidden]", "ssl.key.password=[hidden]")
                .doesNotContain("s3cret-pw", "trust-pw", "key-pw", "alice");
        assertThat(ClientProperties.isSecret("sasl.jaas.config")).isTrue();
        assertThat(ClientProperties.isSecret("ssl.keystore.password")).isTrue();
        assertThat(ClientProperties.isSecret("sasl.mechanism")).isFalse();
    }

    @Test
    void an_unreadable_client_properties_file_names_the_key() {
        Config config = Config.from(Map.of("KAFKA_CLIENT_CONFIG_FILE", "/no/such/client.properties"), Map.of());
        assertThatThrownBy(() -> ClientProperties.from(config)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("KAFKA_CLIENT_CONFIG_FILE").hasMessageContaining("/no/such/client.properties");
    }

    @Test
    void nothing_set_means_plain_clients() {
        assertThat(ClientProperties.from(Config.of(Map.of())).isEmpty()).isTrue();
        assertThat(ClientProperties.from(Config.from(Map.of("KAFKA_CLIENT_SASL_JAAS_CONFIG", ""), Map.of())).isEmpty())
                .as("an empty variable (a compose pass-through of an unset one) counts as unset").isTrue();
        assertThat(new KafkaClients("b:9092").consumerProps("g", "c")).doesNotContainKey("security.protocol");
    }
}
