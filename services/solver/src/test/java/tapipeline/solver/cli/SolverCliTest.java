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
    void theSameFileSeedAndScoreCalculationLimitGiveTheSameAssignment() throws Exception {
        Path problem = dir.resolve("problem.json");
        assertThat(SolverCli.run("generate", "--courses", "20", "--applicants", "60", "--seed", "6", "-o",
                problem.toString())).isZero();
        Path first = dir.resolve("first.json");
        Path second = dir.resolve("second.json");
        Path lessWork = dir.resolve("less-work.json");

        for (Path out : new Path[] {first, second}) {
            assertThat(SolverCli.run("solve", problem.toString(), "--seed", "3", "--score-calculations", "20000",
                    "--quiet", "-o", out.toString())).isZero();
        }
        assertThat(SolverCli.run("solve", problem.toString(), "--seed", "3", "--score-calculations", "4000",
                "--quiet", "-o", lessWork.toString())).isZero();

        JsonNode a = EventCodec.objectMapper().readTree(first.toFile());
        JsonNode b = EventCodec.objectMapper().readTree(second.toFile());
        assertThat(b.get("assignments")).isEqualTo(a.get("assignments"));
        assertThat(b.get("unassigned")).isEqualTo(a.get("unassigned"));
        assertThat(b.get("score")).isEqualTo(a.get("score"));
        // the limit, not the clock, ended the runs: a fifth of the work ends elsewhere
        JsonNode c = EventCodec.objectMapper().readTree(lessWork.toFile());
        assertThat(c.get("score")).isNotEqualTo(a.get("score"));
    }

    @Test
    void aVersionOneProblemFileIsStillRead() throws Exception {
        Path problem = dir.resolve("v1.json");
        assertThat(SolverCli.run("generate", "--courses", "6", "--applicants", "18", "--seed", "2", "-o",
                problem.toString())).isZero();
        JsonNode tree = EventCodec.objectMapper().readTree(problem.toFile());
        assertThat(tree.get("settings").has("scoreCalculationLimit")).isFalse();
        assertThat(EventCodec.standard().validatePayload(EventTypes.RUN_REQUESTED, 1, tree)).isEmpty();

        assertThat(SolverCli.run("solve", problem.toString(), "--seconds", "1", "--quiet", "-o",
                dir.resolve("r.json").toString())).isZero();
    }

    @Test
    void aFileThatIsNotAProblemIsRefusedWithExitCodeOne() throws Exception {
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"runId\": \"x\"}");
        assertThat(SolverCli.run("solve", bad.toString(), "--quiet")).isEqualTo(1);
    }
}
