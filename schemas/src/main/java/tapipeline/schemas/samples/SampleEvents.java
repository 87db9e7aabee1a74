package tapipeline.schemas.samples;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tapipeline.schemas.Envelope;
import tapipeline.schemas.EventType;
import tapipeline.schemas.EventTypes;
import tapipeline.schemas.assignment.Applicant;
import tapipeline.schemas.assignment.AssignmentApproved;
import tapipeline.schemas.assignment.AssignmentApproved.ApprovedCourse;
import tapipeline.schemas.assignment.AssignmentApproved.ApprovedTa;
import tapipeline.schemas.assignment.AssignmentProblem;
import tapipeline.schemas.assignment.ConflictOfInterest;
import tapipeline.schemas.assignment.Course;
import tapipeline.schemas.assignment.CourseGrade;
import tapipeline.schemas.assignment.Day;
import tapipeline.schemas.assignment.InstructorPreference;
import tapipeline.schemas.assignment.Meeting;
import tapipeline.schemas.assignment.Pin;
import tapipeline.schemas.assignment.Preference;
import tapipeline.schemas.assignment.RunCancel;
import tapipeline.schemas.assignment.RunCheckpoint;
import tapipeline.schemas.assignment.RunStatus;
import tapipeline.schemas.assignment.RunCompleted;
import tapipeline.schemas.assignment.RunCompleted.Assignment;
import tapipeline.schemas.assignment.RunCompleted.Candidate;
import tapipeline.schemas.assignment.RunCompleted.ConstraintScore;
import tapipeline.schemas.assignment.RunCompleted.Explanation;
import tapipeline.schemas.assignment.RunCompleted.UnassignedSlot;
import tapipeline.schemas.assignment.RunProgress;
import tapipeline.schemas.assignment.SlotAssignment;
import tapipeline.schemas.assignment.SolverSettings;
import tapipeline.schemas.audit.AuditEntry;
import tapipeline.schemas.coordinator.Account;
import tapipeline.schemas.coordinator.Dataset;
import tapipeline.schemas.coordinator.ApplicantContact;
import tapipeline.schemas.coordinator.CourseDetail;
import tapipeline.schemas.coordinator.Scenario;
import tapipeline.schemas.offers.Offer;
import tapipeline.schemas.offers.OfferAnswered;
import tapipeline.schemas.offers.OfferLine;
import tapipeline.schemas.assignment.RunOrigin;
import tapipeline.schemas.handbook.HandbookArtifact;
import tapipeline.schemas.handbook.HandbookContent;
import tapipeline.schemas.handbook.HandbookContent.Contact;
import tapipeline.schemas.handbook.HandbookContent.Curriculum;
import tapipeline.schemas.handbook.HandbookContent.CurriculumCourse;
import tapipeline.schemas.handbook.HandbookContent.Link;
import tapipeline.schemas.handbook.HandbookContent.Policy;
import tapipeline.schemas.handbook.HandbookContent.Semester;
import tapipeline.schemas.handbook.HandbookRendered;
import tapipeline.schemas.site.SiteLink;

/**
 * Small, realistic examples of every payload: a three-course department with four applicants whose
 * names use several scripts, one program handbook, and the events that follow from them. All values
 * are fixed, so the samples are equal on every call. Useful in tests, demos and documentation.
 */
public final class SampleEvents {

    public static final String TERM = "2027W1";
    public static final String RUN_ID = "run-2027W1-0001";
    public static final String PROGRAM_ID = "msc-cs";
    public static final Instant AT = Instant.parse("2027-08-16T17:30:00Z");

    private SampleEvents() {
    }

    // ---------------------------------------------------------------- assignment problem

