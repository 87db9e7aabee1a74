package tapipeline.platform.web;

import java.util.List;

import tapipeline.platform.config.Key;

/** Configuration keys of the web layer (sessions, cookies, proxies). */
public final class WebConfig {

    public static final Key<String> WEB_SESSION_SECRET = Key.string("WEB_SESSION_SECRET", "",
            "Secret (at least 32 characters) that signs session cookies and CSRF tokens; the same on every instance. Empty: a random one per process (sessions do not survive a restart nor span instances; a WARN says so).");
    public static final Key<Integer> WEB_SESSION_IDLE_MINUTES = Key.integer("WEB_SESSION_IDLE_MINUTES", 30, 1, 24 * 60,
            "A session ends after this many minutes without a request.");
    public static final Key<Integer> WEB_SESSION_MAX_HOURS = Key.integer("WEB_SESSION_MAX_HOURS", 12, 1, 24 * 30,
            "A session ends this many hours after sign-in, however active.");
    public static final Key<Boolean> WEB_TRUST_FORWARDED = Key.bool("WEB_TRUST_FORWARDED", false,
            "Trust X-Forwarded-Proto and X-Forwarded-For from a reverse proxy (Secure cookies behind TLS termination, client address for sign-in throttling). Only behind a proxy that overwrites them.");

    private WebConfig() {
    }

    public static List<Key<?>> keys() {
        return List.of(WEB_SESSION_SECRET, WEB_SESSION_IDLE_MINUTES, WEB_SESSION_MAX_HOURS, WEB_TRUST_FORWARDED);
    }
}
