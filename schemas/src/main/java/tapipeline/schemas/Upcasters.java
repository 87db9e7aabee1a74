package tapipeline.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * An immutable registry of {@link Upcaster}s keyed by (type, fromVersion). Decoding an event of
 * version {@code v} older than the current one applies the upcasters for {@code v}, {@code v+1}, ...
 * until the current version; a missing step rejects the event with
 * {@link RejectedEventException.Reason#UNKNOWN_VERSION}.
 */
public final class Upcasters {

    private static final Upcasters NONE = new Upcasters(Map.of());

    private final Map<String, Upcaster> steps;

    private Upcasters(Map<String, Upcaster> steps) {
        this.steps = Map.copyOf(steps);
    }

    /** No upcasters: only current versions are accepted. */
    public static Upcasters none() {
        return NONE;
    }

    /**
     * The upcasters of the standard event types, one step per version a type gained:
     * <ul>
     *   <li>{@code assignment.run.requested} 1 → 2: v2 only added the optional
     *       {@code settings.scoreCalculationLimit}, so a v1 payload is already a valid v2 one.</li>
     *   <li>{@code assignment.run.requested} 2 → 3: v3 only added the optional {@code origin}.</li>
     *   <li>{@code coordinator.datasets} 1 → 2: v2 only added the optional {@code contacts} and
     *       {@code courseDetails}.</li>
     * </ul>
     */
    public static Upcasters standard() {
        return STANDARD;
    }

    private static final Upcasters STANDARD = builder()
            .register(EventTypes.RUN_REQUESTED, 1, payload -> payload)
            .register(EventTypes.RUN_REQUESTED, 2, payload -> payload)
            .register(EventTypes.COORDINATOR_DATASETS, 1, payload -> payload)
            // v2 only loosened the shape (explanations optional, an optional reference added): a v1 result is a valid v2
            .register(EventTypes.RUN_COMPLETED, 1, payload -> payload)
            .build();

    public static Builder builder() {
        return new Builder(Map.of());
    }

    /** A builder that starts from this registry's steps. */
    public Builder toBuilder() {
        return new Builder(steps);
    }

    public Optional<Upcaster> find(String type, int fromVersion) {
        return Optional.ofNullable(steps.get(key(type, fromVersion)));
    }

    /**
     * Upcasts {@code payload} from {@code fromVersion} to {@code toVersion}.
     *
     * @throws RejectedEventException UNKNOWN_VERSION when a step is missing
     */
    public JsonNode apply(String type, int fromVersion, int toVersion, JsonNode payload) {
        JsonNode current = payload;
        for (int version = fromVersion; version < toVersion; version++) {
            Upcaster step = steps.get(key(type, version));
            if (step == null) {
                throw new RejectedEventException(RejectedEventException.Reason.UNKNOWN_VERSION, type,
                        "version: no upcaster from " + type + " v" + version + " to v" + (version + 1));
            }
            current = step.upcast(current);
        }
        return current;
    }

    private static String key(String type, int fromVersion) {
        return type + "@" + fromVersion;
    }

    public static final class Builder {
        private final Map<String, Upcaster> steps;

        private Builder(Map<String, Upcaster> initial) {
            this.steps = new HashMap<>(initial);
        }

        /** Registers the step from {@code fromVersion} to {@code fromVersion + 1} of {@code type}. */
        public Builder register(String type, int fromVersion, Upcaster upcaster) {
            if (fromVersion < 1) {
                throw new IllegalArgumentException("fromVersion must be >= 1 (was " + fromVersion + ")");
            }
            if (steps.putIfAbsent(key(type, fromVersion), upcaster) != null) {
                throw new IllegalArgumentException("an upcaster from " + type + " v" + fromVersion + " is already registered");
            }
            return this;
        }

        public Builder register(EventType<?> type, int fromVersion, Upcaster upcaster) {
            return register(type.name(), fromVersion, upcaster);
        }

        public Upcasters build() {
            return new Upcasters(steps);
        }
    }
}
