package tapipeline.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The image's and the launcher's JVM options: a JVM out of heap exits instead of limping on. */
class DockerfileTest {

    @Test
    void theImageExitsOnOutOfMemoryAndSizesItsHeapFromTheContainer() throws Exception {
        List<String> entrypoint = entrypoint(Files.readAllLines(Path.of("..", "Dockerfile")));
        assertThat(entrypoint.get(0)).isEqualTo("java");
        assertThat(entrypoint).contains("-XX:+ExitOnOutOfMemoryError");
        assertThat(entrypoint).filteredOn(o -> o.startsWith("-XX:MaxRAMPercentage=")).singleElement()
                .satisfies(o -> assertThat(Double.parseDouble(o.substring(o.indexOf('=') + 1))).isBetween(50.0, 85.0));
        assertThat(entrypoint).noneMatch(o -> o.startsWith("-Xmx"));
    }

    @Test
    void theLauncherScriptExitsOnOutOfMemoryToo() throws Exception {
        assertThat(Files.readAllLines(Path.of("..", "run"))).filteredOn(l -> l.startsWith("exec java"))
                .singleElement().asString().contains("-XX:+ExitOnOutOfMemoryError");
    }

    /** The exec-form ENTRYPOINT of the image's last stage. */
    @SuppressWarnings("unchecked")
    static List<String> entrypoint(List<String> dockerfile) throws Exception {
        List<String> found = dockerfile.stream().filter(l -> l.startsWith("ENTRYPOINT ")).toList();
        assertThat(found).as("one ENTRYPOINT").hasSize(1);
        return new ObjectMapper().readValue(found.get(0).substring("ENTRYPOINT ".length()), List.class);
    }
}
