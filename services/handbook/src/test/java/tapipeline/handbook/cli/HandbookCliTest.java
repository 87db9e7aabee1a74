package tapipeline.handbook.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code render} checks its files against the event schemas before rendering, and says where and which rule. */
class HandbookCliTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = new CommandLine(new HandbookCli());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void contentThatBreaksItsSchemaIsRefusedNamingTheFileThePointerAndTheRule() throws Exception {
        ObjectNode content = sample("/sample/program-content.json");
        content.put("edition", "2026");
        ((ObjectNode) content.at("/curriculum/semesters/1/courses/0")).put("units", -5);
        Path file = write("bad-content.json", content);
        Path pdf = dir.resolve("out.pdf");

        assertThat(run("render", file.toString(), "-o", pdf.toString())).isEqualTo(2);

        assertThat(err.toString())
                .contains("invalid input: " + file + " is not a valid handbook.content payload")
                .containsPattern("(?m)^  \\Q" + file + " at /edition: \\E.*pattern.*\\Q^[0-9]{4}-[0-9]{4}$\\E")
                .containsPattern("(?m)^  \\Q" + file + " at /curriculum/semesters/1/courses/0/units: \\E.*minimum.*0");
        assertThat(pdf).doesNotExist();
    }

    @Test
    void aFieldTheSchemaDoesNotKnowIsRefusedThoughTheRendererWouldIgnoreIt() throws Exception {
        ObjectNode content = sample("/sample/program-content.json");
        content.put("programme", "a typo of programId");
        Path file = write("extra.json", content);

        assertThat(run("render", file.toString(), "-o", dir.resolve("out.pdf").toString())).isEqualTo(2);

        assertThat(err.toString()).contains(file + " at the top level: ").contains("programme");
    }

    @Test
    void theAssignmentFileIsCheckedToo() throws Exception {
        ObjectNode assignment = sample("/sample/approved-assignment.json");
        ((ObjectNode) assignment.at("/courses/2/tas/0")).put("hours", "ten");
        ((ArrayNode) assignment.get("courses")).add(JSON.createObjectNode().put("courseId", "c-1"));
        Path file = write("bad-assignment.json", assignment);

        assertThat(run("render", "sample", file.toString(), "-o", dir.resolve("out.pdf").toString())).isEqualTo(2);

        assertThat(err.toString())
                .contains("invalid input: " + file + " is not a valid assignment.approved payload")
                .containsPattern("\\Q" + file + " at /courses/2/tas/0/hours: \\E.*integer")
                .containsPattern("\\Q" + file + " at /courses/" + (assignment.get("courses").size() - 1) + ": \\E.*required.*code");
    }

    @Test
    void malformedJsonNamesTheLineAndColumn() throws Exception {
        Path file = dir.resolve("broken.json");
        Files.writeString(file, "{\n  \"programId\": \"x\",\n  oops\n}");

        assertThat(run("render", file.toString(), "-o", dir.resolve("out.pdf").toString())).isEqualTo(2);

        assertThat(err.toString()).contains(file + " is not valid JSON for a handbook.content payload")
                .contains(file + ": line 3, column");
    }

    @Test
    void aValidFileRenders() throws Exception {
        Path file = write("content.json", sample("/sample/program-content.json"));
        Path pdf = dir.resolve("handbook.pdf");

        assertThat(run("render", file.toString(), "sample", "-o", pdf.toString())).isZero();

        assertThat(err.toString()).isEmpty();
        assertThat(out.toString()).startsWith("wrote " + pdf);
        assertThat(Files.readAllBytes(pdf)).startsWith("%PDF-".getBytes());
    }

    @Test
    void codecLocationsBecomeJsonPointers() {
        assertThat(HandbookCli.locate("payload.courses[3].tas[0].hours: must be an integer"))
                .isEqualTo(" at /courses/3/tas/0/hours: must be an integer");
        assertThat(HandbookCli.locate("payload: required property 'name' not found"))
                .isEqualTo(" at the top level: required property 'name' not found");
        assertThat(HandbookCli.locate("payload['odd key']: x")).isEqualTo(" at payload['odd key']: x");
        assertThat(HandbookCli.locate("line 3, column 3: Unexpected character")).isEqualTo(": line 3, column 3: Unexpected character");
    }

    private static ObjectNode sample(String resource) throws Exception {
        try (InputStream in = HandbookCliTest.class.getResourceAsStream(resource)) {
            return (ObjectNode) JSON.readTree(in);
        }
    }

    private Path write(String name, ObjectNode json) throws Exception {
        Path file = dir.resolve(name);
        Files.write(file, JSON.writeValueAsBytes(json));
        return file;
    }
}
