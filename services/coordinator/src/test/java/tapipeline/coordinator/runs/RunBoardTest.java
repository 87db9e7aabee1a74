package tapipeline.coordinator.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static tapipeline.coordinator.runs.ReviewFixtures.*;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import java.util.Optional;
import tapipeline.platform.trace.TraceContext;
import tapipeline.schemas.Envelope;
import tapipeline.schemas.assignment.AssignmentApproved;
import tapipeline.schemas.site.SiteLink;
import tapipeline.schemas.EventTypes;
import tapipeline.schemas.assignment.RunCancel;
import tapipeline.schemas.assignment.RunProgress;

class RunBoardTest {

    private static <T> Envelope<T> at(String type, T payload, Instant when) {
        return new Envelope<>(UUID.randomUUID(), type, 1, when, "c", payload);
    }

    @Test
    void eventsOfARunInAnyOrderMakeOneRunWhoseStateFollowsThem() {
        RunBoard board = new RunBoard();
        List<String> heard = new ArrayList<>();
        board.listen(heard::add);
        Instant t0 = Instant.parse("2026-12-06T10:00:00Z");
        board.apply(at(EventTypes.RUN_PROGRESS.name(), new RunProgress("run-1", RunProgress.Phase.STARTING, null, false,
                5, 0, 4), t0));
        assertThat(board.get("run-1").orElseThrow().state()).isEqualTo("STARTING");
        board.apply(at(EventTypes.RUN_REQUESTED.name(), problem(), t0));
        board.apply(at(EventTypes.RUN_PROGRESS.name(), new RunProgress("run-1", RunProgress.Phase.LOCAL_SEARCH,
                "0hard/-10medium/0soft", true, 900, 3, 1), t0));
        board.apply(at(EventTypes.RUN_CANCEL.name(), new RunCancel("run-1", "stop", "me"), t0));
        RunBoard.Run run = board.get("run-1").orElseThrow();
        assertThat(run.state()).isEqualTo("CANCELLING");
        assertThat(run.points()).hasSize(2);
        assertThat(run.reviewable()).isFalse();
        board.apply(at(EventTypes.RUN_COMPLETED.name(), result("ana", "bo", null), t0.plusSeconds(5)));
        run = board.get("run-1").orElseThrow();
        assertThat(run.state()).isEqualTo("SOLVED");
        assertThat(run.reviewable()).isTrue();
        assertThat(run.term()).isEqualTo("T");
        assertThat(heard).hasSize(5).containsOnly("run-1");
    }

    @Test
    void aRunKeepsItsRequestsTraceWhichAReplayWithoutOneDoesNotErase() {
        RunBoard board = new RunBoard();
        Instant t0 = Instant.parse("2026-12-06T10:00:00Z");
        TraceContext trace = TraceContext.newTrace();
        board.apply(at(EventTypes.RUN_REQUESTED.name(), problem(), t0), Optional.of(trace));
        board.apply(at(EventTypes.RUN_REQUESTED.name(), problem(), t0), Optional.empty());
        board.apply(at(EventTypes.RUN_PROGRESS.name(), new RunProgress("run-1", RunProgress.Phase.STARTING, null, false,
                5, 0, 4), t0), Optional.of(TraceContext.newTrace()));
        assertThat(board.trace("run-1")).contains(trace);
        assertThat(board.trace("no-such-run")).isEmpty();
    }

    @Test
    void theTermsPublicPageIsFoundByThePublishersSlugOfTheTerm() {
        RunBoard board = new RunBoard();
        Instant t0 = Instant.parse("2026-12-06T10:00:00Z");
        board.apply(at(EventTypes.RUN_REQUESTED.name(), problem(), t0));
        board.apply(at(EventTypes.ASSIGNMENT_APPROVED.name(),
                new AssignmentApproved("Fall 2026", "run-1", "me", t0, List.of()), t0));
        board.apply(at(EventTypes.SITE_LINKS.name(), new SiteLink("ta-assignments", "TA assignments",
                "/ta-assignments/fall-2026", 2, "/ta-assignments", "publisher", t0.plusSeconds(3)), t0.plusSeconds(3)));
        board.apply(at(EventTypes.SITE_LINKS.name(), new SiteLink("other-term", "TA assignments",
                "/ta-assignments/spring-2026", 2, "/ta-assignments", "publisher", t0.plusSeconds(3)), t0.plusSeconds(3)));
        assertThat(board.linksFor(board.get("run-1").orElseThrow())).extracting(SiteLink::target)
                .containsExactly("/ta-assignments/fall-2026");
    }

