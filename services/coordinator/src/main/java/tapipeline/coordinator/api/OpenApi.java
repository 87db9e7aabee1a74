package tapipeline.coordinator.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The coordinator's OpenAPI 3.1 document, hand-written in pieces: {@code openapi/base.json} (info,
 * security, shared schemas) and one file of paths per half of the service ({@link #PATH_FILES}; the runs
 * half adds its own file there). Served at {@value #PATH}; {@code OpenApiTest} fails when a route of the
 * service's route table under {@code /api/} is missing from it, so it cannot drift.
 */
public final class OpenApi {

    public static final String PATH = "/api/openapi.json";

    /** The path files merged into the document. */
    public static final List<String> PATH_FILES = List.of("data-paths.json", "runs-paths.json", "scenarios-paths.json",
            "instructors-paths.json");

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static volatile byte[] cached;

    private OpenApi() {
    }

    public static JsonNode document() {
        ObjectNode doc = (ObjectNode) read("base.json");
        ObjectNode paths = (ObjectNode) doc.get("paths");
        for (String file : PATH_FILES) {
            JsonNode more = read(file);
            Iterator<Map.Entry<String, JsonNode>> it = more.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if (paths.has(e.getKey())) {
                    throw new IllegalStateException("OpenAPI path " + e.getKey() + " is in two files");
                }
                paths.set(e.getKey(), e.getValue());
            }
        }
        return doc;
    }

    /** The document's bytes (built once). */
    public static byte[] bytes() {
        byte[] b = cached;
        if (b == null) {
            try {
                b = MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(document());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            cached = b;
        }
        return b;
    }

    private static JsonNode read(String file) {
        try (InputStream in = OpenApi.class.getResourceAsStream("/tapipeline/coordinator/openapi/" + file)) {
            if (in == null) {
                throw new IllegalStateException("no OpenAPI file " + file);
            }
            return MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
