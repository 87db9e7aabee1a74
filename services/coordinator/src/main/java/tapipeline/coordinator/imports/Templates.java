package tapipeline.coordinator.imports;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/** The downloadable CSV template of each kind: its header and one example row (CRLF, UTF-8, no BOM). */
public final class Templates {

    private Templates() {
    }

    public static String csv(ImportKind kind) {
        StringWriter out = new StringWriter();
        try (CSVPrinter p = new CSVPrinter(out, CSVFormat.RFC4180)) {
            p.printRecord(kind.columns().stream().map(ImportKind.Column::header).toList());
            p.printRecord(kind.columns().stream().map(ImportKind.Column::example).toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
