package tapipeline.solver.generator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tapipeline.schemas.EventCodec;
import tapipeline.schemas.EventTypes;
import tapipeline.schemas.assignment.Applicant;
import tapipeline.schemas.assignment.AssignmentProblem;
import tapipeline.schemas.assignment.Course;

class DepartmentGeneratorTest {

    @Test
    void sameSeedGivesTheSameProblemAndAnotherSeedAnother() {
        String a = json(DepartmentGenerator.generate(40, 100, 9));
        String b = json(DepartmentGenerator.generate(40, 100, 9));
        String c = json(DepartmentGenerator.generate(40, 100, 10));
        assertThat(a).isEqualTo(b);
        assertThat(c).isNotEqualTo(a);
    }

    @Test
    void sampleDepartmentLooksLikeARealOne() {
        AssignmentProblem p = DepartmentGenerator.sampleDepartment(42);

        assertThat(p.courses()).hasSize(60);
        assertThat(p.applicants()).hasSize(180);
        int slotHours = p.courses().stream().mapToInt(Course::totalHours).sum();
        int taHours = p.applicants().stream().mapToInt(Applicant::maxHours).sum();
        assertThat((double) taHours / slotHours).isBetween(1.05, 1.15);
        assertThat(p.courses()).allSatisfy(c -> {
            assertThat(c.hoursPerSlot()).isIn(5, 10, 20);
            assertThat(c.meetings()).hasSizeBetween(2, 3);
        });
        assertThat(p.applicants()).allSatisfy(a -> assertThat(a.maxHours()).isIn(10, 20));
        assertThat(p.courses()).anySatisfy(c -> assertThat(c.requiredSkills()).isNotEmpty());
        assertThat(p.applicants()).anySatisfy(a -> assertThat(a.conflicts()).isNotEmpty());
        assertThat(p.applicants()).anySatisfy(a -> assertThat(a.unavailable()).isNotEmpty());
        assertThat(p.preferences()).anySatisfy(pref -> assertThat(pref.willNot()).isTrue());
        assertThat(p.instructorPreferences()).isNotEmpty();
        Set<String> ids = new HashSet<>();
        p.courses().forEach(c -> assertThat(ids.add(c.id())).isTrue());
        p.applicants().forEach(a -> assertThat(ids.add(a.id())).isTrue());
    }

    @Test
    void namesComeFromManyScripts() {
        AssignmentProblem p = DepartmentGenerator.sampleDepartment(42);
        Set<Character.UnicodeScript> scripts = new HashSet<>();
        p.applicants().forEach(a -> a.name().codePoints().filter(Character::isLetter)
                .forEach(cp -> scripts.add(Character.UnicodeScript.of(cp))));
        assertThat(scripts).contains(Character.UnicodeScript.LATIN, Character.UnicodeScript.GREEK,
                Character.UnicodeScript.CYRILLIC, Character.UnicodeScript.HAN, Character.UnicodeScript.HANGUL);
        assertThat(p.applicants()).anySatisfy(a -> assertThat(a.name()).containsAnyOf("ł", "ą", "ę", "ś", "ź", "ż"));
        assertThat(p.applicants()).anySatisfy(a -> assertThat(a.name()).containsAnyOf("ş", "ğ", "ı", "İ", "Ş", "Ç"));
    }

    @Test
    void generatedProblemsPassTheRequestSchema() {
        EventCodec codec = EventCodec.standard();
        JsonNode tree = EventCodec.objectMapper().valueToTree(DepartmentGenerator.generate(20, 50, 3));
        assertThat(codec.validatePayload(EventTypes.RUN_REQUESTED, EventTypes.RUN_REQUESTED.currentVersion(), tree))
                .isEmpty();
    }

    @Test
    void universitySizeHasTheRequestedShape() {
        AssignmentProblem p = DepartmentGenerator.university(1);
        assertThat(p.courses()).hasSize(1500);
        assertThat(p.applicants()).hasSize(2500);
    }

    private static String json(AssignmentProblem p) {
        try {
            return EventCodec.objectMapper().writeValueAsString(p);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
