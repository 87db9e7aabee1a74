package tapipeline.coordinator.scenarios;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

import tapipeline.coordinator.audit.AuditLog;
import tapipeline.coordinator.datasets.DatasetStore;
import tapipeline.coordinator.datasets.LockedWriter;
import tapipeline.platform.kafka.Events;
import tapipeline.platform.kafka.RecordDecoder;
import tapipeline.platform.kafka.ReplayLoop;
import tapipeline.platform.service.ServiceRuntime;
import tapipeline.platform.web.Refused;
import tapipeline.schemas.Envelope;
import tapipeline.schemas.EventTypes;
import tapipeline.schemas.audit.AuditEntry;
import tapipeline.schemas.coordinator.Dataset;
import tapipeline.schemas.coordinator.Scenario;

/**
 * The what-if scenarios of {@code coordinator.scenarios} (compacted, key scenarioId; a tombstone deletes
 * one), replayed on start, and the only way to change them: create (a named copy of the term's current
 * dataset), edit ({@link ScenarioEdits}, the scenario's dataset version + 1) and delete.
 *
 * <p><b>Writes.</b> Like the term datasets ({@link DatasetStore}), each write is a compare-and-set made
 * safe across coordinator instances by a {@link LockedWriter} with a transactional id all instances share
 * for scenarios ({@value #WRITER_ID}): the scenario and its audit entry commit in one transaction, an
 * edit made against a version that moved on is refused (409), and a create checks the name against every
 * partition's scenarios (names are unique per term, across keys) after fencing any other writer. Its own
 * id, not the datasets': a scenario write never waits for, or blocks, a write of the term's data. The
 * term's dataset is only ever read here.
 */
public final class ScenarioStore {

    /** The transactional id every coordinator instance uses for scenario writes: a cluster-wide write lock. */
    public static final String WRITER_ID = "coordinator-scenarios-writer";
    /** Longest scenario name (the schema's limit). */
    public static final int MAX_NAME = 200;
    /** Longest description kept. */
    public static final int MAX_DESCRIPTION = 2_000;

    private final DatasetStore datasets;
    private final AuditLog audit;
    private final Clock clock;
    private final Map<String, Scenario> byId = new ConcurrentHashMap<>();
    private final ReplayLoop<Optional<Scenario>> replay;
    private final LockedWriter writer;

    public ScenarioStore(ServiceRuntime runtime, DatasetStore datasets, AuditLog audit, Clock clock) {
        this.datasets = datasets;
        this.audit = audit;
        this.clock = clock;
        this.replay = runtime.startReplayLoop("scenarios", new TombstoneDecoder(),
                (value, record) -> apply(record.key(), value.orElse(null)), () -> { },
                EventTypes.COORDINATOR_SCENARIOS.topic());
        this.writer = new LockedWriter(runtime, WRITER_ID, EventTypes.COORDINATOR_SCENARIOS.topic(), replay);
    }

    private void apply(String key, Scenario s) {
        if (s == null) {
            if (key != null) {
                byId.remove(key);
            }
        } else {
            byId.put(s.scenarioId(), s);
        }
    }

    public boolean awaitReady(Duration timeout) throws InterruptedException {
        return replay.awaitCaughtUp(timeout);
    }

    public Optional<Scenario> get(String scenarioId) {
        return scenarioId == null ? Optional.empty() : Optional.ofNullable(byId.get(scenarioId));
    }

    public Scenario require(String scenarioId) {
        return get(scenarioId).orElseThrow(() -> new Refused(404, "no scenario " + scenarioId));
    }

    /** A term's scenarios ({@code term} null: every term's), newest first. */
    public List<Scenario> list(String term) {
        List<Scenario> out = new ArrayList<>();
        for (Scenario s : byId.values()) {
            if (term == null || term.equals(s.term())) {
                out.add(s);
            }
        }
        out.sort(Comparator.comparing(Scenario::createdAt).reversed().thenComparing(Scenario::scenarioId));
        return out;
    }

    /** The audit subject of a scenario (its history: creation, each edit, deletion). */
    public static String subject(String scenarioId) {
        return "scenario:" + scenarioId;
    }

    /**
     * Creates a scenario: a copy of the term's current dataset (its version 1), named uniquely in the term.
     *
     * @throws Refused 400 for a bad name, 404 for a term without data, 409 for a name the term already has
     */
    public Scenario create(String term, String name, String description, String actor, String reason) {
        if (term == null || term.isBlank()) {
            throw new Refused(400, "term is required");
        }
        String n = name == null ? "" : name.strip();
        if (n.isEmpty()) {
            throw new Refused(400, "name is required: say what the scenario tries, e.g. \"one TA fewer in 18-661\"");
        }
        if (n.length() > MAX_NAME) {
            throw new Refused(400, "name must be at most " + MAX_NAME + " characters, was " + n.length());
        }
        String desc = description == null ? "" : description.strip();
        if (desc.length() > MAX_DESCRIPTION) {
            throw new Refused(400, "description must be at most " + MAX_DESCRIPTION + " characters, was " + desc.length());
        }
        Dataset base = datasets.current(term).orElseThrow(() -> new Refused(404, "term " + term
                + " has no dataset to copy: import one first"));
        String id = newId(term, n);
        Dataset copy = new Dataset(term, 1, base.courses(), base.applicants(), base.preferences(),
                base.instructorPreferences(), base.pins(), base.contacts(), base.courseDetails());
        Scenario scenario = new Scenario(id, term, n, desc, actor, clock.instant(), base.version(), copy);
        AuditEntry entry = audit.entry(subject(id), actor, "scenario.create", reason, "scenario \"" + n + "\" of term "
                + term + ", copied from its dataset version " + base.version());
        Scenario written = writer.write(id, true, retry -> {
            Scenario mine = byId.get(id);
            if (retry && scenario.equals(mine)) {
                return new LockedWriter.Plan<>(mine, List.of()); // an earlier attempt committed after all
            }
            for (Scenario other : byId.values()) {
                if (other.term().equals(term) && other.name().strip().equalsIgnoreCase(n)) {
                    throw new Refused(409, "name: term " + term + " already has a scenario named \"" + other.name()
                            + "\" (" + other.scenarioId() + "); choose another name or open that one");
                }
            }
            return new LockedWriter.Plan<>(scenario, records(id, scenario, entry));
        });
        audit.added(entry);
        return written;
    }

