package tapipeline.solver.domain;

import java.util.List;

/**
 * What one course's rules say about each applicant (rating, missing skills, unavailable, conflict of
 * interest, banned, "will not", taught before, experienced) and which other courses meet at the same
 * time, worked out on first use and kept, so the constraints that run on every change of a slot read
 * a number instead of looking names up in sets and maps and comparing meeting times. Shared by the
 * slots of one course; the answers are those of {@link TaApplicant} and {@link TaCourse}, which stay
 * the source of truth (and write the explanations).
 *
 * <p>Kept by index for the problem's own applicants and courses (an {@code int} per applicant and a
 * byte per course, made when first asked); anything else, such as hand-built test objects, is
 * answered without being kept. Entries are written whole and never change, so threads sharing a
 * table (move threads) at worst work one out twice.
 */
public final class PairFacts {

    private static final int KNOWN = 1;
    private static final int UNAVAILABLE = 1 << 1;
    private static final int CONFLICT = 1 << 2;
    private static final int BANNED = 1 << 3;
    private static final int WILL_NOT = 1 << 4;
    private static final int TAUGHT = 1 << 5;
    private static final int EXPERIENCED = 1 << 6;
    private static final int RATING_SHIFT = 8;      // 3 bits: 1..5
    private static final int MISSING_SHIFT = 12;    // the rest: missing skills

    private static final byte MEETS = 1;
    private static final byte MEETS_NOT = 2;

    private final TaCourse course;
    private final List<TaApplicant> applicants;
    private final List<TaCourse> courses;
    private int[] facts;
    private byte[] meets;

    /** Facts worked out at every question, for a course outside a whole problem (tests). */
    public PairFacts(TaCourse course) {
        this(course, List.of(), List.of());
    }

    /**
     * @param applicants the problem's applicants, each at the position of its index
     * @param courses    the problem's courses, each at the position of its index
     */
    public PairFacts(TaCourse course, List<TaApplicant> applicants, List<TaCourse> courses) {
        this.course = course;
        this.applicants = applicants;
        this.courses = courses;
    }

    public int rating(TaApplicant ta) {
        return (of(ta) >>> RATING_SHIFT) & 7;
    }

    public int missingSkills(TaApplicant ta) {
        return of(ta) >>> MISSING_SHIFT;
    }

    public boolean unavailable(TaApplicant ta) {
        return (of(ta) & UNAVAILABLE) != 0;
    }

    public boolean conflict(TaApplicant ta) {
        return (of(ta) & CONFLICT) != 0;
    }

    public boolean banned(TaApplicant ta) {
        return (of(ta) & BANNED) != 0;
    }

    public boolean willNot(TaApplicant ta) {
        return (of(ta) & WILL_NOT) != 0;
    }

    public boolean taught(TaApplicant ta) {
        return (of(ta) & TAUGHT) != 0;
    }

    public boolean experienced(TaApplicant ta) {
        return (of(ta) & EXPERIENCED) != 0;
    }

    /** Whether the course meets at the same time as {@code other} ({@link TaCourse#meetsAtSameTimeAs}). */
    public boolean meetsWith(TaCourse other) {
        int i = other.index();
        if (i < 0 || i >= courses.size() || courses.get(i) != other) {
            return course.meetsAtSameTimeAs(other);
        }
        byte[] known = meets;
        if (known == null) {
            known = new byte[courses.size()];
            meets = known;
        }
        if (known[i] == 0) {
            known[i] = course.meetsAtSameTimeAs(other) ? MEETS : MEETS_NOT;
        }
        return known[i] == MEETS;
    }

    private int of(TaApplicant ta) {
        int i = ta.index();
        if (i < 0 || i >= applicants.size() || applicants.get(i) != ta) {
            return compute(ta);
        }
        int[] known = facts;
        if (known == null) {
            known = new int[applicants.size()];
            facts = known;
        }
        int value = known[i];
        if (value == 0) {
            value = compute(ta);
            known[i] = value;
        }
        return value;
    }

    private int compute(TaApplicant ta) {
        int value = KNOWN | (ta.ratingFor(course) << RATING_SHIFT) | (ta.missingSkillCount(course) << MISSING_SHIFT);
        if (ta.isUnavailableFor(course)) {
            value |= UNAVAILABLE;
        }
        if (ta.hasConflictWith(course)) {
            value |= CONFLICT;
        }
        if (course.bans(ta)) {
            value |= BANNED;
        }
        if (ta.willNotTa(course)) {
            value |= WILL_NOT;
        }
        if (ta.hasTaught(course)) {
            value |= TAUGHT;
        }
        if (ta.isExperiencedFor(course)) {
            value |= EXPERIENCED;
        }
        return value;
    }
}
