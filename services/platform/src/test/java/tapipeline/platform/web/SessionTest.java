package tapipeline.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import org.junit.jupiter.api.Test;

class SessionTest {

    private static final Secret SECRET = Secret.fromConfig("0123456789abcdef0123456789abcdef-test");
    private static final Duration IDLE = Duration.ofMinutes(30);
    private static final Duration MAX = Duration.ofHours(12);
    private static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");

    @Test
    void round_trips_a_signed_cookie() {
        Session s = Session.create("alice", T0);
        assertThat(Session.decode(s.encode(SECRET), SECRET, T0.plusSeconds(60), IDLE, MAX)).contains(s);
    }

    @Test
    void refuses_a_tampered_cookie() {
        String cookie = Session.create("alice", T0).encode(SECRET);
        int dot = cookie.indexOf('.');
        String payload = new String(Base64.getUrlDecoder().decode(cookie.substring(0, dot)));
        String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(payload.replace("alice", "admin").getBytes())
                + cookie.substring(dot);
        assertThat(Session.decode(forged, SECRET, T0, IDLE, MAX)).isEmpty();
        String flipped = cookie.substring(0, cookie.length() - 1) + (cookie.endsWith("A") ? "B" : "A");
        assertThat(Session.decode(flipped, SECRET, T0, IDLE, MAX)).isEmpty();
        assertThat(Session.decode("garbage", SECRET, T0, IDLE, MAX)).isEmpty();
        assertThat(Session.decode(cookie.substring(0, dot), SECRET, T0, IDLE, MAX)).isEmpty();
    }

    @Test
    void refuses_a_cookie_signed_with_another_secret() {
        String cookie = Session.create("alice", T0).encode(Secret.random());
        assertThat(Session.decode(cookie, SECRET, T0, IDLE, MAX)).isEmpty();
    }

    @Test
    void expires_when_idle_and_at_its_absolute_age() {
        Session s = Session.create("alice", T0);
        assertThat(Session.decode(s.encode(SECRET), SECRET, T0.plus(IDLE).plusSeconds(1), IDLE, MAX)).isEmpty();
        Session active = s.seen(T0.plus(MAX).minusSeconds(60));
        assertThat(Session.decode(active.encode(SECRET), SECRET, T0.plus(MAX).minusSeconds(30), IDLE, MAX)).isPresent();
        assertThat(Session.decode(active.encode(SECRET), SECRET, T0.plus(MAX).plusSeconds(1), IDLE, MAX)).isEmpty();
    }

    @Test
    void csrf_token_is_bound_to_the_session_and_the_secret() {
        Session a = Session.create("alice", T0);
        Session b = Session.create("alice", T0);
        String token = a.csrfToken(SECRET);
        assertThat(a.csrfValid(SECRET, token)).isTrue();
        assertThat(b.csrfValid(SECRET, token)).isFalse();
        assertThat(a.csrfValid(Secret.random(), token)).isFalse();
        assertThat(a.csrfValid(SECRET, null)).isFalse();
        assertThat(a.csrfValid(SECRET, "")).isFalse();
    }

    @Test
    void a_short_configured_secret_is_refused_with_the_reason() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Secret.fromConfig("short"))
                .hasMessageContaining("WEB_SESSION_SECRET").hasMessageContaining("32");
    }
}
