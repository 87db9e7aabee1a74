package tapipeline.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/** A markdown table printed to stdout and written to a results file, with the machine it ran on. */
public final class BenchTable {

    private final String title;
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    public BenchTable(String title, String... header) {
        this.title = title;
        this.header = List.of(header);
    }

    public BenchTable row(Object... cells) {
        List<String> r = new ArrayList<>();
        for (Object c : cells) {
            r.add(String.valueOf(c));
        }
        rows.add(r);
        return this;
    }

    public BenchTable note(String note) {
        notes.add(note);
        return this;
    }

    public String markdown() {
        StringBuilder sb = new StringBuilder();
        sb.append("# ").append(title).append("\n\n");
        sb.append("Run ").append(ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME))
                .append(" on ").append(Runtime.getRuntime().availableProcessors()).append(" cores, Java ")
                .append(System.getProperty("java.version")).append(", max heap ")
                .append(Runtime.getRuntime().maxMemory() / (1024 * 1024)).append(" MB, JVM args ")
                .append(ManagementFactory.getRuntimeMXBean().getInputArguments()).append(".\n\n");
        sb.append("| ").append(String.join(" | ", header)).append(" |\n");
        sb.append("|").append("---|".repeat(header.size())).append("\n");
        for (List<String> r : rows) {
            sb.append("| ").append(String.join(" | ", r)).append(" |\n");
        }
        if (!notes.isEmpty()) {
            sb.append("\n");
            notes.forEach(n -> sb.append("- ").append(n).append("\n"));
        }
        return sb.toString();
    }

    /** Prints the table and, when {@code file} is given, writes it there. */
    public void publish(Path file) throws IOException {
        String md = markdown();
        System.out.println(md);
        if (file != null) {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Files.writeString(file, md, StandardCharsets.UTF_8);
            System.out.println("written to " + file);
        }
    }
}
