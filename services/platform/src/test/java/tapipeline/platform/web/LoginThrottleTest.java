package tapipeline.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

class LoginThrottleTest {

    private static final class MutableClock extends Clock {
        Instant now = Instant.parse("2026-12-06T10:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void free_failures_then_doubling_lock_per_account() {
        MutableClock clock = new MutableClock();
        LoginThrottle t = new LoginThrottle(clock);
        for (int i = 0; i < LoginThrottle.FREE_FAILURES; i++) {
            assertThat(t.retryAfter("alice", "10.0.0." + i)).isEmpty();
            t.failure("alice", "10.0.0." + i);
        }
        assertThat(t.retryAfter("alice", "10.0.0.99")).isEmpty();
        t.failure("alice", "10.0.0.99");
        assertThat(t.retryAfter("ALICE", "10.0.0.100")).contains(Duration.ofSeconds(1));
        clock.now = clock.now.plusSeconds(1);
        assertThat(t.retryAfter("alice", "10.0.0.100")).isEmpty();
        t.failure("alice", "10.0.0.100");
        assertThat(t.retryAfter("alice", "10.0.0.101")).contains(Duration.ofSeconds(2));
    }

    @Test
    void locks_an_address_guessing_many_accounts_and_success_clears() {
        MutableClock clock = new MutableClock();
        LoginThrottle t = new LoginThrottle(clock);
        for (int i = 0; i <= LoginThrottle.FREE_FAILURES; i++) {
            t.failure("user" + i, "10.0.0.1");
        }
        assertThat(t.retryAfter("someone-else", "10.0.0.1")).isPresent();
        assertThat(t.retryAfter("someone-else", "10.0.0.2")).isEmpty();
        clock.now = clock.now.plusSeconds(5);
        t.success("user0", "10.0.0.1");
        assertThat(t.retryAfter("x", "10.0.0.1")).isEmpty();
    }

    @Test
    void lock_never_exceeds_the_maximum() {
        MutableClock clock = new MutableClock();
        LoginThrottle t = new LoginThrottle(clock);
        for (int i = 0; i < 60; i++) {
            t.failure("alice", "a");
        }
        assertThat(t.retryAfter("alice", "b")).contains(LoginThrottle.MAX_LOCK);
    }
}