    public static List<Course> courses() {
        return List.of(
                new Course("cpsc110-101", "CPSC 110", "Computation, Programs, and Programming", "101", TERM,
                        "Amara Okafor",
                        List.of(Meeting.of(Day.MON, "10:00", "11:00"), Meeting.of(Day.WED, "10:00", "11:00"),
                                Meeting.of(Day.FRI, "10:00", "11:00")),
                        3, 12, List.of("Racket"), 2, 4, 5, true),
                new Course("cpsc221-201", "CPSC 221", "Basic Algorithms and Data Structures", "201", TERM,
                        "Kenji Watanabe",
                        List.of(Meeting.of(Day.TUE, "14:00", "15:30"), Meeting.of(Day.THU, "14:00", "15:30")),
                        2, 10, List.of("C++"), 1, 2, 4, false),
                new Course("cpsc340-101", "CPSC 340", "Machine Learning and Data Mining", "101", TERM,
                        "Léa Tremblay",
                        List.of(Meeting.of(Day.TUE, "09:30", "11:00"), Meeting.of(Day.THU, "09:30", "11:00")),
                        2, 8, List.of("Python", "Machine learning"), 1, 3, 3, false));
    }

    public static List<Applicant> applicants() {
        return List.of(
                new Applicant("a-001", "Nguyễn Thị Hương", "MSc Computer Science", 1, 12, 12, 12,
                        List.of(Meeting.of(Day.TUE, "14:00", "17:00")),
                        List.of("Racket", "C++"),
                        List.of(new CourseGrade("CPSC 110", "A+"), new CourseGrade("CPSC 221", "A")),
                        List.of(), List.of()),
                new Applicant("a-002", "محمد الأحمد", "PhD Computer Science", 3, 0, 20, 12,
                        List.of(),
                        List.of("Python", "Machine learning", "C++"),
                        List.of(new CourseGrade("CPSC 340", "94")),
                        List.of("CPSC 340", "CPSC 221"), List.of()),
                new Applicant("a-003", "王芳", "MSc Computer Science", 2, 10, 12, 10,
                        List.of(Meeting.of(Day.FRI, "13:00", "17:00")),
                        List.of("Racket", "Python"),
                        List.of(new CourseGrade("CPSC 110", "A")),
                        List.of("CPSC 110"),
                        List.of(new ConflictOfInterest("cpsc340-101", "Enrolled in the course this term"))),
                new Applicant("a-004", "Siobhán O'Brien", "BSc Honours Computer Science", 4, 0, 10, 8,
                        List.of(),
                        List.of("Racket"),
                        List.of(new CourseGrade("CPSC 110", "A-")),
                        List.of(), List.of()));
    }

    public static List<Preference> preferences() {
        return List.of(
                new Preference("a-001", "cpsc110-101", 5, false),
                new Preference("a-001", "cpsc221-201", 4, false),
                new Preference("a-002", "cpsc340-101", 5, false),
                new Preference("a-002", "cpsc110-101", 1, true),
                new Preference("a-003", "cpsc110-101", 4, false),
                new Preference("a-004", "cpsc110-101", 5, false),
                new Preference("a-004", "cpsc221-201", 3, false));
    }

    public static List<InstructorPreference> instructorPreferences() {
        return List.of(
                InstructorPreference.request("cpsc110-101", "a-003", 1),
                InstructorPreference.request("cpsc110-101", "a-001", 2),
                InstructorPreference.ban("cpsc221-201", "a-004"));
    }

    public static List<Pin> pins() {
        return List.of(new Pin("cpsc340-101", 0, "a-002"));
    }

    public static AssignmentProblem problem() {
        return new AssignmentProblem(RUN_ID, TERM, "Computer Science", courses(), applicants(), preferences(),
                instructorPreferences(), pins(),
                List.of(new SlotAssignment("cpsc110-101", 0, "a-003")),
                new SolverSettings(30, 10, 20_270_816L, null, Map.of("Fair load", "0hard/0medium/2soft")));
    }

    public static RunProgress runProgress() {
        return new RunProgress(RUN_ID, RunProgress.Phase.LOCAL_SEARCH, "0hard/-12medium/-340soft", true, 2_350L, 6, 1);
    }

