package tapipeline.publisher.artifacts;

import java.time.Duration;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import tapipeline.platform.kafka.Events;
import tapipeline.platform.kafka.KafkaClients;
import tapipeline.platform.kafka.KeyTail;
import tapipeline.platform.kafka.Topics;
import tapipeline.schemas.EventTypes;
import tapipeline.schemas.RejectedEventException;
import tapipeline.schemas.handbook.HandbookArtifact;

/**
 * Reads one artifact from {@code handbook.artifacts} by its key (the sha256): only the partition the
 * key hashes to, from a little before the time its rendered event was written (the handbook writes
 * both in one transaction), and from the start of the log if it is not there. The latest record of
 * the key wins (the topic is compacted). A record that does not decode — bytes whose sha256 or size
 * do not match its own fields, a broken envelope — is reported as corrupt with the codec's reason.
 */
public final class ArtifactSource {

    /** What a fetch found. */
    public sealed interface Fetched {
        record Found(HandbookArtifact artifact) implements Fetched {
        }

        record Corrupt(String reason) implements Fetched {
        }

        record Missing() implements Fetched {
        }
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    /** How far before the rendered event's timestamp the artifact is looked for first. */
    private static final long LOOK_BACK_MS = 60_000;

    private final KafkaClients clients;

    public ArtifactSource(KafkaClients clients) {
        this.clients = clients;
    }

    /**
     * @param sha256      the key
     * @param writtenNear a timestamp (ms) close to when the artifact was written, or -1 if unknown
     */
    public Fetched fetch(String sha256, long writtenNear) {
        if (writtenNear > 0) {
            Fetched recent;
            try (KeyTail tail = KeyTail.since(clients, sha256, writtenNear - LOOK_BACK_MS, TIMEOUT,
                    Topics.HANDBOOK_ARTIFACTS.name())) {
                recent = readToEnd(tail);
            }
            if (!(recent instanceof Fetched.Missing)) {
                return recent;
            }
        }
        try (KeyTail tail = KeyTail.fromBeginning(clients, sha256, TIMEOUT, Topics.HANDBOOK_ARTIFACTS.name())) {
            return readToEnd(tail);
        }
    }

    private static Fetched readToEnd(KeyTail tail) {
        ConsumerRecord<String, byte[]> last = null;
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            List<ConsumerRecord<String, byte[]>> got = tail.poll(Duration.ofMillis(200));
            for (ConsumerRecord<String, byte[]> r : got) {
                last = r;
            }
            if (got.isEmpty() && tail.caughtUp(TIMEOUT)) {
                break;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("reading handbook.artifacts took longer than " + TIMEOUT);
            }
        }
        if (last == null || last.value() == null) {
            return new Fetched.Missing();
        }
        try {
            return new Fetched.Found(Events.codec().decode(last.value(), EventTypes.HANDBOOK_ARTIFACTS).payload());
        } catch (RejectedEventException e) {
            return new Fetched.Corrupt(e.getMessage());
        }
    }
}
