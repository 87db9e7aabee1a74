package tapipeline.monitor;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import tapipeline.schemas.audit.AuditEntry;

/**
 * What operators did to dead letters, rebuilt from the {@code audit} topic (a ReplayLoop reads it
 * from the beginning), so a restarted monitor or a second instance agrees: each redrive or
 * resolution is an audit record whose subject is the dead letter's position
 * {@code <dlq topic>/<partition>/<offset>} and whose action is {@value #REDRIVE} or {@value #RESOLVE}.
 */
final class DeadLetterState {

    static final String REDRIVE = "dlq.redrive";
    static final String RESOLVE = "dlq.resolve";

    /** The latest thing done to one dead letter. */
    record Mark(String action, String actor, Instant at, String detail) {
        String label() {
            return REDRIVE.equals(action) ? "redriven" : "resolved";
        }
    }

    private final Map<String, Mark> marks = new ConcurrentHashMap<>();

    static String position(String dlqTopic, int partition, long offset) {
        return dlqTopic + "/" + partition + "/" + offset;
    }

    /** Takes an audit entry into account (others are ignored). Idempotent. */
    void apply(AuditEntry e) {
        if (REDRIVE.equals(e.action()) || RESOLVE.equals(e.action())) {
            marks.merge(e.subject(), new Mark(e.action(), e.actor(), e.at(), e.detail()),
                    (old, neu) -> REDRIVE.equals(old.action()) ? old : neu); // a redrive is never undone
        }
    }

    Optional<Mark> mark(String position) {
        return Optional.ofNullable(marks.get(position));
    }

    int size() {
        return marks.size();
    }
}
