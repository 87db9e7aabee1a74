package tapipeline.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tapipeline.schemas.assignment.AssignmentProblem;
import tapipeline.schemas.assignment.Course;
import tapipeline.schemas.assignment.Day;
import tapipeline.schemas.assignment.Meeting;
import tapipeline.schemas.assignment.RunCompleted;
import tapipeline.schemas.assignment.SolverSettings;
import tapipeline.schemas.coordinator.Account;
import tapipeline.schemas.handbook.HandbookArtifact;
import tapipeline.schemas.samples.SampleEvents;

class RecordsTest {

    @Test
    void nullListsBecomeEmptyAndListsAreImmutableCopies() {
        List<String> skills = new ArrayList<>(List.of("Racket"));
        Course course = new Course("c1", "CPSC 110", "Computation", "101", "2027W1", "", null, 2, 10, skills, 1, 2, 3, false);
        skills.add("Java");

        assertThat(course.meetings()).isEmpty();
        assertThat(course.requiredSkills()).containsExactly("Racket");
        assertThatThrownBy(() -> course.requiredSkills().add("Java")).isInstanceOf(UnsupportedOperationException.class);

        AssignmentProblem problem = new AssignmentProblem("r1", "2027W1", "CS", null, null, null, null, null, null, null);
        assertThat(problem.courses()).isEmpty();
        assertThat(problem.previousAssignment()).isEmpty();
        assertThat(problem.settings()).isEqualTo(SolverSettings.defaults());
    }

    @Test
    void constructorsNameTheBadField() {
        assertThatThrownBy(() -> new Course("c1", "CPSC 110", "Computation", "101", "2027W1", "", List.of(), 0, 10, List.of(), 0, 1, 3, false))
                .hasMessage("Course.slots must be between 1 and 1000 (was 0)");
        assertThatThrownBy(() -> new Course("c 1", "CPSC 110", "Computation", "101", "2027W1", "", List.of(), 1, 10, List.of(), 0, 1, 3, false))
                .hasMessageStartingWith("Course.id must be 1..128 characters without whitespace");
        assertThatThrownBy(() -> new Meeting(Day.MON, "10:00", "10:00"))
                .hasMessage("Meeting.end (10:00) must be after Meeting.start (10:00)");
        assertThatThrownBy(() -> new Course("c1", "CPSC 110", "Computation", "101", "2027W1", "", java.util.Arrays.asList(Meeting.of(Day.MON, "09:00", "10:00"), null), 1, 10, List.of(), 0, 1, 3, false))
                .hasMessage("Course.meetings[1] must not be null");
        assertThatThrownBy(() -> RunCompleted.rejected("r1", RunCompleted.Status.INVALID_INPUT, List.of(), 3, 1))
                .hasMessageContaining("RunCompleted.problems");
    }

    @Test
    void meetingsKnowWhenTheyOverlap() {
        Meeting lecture = Meeting.of(Day.TUE, "14:00", "15:30");

        assertThat(lecture.overlaps(Meeting.of(Day.TUE, "15:00", "17:00"))).isTrue();
        assertThat(lecture.overlaps(Meeting.of(Day.TUE, "15:30", "17:00"))).as("touching is not overlapping").isFalse();
        assertThat(lecture.overlaps(Meeting.of(Day.THU, "14:00", "15:30"))).isFalse();
        assertThat(lecture.minutes()).isEqualTo(90);
        assertThat(Day.TUE.toDayOfWeek()).isEqualTo(java.time.DayOfWeek.TUESDAY);
    }

    @Test
    void constraintWeightsAreSortedSoTheJsonIsStable() {
        Map<String, String> weights = new LinkedHashMap<>();
        weights.put("Fair load", "0hard/0medium/2soft");
        weights.put("Continuity", "0hard/0medium/1soft");
        SolverSettings settings = new SolverSettings(10, 0, 1L, 2, weights);

        assertThat(settings.constraintWeights().keySet()).containsExactly("Continuity", "Fair load");
        assertThatThrownBy(() -> new SolverSettings(10, 0, 1L, null, Map.of("Fair load", "5")))
                .hasMessageContaining("SolverSettings.constraintWeights[Fair load]");
    }

