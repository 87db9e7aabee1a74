package tapipeline.platform.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;

class ErrorPolicyTest {

    private final ErrorPolicy policy = new ErrorPolicy(4, Duration.ofMillis(100), Duration.ofMillis(350));

    @Test
    void backoff_doubles_from_the_first_retry_and_is_capped() {
        assertThat(policy.backoff(2)).isEqualTo(Duration.ofMillis(100));
        assertThat(policy.backoff(3)).isEqualTo(Duration.ofMillis(200));
        assertThat(policy.backoff(4)).isEqualTo(Duration.ofMillis(350));
        assertThat(policy.backoff(60)).isEqualTo(Duration.ofMillis(350));
    }

    @Test
    void poison_skips_to_dead_letters_fatal_stops_anything_else_is_retried() {
        assertThat(policy.classify(new PoisonRecordException("SCHEMA_INVALID", "x"))).isEqualTo(ErrorPolicy.Kind.POISON);
        assertThat(policy.classify(new FatalProcessingException("x", null))).isEqualTo(ErrorPolicy.Kind.FATAL);
        assertThat(policy.classify(new TopicAuthorizationException("x"))).isEqualTo(ErrorPolicy.Kind.FATAL);
        assertThat(policy.classify(new IOException("disk"))).isEqualTo(ErrorPolicy.Kind.RETRY);
        assertThat(policy.classify(new IllegalStateException("bug"))).isEqualTo(ErrorPolicy.Kind.RETRY);
    }

    @Test
    void an_output_over_the_record_limits_is_poison_not_retried_even_wrapped_by_a_future() {
        RecordTooLargeException tooLarge = Topics.tooLarge("assignment.run.completed", 70_000_000, null);
        assertThat(policy.classify(tooLarge)).isEqualTo(ErrorPolicy.Kind.POISON);
        assertThat(policy.classify(new ExecutionException(tooLarge))).isEqualTo(ErrorPolicy.Kind.POISON);
    }
}
