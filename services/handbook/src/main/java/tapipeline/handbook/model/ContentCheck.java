package tapipeline.handbook.model;

import tapipeline.handbook.InvalidHandbookException;

import java.util.List;

/**
 * Rejects content that cannot make a meaningful handbook, naming the offending field. Everything
 * else (missing sections, empty assignment, very long text, markup characters) is rendered safely.
 */
public final class ContentCheck {

    /** Longest single text value accepted; a 2,000-character title is fine, a 1 MB one is not. */
    public static final int MAX_TEXT_LENGTH = 20_000;
    public static final int MAX_COURSES = 20_000;

    private ContentCheck() {}

    public static void check(ProgramContent c) {
        if (c == null) {
            throw new InvalidHandbookException("content", "is missing");
        }
        required("content.programId", c.programId());
        required("content.name", c.name());
        text("content.degree", c.degree());
        text("content.campus", c.campus());
        text("content.edition", c.edition());
        if (!(c.totalUnits() >= 0) || Double.isInfinite(c.totalUnits())) {
            throw new InvalidHandbookException("content.totalUnits", "must not be negative");
        }
        if (c.semesters() < 0) {
            throw new InvalidHandbookException("content.semesters", "must not be negative");
        }
        texts("content.overview", c.overview());
        texts("content.outcomes", c.outcomes());
        texts("content.curriculum.requirements", c.curriculum().requirements());
        List<ProgramContent.Semester> sems = c.curriculum().semesters();
        for (int i = 0; i < sems.size(); i++) {
            String p = "content.curriculum.semesters[" + i + "]";
            text(p + ".name", sems.get(i).name());
            List<ProgramContent.Course> courses = sems.get(i).courses();
            for (int j = 0; j < courses.size(); j++) {
                String q = p + ".courses[" + j + "]";
                text(q + ".code", courses.get(j).code());
                text(q + ".title", courses.get(j).title());
                if (!(courses.get(j).units() >= 0) || Double.isInfinite(courses.get(j).units())) {
                    throw new InvalidHandbookException(q + ".units", "must not be negative");
                }
            }
        }
        for (int i = 0; i < c.policies().size(); i++) {
            text("content.policies[" + i + "].title", c.policies().get(i).title());
            text("content.policies[" + i + "].body", c.policies().get(i).body());
        }
        for (int i = 0; i < c.contacts().size(); i++) {
            ProgramContent.Contact k = c.contacts().get(i);
            text("content.contacts[" + i + "].role", k.role());
            text("content.contacts[" + i + "].name", k.name());
            text("content.contacts[" + i + "].email", k.email());
        }
        for (int i = 0; i < c.links().size(); i++) {
            ProgramContent.Link l = c.links().get(i);
            text("content.links[" + i + "].label", l.label());
            text("content.links[" + i + "].url", l.url());
        }
    }

    public static void check(TermAssignment a) {
        if (a == null) {
            return;
        }
        required("assignment.term", a.term());
        text("assignment.approvedBy", a.approvedBy());
        if (a.courses().size() > MAX_COURSES) {
            throw new InvalidHandbookException("assignment.courses", "has more than " + MAX_COURSES + " entries");
        }
        for (int i = 0; i < a.courses().size(); i++) {
            TermAssignment.Course course = a.courses().get(i);
            String p = "assignment.courses[" + i + "]";
            text(p + ".code", course.code());
            text(p + ".title", course.title());
            text(p + ".section", course.section());
            text(p + ".instructor", course.instructor());
            for (int j = 0; j < course.tas().size(); j++) {
                TermAssignment.Ta ta = course.tas().get(j);
                text(p + ".tas[" + j + "].name", ta.name());
                if (!Double.isFinite(ta.hours()) || ta.hours() < 0 || ta.hours() > 168) {
                    throw new InvalidHandbookException(p + ".tas[" + j + "].hours",
                            "must be between 0 and 168, was " + ta.hours());
                }
            }
        }
    }

    private static void required(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidHandbookException(field, "is required");
        }
        text(field, value);
    }

    private static void texts(String field, List<String> values) {
        for (int i = 0; i < values.size(); i++) {
            text(field + "[" + i + "]", values.get(i));
        }
    }

    private static void text(String field, String value) {
        if (value != null && value.length() > MAX_TEXT_LENGTH) {
            throw new InvalidHandbookException(field,
                    "is " + value.length() + " characters long; at most " + MAX_TEXT_LENGTH + " are accepted");
        }
    }
}
