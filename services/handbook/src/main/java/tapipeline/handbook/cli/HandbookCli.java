package tapipeline.handbook.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tapipeline.handbook.HandbookRenderer;
import tapipeline.handbook.InvalidHandbookException;
import tapipeline.handbook.MissingGlyph;
import tapipeline.handbook.RenderOptions;
import tapipeline.handbook.RenderResult;
import tapipeline.handbook.ValidationReport;
import tapipeline.handbook.json.HandbookJson;
import tapipeline.handbook.model.ProgramContent;
import tapipeline.handbook.model.TermAssignment;
import tapipeline.handbook.validate.PdfValidator;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;

/** Renders a handbook from JSON files without Kafka: {@code render content.json [assignment.json] -o handbook.pdf [--validate]}. */
@Command(name = "handbook", mixinStandardHelpOptions = true, subcommands = HandbookCli.Render.class,
        description = "Program handbook tools.")
public final class HandbookCli implements Runnable {

    public static void main(String[] args) {
        System.exit(new CommandLine(new HandbookCli()).execute(args));
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    @Command(name = "render", mixinStandardHelpOptions = true,
            description = "Render content.json (handbook.content payload) and an optional assignment.json (assignment.approved payload) to PDF.")
    static final class Render implements Callable<Integer> {
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
            try {
                ProgramContent c = "sample".equals(content) ? HandbookJson.sampleContent() : HandbookJson.content(Path.of(content));
                Optional<TermAssignment> a = Optional.empty();
                if (assignment != null) {
                    a = Optional.of("sample".equals(assignment)
                            ? HandbookJson.assignment(HandbookCli.class.getResourceAsStream("/sample/approved-assignment.json"))
                            : HandbookJson.assignment(Path.of(assignment)));
                }
                long t0 = System.nanoTime();
                RenderResult r = new HandbookRenderer().render(c, a, new RenderOptions(site, false));
                long ms = (System.nanoTime() - t0) / 1_000_000;
                if (output.toAbsolutePath().getParent() != null) {
                    Files.createDirectories(output.toAbsolutePath().getParent());
                }
                Files.write(output, r.pdf());
                System.out.printf("wrote %s: %d pages, %d bytes, sha256 %s, %d ms%n", output, r.pages(), r.size(), r.sha256(), ms);
                for (MissingGlyph g : r.missingGlyphs()) {
                    System.out.printf("missing glyph %s in %s%n", g.label(), g.context());
                }
                if (validate) {
                    long v0 = System.nanoTime();
                    ValidationReport report = PdfValidator.validate(r.pdf());
                    System.out.printf("veraPDF took %d ms%n", (System.nanoTime() - v0) / 1_000_000);
                    report.messages().forEach(System.out::println);
                    return report.compliant() ? 0 : 3;
                }
                return 0;
            } catch (InvalidHandbookException e) {
                System.err.println("invalid input: " + e.getMessage());
                return 2;
            }
        }
    }
}
