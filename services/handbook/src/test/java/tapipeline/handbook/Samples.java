package tapipeline.handbook;

import tapipeline.handbook.json.HandbookJson;
import tapipeline.handbook.model.ProgramContent;
import tapipeline.handbook.model.TermAssignment;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The shipped sample inputs and one renderer shared by the tests (fonts load once). */
final class Samples {

    static final HandbookRenderer RENDERER = new HandbookRenderer();

    private Samples() {}

    static ProgramContent content() {
        return HandbookJson.sampleContent();
    }

    static TermAssignment assignment() {
        try (InputStream in = Samples.class.getResourceAsStream("/sample/approved-assignment.json")) {
            return HandbookJson.assignment(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
