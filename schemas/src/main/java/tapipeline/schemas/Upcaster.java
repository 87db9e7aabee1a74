package tapipeline.schemas;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Turns the payload of one version of an event type into the payload of the next version.
 *
 * <p>It works on JSON, before binding, so old events never need an old Java record. It may modify
 * and return its argument (a freshly parsed tree) or return a new node. Register it in
 * {@link Upcasters}.
 */
@FunctionalInterface
public interface Upcaster {

    /**
     * @param payload the payload at version {@code fromVersion}, already valid against that version's
     *                schema when the schema file still exists
     * @return the payload at {@code fromVersion + 1}
     */
    JsonNode upcast(JsonNode payload);
}
