package tapipeline.platform.http;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import tapipeline.platform.kafka.KafkaLoop;

/**
 * Readiness of one service as named checks, each UP, DEGRADED or DOWN with a reason. Liveness is the
 * process answering at all; readiness is every check being UP or DEGRADED. DEGRADED is for a problem
 * an operator must see that does not stop the service doing its job (the publisher refused a corrupt
 * edition and keeps serving the previous one): taking the instance out of a load balancer's rotation
 * would make things worse, so it stays ready. Reasons are plain sentences for an operator (what is
 * wrong, where to look), never exception text, which may hold internal details.
 */
public final class Health {

    /** The state of one check; {@code degraded} only ever with {@code up}. */
    public record Check(boolean up, String detail, boolean degraded) {
        public Check {
            if (degraded && !up) {
                throw new IllegalArgumentException("a check that is down is not also degraded");
            }
        }

        public Check(boolean up, String detail) {
            this(up, detail, false);
        }

        public static Check up(String detail) {
            return new Check(true, detail);
        }

        /** Ready, but with a problem an operator should look at. */
        public static Check degraded(String reason) {
            return new Check(true, reason, true);
        }

        public static Check down(String reason) {
            return new Check(false, reason);
        }

        /** UP, DEGRADED or DOWN. */
        public String status() {
            return !up ? "DOWN" : degraded ? "DEGRADED" : "UP";
        }
    }

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Health.class);

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

    /**
     * Every check's current state, in name order. A check that throws is DOWN with a plain reason;
     * the exception goes to the log, never to the response.
     */
    public Map<String, Check> evaluate() {
        Map<String, Check> out = new LinkedHashMap<>();
        checks.keySet().stream().sorted().forEach(name -> {
            Check c;
            try {
                c = checks.get(name).get();
            } catch (RuntimeException e) {
                log.warn("health check {} failed", name, e);
                c = Check.down("the check itself failed; see the log");
            }
            out.put(name, c);
        });
        return out;
    }

    public boolean ready() {
        return evaluate().values().stream().allMatch(Check::up);
    }

    /** The service's status from its checks' states: DOWN if any is down, else DEGRADED if any is, else UP. */
    public static String status(Map<String, Check> checks) {
        if (!checks.values().stream().allMatch(Check::up)) {
            return "DOWN";
        }
        return checks.values().stream().anyMatch(Check::degraded) ? "DEGRADED" : "UP";
    }
}
