package tapipeline.platform.web;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * A stateless session: the cookie holds the session id, the username (empty for an anonymous session,
 * which exists only to bind the sign-in form's CSRF token), when it was issued and last seen, signed
 * with the {@link Secret}. Nothing else is in it: roles and the disabled flag are read from the
 * account store on every request.
 */
public record Session(String id, String username, Instant issuedAt, Instant lastSeen) {

    public static final String COOKIE = "tap_session";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    public static Session create(String username, Instant now) {
        byte[] id = new byte[18];
        RANDOM.nextBytes(id);
        return new Session(B64.encodeToString(id), username == null ? "" : username, now, now);
    }

    public boolean anonymous() {
        return username.isEmpty();
    }

    public Session seen(Instant now) {
        return new Session(id, username, issuedAt, now);
    }

    /** The cookie value: {@code base64url(id|username|issued|lastSeen).signature}. */
    public String encode(Secret secret) {
        String payload = B64.encodeToString((id + "|" + username + "|" + issuedAt.getEpochSecond() + "|"
                + lastSeen.getEpochSecond()).getBytes(StandardCharsets.UTF_8));
        return payload + "." + secret.sign(payload);
    }

    /**
     * The session in a cookie value if its signature is valid and it has expired neither by idleness
     * nor by age; empty otherwise (tampered, other secret, expired, malformed).
     */
    public static Optional<Session> decode(String cookie, Secret secret, Instant now, Duration idle, Duration max) {
        if (cookie == null || cookie.length() > 4096) {
            return Optional.empty();
        }
        int dot = cookie.indexOf('.');
        if (dot <= 0 || !secret.verify(cookie.substring(0, dot), cookie.substring(dot + 1))) {
            return Optional.empty();
        }
        try {
            String[] f = new String(B64D.decode(cookie.substring(0, dot)), StandardCharsets.UTF_8).split("\\|", -1);
            if (f.length != 4) {
                return Optional.empty();
            }
            Session s = new Session(f[0], f[1], Instant.ofEpochSecond(Long.parseLong(f[2])),
                    Instant.ofEpochSecond(Long.parseLong(f[3])));
            if (now.isAfter(s.lastSeen.plus(idle)) || now.isAfter(s.issuedAt.plus(max))) {
                return Optional.empty();
            }
            return Optional.of(s);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The CSRF token of this session: an HMAC of its id, so it is worth nothing with another session. */
    public String csrfToken(Secret secret) {
        return secret.sign("csrf|" + id);
    }

    public boolean csrfValid(Secret secret, String token) {
        return token != null && secret.verify("csrf|" + id, token);
    }
}
