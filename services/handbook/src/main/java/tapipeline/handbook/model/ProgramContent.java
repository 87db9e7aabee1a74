package tapipeline.handbook.model;

import java.time.Instant;
import java.util.List;

/**
 * The handbook's own view of a program's content: what the renderer needs and nothing more.
 * Field names follow the {@code handbook.content} payload so the same JSON can be read into either.
 * Lists are never null (a missing list becomes empty); strings may be null and are checked by
 * {@link ContentCheck} before rendering.
 */
public record ProgramContent(
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

    public ProgramContent {
        overview = copy(overview);
        outcomes = copy(outcomes);
        curriculum = curriculum == null ? new Curriculum(List.of(), List.of()) : curriculum;
        policies = copy(policies);
        contacts = copy(contacts);
        links = copy(links);
    }

    /** Degree requirements (prose bullet points) and the semester-by-semester course plan. */
    public record Curriculum(List<String> requirements, List<Semester> semesters) {
        public Curriculum {
            requirements = copy(requirements);
            semesters = copy(semesters);
        }
    }

    public record Semester(String name, List<Course> courses) {
        public Semester {
            courses = copy(courses);
        }
    }

    public record Course(String code, String title, double units) {}

    public record Policy(String title, String body) {}

    public record Contact(String role, String name, String email) {}

    /** A helpful link; {@code url} is absolute (https, mailto) or a site path such as {@code /handbook/latest.pdf}. */
    public record Link(String id, String label, String url) {}

    static <T> List<T> copy(List<T> list) {
        return list == null ? List.of() : list.stream().filter(java.util.Objects::nonNull).toList();
    }
}
