package tapipeline.coordinator.imports;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import tapipeline.platform.kafka.Events;
import tapipeline.schemas.EventCodec;
import tapipeline.schemas.EventTypes;
import tapipeline.schemas.assignment.Applicant;
import tapipeline.schemas.assignment.Course;
import tapipeline.schemas.assignment.InstructorPreference;
import tapipeline.schemas.assignment.Pin;
import tapipeline.schemas.assignment.Preference;
import tapipeline.schemas.coordinator.ApplicantContact;
import tapipeline.schemas.coordinator.CourseDetail;

/**
 * Reads a dataset from JSON: the {@code coordinator.datasets} payload (its {@code term} and
 * {@code version} optional; a problem file of {@code bin/solver generate} works too, its run-only
 * fields ignored with a warning). The document is checked against the dataset's JSON Schema, and
 * every problem names the line and column of the value at fault and its JSON pointer.
 */
public final class JsonDataset {

    /** The kinds the document holds (absent kinds keep the current dataset's items), and the problems. */
    public record Parsed(Map<ImportKind, List<? extends Located<?>>> items, List<Located<Pin>> pins, boolean hasPins,
                         List<Problem> problems, List<Located<ApplicantContact>> contacts,
                         List<Located<CourseDetail>> courseDetails) {
        /** Without contacts or details: null for each means "the document has none, keep the current ones". */
        public Parsed(Map<ImportKind, List<? extends Located<?>>> items, List<Located<Pin>> pins, boolean hasPins,
                      List<Problem> problems) {
            this(items, pins, hasPins, problems, null, null);
        }
    }

    private static final ObjectMapper MAPPER = EventCodec.objectMapper();
    private static final List<String> RUN_ONLY = List.of("runId", "department", "previousAssignment", "settings");
    private static final Pattern SCHEMA_LOCATION = Pattern.compile("^payload((?:\\.[A-Za-z]\\w*|\\[\\d+])*)");

    private JsonDataset() {
    }

    public static Parsed read(String file, byte[] bytes, String term) {
        List<Problem> problems = new ArrayList<>();
        Map<String, JsonLocation> at = new HashMap<>();
        JsonNode root;
        try (JsonParser p = MAPPER.getFactory().createParser(bytes)) {
            if (p.nextToken() == null) {
                problems.add(Problem.error(Problem.Code.JSON_SYNTAX, file, 1, 1, "", "the file is empty"));
                return new Parsed(Map.of(), List.of(), false, problems);
            }
            root = walk(p, "", at);
            if (p.nextToken() != null) {
                JsonLocation l = p.currentTokenLocation();
                problems.add(Problem.error(Problem.Code.JSON_SYNTAX, file, l.getLineNr(), l.getColumnNr(), "",
                        "more JSON after the end of the document"));
                return new Parsed(Map.of(), List.of(), false, problems);
            }
        } catch (JsonProcessingException e) {
            JsonLocation l = e.getLocation();
            problems.add(Problem.error(Problem.Code.JSON_SYNTAX, file, l == null ? 1 : l.getLineNr(),
                    l == null ? 0 : l.getColumnNr(), "", "not valid JSON: " + e.getOriginalMessage()));
            return new Parsed(Map.of(), List.of(), false, problems);
        } catch (IOException e) {
            problems.add(Problem.error(Problem.Code.JSON_SYNTAX, file, 1, 0, "", "cannot read the JSON: " + e.getMessage()));
            return new Parsed(Map.of(), List.of(), false, problems);
        }
        if (!(root instanceof ObjectNode doc)) {
            problems.add(Problem.error(Problem.Code.SCHEMA, file, 1, 1, "", "expected a JSON object with courses, applicants, ..."));
            return new Parsed(Map.of(), List.of(), false, problems);
        }
        for (String field : RUN_ONLY) {
            if (doc.has(field)) {
                problems.add(warning(file, at, "/" + field, Problem.Code.UNKNOWN_COLUMN,
                        "\"" + field + "\" belongs to a run request, not a dataset: ignored"));
                doc.remove(field);
            }
        }
        if (doc.hasNonNull("term") && !doc.get("term").asText().equals(term)) {
            problems.add(error(file, at, "/term", Problem.Code.WRONG_TERM,
                    "the file is for term \"" + doc.get("term").asText() + "\", this import is for \"" + term + "\""));
        }
        doc.put("term", term);
        doc.put("version", 1);
        for (String message : Events.codec().validatePayload(EventTypes.COORDINATOR_DATASETS,
                EventTypes.COORDINATOR_DATASETS.currentVersion(), doc)) {
            int colon = message.indexOf(": ");
            String pointer = pointerOf(colon < 0 ? message : message.substring(0, colon));
            problems.add(error(file, at, pointer, Problem.Code.SCHEMA, colon < 0 ? message : message.substring(colon + 2)));
        }
        if (!problems.stream().filter(Problem::isError).toList().isEmpty()) {
            return new Parsed(Map.of(), List.of(), false, problems);
        }
        Map<ImportKind, List<? extends Located<?>>> items = new java.util.EnumMap<>(ImportKind.class);
        if (doc.has("courses")) {
            items.put(ImportKind.COURSES, bind(file, doc, "courses", Course.class, at, problems));
        }
        if (doc.has("applicants")) {
            items.put(ImportKind.APPLICANTS, bind(file, doc, "applicants", Applicant.class, at, problems));
        }
        if (doc.has("preferences")) {
            items.put(ImportKind.PREFERENCES, bind(file, doc, "preferences", Preference.class, at, problems));
        }
        if (doc.has("instructorPreferences")) {
            items.put(ImportKind.INSTRUCTOR_REQUESTS,
                    bind(file, doc, "instructorPreferences", InstructorPreference.class, at, problems));
        }
        List<Located<Pin>> pins = doc.has("pins") ? bind(file, doc, "pins", Pin.class, at, problems) : List.of();
        List<Located<ApplicantContact>> contacts = doc.has("contacts")
                ? bind(file, doc, "contacts", ApplicantContact.class, at, problems) : null;
        List<Located<CourseDetail>> details = doc.has("courseDetails")
                ? bind(file, doc, "courseDetails", CourseDetail.class, at, problems) : null;
        return new Parsed(items, pins, doc.has("pins"), problems, contacts, details);
    }

