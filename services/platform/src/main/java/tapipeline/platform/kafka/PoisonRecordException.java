package tapipeline.platform.kafka;

/**
 * A record that can never be processed, however often it is retried (malformed JSON, a schema
 * violation, an unknown future version, an unknown course...). It goes straight to the
 * dead-letter topic with {@link #reason()} in its headers.
 */
public class PoisonRecordException extends RuntimeException {

    private final String reason;

    public PoisonRecordException(String reason, String message) {
        this(reason, message, null);
    }

    public PoisonRecordException(String reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    /** A short machine-readable code, e.g. SCHEMA_INVALID. */
    public String reason() {
        return reason;
    }
}
