package tapipeline.schemas.audit;

import java.time.Instant;
import java.util.regex.Pattern;
import tapipeline.schemas.support.Checks;

/**
 * Who did what, when (payload of {@code audit}, keyed by subject).
 *
 * @param subject what was acted on, e.g. a runId, term, program id or topic
 * @param actor   username, or a service name for automatic actions
 * @param action  lower-case verb such as {@code import}, {@code run}, {@code override},
 *                {@code approve}, {@code rollback}, {@code replay}
 * @param detail  free text (may be empty); never secrets
 */
public record AuditEntry(String subject, String actor, String action, String detail, Instant at) {

    public static final Pattern ACTION = Pattern.compile("[a-z][a-z0-9_.-]{0,63}");

    public AuditEntry {
        Checks.text(subject, "AuditEntry.subject");
        Checks.text(actor, "AuditEntry.actor");
        Checks.matches(action, ACTION, "AuditEntry.action");
        Checks.anyText(detail, "AuditEntry.detail");
        Checks.nonNull(at, "AuditEntry.at");
    }
}
