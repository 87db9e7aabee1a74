package tapipeline.schemas.support;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Argument checks shared by the event records' compact constructors.
 *
 * <p>Not part of the event contract: it lives in its own package only because records in several
 * packages use it. Every failure is an {@link IllegalArgumentException} whose message starts with
 * the field name ({@code Course.slots must be >= 1 (was 0)}), so a bad record is easy to trace.
 */
public final class Checks {

    /** Identifiers: 1..128 characters, no whitespace. Matches {@code $defs/id} in the schemas. */
    public static final Pattern ID = Pattern.compile("\\S{1,128}");

    private Checks() {
    }

    public static <T> T nonNull(T value, String field) {
        if (value == null) {
            throw new IllegalArgumentException(field + " is required");
        }
        return value;
    }

    /** A required string that is not blank. */
    public static String text(String value, String field) {
        nonNull(value, field);
        if (value.isBlank()) {
            throw new IllegalArgumentException(field + " must not be blank");
        }
        return value;
    }

    /** A required string that may be empty (for example free-text detail). */
    public static String anyText(String value, String field) {
        return nonNull(value, field);
    }

    /** An optional string: {@code null} stays {@code null}, anything else must not be blank. */
    public static String optionalText(String value, String field) {
        return value == null ? null : text(value, field);
    }

    public static String id(String value, String field) {
        nonNull(value, field);
        if (!ID.matcher(value).matches()) {
            throw new IllegalArgumentException(
                    field + " must be 1..128 characters without whitespace (was '" + value + "')");
        }
        return value;
    }

    public static String optionalId(String value, String field) {
        return value == null ? null : id(value, field);
    }

    public static String matches(String value, Pattern pattern, String field) {
        nonNull(value, field);
        if (!pattern.matcher(value).matches()) {
            throw new IllegalArgumentException(
                    field + " must match " + pattern.pattern() + " (was '" + value + "')");
        }
        return value;
    }

    public static int range(int value, int min, int max, String field) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(
                    field + " must be between " + min + " and " + max + " (was " + value + ")");
        }
        return value;
    }

    public static int atLeast(int value, int min, String field) {
        if (value < min) {
            throw new IllegalArgumentException(field + " must be >= " + min + " (was " + value + ")");
        }
        return value;
    }

    public static long atLeast(long value, long min, String field) {
        if (value < min) {
            throw new IllegalArgumentException(field + " must be >= " + min + " (was " + value + ")");
        }
        return value;
    }

    public static double atLeast(double value, double min, String field) {
        if (!(value >= min) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(field + " must be a number >= " + min + " (was " + value + ")");
        }
        return value;
    }

    /** Asserts {@code low <= high} for two related fields. */
    public static void ordered(long low, String lowField, long high, String highField) {
        if (low > high) {
            throw new IllegalArgumentException(
                    lowField + " (" + low + ") must not exceed " + highField + " (" + high + ")");
        }
    }

    /** An immutable copy of the list; {@code null} becomes the empty list, null elements are refused. */
    public static <T> List<T> list(List<T> values, String field) {
        if (values == null || values.isEmpty()) {
            return List.of();
        }
        List<T> copy = new ArrayList<>(values.size());
        for (int i = 0; i < values.size(); i++) {
            T value = values.get(i);
            if (value == null) {
                throw new IllegalArgumentException(field + "[" + i + "] must not be null");
            }
            copy.add(value);
        }
        return Collections.unmodifiableList(copy);
    }

    /** Like {@link #list} but each element must also be a non-blank string. */
    public static List<String> texts(List<String> values, String field) {
        List<String> copy = list(values, field);
        for (int i = 0; i < copy.size(); i++) {
            text(copy.get(i), field + "[" + i + "]");
        }
        return copy;
    }

    /** Like {@link #list} but each element must also be an identifier. */
    public static List<String> ids(List<String> values, String field) {
        List<String> copy = list(values, field);
        for (int i = 0; i < copy.size(); i++) {
            id(copy.get(i), field + "[" + i + "]");
        }
        return copy;
    }

    /**
     * An immutable, key-sorted copy of the map; {@code null} becomes the empty map. Sorting keeps the
     * JSON output byte-for-byte stable, which idempotent producers rely on.
     */
    public static <V> Map<String, V> sortedMap(Map<String, V> values, String field) {
        if (values == null || values.isEmpty()) {
            return Map.of();
        }
        TreeMap<String, V> copy = new TreeMap<>();
        values.forEach((key, value) -> {
            if (key == null || value == null) {
                throw new IllegalArgumentException(field + " must not hold null keys or values");
            }
            copy.put(key, value);
        });
        return Collections.unmodifiableMap(copy);
    }
}