    private static <T> List<Located<T>> bind(String file, ObjectNode doc, String property, Class<T> type,
                                             Map<String, JsonLocation> at, List<Problem> problems) {
        List<Located<T>> out = new ArrayList<>();
        ArrayNode array = (ArrayNode) doc.get(property);
        for (int i = 0; i < array.size(); i++) {
            String pointer = "/" + property + "/" + i;
            JsonNode node = array.get(i);
            Map<String, Where.Pos> fields = new HashMap<>();
            Iterator<String> names = node.fieldNames();
            while (names.hasNext()) {
                String name = names.next();
                JsonLocation l = at.get(pointer + "/" + name);
                if (l != null) {
                    fields.put(name, new Where.Pos(l.getLineNr(), l.getColumnNr(), pointer + "/" + name));
                }
            }
            JsonLocation l = at.get(pointer);
            Where where = new Where(file, l == null ? 0 : l.getLineNr(), fields);
            try {
                out.add(new Located<>(MAPPER.treeToValue(node, type), where));
            } catch (JsonProcessingException e) {
                Throwable cause = e.getCause() instanceof IllegalArgumentException iae ? iae : e;
                String message = cause == e ? e.getOriginalMessage() : cause.getMessage();
                Matcher m = Pattern.compile("^\\w+\\.(\\w+)").matcher(message == null ? "" : message);
                String field = m.find() ? m.group(1) : "";
                Where.Pos pos = fields.getOrDefault(field, new Where.Pos(where.line(), l == null ? 0 : l.getColumnNr(), pointer));
                problems.add(Problem.error(Problem.Code.INVALID, file, pos.line(), pos.column(), pos.label(), message));
            }
        }
        return out;
    }

    /** Reads the document into a tree, noting where each value starts under its JSON pointer. */
    private static JsonNode walk(JsonParser p, String pointer, Map<String, JsonLocation> at) throws IOException {
        at.put(pointer, p.currentTokenLocation());
        JsonToken t = p.currentToken();
        if (t == JsonToken.START_OBJECT) {
            ObjectNode o = MAPPER.createObjectNode();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                o.set(name, walk(p, pointer + "/" + name.replace("~", "~0").replace("/", "~1"), at));
            }
            return o;
        }
        if (t == JsonToken.START_ARRAY) {
            ArrayNode a = MAPPER.createArrayNode();
            int i = 0;
            while (p.nextToken() != JsonToken.END_ARRAY) {
                a.add(walk(p, pointer + "/" + i++, at));
            }
            return a;
        }
        var nodes = MAPPER.getNodeFactory();
        return switch (t) {
            case VALUE_STRING -> nodes.textNode(p.getText());
            case VALUE_NUMBER_INT -> switch (p.getNumberType()) {
                case INT -> nodes.numberNode(p.getIntValue());
                case LONG -> nodes.numberNode(p.getLongValue());
                default -> nodes.numberNode(p.getBigIntegerValue());
            };
            case VALUE_NUMBER_FLOAT -> nodes.numberNode(p.getDecimalValue());
            case VALUE_TRUE -> nodes.booleanNode(true);
            case VALUE_FALSE -> nodes.booleanNode(false);
            default -> nodes.nullNode();
        };
    }

    /** {@code payload.courses[3].slots} → {@code /courses/3/slots}. */
    static String pointerOf(String schemaLocation) {
        Matcher m = SCHEMA_LOCATION.matcher(schemaLocation);
        if (!m.find()) {
            return "";
        }
        return m.group(1).replaceAll("\\[(\\d+)]", "/$1").replace('.', '/');
    }

    private static Problem error(String file, Map<String, JsonLocation> at, String pointer, Problem.Code code, String message) {
        return locate(Problem.Severity.ERROR, file, at, pointer, code, message);
    }

    private static Problem warning(String file, Map<String, JsonLocation> at, String pointer, Problem.Code code, String message) {
        return locate(Problem.Severity.WARNING, file, at, pointer, code, message);
    }

    /** Places a problem at its pointer's value, or the nearest enclosing value the document has. */
    private static Problem locate(Problem.Severity severity, String file, Map<String, JsonLocation> at, String pointer,
                                  Problem.Code code, String message) {
        String p = pointer;
        while (!at.containsKey(p) && !p.isEmpty()) {
            p = p.substring(0, p.lastIndexOf('/'));
        }
        JsonLocation l = at.get(p);
        return new Problem(severity, code, file, l == null ? 1 : l.getLineNr(), l == null ? 0 : l.getColumnNr(),
                pointer.isEmpty() ? "(root)" : pointer, message);
    }
}
