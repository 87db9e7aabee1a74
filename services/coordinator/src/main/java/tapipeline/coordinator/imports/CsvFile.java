package tapipeline.coordinator.imports;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads one CSV file of an import into rows of named cells, with the line each row starts on and
 * each cell's column, through commons-csv (RFC 4180: quoted fields with commas, quotes and line
 * breaks; CRLF or LF). The bytes must be UTF-8, with or without a byte-order mark. The first record
 * is the header; its names are matched to the kind's columns ignoring case; a column the kind does
 * not know is reported (a warning: its values are not imported), a required one missing is an error.
 */
public final class CsvFile {

    /** One data row: the line it starts on and its cells by field name. */
    public record Row(int line, Map<String, Cell> cells) {
        /** The trimmed value of a field, or "" when the column is absent or empty. */
        public String value(String field) {
            Cell c = cells.get(field);
            return c == null ? "" : c.value();
        }
    }

    /** A cell: its value (surrounding spaces removed) and its 1-based column. */
    public record Cell(String value, int column, String header) {
    }

    /** The rows read and the problems found in the file itself. */
    public record Parsed(List<Row> rows, List<Problem> problems, List<String> headers) {
    }

    private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder().setIgnoreEmptyLines(true).get();

    private CsvFile() {
    }

    public static Parsed read(String file, byte[] bytes, ImportKind kind) {
        List<Problem> problems = new ArrayList<>();
        String text;
        try {
            text = decode(bytes);
        } catch (MalformedInputException e) {
            return new Parsed(List.of(), List.of(encodingProblem(file, bytes)), List.of());
        } catch (CharacterCodingException e) {
            return new Parsed(List.of(), List.of(encodingProblem(file, bytes)), List.of());
        }
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        int[] lineStarts = lineStarts(text);
        List<Row> rows = new ArrayList<>();
        List<String> headers = new ArrayList<>();
        try (CSVParser parser = CSVParser.parse(new StringReader(text), FORMAT)) {
            Map<Integer, ImportKind.Column> columnAt = new HashMap<>();
            int headerSize = -1;
            try {
                for (CSVRecord record : parser) {
                    int line = lineOf(lineStarts, record.getCharacterPosition());
                    if (headerSize < 0) {
                        headerSize = record.size();
                        readHeader(file, kind, record, line, columnAt, headers, problems);
                        continue;
                    }
                    if (record.size() == 1 && record.get(0).isBlank()) {
                        continue;
                    }
                    if (record.size() != headerSize) {
                        problems.add(Problem.error(Problem.Code.FIELD_COUNT, file, line, 0, "",
                                "this row has " + record.size() + " fields, the header has " + headerSize
                                        + " (a comma inside a value needs the value in double quotes)"));
                    }
                    Map<String, Cell> cells = new LinkedHashMap<>();
                    for (int i = 0; i < record.size(); i++) {
                        ImportKind.Column c = columnAt.get(i);
                        if (c == null) {
                            continue;
                        }
                        String raw = record.get(i);
                        String value = raw.strip();
                        if (!value.equals(raw) && !value.isEmpty()) {
                            problems.add(Problem.warning(Problem.Code.TRAILING_SPACE, file, line, i + 1,
                                    headers.get(i), "spaces around \"" + value + "\" (removed on import)"));
                        }
                        if (value.length() > 1 && value.charAt(0) == '\'' && "=+-@".indexOf(value.charAt(1)) >= 0) {
                            value = value.substring(1); // a formula our export neutralised
                        }
                        cells.put(c.field(), new Cell(value, i + 1, headers.get(i)));
                    }
                    rows.add(new Row(line, cells));
                }
            } catch (UncheckedIOException e) {
                int line = (int) Math.max(1, parser.getCurrentLineNumber());
                problems.add(Problem.error(Problem.Code.CSV_SYNTAX, file, line, 0, "",
                        "cannot read the CSV here: " + plain(e.getCause() == null ? e : e.getCause())
                                + " (a double quote inside a quoted value is written twice: \"\")"));
            }
            if (headerSize < 0) {
                problems.add(Problem.error(Problem.Code.MISSING_COLUMN, file, 1, 0, "",
                        "the file is empty: it needs a header line naming its columns"));
            }
        } catch (IOException e) {
            problems.add(Problem.error(Problem.Code.CSV_SYNTAX, file, 1, 0, "", "cannot read the CSV: " + plain(e)));
        }
        return new Parsed(rows, problems, headers);
    }

    private static void readHeader(String file, ImportKind kind, CSVRecord record, int line,
                                   Map<Integer, ImportKind.Column> columnAt, List<String> headers,
                                   List<Problem> problems) {
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < record.size(); i++) {
            String header = record.get(i).strip();
            headers.add(header);
            var column = kind.column(header);
            if (column.isEmpty()) {
                problems.add(Problem.warning(Problem.Code.UNKNOWN_COLUMN, file, line, i + 1, header,
                        "unknown column \"" + header + "\": its values are not imported (the " + kind.fileStem()
                                + " columns are " + kind.columns().stream().map(ImportKind.Column::header).toList() + ")"));
                continue;
            }
            Integer before = seen.putIfAbsent(column.get().field(), i + 1);
            if (before != null) {
                problems.add(Problem.error(Problem.Code.DUPLICATE_COLUMN, file, line, i + 1, header,
                        "column \"" + header + "\" is the same column as column " + before));
                continue;
            }
            columnAt.put(i, column.get());
        }
        for (ImportKind.Column c : kind.columns()) {
            if (c.required() && !seen.containsKey(c.field())) {
                problems.add(Problem.error(Problem.Code.MISSING_COLUMN, file, line, 0, c.header(),
                        "required column \"" + c.header() + "\" is missing (" + c.description() + ")"));
            }
        }
    }

    private static String decode(byte[] bytes) throws CharacterCodingException {
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        return d.decode(ByteBuffer.wrap(bytes)).toString();
    }

    /** Names the line and column (in characters) of the first byte that is not UTF-8. */
    private static Problem encodingProblem(String file, byte[] bytes) {
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        java.nio.CharBuffer out = java.nio.CharBuffer.allocate(bytes.length + 1);
        d.decode(in, out, true);
        int bad = in.position();
        out.flip();
        String before = out.toString();
        int line = 1;
        int column = 1;
        for (int i = 0; i < before.length(); i++) {
            if (before.charAt(i) == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return Problem.error(Problem.Code.ENCODING, file, line, column, "",
                "not UTF-8 text (byte " + (bad + 1) + "): save the file as \"CSV UTF-8\"");
    }

    private static int[] lineStarts(String text) {
        int[] starts = new int[16];
        int n = 0;
        starts[n++] = 0;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (ch == '\n' || (ch == '\r' && (i + 1 >= text.length() || text.charAt(i + 1) != '\n'))) {
                if (n == starts.length) {
                    starts = Arrays.copyOf(starts, n * 2);
                }
                starts[n++] = i + 1;
            }
        }
        return Arrays.copyOf(starts, n);
    }

    private static int lineOf(int[] lineStarts, long position) {
        int i = Arrays.binarySearch(lineStarts, (int) position);
        return (i >= 0 ? i : -i - 2) + 1;
    }

    private static String plain(Throwable e) {
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m;
    }
}
