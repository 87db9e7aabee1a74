package tapipeline.solver.domain;

import java.util.Arrays;

/**
 * What one course's rules say about each applicant (rating, missing skills, unavailable, conflict of
 * interest, banned, "will not", taught before, experienced) and which other courses meet at the same
 * time, worked out on first use and kept, so the constraints that run on every change of a slot read
 * a number instead of looking names up in sets and maps and comparing meeting times. Shared by the
 * slots of one course; the answers are those of {@link TaApplicant} and {@link TaCourse}, which stay
 * the source of truth (and of the explanations).
 *
 * <p>Keyed by the applicant's and course's index, and checked against the object kept there, so
 * objects that share an index (as in hand-built tests) are still answered right, only not cached.
 * Entries are written whole and never change, so threads that share a table (move threads) at worst
 * work one out twice.
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

    private static final byte CLASH_UNKNOWN = 0;
    private static final byte CLASH_NO = 1;
    private static final byte CLASH_YES = 2;

    private final TaCourse course;
    private int[] facts = new int[0];
    private TaApplicant[] factsOf = new TaApplicant[0];
    private byte[] clashes = new byte[0];
    private TaCourse[] clashesOf = new TaCourse[0];

    public PairFacts(TaCourse course) {
        this.course = course;
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
        byte[] known = clashes;
        TaCourse[] keys = clashesOf;
        if (i >= 0 && i < known.length && keys[i] == other && known[i] != CLASH_UNKNOWN) {
            return known[i] == CLASH_YES;
        }
        boolean meets = course.meetsAtSameTimeAs(other);
        if (i >= 0) {
            if (i >= known.length) {
                int size = Math.max(i + 1, known.length * 2);
                known = Arrays.copyOf(known, size);
                keys = Arrays.copyOf(keys, size);
            } else if (keys[i] != null && keys[i] != other) {
                return meets;   // another course holds this index: answer, do not cache
            }
            keys[i] = other;
            known[i] = meets ? CLASH_YES : CLASH_NO;
            clashesOf = keys;
            clashes = known;
        }
        return meets;
    }

    private int of(TaApplicant ta) {
        int i = ta.index();
        int[] known = facts;
        TaApplicant[] keys = factsOf;
        if (i >= 0 && i < known.length && keys[i] == ta && known[i] != 0) {
            return known[i];
        }
        int value = compute(ta);
        if (i >= 0) {
            if (i >= known.length) {
                int size = Math.max(i + 1, known.length * 2);
                known = Arrays.copyOf(known, size);
                keys = Arrays.copyOf(keys, size);
            } else if (keys[i] != null && keys[i] != ta) {
                return value;
            }
            keys[i] = ta;
            known[i] = value;
            factsOf = keys;
            facts = known;
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
