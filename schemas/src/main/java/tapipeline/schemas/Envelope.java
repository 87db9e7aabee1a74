package tapipeline.schemas;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import tapipeline.schemas.support.Checks;

/**
 * The wrapper every event travels in.
 *
 * <p>JSON: {@code {"eventId", "type", "version", "occurredAt", "correlationId", "payload"}}, see
 * {@code schemas/envelope.schema.json}. After {@link EventCodec#decode decoding}, {@code version} is
 * the version of the payload record, i.e. the type's current version even when an older event was
 * upcast.
 *
 * @param eventId       unique per event; consumers use it to drop redeliveries
 * @param type          the {@link EventType#name() type name}
 * @param version       payload schema version, >= 1
 * @param occurredAt    when the producer created the event
 * @param correlationId ties related events together: runId for {@code assignment.run.*}, term for
 *                      {@code assignment.approved} and datasets, program id for {@code handbook.*}, ...
 * @param payload       the payload record
 * @param <T>           payload type
 */
public record Envelope<T>(
        UUID eventId,
        String type,
        int version,
        Instant occurredAt,
        String correlationId,
        T payload) {

    /** Longest correlation id the envelope schema accepts. */
    public static final int MAX_CORRELATION_ID = 200;

    public Envelope {
        Checks.nonNull(eventId, "Envelope.eventId");
        Checks.text(type, "Envelope.type");
        Checks.atLeast(version, 1, "Envelope.version");
        Checks.nonNull(occurredAt, "Envelope.occurredAt");
        Checks.text(correlationId, "Envelope.correlationId");
        if (correlationId.length() > MAX_CORRELATION_ID) {
            throw new IllegalArgumentException("Envelope.correlationId must be at most " + MAX_CORRELATION_ID
                    + " characters (was " + correlationId.length() + ")");
        }
        int control = controlCharacterAt(correlationId);
        if (control >= 0) {
            throw new IllegalArgumentException(String.format(
                    "Envelope.correlationId must not contain control characters or line breaks (U+%04X at index %d)",
                    (int) correlationId.charAt(control), control));
        }
        Checks.nonNull(payload, "Envelope.payload");
    }

    /**
     * Index of the first character the envelope schema refuses in a correlation id (C0 and C1 control
     * characters, DEL, and the Unicode line and paragraph separators), or -1. Correlation ids are
     * written to log lines, where such a character could start a forged line.
     */
    public static int controlCharacterAt(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029) {
                return i;
            }
        }
        return -1;
    }

    /** A new event of the type's current version with a random id, occurring now (millisecond precision). */
    public static <T> Envelope<T> of(EventType<T> type, String correlationId, T payload) {
        return new Envelope<>(UUID.randomUUID(), type.name(), type.currentVersion(),
                Instant.now().truncatedTo(ChronoUnit.MILLIS), correlationId, payload);
    }

    /** Like {@link #of(EventType, String, Object)} with the payload's Kafka key as correlation id. */
    public static <T> Envelope<T> of(EventType<T> type, T payload) {
        return of(type, type.keyOf(payload), payload);
    }

    /** The same event with another payload of the same type (e.g. after an edit in a test). */
    public Envelope<T> withPayload(T newPayload) {
        return new Envelope<>(eventId, type, version, occurredAt, correlationId, newPayload);
    }
}
