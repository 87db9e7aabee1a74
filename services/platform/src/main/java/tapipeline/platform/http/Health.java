package tapipeline.platform.http;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import tapipeline.platform.kafka.KafkaLoop;

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

    /** A loop is ready while it runs (and, for a replay loop, once it has caught up). */
    public Health register(KafkaLoop<?> loop) {
        return register("loop:" + loop.name(), () -> {
            KafkaLoop.Readiness r = loop.readiness();
            return new Check(r.ready(), r.detail());
        });
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
