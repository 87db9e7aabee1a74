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

    @Test
    void a_degraded_check_keeps_the_service_ready_and_says_so() {
        Health health = new Health()
                .register("ok", () -> Health.Check.up("fine"))
                .register("editions", () -> Health.Check.degraded("edition abc was refused; the old one stays"));
        assertThat(health.ready()).isTrue();
        assertThat(Health.status(health.evaluate())).isEqualTo("DEGRADED");
        assertThat(health.evaluate().get("editions").status()).isEqualTo("DEGRADED");

        health.register("loop", () -> Health.Check.down("not caught up"));
        assertThat(health.ready()).isFalse();
        assertThat(Health.status(health.evaluate())).as("down wins over degraded").isEqualTo("DOWN");
        assertThat(Health.status(Map.of("a", Health.Check.up("fine")))).isEqualTo("UP");
    }
}
