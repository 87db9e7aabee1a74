package tapipeline.schemas;

import java.util.List;

/**
 * An event that cannot be accepted. Consumers send it to the dead-letter topic with
 * {@link #reason()} and {@link #getMessage()} in the headers; retrying does not help.
 *
 * <p>The message names where the problem is, e.g.
 * {@code payload.courses[3].slots: must have a minimum value of 1}.
 */
public final class RejectedEventException extends RuntimeException {

    /** Why an event was rejected. */
    public enum Reason {
        /** Not JSON, or not a JSON object. */
        MALFORMED_JSON,
        /** The envelope's {@code type} is not a known event type. */
        UNKNOWN_TYPE,
        /** A known type, but not the one this consumer expects (wrong topic). */
        WRONG_TYPE,
        /** The envelope or the payload breaks its schema (or the record's own checks). */
        SCHEMA_INVALID,
        /** The version is newer than this consumer knows, or no upcaster leads from it to the current one. */
        UNKNOWN_VERSION
    }

    private final Reason reason;
    private final String eventType;
    private final List<String> details;

    public RejectedEventException(Reason reason, String eventType, String message, List<String> details) {
        super(reason + ": " + message);
        this.reason = reason;
        this.eventType = eventType;
        this.details = details == null ? List.of() : List.copyOf(details);
    }

    public RejectedEventException(Reason reason, String eventType, String message) {
        this(reason, eventType, message, List.of(message));
    }

    public RejectedEventException(Reason reason, String eventType, String message, Throwable cause) {
        this(reason, eventType, message);
        initCause(cause);
    }

    public Reason reason() {
        return reason;
    }

    /** The envelope's type string when it could be read, otherwise {@code null}. */
    public String eventType() {
        return eventType;
    }

    /** Every problem found, one per line-sized string, each starting with its location. */
    public List<String> details() {
        return details;
    }
}
