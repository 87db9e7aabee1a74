package tapipeline.platform.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

class HealthTest {

    @Test
    void a_check_that_throws_is_down_with_a_plain_reason_and_no_exception_text() {
        Health health = new Health()
                .register("ok", () -> Health.Check.up("fine"))
                .register("exploding", () -> {
                    throw new IllegalStateException("connection to db.internal:5432 refused for user admin");
                });

        Map<String, Health.Check> checks = health.evaluate();

        assertThat(health.ready()).isFalse();
        assertThat(checks.get("ok").up()).isTrue();
        Health.Check broken = checks.get("exploding");
        assertThat(broken.up()).isFalse();
        assertThat(broken.detail()).isEqualTo("the check itself failed; see the log")
                .doesNotContain("IllegalStateException").doesNotContain("db.internal");
    }
}
