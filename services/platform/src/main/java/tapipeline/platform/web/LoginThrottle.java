package tapipeline.platform.web;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows down password guessing, per account name and per client address, in this instance's memory
 * (a restart or another instance starts afresh). The first {@link #FREE_FAILURES} failures cost
 * nothing; each further one locks the key for a doubling delay (1 s, 2 s, 4 s, ... up to 15 minutes).
 * A locked key gets 429 with Retry-After, whether or not the account exists, so throttling never
 * tells which accounts exist. Success clears the account's and the address's counters. Entries idle
 * for an hour are forgotten.
 */
public final class LoginThrottle {

    public static final int FREE_FAILURES = 5;
    public static final Duration MAX_LOCK = Duration.ofMinutes(15);
    private static final int MAX_ENTRIES = 100_000;

    private record Entry(int failures, Instant lockedUntil, Instant last) {
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final Clock clock;

    public LoginThrottle(Clock clock) {
        this.clock = clock;
    }

    public LoginThrottle() {
        this(Clock.systemUTC());
    }

    /** How long the caller must wait before trying again, if either key is locked now. */
    public Optional<Duration> retryAfter(String username, String address) {
        Instant now = clock.instant();
        Duration wait = Duration.ZERO;
        for (String k : keys(username, address)) {
            Entry e = entries.get(k);
            if (e != null && e.lockedUntil.isAfter(now)) {
                Duration d = Duration.between(now, e.lockedUntil);
                wait = d.compareTo(wait) > 0 ? d : wait;
            }
        }
        return wait.isZero() ? Optional.empty() : Optional.of(wait);
    }

    public void failure(String username, String address) {
        Instant now = clock.instant();
        if (entries.size() > MAX_ENTRIES) {
            entries.values().removeIf(e -> e.last.isBefore(now.minus(Duration.ofHours(1))));
        }
        for (String k : keys(username, address)) {
            entries.compute(k, (key, e) -> {
                int n = (e == null || e.last.isBefore(now.minus(Duration.ofHours(1)))) ? 1 : e.failures + 1;
                Instant until = now;
                if (n > FREE_FAILURES) {
                    long seconds = 1L << Math.min(n - FREE_FAILURES - 1, 20);
                    until = now.plus(Duration.ofSeconds(Math.min(seconds, MAX_LOCK.toSeconds())));
                }
                return new Entry(n, until, now);
            });
        }
    }

    public void success(String username, String address) {
        for (String k : keys(username, address)) {
            entries.remove(k);
        }
    }

    private static String[] keys(String username, String address) {
        return new String[] {"u:" + (username == null ? "" : username.toLowerCase(Locale.ROOT)), "a:" + address};
    }
}
