package tapipeline.coordinator.imports;

import java.util.Map;

/**
 * Where an imported item came from: its file, the line it starts on, and the position of each of its
 * fields (CSV: the field's column number; JSON: line and character of the value).
 */
public record Where(String file, int line, Map<String, Pos> fields) {

    /** A field's position and the name to show for it (CSV header or JSON pointer). */
    public record Pos(int line, int column, String label) {
    }

    public Where {
        fields = Map.copyOf(fields);
    }

    /** The position of a field; the item's own line when the field is absent. */
    public Pos of(String field) {
        Pos p = fields.get(field);
        return p != null ? p : new Pos(line, 0, field);
    }

    public Problem error(Problem.Code code, String field, String message) {
        Pos p = of(field);
        return Problem.error(code, file, p.line(), p.column(), p.label(), message);
    }

    public Problem warning(Problem.Code code, String field, String message) {
        Pos p = of(field);
        return Problem.warning(code, file, p.line(), p.column(), p.label(), message);
    }
}
