package tapipeline.platform.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class DeadLettersTest {

    @Test
    void a_dead_letter_keeps_the_record_and_says_what_failed_and_where_it_came_from() {
        RecordHeaders headers = new RecordHeaders();
        headers.add("trace", "abc".getBytes(StandardCharsets.UTF_8));
        byte[] value = "{not json".getBytes(StandardCharsets.UTF_8);
        ConsumerRecord<String, byte[]> original = new ConsumerRecord<>("assignment.run.requested", 2, 41L,
                1_700_000_000_000L, TimestampType.CREATE_TIME, 3, value.length, "run-7", value, headers,
                Optional.empty());

        ProducerRecord<String, byte[]> dl = DeadLetters.of(original, "solver-runs", "MALFORMED_JSON",
                new IllegalArgumentException("Unexpected end-of-input at line 1"), 1);

        assertThat(dl.topic()).isEqualTo("assignment.run.requested.dlq");
        assertThat(dl.key()).isEqualTo("run-7");
        assertThat(dl.value()).isEqualTo(value);
        assertThat(DeadLetters.header(dl.headers(), "trace")).isEqualTo("abc");
        assertThat(DeadLetters.header(dl.headers(), DeadLetters.REASON)).isEqualTo("MALFORMED_JSON");
        assertThat(DeadLetters.header(dl.headers(), DeadLetters.ERROR_CLASS)).isEqualTo("java.lang.IllegalArgumentException");
        assertThat(DeadLetters.header(dl.headers(), DeadLetters.ERROR_MESSAGE)).contains("end-of-input");
        assertThat(DeadLetters.header(dl.headers(), DeadLetters.ATTEMPTS)).isEqualTo("1");
        assertThat(DeadLetters.header(dl.headers(), DeadLetters.ORIGINAL_TOPIC)).isEqualTo("assignment.run.requested");
        assertThat(DeadLetters.header(dl.headers(), DeadLetters.ORIGINAL_PARTITION)).isEqualTo("2");
        assertThat(DeadLetters.header(dl.headers(), DeadLetters.ORIGINAL_OFFSET)).isEqualTo("41");
        assertThat(DeadLetters.header(dl.headers(), DeadLetters.ORIGINAL_TIMESTAMP)).isEqualTo("1700000000000");
        assertThat(DeadLetters.header(dl.headers(), DeadLetters.CONSUMER_GROUP)).isEqualTo("solver-runs");
    }

    @Test
    void a_huge_error_message_is_truncated() {
        ConsumerRecord<String, byte[]> original = new ConsumerRecord<>("audit", 0, 0L, "k", new byte[0]);
        ProducerRecord<String, byte[]> dl = DeadLetters.of(original, "g", "X",
                new RuntimeException("x".repeat(100_000)), 4);
        assertThat(DeadLetters.header(dl.headers(), DeadLetters.ERROR_MESSAGE)).hasSizeLessThan(2100);
    }
}
