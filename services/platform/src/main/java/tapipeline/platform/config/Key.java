package tapipeline.platform.config;

import java.util.Objects;
import java.util.function.Function;

/**
 * One documented configuration key: its environment-variable name (also accepted as a property
 * name in the properties file), what it means, its default, and how its text is parsed.
 *
 * @param name   upper-case name, e.g. {@code KAFKA_BOOTSTRAP_SERVERS}
 * @param doc    one sentence for the README's configuration table
 * @param defaultValue the default as text (parsed like any other value), or {@code ""} for "unset"
 * @param parser turns the text into a value; throws {@link IllegalArgumentException} with a reason
 */
public record Key<T>(String name, String doc, String defaultValue, Function<String, T> parser) {

    public Key {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(doc, "doc");
        Objects.requireNonNull(defaultValue, "defaultValue");
        Objects.requireNonNull(parser, "parser");
        if (!name.matches("[A-Z][A-Z0-9_]*")) {
            throw new IllegalArgumentException("config key names are UPPER_SNAKE_CASE: " + name);
        }
    }

    public static Key<String> string(String name, String defaultValue, String doc) {
        return new Key<>(name, doc, defaultValue, s -> s);
    }

    public static Key<Integer> integer(String name, int defaultValue, int min, int max, String doc) {
        return new Key<>(name, doc, Integer.toString(defaultValue), s -> {
            int v;
            try {
                v = Integer.parseInt(s.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("expected a whole number, got '" + s + "'");
            }
            if (v < min || v > max) {
                throw new IllegalArgumentException("expected a number from " + min + " to " + max + ", got " + v);
            }
            return v;
        });
    }

    public static Key<Long> longValue(String name, long defaultValue, long min, long max, String doc) {
        return new Key<>(name, doc, Long.toString(defaultValue), s -> {
            long v;
            try {
                v = Long.parseLong(s.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("expected a whole number, got '" + s + "'");
            }
            if (v < min || v > max) {
                throw new IllegalArgumentException("expected a number from " + min + " to " + max + ", got " + v);
            }
            return v;
        });
    }

    public static Key<Boolean> bool(String name, boolean defaultValue, String doc) {
        return new Key<>(name, doc, Boolean.toString(defaultValue), s -> switch (s.trim().toLowerCase()) {
            case "true", "yes", "1", "on" -> true;
            case "false", "no", "0", "off" -> false;
            default -> throw new IllegalArgumentException("expected true or false, got '" + s + "'");
        });
    }

    public static Key<java.nio.file.Path> path(String name, String defaultValue, String doc) {
        return new Key<>(name, doc, defaultValue, s -> {
            if (s.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("a path cannot contain NUL characters");
            }
            return java.nio.file.Path.of(s);
        });
    }

    /**
     * A base URL another service's pages are linked at: http or https with a host, without a
     * trailing slash; empty stays empty (no link).
     */
    public static Key<String> httpUrl(String name, String defaultValue, String doc) {
        return new Key<>(name, doc, defaultValue, s -> {
            String t = s.trim();
            if (t.isEmpty()) {
                return "";
            }
            java.net.URI uri;
            try {
                uri = new java.net.URI(t);
            } catch (java.net.URISyntaxException e) {
                uri = null;
            }
            if (uri == null || uri.getHost() == null
                    || !("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))) {
                throw new IllegalArgumentException("expected an http(s) URL with a host (e.g. https://ta.example.edu)"
                        + " or nothing, got '" + t + "'");
            }
            return t.endsWith("/") ? t.substring(0, t.length() - 1) : t;
        });
    }
}
