package tapipeline.platform.web;

/** Checks a {@code next} parameter so signing in never redirects off the site. */
public final class LocalPaths {

    private LocalPaths() {
    }

    /**
     * {@code next} if it is a path on this site (starts with one '/', no scheme, no host, no
     * backslash, no control character, at most 2,000 characters), else {@code fallback}.
     */
    public static String safeNext(String next, String fallback) {
        if (next == null || next.isEmpty() || next.length() > 2000) {
            return fallback;
        }
        if (!next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) {
            return fallback;
        }
        for (int i = 0; i < next.length(); i++) {
            char c = next.charAt(i);
            if (c < 0x21 || c == 0x7f || c == '\\') {
                return fallback;
            }
        }
        return next;
    }
}
