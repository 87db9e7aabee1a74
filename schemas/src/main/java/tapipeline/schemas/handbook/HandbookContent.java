package tapipeline.schemas.handbook;

import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;
import tapipeline.schemas.support.Checks;

/**
 * The text of a program's handbook and public page (payload of {@code handbook.content}, keyed by
 * program id, compacted: the latest event per program is its current content).
 *
 * @param programId  stable id of the program, e.g. {@code msc-cs}
 * @param name       program name, e.g. {@code Master of Science in Computer Science}
 * @param degree     degree awarded, e.g. {@code MSc}
 * @param campus     campus name
 * @param edition    academic years covered, {@code YYYY-YYYY} (e.g. {@code 2027-2028})
 * @param totalUnits units (credits) the program requires
 * @param semesters  normal length of the program in semesters
 * @param overview   overview paragraphs, in order
 * @param outcomes   learning outcomes
 * @param links      helpful links; their targets are managed on {@code site.links} under the same ids
 */
public record HandbookContent(
        String programId,
        String name,
        String degree,
        String campus,
        String edition,
        double totalUnits,
        int semesters,
        List<String> overview,
        List<String> outcomes,
        Curriculum curriculum,
        List<Policy> policies,
        List<Contact> contacts,
        List<Link> links,
        Instant updatedAt) {

    public static final Pattern EDITION = Pattern.compile("[0-9]{4}-[0-9]{4}");
    /** Loose e-mail shape, the same as the schema's pattern. */
    public static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

    public HandbookContent {
        Checks.id(programId, "HandbookContent.programId");
        Checks.text(name, "HandbookContent.name");
        Checks.text(degree, "HandbookContent.degree");
        Checks.anyText(campus, "HandbookContent.campus");
        Checks.matches(edition, EDITION, "HandbookContent.edition");
        Checks.atLeast(totalUnits, 0, "HandbookContent.totalUnits");
        Checks.range(semesters, 1, 20, "HandbookContent.semesters");
        overview = Checks.texts(overview, "HandbookContent.overview");
        outcomes = Checks.texts(outcomes, "HandbookContent.outcomes");
        curriculum = curriculum == null ? new Curriculum(List.of(), List.of()) : curriculum;
        policies = Checks.list(policies, "HandbookContent.policies");
        contacts = Checks.list(contacts, "HandbookContent.contacts");
        links = Checks.list(links, "HandbookContent.links");
        Checks.nonNull(updatedAt, "HandbookContent.updatedAt");
    }

    /** Degree requirements in words, and the recommended course sequence by semester. */
    public record Curriculum(List<String> requirements, List<Semester> semesters) {
        public Curriculum {
            requirements = Checks.texts(requirements, "Curriculum.requirements");
            semesters = Checks.list(semesters, "Curriculum.semesters");
        }
    }

    /** One semester of the recommended sequence, e.g. {@code Year 1 - Fall}. */
    public record Semester(String name, List<CurriculumCourse> courses) {
        public Semester {
            Checks.text(name, "Semester.name");
            courses = Checks.list(courses, "Semester.courses");
        }
    }

    public record CurriculumCourse(String code, String title, double units) {
        public CurriculumCourse {
            Checks.text(code, "CurriculumCourse.code");
            Checks.text(title, "CurriculumCourse.title");
            Checks.atLeast(units, 0, "CurriculumCourse.units");
        }
    }

    public record Policy(String title, String body) {
        public Policy {
            Checks.text(title, "Policy.title");
            Checks.text(body, "Policy.body");
        }
    }

    /** Who to ask, e.g. role {@code Graduate Advisor}. */
    public record Contact(String role, String name, String email) {
        public Contact {
            Checks.text(role, "Contact.role");
            Checks.text(name, "Contact.name");
            Checks.matches(email, EMAIL, "Contact.email");
        }
    }

    /**
     * A helpful link. {@code url} is the initial target; the publisher's {@code site.links} registry
     * holds the current one under the same {@code id}.
     */
    public record Link(String id, String label, String url) {
        public Link {
            Checks.id(id, "Link.id");
            Checks.text(label, "Link.label");
            Checks.text(url, "Link.url");
        }
    }
}
