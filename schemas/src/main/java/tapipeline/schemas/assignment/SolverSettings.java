package tapipeline.schemas.assignment;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;
import java.util.regex.Pattern;
import tapipeline.schemas.support.Checks;

/**
 * How long and how the solver runs.
 *
 * @param timeLimitSeconds       hard stop (1..86400)
 * @param unimprovedSecondsLimit stop early after this long without a better score; 0 = never
 * @param randomSeed             seed; the same problem and seed give the same assignment
 * @param moveThreadCount        optional; {@code null} lets the solver decide
 * @param constraintWeights      optional overrides, constraint name to a weight such as
 *                               {@code 0hard/0medium/5soft}; empty = documented defaults
 * @param scoreCalculationLimit  optional (since v2): stop after this many score calculations, the same
 *                               work on any machine, so that the same problem, seed and limit give the
 *                               same assignment (a time limit stops at a different point each run);
 *                               the time limits still apply
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SolverSettings(
        int timeLimitSeconds,
        int unimprovedSecondsLimit,
        long randomSeed,
        Integer moveThreadCount,
        Map<String, String> constraintWeights,
        Long scoreCalculationLimit) {

    /** Weight syntax of a HardMediumSoft score, as in {@code $defs/weight} of the schema (each level fits a long). */
    public static final Pattern WEIGHT = Pattern.compile("-?[0-9]{1,18}hard/-?[0-9]{1,18}medium/-?[0-9]{1,18}soft");

    public SolverSettings {
        Checks.range(timeLimitSeconds, 1, 86_400, "SolverSettings.timeLimitSeconds");
        Checks.range(unimprovedSecondsLimit, 0, 86_400, "SolverSettings.unimprovedSecondsLimit");
        if (moveThreadCount != null) {
            Checks.range(moveThreadCount, 1, 256, "SolverSettings.moveThreadCount");
        }
        if (scoreCalculationLimit != null && scoreCalculationLimit < 1) {
            throw new IllegalArgumentException("SolverSettings.scoreCalculationLimit must be at least 1, was "
                    + scoreCalculationLimit);
        }
        constraintWeights = Checks.sortedMap(constraintWeights, "SolverSettings.constraintWeights");
        constraintWeights.forEach((name, weight) -> {
            Checks.text(name, "SolverSettings.constraintWeights key");
            Checks.matches(weight, WEIGHT, "SolverSettings.constraintWeights[" + name + "]");
        });
    }

    /** Settings without a score calculation limit (time limits only). */
    public SolverSettings(int timeLimitSeconds, int unimprovedSecondsLimit, long randomSeed, Integer moveThreadCount,
                          Map<String, String> constraintWeights) {
        this(timeLimitSeconds, unimprovedSecondsLimit, randomSeed, moveThreadCount, constraintWeights, null);
    }

    /** 30 s limit, stop after 10 s without improvement, seed 42, solver-chosen threads, default weights. */
    public static SolverSettings defaults() {
        return new SolverSettings(30, 10, 42L, null, Map.of());
    }

    public SolverSettings withTimeLimitSeconds(int seconds) {
        return new SolverSettings(seconds, unimprovedSecondsLimit, randomSeed, moveThreadCount, constraintWeights,
                scoreCalculationLimit);
    }

    /** The same settings with another move thread count ({@code null}: the solver decides). */
    public SolverSettings withMoveThreadCount(Integer threads) {
        return new SolverSettings(timeLimitSeconds, unimprovedSecondsLimit, randomSeed, threads, constraintWeights,
                scoreCalculationLimit);
    }

    public SolverSettings withRandomSeed(long seed) {
        return new SolverSettings(timeLimitSeconds, unimprovedSecondsLimit, seed, moveThreadCount, constraintWeights,
                scoreCalculationLimit);
    }
}
