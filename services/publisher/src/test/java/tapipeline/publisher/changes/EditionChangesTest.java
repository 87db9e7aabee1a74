package tapipeline.publisher.changes;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import tapipeline.publisher.SiteState;
import tapipeline.schemas.Envelope;
import tapipeline.schemas.EventTypes;
import tapipeline.schemas.assignment.AssignmentApproved;
import tapipeline.schemas.handbook.HandbookContent;
import tapipeline.schemas.handbook.HandbookRendered;

class EditionChangesTest {

    static HandbookContent content(List<String> overview, List<HandbookContent.Policy> policies) {
        return new HandbookContent("p", "Program", "MSc", "Campus", "2026-2027", 97, 3, overview, List.of("o"),
                null, policies, List.of(), List.of(), Instant.EPOCH);
    }

    static AssignmentApproved approval(String runId, List<AssignmentApproved.ApprovedCourse> courses) {
        return new AssignmentApproved("Fall 2026", runId, "c", Instant.parse("2026-08-01T00:00:00Z").plusSeconds(runId.hashCode() & 0xffff), courses);
    }

    static AssignmentApproved.ApprovedCourse course(String code, String... tas) {
        List<AssignmentApproved.ApprovedTa> list = new java.util.ArrayList<>();
        for (String t : tas) {
            list.add(new AssignmentApproved.ApprovedTa("id-" + t, t, 10));
        }
        return new AssignmentApproved.ApprovedCourse("c-" + code, code, "Title " + code, "A", "Dr. X", list);
    }

    static HandbookRendered rendered(UUID content, String run) {
        return new HandbookRendered("p", "2026-2027", null, "a".repeat(64), 10, 1,
                new HandbookRendered.RenderedFrom(content, run), new HandbookRendered.Validation(true, true, List.of()), List.of());
    }

    @Test
    void lists_edited_sections_and_courses_and_tas_added_or_removed() {
        SiteState state = new SiteState("p");
        Envelope<HandbookContent> before = Envelope.of(EventTypes.HANDBOOK_CONTENT, "p", content(List.of("old"),
                List.of(new HandbookContent.Policy("Grades", "B"), new HandbookContent.Policy("Leave", "L"))));
        Envelope<HandbookContent> after = Envelope.of(EventTypes.HANDBOOK_CONTENT, "p", content(List.of("new"),
                List.of(new HandbookContent.Policy("Grades", "B+"), new HandbookContent.Policy("Integrity", "I"))));
        state.onContent(before);
        state.onContent(after);
        state.onApproved(approval("r1", List.of(course("18-661", "Ann", "Bo"), course("18-700", "Cy"))));
        state.onApproved(approval("r2", List.of(course("18-661", "Ann", "Di"), course("18-786", "Ed"))));

        List<String> changes = EditionChanges.between(state, Optional.of(rendered(before.eventId(), "r1")),
                rendered(after.eventId(), "r2")).stream().map(EditionChanges.Change::text).toList();
        assertThat(changes).containsExactlyInAnyOrder("Overview", "Policy edited: Grades", "Policy added: Integrity",
                "Policy removed: Leave", "Course added: 18-786 (section A) Title 18-786",
                "Course removed: 18-700 (section A) Title 18-700", "TA added to 18-661 (section A): Di",
                "TA removed from 18-661 (section A): Bo");
    }

    @Test
    void the_first_edition_and_content_no_longer_in_the_log_are_said_plainly() {
        SiteState state = new SiteState("p");
        assertThat(EditionChanges.between(state, Optional.empty(), rendered(UUID.randomUUID(), null)))
                .extracting(EditionChanges.Change::kind).containsExactly("first");
        assertThat(EditionChanges.between(state, Optional.of(rendered(UUID.randomUUID(), null)), rendered(UUID.randomUUID(), null)))
                .extracting(EditionChanges.Change::kind).containsExactly("unknown");
    }
}