    public static RunCompleted runCompleted() {
        return new RunCompleted(RUN_ID, RunCompleted.Status.SOLVED, "0hard/-12medium/-310soft",
                List.of(new ConstraintScore("Unfilled slot", "0hard/-12medium/0soft", 1),
                        new ConstraintScore("Applicant preference", "0hard/0medium/-150soft", 5),
                        new ConstraintScore("Fair load", "0hard/0medium/-160soft", 4)),
                List.of(
                        new Assignment("cpsc110-101", 0, "a-003", false, new Explanation(
                                "王芳 was the instructor's first request and has TA'd CPSC 110 before.",
                                List.of("Instructor request, rank 1", "Previously taught CPSC 110", "Rated the course 4/5"),
                                List.of(new Candidate("a-004", "Siobhán O'Brien",
                                        "Rated the course 5/5 but has not taught it; the course asks for experience")))),
                        new Assignment("cpsc110-101", 1, "a-001", false, new Explanation(
                                "Nguyễn Thị Hương rated CPSC 110 5/5 and it covers her 12 funded hours.",
                                List.of("Rated the course 5/5", "Fills all 12 hours owed by funding"), List.of())),
                        new Assignment("cpsc110-101", 2, "a-004", false, new Explanation(
                                "Siobhán O'Brien rated CPSC 110 5/5.", List.of("Rated the course 5/5"), List.of())),
                        new Assignment("cpsc221-201", 0, "a-002", false, new Explanation(
                                "محمد الأحمد knows C++ and has TA'd CPSC 221 before.",
                                List.of("Has the required skill C++", "Previously taught CPSC 221"),
                                List.of(new Candidate("a-001", "Nguyễn Thị Hương",
                                        "Unavailable Tue 14:00-17:00, which overlaps the Tue 14:00 lecture")))),
                        new Assignment("cpsc221-201", 1, null, false, new Explanation(
                                "No qualified applicant has free hours.", List.of(), List.of())),
                        new Assignment("cpsc340-101", 0, "a-002", true, new Explanation(
                                "Pinned by the coordinator.", List.of("Pinned"), List.of()))),
                List.of(new UnassignedSlot("cpsc221-201", 1, "No qualified TA with free hours",
                        List.of(new Candidate("a-001", "Nguyễn Thị Hương", "Unavailable Tue 14:00-17:00"),
                                new Candidate("a-004", "Siobhán O'Brien", "Banned by the instructor"),
                                new Candidate("a-003", "王芳", "Does not have the required skill C++")))),
                List.of(), 28_713L, 20_270_816L);
    }

    public static RunCancel runCancel() {
        return new RunCancel(RUN_ID, "Good enough; approving the current best", "coordinator.kim");
    }

    public static AssignmentApproved assignmentApproved() {
        return new AssignmentApproved(TERM, RUN_ID, "coordinator.kim", AT, List.of(
                new ApprovedCourse("cpsc110-101", "CPSC 110", "Computation, Programs, and Programming", "101",
                        "Amara Okafor", List.of(new ApprovedTa("a-003", "王芳", 12),
                                new ApprovedTa("a-001", "Nguyễn Thị Hương", 12),
                                new ApprovedTa("a-004", "Siobhán O'Brien", 12))),
                new ApprovedCourse("cpsc221-201", "CPSC 221", "Basic Algorithms and Data Structures", "201",
                        "Kenji Watanabe", List.of(new ApprovedTa("a-002", "محمد الأحمد", 10))),
                new ApprovedCourse("cpsc340-101", "CPSC 340", "Machine Learning and Data Mining", "101",
                        "Léa Tremblay", List.of(new ApprovedTa("a-002", "محمد الأحمد", 8)))));
    }

    // ---------------------------------------------------------------- handbook and site

