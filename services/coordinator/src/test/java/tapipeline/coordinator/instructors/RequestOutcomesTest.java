package tapipeline.coordinator.instructors;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import tapipeline.schemas.assignment.Applicant;
import tapipeline.schemas.assignment.AssignmentProblem;
import tapipeline.schemas.assignment.ConflictOfInterest;
import tapipeline.schemas.assignment.Course;
import tapipeline.schemas.assignment.Day;
import tapipeline.schemas.assignment.InstructorPreference;
import tapipeline.schemas.assignment.Meeting;
import tapipeline.schemas.assignment.SlotAssignment;
import tapipeline.schemas.assignment.SolverSettings;
import tapipeline.solver.explain.Blockers;

/** "Which requests were met and why not": each outcome from a small term, with the solver-model's own blocker rules. */
class RequestOutcomesTest {

    // NET meets MON 9-10 (two 10 h slots, need C); OS meets MON 9:30-10:30 (clashes with NET); DB meets FRI (one 10 h slot)
    static final Course NET = course("NET", Day.MON, "09:00", "10:00", 2, List.of("C"));
    static final Course OS = course("OS", Day.MON, "09:30", "10:30", 1, List.of());
    static final Course DB = course("DB", Day.FRI, "09:00", "10:00", 2, List.of());

    static Course course(String id, Day day, String from, String to, int slots, List<String> skills) {
        return new Course(id, id + " 100", id, "101", "T", "Prof", List.of(new Meeting(day, from, to)), slots, 10, skills, 0,
                slots, 3, false);
    }

    static Applicant applicant(String id, int max, List<String> skills, List<ConflictOfInterest> conflicts) {
        return new Applicant(id, "Name " + id, "MSc", 1, 0, max, max, List.of(), skills, List.of(), List.of(), conflicts);
    }

    static final Applicant MET = applicant("met", 20, List.of("C"), List.of());
    static final Applicant NOSKILL = applicant("noskill", 20, List.of(), List.of());
    static final Applicant COI = applicant("coi", 20, List.of("C"), List.of(new ConflictOfInterest("NET", "partner of the instructor")));
    static final Applicant CLASH = applicant("clash", 20, List.of("C"), List.of());
    static final Applicant FULL = applicant("full", 10, List.of("C"), List.of());
    static final Applicant FREE = applicant("free", 20, List.of("C"), List.of());
    static final Applicant BANNED = applicant("banned", 20, List.of("C"), List.of());
    static final Applicant OTHER = applicant("other", 20, List.of("C"), List.of());

    static Result run(List<InstructorPreference> prefs, List<SlotAssignment> assignment) {
        AssignmentProblem p = new AssignmentProblem("run-1", "T", "D", List.of(NET, OS, DB),
                List.of(MET, NOSKILL, COI, CLASH, FULL, FREE, BANNED, OTHER), List.of(), prefs, List.of(), List.of(),
                SolverSettings.defaults(), null);
        return new Result(RequestOutcomes.of(p, assignment));
    }

    record Result(RequestOutcomes.Result r) {
        RequestOutcomes.RequestRow of(String applicantId) {
            return r.requests().stream().filter(x -> x.applicantId().equals(applicantId)).findFirst().orElseThrow();
        }
    }

