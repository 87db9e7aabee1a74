package tapipeline.coordinator.audit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.ProducerRecord;

import tapipeline.platform.kafka.Events;
import tapipeline.platform.kafka.ReplayLoop;
import tapipeline.platform.service.ServiceRuntime;
import tapipeline.schemas.Envelope;
import tapipeline.schemas.EventTypes;
import tapipeline.schemas.audit.AuditEntry;

/**
 * Who did what, when and why, on the {@code audit} topic (key: subject), and each subject's history
 * read back from it. Every import, edit, override, pin, approval and content edit calls
 * {@link #record}; the reason a person gave is required and is kept at the head of the entry's
 * detail ({@code "why: <reason>"} on the first line, facts after), since {@link AuditEntry} has one
 * free-text field. The history is the whole topic replayed into memory (every instance sees every
 * entry, including other services').
 */
public final class AuditLog {

    /** The prefix of the reason line in {@link AuditEntry#detail()}. */
    public static final String WHY = "why: ";
    private static final int MAX_PER_SUBJECT = 2_000;

    private final ServiceRuntime runtime;
    private final Clock clock;
    private final Map<String, List<AuditEntry>> bySubject = new ConcurrentHashMap<>();
    private final ReplayLoop<Envelope<AuditEntry>> replay;

    public AuditLog(ServiceRuntime runtime, Clock clock) {
        this.runtime = runtime;
        this.clock = clock;
        this.replay = runtime.startReplayLoop("audit", Events.decoder(EventTypes.AUDIT),
                (event, record) -> add(event.payload()), () -> { }, EventTypes.AUDIT.topic());
    }

    /** The entry for an action, with the reason first in its detail. */
    public AuditEntry entry(String subject, String actor, String action, String reason, String facts) {
        String r = reason == null ? "" : reason.strip();
        String f = facts == null ? "" : facts.strip();
        String detail = (r.isEmpty() ? "" : WHY + r) + (!r.isEmpty() && !f.isEmpty() ? "\n" : "") + f;
        return new AuditEntry(subject, actor, action, detail, clock.instant());
    }

    /** The record of an entry, for a caller that writes it in its own transaction. */
    public static ProducerRecord<String, byte[]> recordOf(AuditEntry entry) {
        return Events.record(EventTypes.AUDIT, entry.subject(), entry);
    }

    /**
     * Writes an entry and waits for the broker to acknowledge it (so an action whose audit cannot be
     * written fails, instead of happening unrecorded).
     */
    public AuditEntry record(String subject, String actor, String action, String reason, String facts) {
        AuditEntry e = entry(subject, actor, action, reason, facts);
        try {
            Events.send(runtime.producer(), EventTypes.AUDIT, subject, e).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing the audit entry", ie);
        } catch (Exception ex) {
            throw new IllegalStateException("the audit entry could not be written: " + ex.getMessage(), ex);
        }
        add(e); // shown at once; the replay of the same record is ignored
        return e;
    }

    /** A subject's history, newest first. */
    public List<AuditEntry> history(String subject) {
        List<AuditEntry> list = bySubject.getOrDefault(subject, List.of());
        synchronized (list) {
            List<AuditEntry> copy = new ArrayList<>(list);
            copy.sort(Comparator.comparing(AuditEntry::at).reversed());
            return copy;
        }
    }

    /** The subjects with history, for the history page's index (at most {@code limit}, most recent first). */
    public List<String> subjects(int limit) {
        return bySubject.entrySet().stream()
                .sorted(Comparator.comparing((Map.Entry<String, List<AuditEntry>> e) -> latest(e.getValue())).reversed())
                .limit(limit).map(Map.Entry::getKey).toList();
    }

    private static Instant latest(List<AuditEntry> list) {
        synchronized (list) {
            return list.isEmpty() ? Instant.EPOCH : list.get(list.size() - 1).at();
        }
    }

    /** The reason part of an entry's detail ("" when none). */
    public static String reasonOf(AuditEntry e) {
        String d = e.detail();
        if (!d.startsWith(WHY)) {
            return "";
        }
        int nl = d.indexOf('\n');
        return nl < 0 ? d.substring(WHY.length()) : d.substring(WHY.length(), nl);
    }

    /** The facts part of an entry's detail (everything but the reason line). */
    public static String factsOf(AuditEntry e) {
        String d = e.detail();
        if (!d.startsWith(WHY)) {
            return d;
        }
        int nl = d.indexOf('\n');
        return nl < 0 ? "" : d.substring(nl + 1);
    }

    /** Waits until the history holds everything written before this instance started. */
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        return replay.awaitCaughtUp(timeout);
    }

    /** Notes an entry this instance wrote in a transaction of its own, once it is committed. */
    public void added(AuditEntry e) {
        add(e);
    }

    private void add(AuditEntry e) {
        List<AuditEntry> list = bySubject.computeIfAbsent(e.subject(), k -> new ArrayList<>());
        synchronized (list) {
            if (list.contains(e)) {
                return; // the same entry read twice
            }
            list.add(e);
            if (list.size() > MAX_PER_SUBJECT) {
                list.remove(0);
            }
        }
    }
}
