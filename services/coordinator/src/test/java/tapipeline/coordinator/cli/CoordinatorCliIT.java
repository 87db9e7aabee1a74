package tapipeline.coordinator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import tapipeline.coordinator.api.CoordinatorFixture;
import tapipeline.coordinator.imports.ImportCases;
import tapipeline.platform.testing.KafkaBrokerExtension;

/** {@code bin/coordinator} against a running coordinator: signs in, imports (refused, then applied), exports. */
@ExtendWith(KafkaBrokerExtension.class)
class CoordinatorCliIT {

    record Run(int exit, String out, String err) {
    }

    static Run cli(String... args) {
        CommandLine cl = CoordinatorCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void imports_with_every_problem_located_then_applies_and_exports(@TempDir Path dir) throws Exception {
        try (CoordinatorFixture f = new CoordinatorFixture(Map.of())) {
            Path password = dir.resolve("password");
            Files.writeString(password, CoordinatorFixture.PASSWORD + "\n");
            List<String> files = new ArrayList<>();
            for (Map.Entry<String, byte[]> e : ImportCases.valid().entrySet()) {
                Path p = dir.resolve(e.getKey());
                Files.write(p, e.getValue());
                files.add(p.toString());
            }
            String term = f.term();
            List<String> common = List.of("--url", f.base, "--user", f.coordinator, "--password-file", password.toString());

            Path bad = dir.resolve("bad").resolve("preferences.csv");
            Files.createDirectories(bad.getParent());
            Files.writeString(bad, "applicant_id,course_id,rating\na1,c9,5\na2,c2,x\n");
            List<String> args = new ArrayList<>(List.of("import"));
            args.addAll(common);
            args.addAll(List.of("--term", term, "--apply", "--reason", "cli import"));
            args.addAll(files.subList(0, 2));
            args.add(bad.toString());
            Run refused = cli(args.toArray(String[]::new));
            assertThat(refused.exit()).as(refused.out() + refused.err()).isEqualTo(1);
            assertThat(refused.out()).contains("error   preferences.csv, line 2, column 2 (course_id): no course has the id \"c9\"")
                    .contains("error   preferences.csv, line 3, column 3 (rating)").contains("nothing applied");
            assertThat(f.service.data().datasets().current(term)).isEmpty();

            args = new ArrayList<>(List.of("import"));
            args.addAll(common);
            args.addAll(List.of("--term", term, "--apply", "--reason", "cli import"));
            args.addAll(files);
            Run ok = cli(args.toArray(String[]::new));
            assertThat(ok.exit()).as(ok.out() + ok.err()).isZero();
            assertThat(ok.out()).contains("applied: " + term + " is now version 1");

            Path out = dir.resolve("export.csv");
            List<String> export = new ArrayList<>(List.of("export"));
            export.addAll(common);
            export.addAll(List.of("--term", term, "--kind", "applicants", "-o", out.toString()));
            Run exported = cli(export.toArray(String[]::new));
            assertThat(exported.exit()).as(exported.err()).isZero();
            assertThat(Files.readString(out, StandardCharsets.UTF_8)).startsWith("id,name,").contains("\"Bob \"\"Bobby\"\" Smith\"");

            List<String> wrong = new ArrayList<>(List.of("export", "--url", f.base, "--user", f.coordinator, "--password-file",
                    dir.resolve("bad").resolve("preferences.csv").toString(), "--term", term));
            Run denied = cli(wrong.toArray(String[]::new));
            assertThat(denied.exit()).isEqualTo(3);
            assertThat(denied.err()).contains("401");
        }
    }
}
