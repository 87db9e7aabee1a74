package tapipeline.coordinator.imports;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import tapipeline.coordinator.audit.AuditLog;
import tapipeline.coordinator.datasets.DatasetStore;
import tapipeline.schemas.coordinator.Dataset;

/**
 * Checks uploads ({@link Importer}), keeps each checked import for a while so that the coordinator can
 * look at its preview and apply it, and applies it: all or nothing, as the term's next version, with an
 * audit entry naming who, why and what changed. A preview is kept in this instance's memory only (it is
 * not yet data: losing it loses nothing accepted; the coordinator uploads again); the apply is made
 * against the version the preview was made from, so an apply after someone else changed the term is
 * refused ({@link DatasetStore.VersionConflictException}) instead of overwriting their change.
 */
public final class Imports {

    /** A checked import waiting to be applied. */
    public record Pending(String id, String actor, Instant at, Importer.Result result) {
    }

    /** The import cannot be applied: it has errors, or it is unknown or expired. */
    public static final class NotApplicableException extends RuntimeException {
        public NotApplicableException(String message) {
            super(message);
        }
    }

    private static final Duration KEEP = Duration.ofMinutes(30);
    /** Checked imports kept at once (the oldest goes first): a university-size one holds ~15 MB of heap. */
    private static final int MAX_PENDING = 10;

    private final Importer importer;
    private final DatasetStore store;
    private final AuditLog audit;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Pending> pending = new LinkedHashMap<>();

    public Imports(Importer importer, DatasetStore store, AuditLog audit, Clock clock) {
        this.importer = importer;
        this.store = store;
        this.audit = audit;
        this.clock = clock;
    }

    /** Checks the files against the term's current dataset and keeps the result for {@link #apply}. */
    public Pending check(String term, List<Importer.Upload> uploads, String actor) {
        Dataset current = store.current(term).orElse(null);
        Importer.Result result = importer.check(term, current, uploads);
        byte[] id = new byte[12];
        random.nextBytes(id);
        Pending p = new Pending(HexFormat.of().formatHex(id), actor, clock.instant(), result);
        synchronized (pending) {
            expire();
            pending.put(p.id(), p);
            while (pending.size() > MAX_PENDING) {
                pending.remove(pending.keySet().iterator().next());
            }
        }
        return p;
    }

    public Optional<Pending> get(String term, String id) {
        synchronized (pending) {
            expire();
            Pending p = pending.get(id);
            return p != null && p.result().term().equals(term) ? Optional.of(p) : Optional.empty();
        }
    }

    /** Applies a checked import: refused when it has errors, is unknown or expired, or the term moved on. */
    public Dataset apply(String term, String id, String actor, String reason) {
        Pending p = get(term, id).orElseThrow(() -> new NotApplicableException(
                "import " + id + " of " + term + " is unknown or expired (kept " + KEEP.toMinutes() + " minutes): upload the files again"));
        Importer.Result r = p.result();
        if (r.hasErrors()) {
            throw new NotApplicableException("import " + id + " has " + r.errors().size()
                    + " errors: nothing is applied until every one is fixed");
        }
        String facts = "import of " + String.join(", ", r.files()) + " as version " + (r.baseVersion() + 1) + ": "
                + summary(r) + (r.warnings().isEmpty() ? "" : "; " + r.warnings().size() + " warnings");
        Dataset written = store.publish(r.draft().toDataset(r.baseVersion() + 1), r.baseVersion(),
                audit.entry(term, actor, "import", reason, facts));
        synchronized (pending) {
            pending.remove(id);
        }
        return written;
    }

    /** "12 courses added, 3 changed, 1 removed; ..." */
    public static String summary(Importer.Result r) {
        StringBuilder sb = new StringBuilder();
        for (var s : r.diff().sections()) {
            if (s.isEmpty()) {
                continue;
            }
            if (sb.length() > 0) {
                sb.append("; ");
            }
            sb.append(s.kind()).append(' ').append(s.added().size()).append(" added, ").append(s.changed().size())
                    .append(" changed, ").append(s.removed().size()).append(" removed");
        }
        return sb.length() == 0 ? "no change" : sb.toString();
    }

    private void expire() {
        Instant cutoff = clock.instant().minus(KEEP);
        pending.values().removeIf(p -> p.at().isBefore(cutoff));
    }
}
