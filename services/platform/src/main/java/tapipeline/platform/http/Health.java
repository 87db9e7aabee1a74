package tapipeline.platform.http;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import tapipeline.platform.kafka.ConsumerLoop;
import tapipeline.platform.kafka.LoopState;
import tapipeline.platform.kafka.TransactionalLoop;

/**
 * Readiness of one service as named checks, each UP or DOWN with a reason. Liveness is the process
 * answering at all; readiness is every check being UP.
 */
public final class Health {

    /** The state of one check. */
    public record Check(boolean up, String detail) {
        public static Check up(String detail) {
            return new Check(true, detail);
        }

        public static Check down(String reason) {
            return new Check(false, reason);
        }
    }

    private final Map<String, Supplier<Check>> checks = new ConcurrentHashMap<>();

    public Health register(String name, Supplier<Check> check) {
        checks.put(name, check);
        return this;
    }

    public Health register(ConsumerLoop<?> loop) {
        return register("loop:" + loop.name(), () -> loopCheck(loop.state(), loop.failure()));
    }

    public Health register(TransactionalLoop<?> loop) {
        return register("loop:" + loop.name(), () -> loopCheck(loop.state(), loop.failure()));
    }

    public Health register(tapipeline.platform.kafka.ReplayLoop<?> loop) {
        return register("replay:" + loop.name(), () -> !loop.caughtUp() && loop.state() == LoopState.RUNNING
                ? Check.down("replaying state from the log") : loopCheck(loop.state(), loop.failure()));
    }

    private static Check loopCheck(LoopState state, String failure) {
        return switch (state) {
            case RUNNING -> Check.up("consuming");
            case NEW -> Check.down("not started yet");
            case STOPPED -> Check.down("stopped");
            case FAILED -> Check.down("failed: " + failure);
        };
    }

    /** Every check's current state, in name order. A check that throws is DOWN with its error. */
    public Map<String, Check> evaluate() {
        Map<String, Check> out = new LinkedHashMap<>();
        checks.keySet().stream().sorted().forEach(name -> {
            Check c;
            try {
                c = checks.get(name).get();
            } catch (RuntimeException e) {
                c = Check.down(e.toString());
            }
            out.put(name, c);
        });
        return out;
    }

    public boolean ready() {
        return evaluate().values().stream().allMatch(Check::up);
    }
}