    /**
     * Edits a scenario's data: its dataset as version {@code expectedVersion + 1}, with its audit entry.
     *
     * @throws Refused 409 when the scenario moved on from {@code expectedVersion} (nothing written)
     */
    public Scenario edit(String scenarioId, long expectedVersion, ScenarioEdits.Edit edit, String actor, String reason) {
        Scenario before = require(scenarioId);
        checkVersion(before, expectedVersion);
        ScenarioEdits.Result result = ScenarioEdits.apply(before.dataset(), edit);
        Scenario next = new Scenario(before.scenarioId(), before.term(), before.name(), before.description(),
                before.createdBy(), before.createdAt(), before.baseVersion(), result.dataset());
        AuditEntry entry = audit.entry(subject(scenarioId), actor, "scenario.edit", reason,
                result.facts() + " (scenario data version " + result.dataset().version() + ")");
        Scenario written = writer.write(scenarioId, retry -> {
            Scenario current = byId.get(scenarioId);
            if (retry && next.equals(current)) {
                return new LockedWriter.Plan<>(current, List.of());
            }
            if (current == null) {
                throw new Refused(404, "no scenario " + scenarioId + " (deleted meanwhile)");
            }
            checkVersion(current, expectedVersion);
            return new LockedWriter.Plan<>(next, records(scenarioId, next, entry));
        });
        audit.added(entry);
        return written;
    }

    /** Deletes a scenario (a tombstone); its runs stay on the board and in the run topics. */
    public void delete(String scenarioId, String actor, String reason) {
        Scenario s = require(scenarioId);
        AuditEntry entry = audit.entry(subject(scenarioId), actor, "scenario.delete", reason,
                "deleted scenario \"" + s.name() + "\" of term " + s.term());
        writer.write(scenarioId, retry -> {
            if (!byId.containsKey(scenarioId)) {
                if (retry) {
                    return new LockedWriter.Plan<>(null, List.of());
                }
                throw new Refused(404, "no scenario " + scenarioId + " (deleted meanwhile)");
            }
            List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
            records.add(new ProducerRecord<>(EventTypes.COORDINATOR_SCENARIOS.topic(), scenarioId, null));
            records.add(AuditLog.recordOf(entry));
            return new LockedWriter.Plan<>(null, records);
        });
        audit.added(entry);
    }

    private static void checkVersion(Scenario s, long expectedVersion) {
        if (s.dataset().version() != expectedVersion) {
            throw new Refused(409, "expectedVersion: scenario " + s.scenarioId() + " is at version " + s.dataset().version()
                    + ", not " + expectedVersion + ": it changed meanwhile; look at it again and redo the edit");
        }
    }

    private static List<ProducerRecord<String, byte[]>> records(String id, Scenario s, AuditEntry entry) {
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        records.add(Events.record(EventTypes.COORDINATOR_SCENARIOS, id, s));
        records.add(AuditLog.recordOf(entry));
        return records;
    }

    /**
     * A new scenario id: a slug of the term and of the name (ASCII letters, digits and dashes) and 6 random
     * hex digits, so two scenarios never share an id (even of the same name after a delete).
     */
    static String newId(String term, String name) {
        String t = slug(term, 40);
        String n = slug(name, 60);
        String tail = Integer.toHexString(0x1000000 + ThreadLocalRandom.current().nextInt(0x1000000)).substring(1);
        return (t.isEmpty() ? "term" : t) + "-" + (n.isEmpty() ? "scenario" : n) + "-" + tail;
    }

    static String slug(String text, int max) {
        String s = java.text.Normalizer.normalize(text, java.text.Normalizer.Form.NFKD).replaceAll("\\p{M}", "")
                .toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (s.length() > max) {
            s = s.substring(0, max).replaceAll("-+$", "");
        }
        return s;
    }

    /** Decodes scenario events; a tombstone (null value) is an empty value: a deletion. */
    private static final class TombstoneDecoder implements RecordDecoder<Optional<Scenario>> {
        private final RecordDecoder<Envelope<Scenario>> inner = Events.decoder(EventTypes.COORDINATOR_SCENARIOS);

        @Override
        public Optional<Scenario> decode(ConsumerRecord<String, byte[]> record) {
            return record.value() == null ? Optional.empty() : Optional.of(inner.decode(record).payload());
        }

        @Override
        public String correlationId(Optional<Scenario> value, ConsumerRecord<String, byte[]> record) {
            return record.key();
        }
    }
}
