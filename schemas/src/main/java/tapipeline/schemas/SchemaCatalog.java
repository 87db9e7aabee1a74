package tapipeline.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.PathType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Loads the JSON Schemas from the class path once and validates JSON trees against them.
 *
 * <p>Every schema has an {@code $id} under {@link #ID_BASE}; the registry maps that prefix to the
 * class path, so references between schema files ({@code ../assignment.run.requested/v1.schema.json})
 * resolve locally and nothing is ever fetched over the network. Compiled schemas are cached for the
 * life of the JVM and are safe to use from many threads.
 */
final class SchemaCatalog {

    /** Base of every schema's {@code $id}. */
    static final String ID_BASE = "https://tapipeline.github.io/schemas/";
    static final String ENVELOPE_RESOURCE = "schemas/envelope.schema.json";
    /** Schema keyword holding plain-words messages per keyword, used instead of the validator's own. */
    static final String ERROR_MESSAGE_KEYWORD = "errorMessage";
    /** At most this many problems are collected into an exception's details. */
    private static final int MAX_DETAILS = 20;

    private static final SchemaCatalog SHARED = new SchemaCatalog();

    private final SchemaRegistry registry;
    private final ConcurrentHashMap<String, Optional<Schema>> cache = new ConcurrentHashMap<>();

    private SchemaCatalog() {
        SchemaRegistryConfig config = SchemaRegistryConfig.builder()
                .formatAssertionsEnabled(true)
                // a schema may word a keyword's message itself, e.g. {"errorMessage": {"pattern": "..."}}
                // where the regular expression alone would not tell a reader what is wrong
                .errorMessageKeyword(ERROR_MESSAGE_KEYWORD)
                // messages (and the limits they name, "at most 20,000 items") read the same on every machine
                .locale(Locale.ENGLISH)
                .pathType(PathType.JSON_PATH)
                .build();
        this.registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12, builder -> builder
                .schemaRegistryConfig(config)
                .schemaIdResolvers(resolvers -> resolvers.mapPrefix(ID_BASE, "classpath:schemas/")));
    }

    static SchemaCatalog shared() {
        return SHARED;
    }

    /** The compiled schema at a class-path resource such as {@code schemas/audit/v1.schema.json}, if it exists. */
    Optional<Schema> find(String resource) {
        return cache.computeIfAbsent(resource, this::load);
    }

    Schema require(String resource) {
        return find(resource).orElseThrow(() -> new IllegalStateException("schema " + resource + " is not on the class path"));
    }

    private Optional<Schema> load(String resource) {
        if (SchemaCatalog.class.getClassLoader().getResource(resource) == null) {
            return Optional.empty();
        }
        if (!resource.startsWith("schemas/")) {
            throw new IllegalArgumentException("schema resources live under schemas/: " + resource);
        }
        Schema schema = registry.getSchema(SchemaLocation.of(ID_BASE + resource.substring("schemas/".length())));
        schema.initializeValidators();
        return Optional.of(schema);
    }

    /**
     * Validates {@code node}; returns the problems as {@code "<where>: <what>"} strings, where
     * {@code <where>} is {@code prefix} followed by the path inside the node (empty when valid).
     */
    static List<String> validate(Schema schema, JsonNode node, String prefix) {
        return check(schema, node, prefix).listed();
    }

    /**
     * The problems found: at most {@value #MAX_DETAILS} described, and how many there were in all.
     */
    record Problems(List<String> listed, int total) {
        boolean isEmpty() {
            return total == 0;
        }

        /** The first problem, and how many more there are. */
        String summary() {
            return listed.get(0) + (total > 1 ? " (and " + (total - 1) + " more)" : "");
        }
    }

    static Problems check(Schema schema, JsonNode node, String prefix) {
        List<Error> errors = schema.validate(node);
        if (errors.isEmpty()) {
            return new Problems(List.of(), 0);
        }
        List<String> listed = new ArrayList<>(Math.min(errors.size(), MAX_DETAILS));
        for (Error error : errors) {
            if (listed.size() == MAX_DETAILS) {
                break;
            }
            listed.add(describe(error, prefix));
        }
        return new Problems(List.copyOf(listed), errors.size());
    }

    private static String describe(Error error, String prefix) {
        String where = location(error.getInstanceLocation() == null ? "$" : error.getInstanceLocation().toString(), prefix);
        String message = error.getMessage();
        // Some versions put the location in front of the message already; keep it once.
        String raw = error.getInstanceLocation() == null ? null : error.getInstanceLocation().toString();
        if (raw != null && message != null && message.startsWith(raw + ": ")) {
            message = message.substring(raw.length() + 2);
        }
        return where + ": " + message;
    }

    /** Turns a JSON path like {@code $.courses[3].slots} into {@code payload.courses[3].slots}. */
    static String location(String jsonPath, String prefix) {
        String rest = jsonPath.startsWith("$") ? jsonPath.substring(1) : jsonPath;
        if (prefix.isEmpty()) {
            rest = rest.startsWith(".") ? rest.substring(1) : rest;
            return rest.isEmpty() ? "(root)" : rest;
        }
        return prefix + rest;
    }
}
