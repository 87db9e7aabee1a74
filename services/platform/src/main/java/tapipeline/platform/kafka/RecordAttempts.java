package tapipeline.platform.kafka;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import tapipeline.platform.trace.TraceContext;

/**
 * Runs one record through decode + handler under an {@link ErrorPolicy}: sets the logging context,
 * retries with backoff, and says whether the record was handled, must be dead-lettered (and why), or
 * must stop the loop. {@link #attemptOnce} makes one attempt and leaves the backoff to the caller (a
 * transactional loop must not sleep inside an open transaction). Shared by {@link ConsumerLoop} and {@link TransactionalLoop}, so both treat
 * failures the same way.
 */
final class RecordAttempts<V> {

    private static final Logger log = LoggerFactory.getLogger(RecordAttempts.class);

    /** MDC keys every log line written while handling a record carries. */
    static final String MDC_CORRELATION = "correlationId";
    static final String MDC_TOPIC = "topic";

    interface Work<V> {
        void run(V value, ConsumerRecord<String, byte[]> record) throws Exception;
    }

    /** What became of one record. */
    sealed interface Outcome {
        record Handled() implements Outcome { }
        record DeadLetter(String reason, Throwable error, int attempts) implements Outcome { }
        record Fatal(Throwable error) implements Outcome { }
        /** Failed, may be retried: as attempt {@code nextAttempt}, after {@code backoff}. */
        record Retry(Throwable error, int nextAttempt, Duration backoff) implements Outcome { }
    }

    private final String loopName;
    private final RecordDecoder<V> decoder;
    private final ErrorPolicy policy;
    private final MeterRegistry meters;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Timer handleTimer;
    private volatile boolean stopping;

    RecordAttempts(String loopName, RecordDecoder<V> decoder, ErrorPolicy policy, MeterRegistry meters) {
        this.loopName = loopName;
        this.decoder = decoder;
        this.policy = policy;
        this.meters = meters;
        this.handleTimer = Timer.builder("tapipeline.consumer.handle").tag("loop", loopName)
                .description("time of one attempt at one record").register(meters);
    }

    /** Lets a backoff sleep end early when the loop shuts down. */
    void stopping() {
        stopping = true;
    }

    /**
     * Decodes and handles one record, retrying with backoff (sleeping on the caller's thread) until it
     * is handled, must be dead-lettered, or is fatal. For loops that may sleep between attempts. When the
     * loop stops while a record is failing, it returns the {@link Outcome.Retry}: a stop hands the record
     * back (the caller neither commits nor dead-letters it), it never gives it up.
     */
    Outcome attempt(ConsumerRecord<String, byte[]> record, Work<V> work) {
        int attempt = 1;
        while (true) {
            Outcome outcome = attemptOnce(record, work, attempt);
            if (!(outcome instanceof Outcome.Retry retry)) {
                return outcome;
            }
            if (stopping) {
                log.info("stopping: leaving {}-{}@{} (attempt {} failed) to the partition's next reader",
                        record.topic(), record.partition(), record.offset(), attempt);
                return retry;
            }
            sleep(retry.backoff().toMillis());
            attempt = retry.nextAttempt();
        }
    }

    /**
     * One attempt at a record, never sleeping: a retriable failure returns {@link Outcome.Retry} with
     * the backoff to wait before attempt {@code attempt + 1}, so that a transactional loop can end its
     * transaction first and back off outside it. A retriable failure on the last attempt is a
     * dead letter (RETRIES_EXHAUSTED).
     */
    Outcome attemptOnce(ConsumerRecord<String, byte[]> record, Work<V> work, int attempt) {
        long start = System.nanoTime();
        MDC.put(MDC_TOPIC, record.topic());
        MDC.put(MDC_CORRELATION, record.key() == null ? "" : record.key());
        // what the handler sends (directly or through an Outbox) is a child of this record's trace
        try (TraceContext.Scope trace = TraceContext.scope(record.headers())) {
            V value;
            try {
                value = decoder.decode(record);
                String correlation = decoder.correlationId(value, record);
                MDC.put(MDC_CORRELATION, correlation == null ? "" : correlation);
            } catch (PoisonRecordException e) {
                log.warn("rejecting {}-{}@{}: {} {}", record.topic(), record.partition(), record.offset(),
                        e.reason(), e.getMessage());
                count(record.topic(), "dead_lettered");
                return new Outcome.DeadLetter(e.reason(), e, 1);
            } catch (RuntimeException e) {
                count(record.topic(), "dead_lettered");
                return new Outcome.DeadLetter("UNDECODABLE", e, 1);
            }
            try {
                work.run(value, record);
                count(record.topic(), "handled");
                return new Outcome.Handled();
            } catch (Exception | Error e) {
                ErrorPolicy.Kind kind = policy.classify(e);
                if (kind == ErrorPolicy.Kind.FATAL) {
                    log.error("fatal error handling {}-{}@{}", record.topic(), record.partition(), record.offset(), e);
                    return new Outcome.Fatal(e);
                }
                if (kind == ErrorPolicy.Kind.POISON) {
                    String reason = e instanceof PoisonRecordException p ? p.reason() : "POISON";
                    log.warn("rejecting {}-{}@{}: {} {}", record.topic(), record.partition(), record.offset(),
                            reason, e.getMessage());
                    count(record.topic(), "dead_lettered");
                    return new Outcome.DeadLetter(reason, e, attempt);
                }
                if (attempt >= policy.maxAttempts()) {
                    return giveUp(record, e, attempt);
                }
                count(record.topic(), "retried");
                log.info("retrying {}-{}@{} (attempt {}): {}", record.topic(), record.partition(),
                        record.offset(), attempt + 1, e.toString());
                return new Outcome.Retry(e, attempt + 1, policy.backoff(attempt + 1));
            }
        } finally {
            handleTimer.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
            MDC.remove(MDC_TOPIC);
            MDC.remove(MDC_CORRELATION);
        }
    }

    private Outcome giveUp(ConsumerRecord<String, byte[]> record, Throwable e, int attempt) {
        log.warn("giving up on {}-{}@{} after {} attempts", record.topic(), record.partition(),
                record.offset(), attempt, e);
        count(record.topic(), "dead_lettered");
        return new Outcome.DeadLetter("RETRIES_EXHAUSTED", e, attempt);
    }

    ErrorPolicy policy() {
        return policy;
    }

    /** Sleeps up to {@code delay}, ending early when the loop stops. */
    void backOff(Duration delay) {
        sleep(delay.toMillis());
    }

    private void sleep(long ms) {
        long until = System.currentTimeMillis() + ms;
        while (!stopping && System.currentTimeMillis() < until) {
            try {
                Thread.sleep(Math.min(50, Math.max(1, until - System.currentTimeMillis())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    void count(String topic, String outcome) {
        counters.computeIfAbsent(topic + "|" + outcome, k -> Counter.builder("tapipeline.consumer.records")
                .description("records by what became of them").tag("loop", loopName).tag("topic", topic)
                .tag("outcome", outcome).register(meters)).increment();
    }
}
