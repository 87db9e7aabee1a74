package tapipeline.solver.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tapipeline.schemas.EventCodec;
import tapipeline.schemas.EventTypes;
import tapipeline.schemas.assignment.RunCompleted;

class SolverCliTest {

    @TempDir
    Path dir;

    @Test
    void generateThenSolveWritesAResultThatPassesTheCompletedSchema() throws Exception {
        Path problem = dir.resolve("problem.json");
        Path result = dir.resolve("result.json");

        assertThat(SolverCli.run("generate", "--courses", "12", "--applicants", "35", "--seed", "4", "-o",
                problem.toString())).isZero();
        assertThat(SolverCli.run("solve", problem.toString(), "--seconds", "2", "--seed", "4", "--quiet", "-o",
                result.toString())).isZero();

        JsonNode tree = EventCodec.objectMapper().readTree(Files.readString(result, StandardCharsets.UTF_8));
        assertThat(EventCodec.standard().validatePayload(EventTypes.RUN_COMPLETED,
                EventTypes.RUN_COMPLETED.currentVersion(), tree)).isEmpty();
        RunCompleted completed = EventCodec.objectMapper().treeToValue(tree, RunCompleted.class);
        assertThat(completed.status()).isEqualTo(RunCompleted.Status.SOLVED);
        assertThat(completed.seed()).isEqualTo(4);
    }

    @Test
    void aFileThatIsNotAProblemIsRefusedWithExitCodeOne() throws Exception {
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"runId\": \"x\"}");
        assertThat(SolverCli.run("solve", bad.toString(), "--quiet")).isEqualTo(1);
    }
}
