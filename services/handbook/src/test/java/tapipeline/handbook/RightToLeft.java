package tapipeline.handbook;

import tapipeline.handbook.model.ProgramContent;
import tapipeline.handbook.model.TermAssignment;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The sample handbook with Arabic and Hebrew TA names and a Hebrew policy (right-to-left text). */
final class RightToLeft {

    /** Laila Haddad. */
    static final String ARABIC_NAME = "ليلى حداد";
    /** Alaa al-Din Mansour: "علاء" joins lam and alef into one ligature glyph. */
    static final String ARABIC_LIGATURE_NAME = "علاء الدين منصور";
    /** Noa Cohen. */
    static final String HEBREW_NAME = "נועה כהן";
    /** Muhammad Ali with Arabic vowel marks (damma, fatha, shadda, kasra). */
    static final String ARABIC_VOWELLED_NAME = "مُحَمَّد عَلِيّ";
    /** Moshe Shalom with Hebrew points (niqqud). */
    static final String HEBREW_POINTED_NAME = "מֹשֶׁה שָׁלוֹם";
    /** "Language policy". */
    static final String HEBREW_POLICY_TITLE = "מדיניות שפה";
    /** "Students may submit work in Hebrew or in English. Contact the office by 15 September." */
    static final String HEBREW_POLICY = "סטודנטים רשאים להגיש עבודות בעברית או באנגלית. יש לפנות למזכירות עד 15 בספטמבר.";

    private RightToLeft() {}

    static ProgramContent content() {
        ProgramContent s = Samples.content();
        List<ProgramContent.Policy> policies = new ArrayList<>(s.policies());
        policies.add(new ProgramContent.Policy(HEBREW_POLICY_TITLE, HEBREW_POLICY));
        return new ProgramContent(s.programId(), s.name(), s.degree(), s.campus(), s.edition(),
                s.totalUnits(), s.semesters(), s.overview(), s.outcomes(), s.curriculum(), policies,
                s.contacts(), s.links(), s.updatedAt());
    }

    static TermAssignment assignment() {
        TermAssignment a = Samples.assignment();
        List<TermAssignment.Course> courses = new ArrayList<>(a.courses());
        courses.add(0, new TermAssignment.Course("rtl-1", "18-780", "Machine Learning for Text", "A", "Maria Rossi",
                List.of(new TermAssignment.Ta("r1", ARABIC_NAME, 10),
                        new TermAssignment.Ta("r2", HEBREW_NAME, 8),
                        new TermAssignment.Ta("r3", ARABIC_LIGATURE_NAME, 5))));
        courses.add(1, new TermAssignment.Course("rtl-2", "18-781", "Speech Processing", "A", "Maria Rossi",
                List.of(new TermAssignment.Ta("r4", ARABIC_VOWELLED_NAME, 6),
                        new TermAssignment.Ta("r5", HEBREW_POINTED_NAME, 6))));
        return new TermAssignment(a.term(), a.runId(), a.approvedBy(), a.approvedAt(), courses);
    }
}
