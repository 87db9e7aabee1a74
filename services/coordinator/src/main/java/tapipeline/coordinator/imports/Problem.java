package tapipeline.coordinator.imports;

/**
 * One thing found wrong (an error: nothing is applied) or likely wrong (a warning: shown in the
 * preview) in an import, with where it is: the file, its 1-based line and column, and the column's
 * header (or the JSON pointer of the field).
 *
 * @param line   1-based line in the file (the line a record starts on); 0 when the problem is the whole file
 * @param column 1-based column (CSV: field number; JSON: character); 0 when the problem is a whole line
 * @param field  the column header or JSON pointer; empty when none
 */
public record Problem(Severity severity, Code code, String file, int line, int column, String field, String message) {

    public enum Severity {
        ERROR, WARNING
    }

    /** The classes of problem, each tested with its line and column. */
    public enum Code {
        // errors
        ENCODING, CSV_SYNTAX, JSON_SYNTAX, SCHEMA, MISSING_COLUMN, DUPLICATE_COLUMN, FIELD_COUNT, MISSING_VALUE,
        NOT_A_NUMBER, OUT_OF_RANGE, BAD_TIME, BAD_BOOLEAN, BAD_KIND, INVALID, DUPLICATE_ID, DUPLICATE_ROW,
        UNKNOWN_COURSE, UNKNOWN_APPLICANT, SKILL_SPELLING, WRONG_TERM, UNKNOWN_FILE, BAD_EMAIL,
        // warnings (likely mistakes)
        UNKNOWN_COLUMN, TRAILING_SPACE, NAME_FOR_ID, NEAR_DUPLICATE, LARGE_REMOVAL
    }

    public static Problem error(Code code, String file, int line, int column, String field, String message) {
        return new Problem(Severity.ERROR, code, file, line, column, field, message);
    }

    public static Problem warning(Code code, String file, int line, int column, String field, String message) {
        return new Problem(Severity.WARNING, code, file, line, column, field, message);
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    /** {@code courses.csv, line 4, column 7 (hours_per_slot): ...} */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(file);
        if (line > 0) {
            sb.append(", line ").append(line);
        }
        if (column > 0) {
            sb.append(", column ").append(column);
        }
        if (!field.isEmpty()) {
            sb.append(" (").append(field).append(')');
        }
        return sb.append(": ").append(message).toString();
    }
}
