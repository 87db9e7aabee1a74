package tapipeline.platform.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Builds dead-letter records: the original key, value and headers, unchanged, on
 * {@code <topic>.dlq}, plus headers saying what failed, how often, and where the record came from,
 * so the monitor can show it and replay it to its original topic.
 */
public final class DeadLetters {

    public static final String REASON = "dlq.reason";
    public static final String ERROR_CLASS = "dlq.error.class";
    public static final String ERROR_MESSAGE = "dlq.error.message";
    public static final String ATTEMPTS = "dlq.attempts";
    public static final String ORIGINAL_TOPIC = "dlq.original.topic";
    public static final String ORIGINAL_PARTITION = "dlq.original.partition";
    public static final String ORIGINAL_OFFSET = "dlq.original.offset";
    public static final String ORIGINAL_TIMESTAMP = "dlq.original.timestamp";
    public static final String CONSUMER_GROUP = "dlq.consumer.group";
    public static final String FAILED_AT = "dlq.failed.at";
    /**
     * Set by the monitor on a record it redrives from a dead-letter topic to its source topic: where
     * the dead letter was, {@code <dlq topic>/<partition>/<offset>}. Kept on the record like any header.
     */
    public static final String REPLAY = "tapipeline.replay";
    /**
     * On a dead letter whose record was itself a redrive ({@link #REPLAY}) and failed again: the
     * REPLAY value. The monitor does not redrive such a record again, so a record that keeps failing
     * comes back to the dead letters once, not in a loop.
     */
    public static final String REPLAY_FAILED = "dlq.replay.failed";

    private static final int MAX_MESSAGE_CHARS = 2000;

    private DeadLetters() {
    }

    public static ProducerRecord<String, byte[]> of(ConsumerRecord<String, byte[]> original, String group,
                                                    String reason, Throwable error, int attempts) {
        Headers headers = new RecordHeaders();
        for (Header h : original.headers()) {
            if (!h.key().startsWith("dlq.")) {
                headers.add(h);
            }
        }
        put(headers, REASON, reason);
        put(headers, ERROR_CLASS, error.getClass().getName());
        put(headers, ERROR_MESSAGE, truncate(String.valueOf(error.getMessage())));
        put(headers, ATTEMPTS, Integer.toString(attempts));
        put(headers, ORIGINAL_TOPIC, original.topic());
        put(headers, ORIGINAL_PARTITION, Integer.toString(original.partition()));
        put(headers, ORIGINAL_OFFSET, Long.toString(original.offset()));
        put(headers, ORIGINAL_TIMESTAMP, Long.toString(original.timestamp()));
        put(headers, CONSUMER_GROUP, group);
        put(headers, FAILED_AT, Instant.now().toString());
        String replayOf = header(original.headers(), REPLAY);
        if (replayOf != null) {
            put(headers, REPLAY_FAILED, replayOf);
        }
        return new ProducerRecord<>(Topics.deadLetterTopicOf(original.topic()), null, original.key(),
                original.value(), headers);
    }

    /** A header's value as text, or null when absent. */
    public static String header(Headers headers, String key) {
        Header h = headers.lastHeader(key);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static void put(Headers headers, String key, String value) {
        headers.remove(key);
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    }

    private static String truncate(String s) {
        return s.length() <= MAX_MESSAGE_CHARS ? s : s.substring(0, MAX_MESSAGE_CHARS) + "...";
    }
}
