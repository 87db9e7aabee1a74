package tapipeline.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Keeps the event types, the schema files and the Java records from drifting apart. */
class SchemaCatalogueTest {

    private static final String DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema";

    static Stream<EventType<?>> types() {
        return EventTypes.all().stream();
    }

    @Test
    void everyEventTypeHasASchemaFileForEveryVersion() {
        for (EventType<?> type : EventTypes.all()) {
            for (int version = 1; version <= type.currentVersion(); version++) {
                assertThat(getClass().getClassLoader().getResource(type.schemaResource(version)))
                        .as(type.schemaResource(version)).isNotNull();
            }
        }
    }

    @Test
    void everySchemaFileBelongsToAnEventType() throws Exception {
        Path root = mainSchemaRoot();
        List<String> strays = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String relative = root.relativize(file).toString().replace('\\', '/');
                if (relative.equals("envelope.schema.json")) {
                    continue;
                }
                String[] parts = relative.split("/");
                var type = EventTypes.byName(parts[0]);
                boolean known = parts.length == 2 && type.isPresent() && parts[1].matches("v[1-9][0-9]*\\.schema\\.json")
                        && Integer.parseInt(parts[1].substring(1, parts[1].indexOf('.'))) <= type.get().currentVersion();
                if (!known) {
                    strays.add(relative);
                }
            }
        }
        assertThat(strays).as("schema files without a matching EventTypes constant and version").isEmpty();
        try (Stream<Path> dirs = Files.list(root)) {
            assertThat(dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString()).collect(Collectors.toSet()))
                    .containsExactlyInAnyOrderElementsOf(EventTypes.all().stream().map(EventType::name).toList());
        }
    }

    @Test
    void everySchemaFileIsAValidDraft2020_12SchemaWithItsOwnId() throws Exception {
        Schema metaSchema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                .getSchema(SchemaLocation.of(DRAFT_2020_12));
        Path root = mainSchemaRoot();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String relative = root.relativize(file).toString().replace('\\', '/');
                JsonNode schema = EventCodec.objectMapper().readTree(file.toFile());
                assertThat(metaSchema.validate(schema)).as(relative).isEmpty();
                assertThat(schema.path("$schema").asText()).as(relative).isEqualTo(DRAFT_2020_12);
                assertThat(schema.path("$id").asText()).as(relative).isEqualTo(SchemaCatalog.ID_BASE + relative);
                assertThat(schema.path("additionalProperties").asBoolean(true)).as(relative + " is closed").isFalse();
            }
        }
    }

    @Test
    void schemasAreCompiledOnce() {
        SchemaCatalog catalog = SchemaCatalog.shared();
        String resource = EventTypes.AUDIT.schemaResource(1);

        assertThat(catalog.require(resource)).isSameAs(catalog.require(resource));
        assertThat(catalog.find("schemas/audit/v99.schema.json")).isEmpty();
    }

    /**
     * Each record component has a schema property of the same name and vice versa, recursively
     * through nested records and lists of records.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("types")
    void recordComponentsMatchSchemaProperties(EventType<?> type) throws IOException {
        String resource = type.schemaResource(type.currentVersion());
        JsonNode document = load(resource);
        List<String> mismatches = new ArrayList<>();
        compare(type.payloadClass(), document, document, resource, "payload", mismatches);
        assertThat(mismatches).isEmpty();
    }

    private void compare(Class<?> record, JsonNode schema, JsonNode document, String resource, String path,
                         List<String> mismatches) throws IOException {
        Resolved resolved = resolve(schema, document, resource);
        JsonNode properties = resolved.schema.path("properties");
        Set<String> schemaNames = new TreeSet<>();
        for (Iterator<String> names = properties.fieldNames(); names.hasNext(); ) {
            schemaNames.add(names.next());
        }
        RecordComponent[] components = record.getRecordComponents();
        Set<String> recordNames = Arrays.stream(components).map(RecordComponent::getName)
                .collect(Collectors.toCollection(TreeSet::new));
        if (!schemaNames.equals(recordNames)) {
            mismatches.add(path + ": record " + record.getSimpleName() + " has " + recordNames + ", schema has " + schemaNames);
            return;
        }
        for (RecordComponent component : components) {
            JsonNode property = properties.get(component.getName());
            Class<?> nested = nestedRecord(component.getGenericType());
            if (nested == null) {
                continue;
            }
            Resolved target = resolve(property, resolved.document, resolved.resource);
            JsonNode objectSchema = List.class.isAssignableFrom(component.getType()) ? target.schema.get("items") : target.schema;
            compare(nested, objectSchema, target.document, target.resource, path + "." + component.getName(), mismatches);
        }
    }

    private static Class<?> nestedRecord(Type type) {
        if (type instanceof Class<?> c && c.isRecord()) {
            return c;
        }
        if (type instanceof ParameterizedType p && p.getRawType() == List.class
                && p.getActualTypeArguments()[0] instanceof Class<?> element && element.isRecord()) {
            return element;
        }
        return null;
    }

    private record Resolved(JsonNode schema, JsonNode document, String resource) {
    }

    /** Follows {@code $ref} (same file or a sibling schema file) and the non-null branch of {@code anyOf}. */
    private Resolved resolve(JsonNode schema, JsonNode document, String resource) throws IOException {
        if (schema.has("anyOf")) {
            for (JsonNode branch : schema.get("anyOf")) {
                if (!"null".equals(branch.path("type").asText())) {
                    return resolve(branch, document, resource);
                }
            }
        }
        if (!schema.has("$ref")) {
            return new Resolved(schema, document, resource);
        }
        String ref = schema.get("$ref").asText();
        int hash = ref.indexOf('#');
        String file = ref.substring(0, hash);
        String pointer = ref.substring(hash + 1);
        if (file.isEmpty()) {
            return resolve(document.at(pointer), document, resource);
        }
        String otherResource = Path.of(resource).getParent().resolve(file).normalize().toString().replace('\\', '/');
        JsonNode other = load(otherResource);
        return resolve(other.at(pointer), other, otherResource);
    }

    private JsonNode load(String resource) throws IOException {
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            return EventCodec.objectMapper().readTree(in);
        }
    }

    /** The schemas directory of the main resources (the test resources hold a made-up type of their own). */
    private Path mainSchemaRoot() throws URISyntaxException {
        return Path.of(getClass().getClassLoader().getResource(SchemaCatalog.ENVELOPE_RESOURCE).toURI()).getParent();
    }
}