    @Test
    void each_request_is_met_or_says_why_not() {
        Result r = run(List.of(
                InstructorPreference.request("NET", "met", 1),
                InstructorPreference.request("NET", "noskill", 2),
                InstructorPreference.request("NET", "coi", 3),
                InstructorPreference.request("NET", "free", 4),
                InstructorPreference.request("NET", "ghost", 5),
                InstructorPreference.ban("NET", "banned"),
                InstructorPreference.request("NET", "banned", 6),
                InstructorPreference.request("DB", "full", 1)),
                List.of(new SlotAssignment("NET", 0, "met"), new SlotAssignment("NET", 1, "other"),
                        new SlotAssignment("DB", 0, "noskill")));
        assertThat(r.of("met").outcome()).isEqualTo(RequestOutcomes.Outcome.MET);
        assertThat(r.of("noskill")).satisfies(x -> {
            assertThat(x.outcome()).isEqualTo(RequestOutcomes.Outcome.BLOCKED);
            assertThat(x.blockers()).containsExactly(Blockers.Kind.SKILL);
            assertThat(x.why()).isEqualTo("lacks skill: C");
            assertThat(x.forInstructor()).isEqualTo("lacks skill: C");
        });
        assertThat(r.of("coi")).satisfies(x -> {
            assertThat(x.outcome()).isEqualTo(RequestOutcomes.Outcome.BLOCKED);
            assertThat(x.blockers()).containsExactly(Blockers.Kind.CONFLICT_OF_INTEREST);
            assertThat(x.why()).contains("partner of the instructor");
            assertThat(x.forInstructor()).doesNotContain("partner").contains("private rule");
        });
        assertThat(r.of("banned")).satisfies(x -> {
            assertThat(x.outcome()).isEqualTo(RequestOutcomes.Outcome.BLOCKED);
            assertThat(x.blockers()).containsExactly(Blockers.Kind.BAN);
        });
        assertThat(r.of("ghost").outcome()).isEqualTo(RequestOutcomes.Outcome.NOT_IN_RUN);
        assertThat(r.of("free")).satisfies(x -> {
            assertThat(x.outcome()).isEqualTo(RequestOutcomes.Outcome.OUTSCORED);
            assertThat(x.holders()).containsExactlyInAnyOrder("Name met", "Name other");
            assertThat(x.why()).contains("Name met").contains("Name other");
        });
        assertThat(r.of("full")).satisfies(x -> {
            assertThat(x.outcome()).isEqualTo(RequestOutcomes.Outcome.LEFT_EMPTY);
            assertThat(x.why()).startsWith("1 of the course's 2 slots stayed empty");
        });
        assertThat(r.r().bans()).singleElement().satisfies(b -> {
            assertThat(b.applicantId()).isEqualTo("banned");
            assertThat(b.honoured()).isTrue();
        });
        assertThat(r.r().met()).isEqualTo(1);
        assertThat(r.r().ofCourse("DB").requests()).extracting(RequestOutcomes.RequestRow::applicantId).containsExactly("full");
    }

    @Test
    void a_request_lost_to_another_course_names_it_and_what_of_it_blocks_this_one() {
        Result r = run(List.of(InstructorPreference.request("NET", "clash", 1), InstructorPreference.request("NET", "full", 2),
                        InstructorPreference.request("NET", "free", 3)),
                List.of(new SlotAssignment("OS", 0, "clash"), new SlotAssignment("DB", 0, "full"),
                        new SlotAssignment("NET", 0, "met"), new SlotAssignment("DB", 1, "free")));
        assertThat(r.of("clash")).satisfies(x -> {
            assertThat(x.outcome()).isEqualTo(RequestOutcomes.Outcome.ELSEWHERE);
            assertThat(x.elsewhere()).containsExactly("OS 100-101");
            assertThat(x.why()).contains("went to OS 100-101").contains("conflicts at MON");
        });
        assertThat(r.of("full")).satisfies(x -> {
            assertThat(x.outcome()).isEqualTo(RequestOutcomes.Outcome.ELSEWHERE);
            assertThat(x.fullHours()).isTrue();
            assertThat(x.why()).contains("10/10 h");
            assertThat(x.forInstructor()).isEqualTo("went to DB 100-101 (their hours are full)");
        });
        assertThat(r.of("free")).satisfies(x -> {
            assertThat(x.outcome()).isEqualTo(RequestOutcomes.Outcome.ELSEWHERE);
            assertThat(x.why()).contains("could have taken this course too");
        });
    }

    @Test
    void a_ban_a_pin_overrode_is_reported_as_not_honoured() {
        Result r = run(List.of(InstructorPreference.ban("NET", "banned")), List.of(new SlotAssignment("NET", 0, "banned")));
        assertThat(r.r().bans()).singleElement().satisfies(b -> assertThat(b.honoured()).isFalse());
    }
}