    public static HandbookContent handbookContent() {
        return new HandbookContent(PROGRAM_ID, "Master of Science in Computer Science", "MSc", "Vancouver",
                "2027-2028", 30, 4,
                List.of("The MSc in Computer Science is a research degree of about two years. Students take "
                                + "graduate courses in their first year and write a thesis with a supervisor.",
                        "Most students are funded through teaching and research assistantships."),
                List.of("Survey and critically assess research literature in an area of computer science.",
                        "Design, carry out and report an original research project.",
                        "Communicate technical work to specialist and general audiences."),
                new Curriculum(
                        List.of("12 units of graduate coursework, at least 9 of them at the 500 level",
                                "A thesis of 18 units, defended in front of a committee"),
                        List.of(new Semester("Year 1 - Fall", List.of(
                                        new CurriculumCourse("CPSC 500", "Fundamentals of Algorithm Design", 3),
                                        new CurriculumCourse("CPSC 507", "Software Engineering", 3))),
                                new Semester("Year 1 - Spring", List.of(
                                        new CurriculumCourse("CPSC 532", "Topics in Artificial Intelligence", 3),
                                        new CurriculumCourse("CPSC 590", "Research Seminar", 1.5))))),
                List.of(new Policy("Academic standing",
                                "Students must keep an average of at least 76% in their graduate courses."),
                        new Policy("Time limit", "The degree must be completed within five years.")),
                List.of(new Contact("Graduate Advisor", "Priya Raman", "grad-advisor@cs.example.edu"),
                        new Contact("Graduate Program Assistant", "Jörg Müller", "grad-info@cs.example.edu")),
                List.of(new Link("grad-handbook-faq", "Frequently asked questions", "https://cs.example.edu/grad/faq"),
                        new Link("funding", "Funding and awards", "https://cs.example.edu/grad/funding")),
                AT);
    }

    /** Not a real PDF, but shaped like the start of one; enough for codec tests. */
    public static HandbookArtifact handbookArtifact() {
        byte[] bytes = ("%PDF-1.7\n% sample handbook msc-cs 2027-2028\n%%EOF\n").getBytes(StandardCharsets.US_ASCII);
        return HandbookArtifact.of(HandbookArtifact.PDF, bytes);
    }

    public static HandbookRendered handbookRendered() {
        HandbookArtifact artifact = handbookArtifact();
        return new HandbookRendered(PROGRAM_ID, "2027-2028", TERM, artifact.sha256(), artifact.size(), 14,
                new HandbookRendered.RenderedFrom(UUID.fromString("0b7f2a0e-4c1d-4a59-9a33-5f1f6b2b8c01"), RUN_ID),
                new HandbookRendered.Validation(true, true, List.of()),
                List.of(new HandbookRendered.MissingGlyph(0x1F393, "\uD83C\uDF93", "overview[0]")));
    }

    public static SiteLink siteLink() {
        return new SiteLink("funding", "Funding and awards", "https://cs.example.edu/graduate/funding-awards", 2,
                "https://cs.example.edu/grad/funding", "coordinator.kim", AT);
    }

    // ---------------------------------------------------------------- coordinator state and audit

    public static Dataset dataset() {
        return new Dataset(TERM, 3, courses(), applicants(), preferences(), instructorPreferences(), pins(),
                List.of(new ApplicantContact("a-001", "huong.nguyen@students.example.edu"),
                        new ApplicantContact("a-003", "wang.fang@students.example.edu")),
                List.of(new CourseDetail("cpsc110-101", "Run two labs a week, hold one office hour, mark weekly quizzes.",
                        List.of("instructor.wolfman"))));
    }

    /** The sample problem as a proposal after a declined offer (v3's origin). */
    public static AssignmentProblem proposalProblem() {
        return problem().withRunId(RUN_ID + "-p").withOrigin(RunOrigin.proposal(RUN_ID, List.of("o-2027w1-a-004")));
    }

    public static Scenario scenario() {
        Dataset d = dataset();
        return new Scenario("2027W1.one-ta-fewer", TERM, "One TA fewer in CPSC 110",
                "What if CPSC 110 loses one of its three positions?", "coordinator.kim", AT, d.version(),
                new Dataset(TERM, 1, d.courses(), d.applicants(), d.preferences(), d.instructorPreferences(), d.pins(),
                        d.contacts(), d.courseDetails()));
    }

    public static Offer offer() {
        return new Offer("o-2027w1-a-003", TERM, "a-003", "王芳", "wang.fang@students.example.edu", RUN_ID,
                List.of(new OfferLine("cpsc110-101", "CPSC 110", "Computation, Programs, and Programming", "101",
                        "Dr. Wolfman", 12, "Run two labs a week, hold one office hour, mark weekly quizzes.")),
                AT.plusSeconds(7 * 86_400L), Offer.Status.SENT, AT, AT.plusSeconds(2), null, null, null, null, null,
                AT.plusSeconds(2));
    }

