package tapipeline.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

import org.junit.jupiter.api.Test;

import tapipeline.platform.config.Key;
import tapipeline.platform.config.PlatformConfig;
import tapipeline.platform.service.ServiceModule;

/** The README's configuration table lists every key any module reads, with its real default. */
class ReadmeConfigTableTest {

    @Test
    void every_config_key_is_documented_with_its_default() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        List<Key<?>> keys = new ArrayList<>(PlatformConfig.keys());
        ServiceLoader.load(ServiceModule.class).forEach(m -> keys.addAll(m.configKeys()));
        assertThat(keys).hasSizeGreaterThan(PlatformConfig.keys().size());
        for (Key<?> key : keys) {
            String shownDefault = key.defaultValue().isEmpty() ? "*(empty)*" : "`" + key.defaultValue() + "`";
            assertThat(readme).as("README row for %s", key.name())
                    .contains("| `" + key.name() + "` | " + shownDefault + " |");
        }
    }

    @Test
    void the_first_lines_hold_the_run_and_test_commands_that_ci_uses() throws Exception {
        List<String> head = Files.readAllLines(Path.of("..", "README.md")).subList(0, 12);
        assertThat(head).anySatisfy(l -> assertThat(l).startsWith("./run "));
        assertThat(head).anySatisfy(l -> assertThat(l).startsWith("./mvnw -B verify"));
        assertThat(Files.readString(Path.of("..", ".ci", "run"))).contains("./mvnw -B verify");
    }
}
