package tapipeline.platform.kafka;

import java.time.Duration;

import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.RecordTooLargeException;

/**
 * How a consumer loop treats a failure of its handler on one record: skip it to the dead letters
 * at once (poison), retry it with exponential backoff up to {@code maxAttempts} and then dead-letter
 * it, or stop the loop (fatal).
 */
public record ErrorPolicy(int maxAttempts, Duration firstBackoff, Duration maxBackoff) {

    public enum Kind { POISON, RETRY, FATAL }

    public ErrorPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
    }

    public static ErrorPolicy defaults() {
        return new ErrorPolicy(4, Duration.ofMillis(200), Duration.ofSeconds(5));
    }

    public Kind classify(Throwable t) {
        if (t instanceof PoisonRecordException) {
            return Kind.POISON;
        }
        if (t instanceof FatalProcessingException || t instanceof AuthenticationException
                || t instanceof AuthorizationException || t instanceof VirtualMachineError) {
            return Kind.FATAL;
        }
        if (tooLargeOutput(t)) {
            // the same input makes the same oversized output again: retrying only repeats the work
            return Kind.POISON;
        }
        // anything else may be transient (a broker hiccup, a timeout) or a bug with this record:
        // retry a bounded number of times, then dead-letter so the partition moves on
        return Kind.RETRY;
    }

    /** A send the record limits refused, also when it reaches the handler wrapped (a future's ExecutionException). */
    private static boolean tooLargeOutput(Throwable t) {
        for (int depth = 0; t != null && depth < 5; depth++, t = t.getCause()) {
            if (t instanceof RecordTooLargeException) {
                return true;
            }
        }
        return false;
    }

    /** Delay before attempt number {@code attempt} (2 = first retry). */
    public Duration backoff(int attempt) {
        long ms = firstBackoff.toMillis() << Math.min(20, Math.max(0, attempt - 2));
        return Duration.ofMillis(Math.min(ms, maxBackoff.toMillis()));
    }
}