    @Test
    void aRunIsPublishedOnlyOnceTheHandbookLinkPointsAtAnEditionRenderedFromIt() {
        RunBoard board = new RunBoard();
        Instant t0 = Instant.parse("2026-12-06T10:00:00Z");
        board.apply(at(EventTypes.RUN_REQUESTED.name(), problem(), t0));
        assertThat(RunViews.stage(board, board.get("run-1").orElseThrow())).isEqualTo("NOT_APPROVED");
        board.apply(at(EventTypes.ASSIGNMENT_APPROVED.name(),
                new AssignmentApproved("Fall 2026", "run-1", "me", t0, List.of()), t0));
        assertThat(RunViews.stage(board, board.get("run-1").orElseThrow())).isEqualTo("APPROVED");
        String sha = "ab".repeat(32);
        board.apply(at(EventTypes.HANDBOOK_RENDERED.name(), new tapipeline.schemas.handbook.HandbookRendered("msc", "2026-2027",
                "Fall 2026", sha, 1000, 3, new tapipeline.schemas.handbook.HandbookRendered.RenderedFrom(UUID.randomUUID(), "run-1"),
                new tapipeline.schemas.handbook.HandbookRendered.Validation(true, true, List.of()), List.of()), t0.plusSeconds(2)));
        assertThat(RunViews.stage(board, board.get("run-1").orElseThrow())).isEqualTo("RENDERED");
        // the term's page moving alone is not publication: the handbook link has not moved (e.g. the edition was refused)
        board.apply(at(EventTypes.SITE_LINKS.name(), new SiteLink("ta-assignments", "TA assignments",
                "/ta-assignments/fall-2026", 2, "/ta-assignments", "publisher", t0.plusSeconds(3)), t0.plusSeconds(3)));
        assertThat(RunViews.stage(board, board.get("run-1").orElseThrow())).isEqualTo("RENDERED");
        board.apply(at(EventTypes.SITE_LINKS.name(), new SiteLink("handbook", "Handbook",
                "/handbook/editions/" + sha + ".pdf", 3, "/handbook/editions/" + "cd".repeat(32) + ".pdf", "publisher",
                t0.plusSeconds(4)), t0.plusSeconds(4)));
        assertThat(RunViews.stage(board, board.get("run-1").orElseThrow())).isEqualTo("PUBLISHED");
        assertThat(RunsApi.publicationOf(board, board.get("run-1").orElseThrow())).containsEntry("stage", "PUBLISHED");
    }

    @Test
    void anApprovalWithNoRunOnTheBoardIsARecordNotARequestWaitingForASolver() {
        RunBoard board = new RunBoard();
        Instant t0 = Instant.parse("2026-08-20T15:00:00Z");
        board.apply(at(EventTypes.ASSIGNMENT_APPROVED.name(),
                new AssignmentApproved("Fall 2026", "run-2026-fall-0007", "coordinator", t0, List.of()), t0));
        RunBoard.Run record = board.get("run-2026-fall-0007").orElseThrow();
        assertThat(record.state()).isEqualTo("APPROVAL_ONLY");
        assertThat(record.done()).as("nothing to follow or cancel").isTrue();
        assertThat(record.reviewable()).isFalse();
        assertThat(RunViews.label(record.state())).startsWith("Approved");
        // its request read later (replay order across topics): an ordinary approved run again
        board.apply(at(EventTypes.RUN_REQUESTED.name(), problem().withRunId("run-2026-fall-0007"), t0));
        assertThat(board.get("run-2026-fall-0007").orElseThrow().state()).isEqualTo("REQUESTED");
    }

