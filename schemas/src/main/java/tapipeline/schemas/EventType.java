package tapipeline.schemas;

import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * One kind of event: its type name (equal to its topic name), the version producers write today, the
 * Java record of its payload, and how to derive the Kafka record key from a payload.
 *
 * <p>The standard types are the constants of {@link EventTypes}. Two types are equal when their
 * names are.
 *
 * @param <T> the payload record
 */
public final class EventType<T> {

    /** Type names: lower-case words separated by dots, as the envelope schema requires. */
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9]*(\\.[a-z][a-z0-9]*)*");

    private final String name;
    private final int currentVersion;
    private final Class<T> payloadClass;
    private final Function<? super T, String> keyOf;

    private EventType(String name, int currentVersion, Class<T> payloadClass, Function<? super T, String> keyOf) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("EventType.name must be dot-separated lower-case words (was '" + name + "')");
        }
        if (currentVersion < 1) {
            throw new IllegalArgumentException("EventType.currentVersion must be >= 1 (was " + currentVersion + ")");
        }
        this.name = name;
        this.currentVersion = currentVersion;
        this.payloadClass = Objects.requireNonNull(payloadClass, "payloadClass");
        this.keyOf = Objects.requireNonNull(keyOf, "keyOf");
    }

    /**
     * Defines an event type. Its schema for version {@code v} must be on the class path at
     * {@link #schemaResource(int) schemas/&lt;name&gt;/v&lt;v&gt;.schema.json}.
     */
    public static <T> EventType<T> of(String name, int currentVersion, Class<T> payloadClass,
                                      Function<? super T, String> keyOf) {
        return new EventType<>(name, currentVersion, payloadClass, keyOf);
    }

    /** The type string in the envelope; also the topic name. */
    public String name() {
        return name;
    }

    /** The topic the events are published to (same as {@link #name()}). */
    public String topic() {
        return name;
    }

    /** The payload version producers write today; decoding upcasts older versions to it. */
    public int currentVersion() {
        return currentVersion;
    }

    public Class<T> payloadClass() {
        return payloadClass;
    }

    /** The Kafka record key for a payload of this type (runId, term, program id, sha256, ...). */
    public String keyOf(T payload) {
        return keyOf.apply(payload);
    }

    /** Class-path location of the payload schema of a version, e.g. {@code schemas/audit/v1.schema.json}. */
    public String schemaResource(int version) {
        return "schemas/" + name + "/v" + version + ".schema.json";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof EventType<?> that && name.equals(that.name);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return name + " v" + currentVersion;
    }
}
