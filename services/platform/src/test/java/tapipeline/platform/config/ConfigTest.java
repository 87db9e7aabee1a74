package tapipeline.platform.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigTest {

    @Test
    void an_unset_key_takes_its_documented_default() {
        Config c = Config.of(Map.of());
        assertThat(c.get(PlatformConfig.TOPIC_PARTITIONS)).isEqualTo(3);
        assertThat(c.get(PlatformConfig.HTTP_HOST)).isEqualTo("127.0.0.1");
    }

    @Test
    void a_bad_value_fails_naming_the_key_and_where_it_came_from() {
        Config c = Config.from(Map.of("TOPIC_PARTITIONS", "three"), Map.of());
        assertThatThrownBy(() -> c.get(PlatformConfig.TOPIC_PARTITIONS))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("TOPIC_PARTITIONS")
                .hasMessageContaining("environment variable")
                .hasMessageContaining("'three'");
    }

    @Test
    void a_link_base_url_is_http_or_https_with_a_host_without_its_trailing_slash_or_empty() {
        Key<String> url = Key.httpUrl("TEST_LINK_URL", "http://localhost:8080/", "a test key");
        assertThat(Config.of(Map.of()).get(url)).isEqualTo("http://localhost:8080");
        assertThat(Config.of(Map.of("TEST_LINK_URL", " https://ta.example.edu/staff/ ")).get(url))
                .isEqualTo("https://ta.example.edu/staff");
        assertThat(Config.of(Map.of("TEST_LINK_URL", "")).get(url)).isEmpty();
        for (String bad : new String[] {"ta.example.edu", "javascript:alert(1)", "file:///etc/passwd", "http://", "http://a b"}) {
            assertThatThrownBy(() -> Config.of(Map.of("TEST_LINK_URL", bad)).get(url)).as(bad)
                    .isInstanceOf(ConfigException.class).hasMessageContaining("TEST_LINK_URL").hasMessageContaining("http(s) URL");
        }
    }

    @Test
    void an_out_of_range_value_is_refused() {
        Config c = Config.of(Map.of("EMBEDDED_KAFKA_PORT", "70000"));
        assertThatThrownBy(() -> c.get(PlatformConfig.EMBEDDED_KAFKA_PORT))
                .hasMessageContaining("EMBEDDED_KAFKA_PORT").hasMessageContaining("0 to 65535");
    }

    @Test
    void overrides_beat_environment_which_beats_the_properties_file(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("app.properties");
        Files.writeString(file, "TOPIC_PARTITIONS=5\nTOPIC_REPLICATION=2\nINSTANCE_ID=from-file\n");
        Config c = Config.from(Map.of(Config.CONFIG_FILE_ENV, file.toString(), "TOPIC_REPLICATION", "3",
                "INSTANCE_ID", "from-env"), Map.of("INSTANCE_ID", "from-override"));
        assertThat(c.get(PlatformConfig.TOPIC_PARTITIONS)).isEqualTo(5);
        assertThat(c.get(PlatformConfig.TOPIC_REPLICATION)).isEqualTo(3);
        assertThat(c.get(PlatformConfig.INSTANCE_ID)).isEqualTo("from-override");
    }

    @Test
    void a_bad_value_in_the_properties_file_names_the_file() throws Exception {
        Path file = Files.createTempFile("cfg", ".properties");
        Files.writeString(file, "CONSUMER_MAX_ATTEMPTS=0\n");
        Config c = Config.from(Map.of(Config.CONFIG_FILE_ENV, file.toString()), Map.of());
        assertThatThrownBy(() -> c.get(PlatformConfig.CONSUMER_MAX_ATTEMPTS))
                .hasMessageContaining("CONSUMER_MAX_ATTEMPTS").hasMessageContaining(file.toString());
    }

    @Test
    void a_missing_properties_file_is_an_error_not_silence() {
        assertThatThrownBy(() -> Config.from(Map.of(Config.CONFIG_FILE_ENV, "/nonexistent/x.properties"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("/nonexistent/x.properties");
    }

    @Test
    void booleans_accept_the_usual_spellings_only() {
        Key<Boolean> k = Key.bool("FEATURE_X", false, "a flag");
        assertThat(Config.of(Map.of("FEATURE_X", "yes")).get(k)).isTrue();
        assertThat(Config.of(Map.of("FEATURE_X", "off")).get(k)).isFalse();
        assertThatThrownBy(() -> Config.of(Map.of("FEATURE_X", "maybe")).get(k)).hasMessageContaining("FEATURE_X");
    }
}
