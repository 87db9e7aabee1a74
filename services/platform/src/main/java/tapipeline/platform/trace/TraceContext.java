package tapipeline.platform.trace;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * A W3C Trace Context {@code traceparent} (https://www.w3.org/TR/trace-context/#traceparent-header):
 * {@code 00-<32 hex trace id>-<16 hex parent span id>-<2 hex flags>}, carried as a Kafka record
 * header of the same name, so an OpenTelemetry backend can join the records of one piece of work.
 *
 * <p>The platform is the one place it is set: every producer made by {@code KafkaClients} stamps
 * each record it sends ({@link TraceInterceptor}) and the loops run each record's handler
 * {@link #scope in the scope} of the trace the record carries. A record sent inside a scope gets
 * the scope's trace id and a new span id (a child); a record sent outside any scope starts a new
 * trace; a record that already has a valid {@code traceparent} keeps it.
 */
public record TraceContext(String traceId, String spanId, String flags) {

    /** The header name (W3C: lower case). */
    public static final String HEADER = "traceparent";

    private static final Pattern FORMAT = Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})");
    private static final String INVALID_TRACE = "0".repeat(32);
    private static final String INVALID_SPAN = "0".repeat(16);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HexFormat HEX = HexFormat.of();
    private static final ThreadLocal<TraceContext> CURRENT = new ThreadLocal<>();

    public TraceContext {
        Objects.requireNonNull(traceId);
        Objects.requireNonNull(spanId);
        Objects.requireNonNull(flags);
    }

    /** A new trace (random ids, sampled flag set). */
    public static TraceContext newTrace() {
        return new TraceContext(randomHex(16, INVALID_TRACE), randomHex(8, INVALID_SPAN), "01");
    }

    /** The same trace with a new span id: what a record produced while handling this one carries. */
    public TraceContext child() {
        return new TraceContext(traceId, randomHex(8, INVALID_SPAN), flags);
    }

    /** The header value. */
    public String header() {
        return "00-" + traceId + "-" + spanId + "-" + flags;
    }

    /** Parses a header value; empty when absent or not a valid version-00 traceparent (all-zero ids are invalid). */
    public static Optional<TraceContext> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        var m = FORMAT.matcher(value.trim());
        if (!m.matches() || m.group(1).equals(INVALID_TRACE) || m.group(2).equals(INVALID_SPAN)) {
            return Optional.empty();
        }
        return Optional.of(new TraceContext(m.group(1), m.group(2), m.group(3)));
    }

    /** The trace a record's headers carry (the last {@code traceparent} header), if valid. */
    public static Optional<TraceContext> of(Headers headers) {
        if (headers == null) {
            return Optional.empty();
        }
        Header h = headers.lastHeader(HEADER);
        return h == null || h.value() == null ? Optional.empty()
                : parse(new String(h.value(), StandardCharsets.UTF_8));
    }

    /** The trace whose scope the current thread is in. */
    public static Optional<TraceContext> current() {
        return Optional.ofNullable(CURRENT.get());
    }

    /**
     * Gives a record about to be sent its {@code traceparent}: kept when it has a valid one, else a
     * child of the current scope, else a new trace. Returns what the record carries.
     */
    public static TraceContext stamp(Headers headers) {
        Optional<TraceContext> own = of(headers);
        if (own.isPresent()) {
            return own.get();
        }
        TraceContext t = current().map(TraceContext::child).orElseGet(TraceContext::newTrace);
        headers.remove(HEADER);
        headers.add(HEADER, t.header().getBytes(StandardCharsets.UTF_8));
        return t;
    }

    /**
     * Enters the trace of a consumed record (its headers' {@code traceparent}, or a new trace when it
     * has none) on this thread until the returned scope is closed; records sent meanwhile are its children.
     */
    public static Scope scope(Headers consumed) {
        return enter(of(consumed).orElseGet(TraceContext::newTrace));
    }

    /** Enters {@code trace} on this thread until the returned scope is closed. */
    public static Scope enter(TraceContext trace) {
        TraceContext previous = CURRENT.get();
        CURRENT.set(Objects.requireNonNull(trace));
        return () -> {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        };
    }

    /** Leaves a trace scope (no checked exception). */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    private static String randomHex(int bytes, String invalid) {
        byte[] b = new byte[bytes];
        String s;
        do {
            RANDOM.nextBytes(b);
            s = HEX.formatHex(b);
        } while (s.equals(invalid));
        return s;
    }
}
