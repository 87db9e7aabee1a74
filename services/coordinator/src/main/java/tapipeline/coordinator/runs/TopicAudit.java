package tapipeline.coordinator.runs;

import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Producer;
import tapipeline.platform.kafka.Events;
import tapipeline.schemas.EventTypes;
import tapipeline.schemas.audit.AuditEntry;

/** {@link AuditTrail} writing {@link AuditEntry} records keyed by subject; stands in for the data half's AuditLog until the merge. */
final class TopicAudit implements AuditTrail {

    private final Producer<String, byte[]> producer;
    private final Clock clock;

    TopicAudit(Producer<String, byte[]> producer, Clock clock) {
        this.producer = producer;
        this.clock = clock;
    }

    @Override
    public void record(String subject, String actor, String action, String reason, String facts) {
        String r = reason == null ? "" : reason.strip();
        String detail = (r.isEmpty() ? "" : "why: " + r + "\n") + (facts == null ? "" : facts.strip());
        AuditEntry entry = new AuditEntry(subject, actor, action, detail.strip(), clock.instant());
        try {
            Events.send(producer, EventTypes.AUDIT, subject, entry).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not write the audit entry for " + subject + ": " + e.getMessage(), e);
        }
    }
}