    public static OfferAnswered offerAnswered() {
        return new OfferAnswered("o-2027w1-a-004", TERM, "a-004", OfferAnswered.Answer.DECLINED,
                "I have accepted a research assistantship.", List.of("cpsc110-101"), RUN_ID, "ta", AT.plusSeconds(3600));
    }

    public static Account account() {
        return new Account("coordinator.kim", "Kim Lee", List.of(Account.Role.COORDINATOR),
                "{pbkdf2}sample0salt0not0a0real0hash", false);
    }

    public static AuditEntry auditEntry() {
        return new AuditEntry(RUN_ID, "coordinator.kim", "approve", "Approved run for term " + TERM, AT);
    }

    /** The explanations of the sample result's course with an empty slot (CPSC 221), as the solver service writes them. */
    public static tapipeline.schemas.assignment.RunExplanations runExplanations() {
        return tapipeline.schemas.assignment.RunExplanations.split(runCompleted()).stream()
                .filter(e -> !e.unassigned().isEmpty()).findFirst().orElseThrow();
    }

    /** The sample result as the solver service sends it (v2): explanations on assignment.run.explanations. */
    public static RunCompleted runCompletedLean() {
        RunCompleted full = runCompleted();
        int slots = full.assignments().size();
        int courses = tapipeline.schemas.assignment.RunExplanations.split(full).size();
        return full.withExplanationsAt(new RunCompleted.ExplanationsRef(1, 40L, 40L + courses - 1, courses, slots));
    }

    public static RunCheckpoint runCheckpoint() {
        RunCompleted done = runCompleted();
        return new RunCheckpoint(RUN_ID, done.score(), 42_000L, done.assignments().stream()
                .filter(a -> a.applicantId() != null)
                .map(a -> new SlotAssignment(a.courseId(), a.slotIndex(), a.applicantId())).toList());
    }

    public static RunStatus runStatus() {
        return RunStatus.of(runCompleted(), AT, 0, 17L);
    }

    // ---------------------------------------------------------------- by type

    /** One sample payload per event type, in the order of {@link EventTypes#all()}. */
    public static Map<EventType<?>, Object> payloads() {
        Map<EventType<?>, Object> samples = new LinkedHashMap<>();
        samples.put(EventTypes.RUN_REQUESTED, problem());
        samples.put(EventTypes.RUN_PROGRESS, runProgress());
        samples.put(EventTypes.RUN_COMPLETED, runCompleted());
        samples.put(EventTypes.RUN_EXPLANATIONS, runExplanations());
        samples.put(EventTypes.RUN_CANCEL, runCancel());
        samples.put(EventTypes.RUN_CHECKPOINT, runCheckpoint());
        samples.put(EventTypes.RUN_STATUS, runStatus());
        samples.put(EventTypes.ASSIGNMENT_APPROVED, assignmentApproved());
        samples.put(EventTypes.HANDBOOK_CONTENT, handbookContent());
        samples.put(EventTypes.HANDBOOK_ARTIFACTS, handbookArtifact());
        samples.put(EventTypes.HANDBOOK_RENDERED, handbookRendered());
        samples.put(EventTypes.SITE_LINKS, siteLink());
        samples.put(EventTypes.COORDINATOR_DATASETS, dataset());
        samples.put(EventTypes.COORDINATOR_ACCOUNTS, account());
        samples.put(EventTypes.COORDINATOR_SCENARIOS, scenario());
        samples.put(EventTypes.OFFERS_STATE, offer());
        samples.put(EventTypes.OFFERS_ANSWERED, offerAnswered());
        samples.put(EventTypes.AUDIT, auditEntry());
        return samples;
    }

    /** The sample payload of a type. */
    public static <T> T payload(EventType<T> type) {
        Object sample = payloads().get(type);
        if (sample == null) {
            throw new IllegalArgumentException("no sample for " + type);
        }
        return type.payloadClass().cast(sample);
    }

    /**
     * The sample payload of a type in a new envelope (fresh eventId, current time) with its Kafka key
     * as correlation id.
     */
    public static <T> Envelope<T> envelope(EventType<T> type) {
        return Envelope.of(type, payload(type));
    }
}
