package tapipeline.handbook.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tapipeline.handbook.HandbookRenderer;
import tapipeline.handbook.InvalidHandbookException;
import tapipeline.handbook.MissingGlyph;
import tapipeline.handbook.RenderOptions;
import tapipeline.handbook.RenderResult;
import tapipeline.handbook.ValidationReport;
import tapipeline.handbook.validate.PdfValidator;
import tapipeline.schemas.EventCodec;
import tapipeline.schemas.EventType;
import tapipeline.schemas.EventTypes;
import tapipeline.schemas.RejectedEventException;
import tapipeline.schemas.assignment.AssignmentApproved;
import tapipeline.schemas.handbook.HandbookContent;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders a handbook from JSON files without Kafka: {@code render content.json [assignment.json] -o handbook.pdf [--validate]}
 * ({@code bin/handbook}). The files are event payloads, validated against the event schemas before
 * anything is rendered, as the service's consumer validates the events.
 */
@Command(name = "handbook", mixinStandardHelpOptions = true, subcommands = HandbookCli.Render.class,
        description = "Program handbook tools.")
public final class HandbookCli implements Runnable {

    /** Exit code for input that is not valid JSON, breaks its schema, or cannot make a handbook. */
    static final int INVALID_INPUT = 2;
    /** Exit code when {@code --validate} finds the PDF not compliant. */
    static final int NOT_COMPLIANT = 3;

    public static void main(String[] args) {
        System.exit(new CommandLine(new HandbookCli()).execute(args));
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    @Command(name = "render", mixinStandardHelpOptions = true,
            description = "Render content.json (handbook.content payload) and an optional assignment.json (assignment.approved payload) to PDF."
                    + " Both are checked against the event schemas first; exit codes: 0 ok, 2 invalid input, 3 not compliant (--validate).")
    static final class Render implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", description = "program content JSON; 'sample' for the shipped sample")
        String content;

        @Parameters(index = "1", arity = "0..1", description = "approved TA assignment JSON; 'sample' for the shipped sample")
        String assignment;

        @Option(names = {"-o", "--output"}, required = true, description = "PDF file to write")
        Path output;

        @Option(names = "--validate", description = "check the result with veraPDF (PDF/UA-1, PDF/A-2a)")
        boolean validate;

        @Option(names = "--site", description = "base URL for site-relative links (default ${DEFAULT-VALUE})",
                defaultValue = "http://localhost:8080/")
        URI site;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try {
                HandbookContent c = read(content, "/sample/program-content.json", EventTypes.HANDBOOK_CONTENT);
                Optional<AssignmentApproved> a = assignment == null ? Optional.empty()
                        : Optional.of(read(assignment, "/sample/approved-assignment.json", EventTypes.ASSIGNMENT_APPROVED));
                long t0 = System.nanoTime();
                RenderResult r = new HandbookRenderer().render(c, a, new RenderOptions(site, false));
                long ms = (System.nanoTime() - t0) / 1_000_000;
                if (output.toAbsolutePath().getParent() != null) {
                    Files.createDirectories(output.toAbsolutePath().getParent());
                }
                Files.write(output, r.pdf());
                out.printf("wrote %s: %d pages, %d bytes, sha256 %s, %d ms%n", output, r.pages(), r.size(), r.sha256(), ms);
                for (MissingGlyph g : r.missingGlyphs()) {
                    out.printf("missing glyph %s in %s%n", g.label(), g.context());
                }
                if (validate) {
                    long v0 = System.nanoTime();
                    ValidationReport report = PdfValidator.validate(r.pdf());
                    out.printf("veraPDF took %d ms%n", (System.nanoTime() - v0) / 1_000_000);
                    report.messages().forEach(out::println);
                    return report.compliant() ? 0 : NOT_COMPLIANT;
                }
                return 0;
            } catch (BadInputFile e) {
                e.lines.forEach(err::println);
                return INVALID_INPUT;
            } catch (InvalidHandbookException e) {
                String file = e.field().startsWith("assignment") ? assignment : content;
                err.println("invalid input: " + file + ": " + e.getMessage());
                return INVALID_INPUT;
            } finally {
                out.flush();
                err.flush();
            }
        }

        /** The file (or the shipped sample) as a payload of {@code type}, checked against its schema. */
        private static <T> T read(String file, String sampleResource, EventType<T> type) throws BadInputFile {
            byte[] bytes;
            try {
                bytes = "sample".equals(file) ? sample(sampleResource) : Files.readAllBytes(Path.of(file));
            } catch (IOException e) {
                throw new BadInputFile(List.of("invalid input: cannot read " + file + ": "
                        + (e instanceof NoSuchFileException ? "no such file" : e.getMessage())));
            }
            try {
                return EventCodec.standard().decodePayload(bytes, type);
            } catch (RejectedEventException e) {
                throw new BadInputFile(describe(file, type, e));
            }
        }

        private static byte[] sample(String resource) throws IOException {
            try (InputStream in = HandbookCli.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IOException(resource + " is missing from the classpath");
                }
                return in.readAllBytes();
            }
        }
    }

    private static final Pattern MORE = Pattern.compile("\\(and (\\d+) more\\)$");

    /**
     * What is wrong with a file, one line each: the file, where in it as a JSON pointer (RFC 6901),
     * and the rule it breaks, e.g. {@code content.json at /edition: does not match the regex pattern ...}.
     */
    static List<String> describe(String file, EventType<?> type, RejectedEventException e) {
        List<String> lines = new ArrayList<>();
        lines.add("invalid input: " + file + (e.reason() == RejectedEventException.Reason.MALFORMED_JSON
                ? " is not valid JSON for a " + type.name() + " payload:" : " is not a valid " + type.name() + " payload:"));
        for (String detail : e.details()) {
            lines.add("  " + file + locate(detail));
        }
        Matcher more = MORE.matcher(e.getMessage());
        int total = more.find() ? Integer.parseInt(more.group(1)) + 1 : e.details().size();
        if (total > e.details().size()) {
            lines.add("  (" + (total - e.details().size()) + " more problems not listed)");
        }
        return lines;
    }

    private static final Pattern STEP = Pattern.compile("\\.([A-Za-z0-9_$-]+)|\\[(\\d+)]");

    /**
     * A codec problem ({@code payload.courses[3].title: message}) with its location turned into a
     * JSON pointer: {@code " at /courses/3/title: message"}; other problems (malformed JSON, which
     * name a line and column) unchanged after ": ".
     */
    static String locate(String detail) {
        int colon = detail.indexOf(": ");
        if (!detail.startsWith("payload") || colon < 0) {
            return ": " + detail;
        }
        String path = detail.substring("payload".length(), colon);
        String what = detail.substring(colon + 2);
        StringBuilder pointer = new StringBuilder();
        Matcher m = STEP.matcher(path);
        int end = 0;
        while (m.find() && m.start() == end) {
            // names with '~' or '/' (escaped in pointers) are not matched, so they keep the codec's form
            pointer.append('/').append(m.group(1) != null ? m.group(1) : m.group(2));
            end = m.end();
        }
        if (end != path.length()) {
            return " at payload" + path + ": " + what;   // a location this does not parse: as the codec gave it
        }
        return pointer.isEmpty() ? " at the top level: " + what : " at " + pointer + ": " + what;
    }

    /** The lines saying why an input file was refused. */
    private static final class BadInputFile extends Exception {
        final List<String> lines;

        BadInputFile(List<String> lines) {
            super(String.join("\n", lines));
            this.lines = lines;
        }
    }
}
