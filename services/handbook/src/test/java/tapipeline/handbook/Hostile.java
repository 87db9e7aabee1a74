package tapipeline.handbook;

import tapipeline.handbook.model.ProgramContent;
import tapipeline.handbook.model.TermAssignment;

import java.time.Instant;
import java.util.List;

/** Inputs that try to break the layout or the markup. */
final class Hostile {

    static final String MARKUP_NAME = "<script>alert('x')</script> & </td></tr> Tom & Jerry";
    static final String LONG_TITLE = ("Deep Reinforcement Learning for Autonomous Systems under Uncertainty ").repeat(30).substring(0, 2000);
    static final String LONG_WORD = "Supercalifragilistic".repeat(100);

    private Hostile() {}

    /** Only the required fields; every section missing. */
    static ProgramContent bareContent() {
        return new ProgramContent("bare", "Bare Program", null, null, null, 0, 0,
                null, null, null, null, null, null, null);
    }

    static ProgramContent content() {
        ProgramContent s = Samples.content();
        return new ProgramContent(s.programId(), MARKUP_NAME + " Program", s.degree(), s.campus(), s.edition(),
                s.totalUnits(), s.semesters(), s.overview(), s.outcomes(),
                new ProgramContent.Curriculum(s.curriculum().requirements(), List.of(new ProgramContent.Semester(
                        "Semester <b>1</b>", List.of(new ProgramContent.Course("18-999", LONG_TITLE, 12),
                        new ProgramContent.Course(LONG_WORD.substring(0, 300), LONG_WORD, 6))))),
                s.policies(),
                List.of(new ProgramContent.Contact("Advisor", MARKUP_NAME, "not-an-email </a>")),
                List.of(new ProgramContent.Link("js", "Click me", "javascript:alert(1)"),
                        new ProgramContent.Link("ok", "Apply & <visit>", "https://example.edu/apply?a=1&b=<2>")),
                Instant.parse("2026-08-14T09:30:00Z"));
    }

    static TermAssignment assignment() {
        return new TermAssignment("Fall 2026", "run-hostile", "x", Instant.parse("2026-08-20T15:00:00Z"), List.of(
                new TermAssignment.Course("c1", "18-999", LONG_TITLE, "A", MARKUP_NAME, List.of(
                        new TermAssignment.Ta("a1", MARKUP_NAME, 10),
                        new TermAssignment.Ta("a2", "Hieroglyph \uD80C\uDC00 and private \uE000 and bell \u0007 name", 5),
                        new TermAssignment.Ta("a3", LONG_WORD, 5))),
                new TermAssignment.Course("c2", "18-998", "Empty", "B", "", List.of())));
    }
}