    @Test
    void accountNeverPrintsItsPasswordHash() {
        Account account = SampleEvents.account();

        assertThat(account.toString()).doesNotContain(account.passwordHash()).contains("passwordHash=****");
        assertThat(account.hasRole(Account.Role.COORDINATOR)).isTrue();
        assertThat(account.hasRole(Account.Role.OPERATOR)).isFalse();
    }

    @Test
    void artifactChecksItsHashAndSizeAndCopiesItsBytes() {
        byte[] bytes = "%PDF-1.7\n%%EOF\n".getBytes(StandardCharsets.US_ASCII);
        HandbookArtifact artifact = HandbookArtifact.of(HandbookArtifact.PDF, bytes);
        bytes[0] = 'X';

        assertThat(artifact.bytes()[0]).isEqualTo((byte) '%');
        assertThat(artifact).isEqualTo(HandbookArtifact.of(HandbookArtifact.PDF, "%PDF-1.7\n%%EOF\n".getBytes(StandardCharsets.US_ASCII)));
        assertThat(artifact.toString()).contains(artifact.sha256()).doesNotContain("PDF-1.7");
        assertThatThrownBy(() -> new HandbookArtifact(artifact.sha256(), HandbookArtifact.PDF, artifact.size(), bytes))
                .hasMessageContaining("does not match the bytes");
        assertThatThrownBy(() -> new HandbookArtifact(artifact.sha256(), HandbookArtifact.PDF, 3, artifact.bytes()))
                .hasMessageContaining("HandbookArtifact.size (3)");
    }

    @Test
    void eventTypesAreFoundByNameAndKnowTheirKeys() {
        assertThat(EventTypes.all()).hasSize(18).doesNotHaveDuplicates();
        for (EventType<?> type : EventTypes.all()) {
            assertThat(EventTypes.byName(type.name())).containsSame(type);
            assertThat(type.topic()).isEqualTo(type.name());
        }
        assertThat(EventTypes.byName("nope")).isEmpty();
        assertThat(EventTypes.byName(null)).isEmpty();
        assertThat(EventTypes.RUN_REQUESTED.keyOf(SampleEvents.problem())).isEqualTo(SampleEvents.RUN_ID);
        assertThat(EventTypes.HANDBOOK_ARTIFACTS.keyOf(SampleEvents.handbookArtifact())).hasSize(64);
        assertThat(EventTypes.ASSIGNMENT_APPROVED.keyOf(SampleEvents.assignmentApproved())).isEqualTo(SampleEvents.TERM);
    }

    @Test
    void envelopeFactoryFillsIdVersionAndTime() {
        Envelope<?> first = Envelope.of(EventTypes.RUN_CANCEL, "run-9", SampleEvents.runCancel());
        Envelope<?> second = Envelope.of(EventTypes.RUN_CANCEL, SampleEvents.runCancel());

        assertThat(first.eventId()).isNotEqualTo(second.eventId());
        assertThat(first.version()).isEqualTo(EventTypes.RUN_CANCEL.currentVersion());
        assertThat(first.type()).isEqualTo("assignment.run.cancel");
        assertThat(first.correlationId()).isEqualTo("run-9");
        assertThat(second.correlationId()).isEqualTo(SampleEvents.RUN_ID);
        assertThat(first.occurredAt()).isBeforeOrEqualTo(java.time.Instant.now());
        assertThatThrownBy(() -> Envelope.of(EventTypes.RUN_CANCEL, " ", SampleEvents.runCancel()))
                .hasMessageContaining("Envelope.correlationId");
    }

    @Test
    void samplesAreStableAcrossCalls() {
        assertThat(SampleEvents.payloads()).isEqualTo(SampleEvents.payloads());
        assertThat(SampleEvents.payloads().keySet()).containsExactlyElementsOf(EventTypes.all());
    }
}
