package tapipeline.handbook.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import tapipeline.handbook.InvalidHandbookException;
import tapipeline.handbook.model.ProgramContent;
import tapipeline.handbook.model.TermAssignment;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Reads the handbook's inputs from JSON (the payload shapes of {@code handbook.content} and {@code assignment.approved}). */
public final class HandbookJson {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build();

    private HandbookJson() {}

    public static ProgramContent content(InputStream in) throws IOException {
        return read(in, ProgramContent.class, "content");
    }

    public static TermAssignment assignment(InputStream in) throws IOException {
        return read(in, TermAssignment.class, "assignment");
    }

    /** The sample program content shipped with this module (what the launcher loads). */
    public static ProgramContent sampleContent() {
        try (InputStream in = HandbookJson.class.getResourceAsStream("/sample/program-content.json")) {
            if (in == null) {
                throw new IllegalStateException("/sample/program-content.json is missing from the classpath");
            }
            return content(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> T read(InputStream in, Class<T> type, String root) throws IOException {
        try {
            T value = MAPPER.readValue(in, type);
            if (value == null) {
                throw new InvalidHandbookException(root, "is empty");
            }
            return value;
        } catch (JsonMappingException e) {
            StringBuilder path = new StringBuilder(root);
            for (JsonMappingException.Reference r : e.getPath()) {
                if (r.getFieldName() != null) {
                    path.append('.').append(r.getFieldName());
                } else if (r.getIndex() >= 0) {
                    path.append('[').append(r.getIndex()).append(']');
                }
            }
            throw new InvalidHandbookException(path.toString(), "cannot be read: " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw new InvalidHandbookException(root, "is not valid JSON: " + e.getOriginalMessage());
        }
    }

    /** Canonical bytes of the inputs, hashed to derive the PDF's dates and /ID. */
    public static byte[] canonical(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
