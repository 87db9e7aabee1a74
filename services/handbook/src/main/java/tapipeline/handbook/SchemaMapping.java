package tapipeline.handbook;

import tapipeline.handbook.model.ProgramContent;
import tapipeline.handbook.model.TermAssignment;
import tapipeline.schemas.EventCodec;
import tapipeline.schemas.assignment.AssignmentApproved;
import tapipeline.schemas.handbook.HandbookContent;
import tapipeline.schemas.handbook.HandbookRendered;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.UUID;

/** The one place where event payloads meet the handbook's own model, both ways. */
public final class SchemaMapping {

    private SchemaMapping() {}

    /** The shipped sample program content as a {@code handbook.content} payload (what the launcher publishes). */
    public static HandbookContent sampleContent() {
        return sample("/sample/program-content.json", HandbookContent.class);
    }

    /** The shipped sample approval (names in many scripts) as an {@code assignment.approved} payload. */
    public static AssignmentApproved sampleApproval() {
        return sample("/sample/approved-assignment.json", AssignmentApproved.class);
    }

    private static <T> T sample(String resource, Class<T> type) {
        try (InputStream in = SchemaMapping.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the classpath");
            }
            return EventCodec.objectMapper().readValue(in, type);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    public static ProgramContent toModel(HandbookContent c) {
        return new ProgramContent(c.programId(), c.name(), c.degree(), c.campus(), c.edition(),
                c.totalUnits(), c.semesters(), c.overview(), c.outcomes(),
                new ProgramContent.Curriculum(c.curriculum().requirements(),
                        c.curriculum().semesters().stream()
                                .map(s -> new ProgramContent.Semester(s.name(), s.courses().stream()
                                        .map(k -> new ProgramContent.Course(k.code(), k.title(), k.units()))
                                        .toList()))
                                .toList()),
                c.policies().stream().map(p -> new ProgramContent.Policy(p.title(), p.body())).toList(),
                c.contacts().stream().map(k -> new ProgramContent.Contact(k.role(), k.name(), k.email())).toList(),
                c.links().stream().map(l -> new ProgramContent.Link(l.id(), l.label(), l.url())).toList(),
                c.updatedAt());
    }

    /** Public fields only: the approved assignment carries nothing else. */
    public static TermAssignment toModel(AssignmentApproved a) {
        return new TermAssignment(a.term(), a.runId(), a.approvedBy(), a.approvedAt(),
                a.courses().stream()
                        .map(k -> new TermAssignment.Course(k.courseId(), k.code(), k.title(), k.section(), k.instructor(),
                                k.tas().stream().map(t -> new TermAssignment.Ta(t.applicantId(), t.name(), t.hours())).toList()))
                        .toList());
    }

    /** The {@code handbook.rendered} payload for a result; the bytes go to {@code handbook.artifacts} under {@code result.sha256()}. */
    public static HandbookRendered rendered(HandbookContent content, Optional<AssignmentApproved> approval,
                                            RenderResult result, UUID contentEventId) {
        ValidationReport v = result.validation();
        return new HandbookRendered(content.programId(), content.edition(),
                approval.map(AssignmentApproved::term).orElse(null),
                result.sha256(), result.size(), result.pages(),
                new HandbookRendered.RenderedFrom(contentEventId, approval.map(AssignmentApproved::runId).orElse(null)),
                new HandbookRendered.Validation(v.pdfUa1() == ValidationReport.Status.PASSED,
                        v.pdfA2() == ValidationReport.Status.PASSED, v.messages()),
                result.missingGlyphs().stream()
                        .map(g -> new HandbookRendered.MissingGlyph(g.codePoint(), g.text(), g.context()))
                        .toList());
    }
}
