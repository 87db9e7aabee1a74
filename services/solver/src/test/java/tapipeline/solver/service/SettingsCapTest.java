package tapipeline.solver.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import tapipeline.schemas.assignment.SolverSettings;

/** SOLVER_MAX_SECONDS and SOLVER_MAX_MOVE_THREADS cap what a request asks for. */
class SettingsCapTest {

    private static SolverSettings asking(int seconds, Integer threads) {
        return new SolverSettings(seconds, 0, 1L, threads, Map.of());
    }

    @Test
    void moveThreadsOverTheCapAreCappedAndTheRestIsKept() {
        SolverSettings capped = SolverService.capped("r1", asking(60, 256), 1800, 4);
        assertThat(capped.moveThreadCount()).isEqualTo(4);
        assertThat(capped.timeLimitSeconds()).isEqualTo(60);
        assertThat(capped.randomSeed()).isEqualTo(1L);
    }

    @Test
    void atTheCapOrUnsetNothingChanges() {
        SolverSettings atCap = asking(1800, 4);
        assertThat(SolverService.capped("r1", atCap, 1800, 4)).isSameAs(atCap);
        SolverSettings unset = asking(30, null);
        assertThat(SolverService.capped("r1", unset, 1800, 4)).isSameAs(unset);
    }

    @Test
    void bothCapsApplyTogether() {
        SolverSettings capped = SolverService.capped("r1", asking(86_400, 9), 600, 2);
        assertThat(capped.timeLimitSeconds()).isEqualTo(600);
        assertThat(capped.moveThreadCount()).isEqualTo(2);
    }

    @Test
    void zeroMeansTheNumberOfCores() {
        assertThat(SolverService.maxMoveThreads(0)).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(SolverService.maxMoveThreads(3)).isEqualTo(3);
        assertThat(SolverService.MAX_MOVE_THREADS.defaultValue()).isEqualTo("0");
    }
}