    @Test
    void thePreviousRunIsTheLastReviewableOneOfTheTermBeforeIt() {
        RunBoard board = new RunBoard();
        Instant t0 = Instant.parse("2026-12-06T10:00:00Z");
        board.apply(at(EventTypes.RUN_REQUESTED.name(), problem(), t0));
        board.apply(at(EventTypes.RUN_COMPLETED.name(), result("ana", "bo", null), t0));
        board.apply(at(EventTypes.RUN_REQUESTED.name(), problem().withRunId("run-2"), t0.plusSeconds(60)));
        board.apply(at(EventTypes.RUN_REQUESTED.name(), problem().withRunId("run-3"), t0.plusSeconds(120)));
        RunBoard.Run third = board.get("run-3").orElseThrow();
        assertThat(board.previous(third).orElseThrow().runId()).as("run-2 has no result").isEqualTo("run-1");
        assertThat(board.previous(board.get("run-1").orElseThrow())).isEmpty();
        assertThat(board.list("T")).extracting(RunBoard.Run::runId).containsExactly("run-3", "run-2", "run-1");
        assertThat(board.list("other")).isEmpty();
    }

    @Test
    void progressKeepsAtMostMaxPointsWithTheFirst() {
        RunBoard board = new RunBoard();
        for (int i = 0; i < RunBoard.MAX_POINTS + 50; i++) {
            board.apply(at(EventTypes.RUN_PROGRESS.name(), new RunProgress("r", RunProgress.Phase.LOCAL_SEARCH,
                    "0hard/0medium/-" + i + "soft", true, i, 1, 0), Instant.EPOCH));
        }
        List<RunBoard.Point> points = board.get("r").orElseThrow().points();
        assertThat(points).hasSize(RunBoard.MAX_POINTS);
        assertThat(points.get(0).elapsedMs()).isZero();
        assertThat(points.get(points.size() - 1).elapsedMs()).isEqualTo(RunBoard.MAX_POINTS + 49);
    }

    @Test
    void onlyTheLatestRunsOfATermAndItsApprovedOneKeepTheirFullResult() {
        RunBoard board = new RunBoard();
        Instant t0 = Instant.parse("2026-12-06T10:00:00Z");
        int n = RunBoard.KEPT_PER_TERM + 2;
        for (int i = 0; i < n; i++) {
            String id = "run-" + i;
            board.apply(at(EventTypes.RUN_REQUESTED.name(), problem().withRunId(id), t0.plusSeconds(i)));
            var r = result("ana", "bo", null);
            board.apply(at(EventTypes.RUN_COMPLETED.name(), new tapipeline.schemas.assignment.RunCompleted(id, r.status(),
                    r.score(), r.scoreBreakdown(), r.assignments(), r.unassigned(), r.problems(), r.solveMs(), r.seed()),
                    t0.plusSeconds(i)));
            if (i == 0) {
                board.apply(at(EventTypes.ASSIGNMENT_APPROVED.name(), new tapipeline.schemas.assignment.AssignmentApproved(
                        "T", id, "me", t0, List.of()), t0));
            }
        }
        RunBoard.Run oldest = board.get("run-0").orElseThrow();
        assertThat(oldest.archived()).as("the approved run stays").isFalse();
        assertThat(oldest.reviewable()).isTrue();
        RunBoard.Run second = board.get("run-1").orElseThrow();
        assertThat(second.archived()).isTrue();
        assertThat(second.reviewable()).isFalse();
        assertThat(second.problem()).isNull();
        assertThat(second.result().assignments()).isEmpty();
        assertThat(second.state()).isEqualTo("SOLVED");
        assertThat(second.filled()).isEqualTo(2);
        assertThat(second.result().score()).isEqualTo("0hard/0medium/0soft");
        assertThat(board.get("run-2").orElseThrow().archived()).isFalse();
        assertThat(board.get("run-" + (n - 1)).orElseThrow().reviewable()).isTrue();
    }
}
