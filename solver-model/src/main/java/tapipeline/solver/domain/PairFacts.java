package tapipeline.solver.domain;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * What one course's rules say about each applicant (rating, missing skills, unavailable, conflict of
 * interest, banned, "will not", taught before, experienced) and which other courses meet at the same
 * time, so the constraints that run on every change of a slot read a number instead of looking names
 * up in sets and maps and comparing meeting times. Shared by the slots of one course; the answers are
 * those of {@link TaApplicant} and {@link TaCourse}, which stay the source of truth (and write the
 * explanations).
 *
 * <p>Up to {@link #KEEP_UP_TO_PAIRS} applicant-course pairs per problem the answers are kept by index
 * (an {@code int} per applicant, made when first asked); above, a table per course would not fit a
 * 2 GB heap (10,000 courses x 20,000 applicants: 800 MB), so each answer is worked out when asked
 * and the slot keeps the one of its current TA ({@link TaSlot}). Which courses meet at the same time
 * is kept per meeting pattern (courses meeting at the same times share one row), a bit per pattern.
 * Anything that is not the problem's own (hand-built test objects) is answered without being kept.
 * Entries are written whole and never change, so threads sharing a table (move threads) at worst
 * work one out twice.
 */
public final class PairFacts {

    /** Above this many applicant-course pairs in a problem, answers are not kept per course. */
    public static final long KEEP_UP_TO_PAIRS = 16_000_000L;

    static final int KNOWN = 1;
    private static final int UNAVAILABLE = 1 << 1;
    private static final int CONFLICT = 1 << 2;
    private static final int BANNED = 1 << 3;
    private static final int WILL_NOT = 1 << 4;
    private static final int TAUGHT = 1 << 5;
    private static final int EXPERIENCED = 1 << 6;
    private static final int RATING_SHIFT = 8;      // 3 bits: 1..5
    private static final int MISSING_SHIFT = 12;    // the rest: missing skills

    /**
     * What the facts of one problem's courses share: the problem's lists, whether answers are kept,
     * and the meeting patterns with the patterns each clashes with (worked out on first use).
     */
    public static final class Shared {
        private final List<TaApplicant> applicants;
        private final List<TaCourse> courses;
        private final boolean keep;
        private final int[] patternOf;
        private final List<TaCourse> patternCourse = new ArrayList<>();
        private final AtomicReferenceArray<long[]> clashes;

        private Shared(List<TaApplicant> applicants, List<TaCourse> courses) {
            this.applicants = applicants;
            this.courses = courses;
            this.keep = (long) applicants.size() * courses.size() <= KEEP_UP_TO_PAIRS;
            this.patternOf = new int[courses.size()];
            Map<List<Long>, Integer> ids = new HashMap<>();
            for (int i = 0; i < courses.size(); i++) {
                TaCourse c = courses.get(i);
                int id = ids.computeIfAbsent(Eligibility.key(c.meetings()), k -> patternCourse.size());
                if (id == patternCourse.size()) {
                    patternCourse.add(c);
                }
                patternOf[i] = id;
            }
            this.clashes = new AtomicReferenceArray<>(patternCourse.size());
        }

        /** The meeting pattern of the problem's course at index {@code i}. */
        int pattern(int courseIndex) {
            return patternOf[courseIndex];
        }

        boolean patternsClash(int p, int q) {
            long[] row = clashes.get(p);
            if (row == null) {
                row = new long[(patternCourse.size() + 63) >>> 6];
                TaCourse mine = patternCourse.get(p);
                for (int o = 0; o < patternCourse.size(); o++) {
                    if (mine.meetsAtSameTimeAs(patternCourse.get(o))) {
                        row[o >>> 6] |= 1L << o;
                    }
                }
                clashes.set(p, row);
            }
            return (row[q >>> 6] & (1L << q)) != 0;
        }

        boolean isOwn(TaCourse c) {
            int i = c.index();
            return i >= 0 && i < courses.size() && courses.get(i) == c;
        }
    }

    /** The shared part for a problem's courses and applicants, each at the position of its index. */
    public static Shared shared(List<TaApplicant> applicants, List<TaCourse> courses) {
        return new Shared(applicants, courses);
    }

    private final TaCourse course;
    private final Shared shared;
    private int[] facts;

    /** Facts worked out at every question, for a course outside a whole problem (tests). */
    public PairFacts(TaCourse course) {
        this(course, List.of(), List.of());
    }

    /**
     * @param applicants the problem's applicants, each at the position of its index
     * @param courses    the problem's courses, each at the position of its index
     */
    public PairFacts(TaCourse course, List<TaApplicant> applicants, List<TaCourse> courses) {
        this(course, shared(applicants, courses));
    }

    /** The facts of one of a problem's courses, sharing {@code shared} with the problem's other courses. */
    public PairFacts(TaCourse course, Shared shared) {
        this.course = course;
        this.shared = shared;
    }

    public int rating(TaApplicant ta) {
        return shared.keep ? rating(of(ta)) : ta.ratingFor(course);
    }

    public int missingSkills(TaApplicant ta) {
        return missingSkills(of(ta));
    }

    public boolean unavailable(TaApplicant ta) {
        return unavailable(of(ta));
    }

    public boolean conflict(TaApplicant ta) {
        return conflict(of(ta));
    }

    public boolean banned(TaApplicant ta) {
        return banned(of(ta));
    }

    public boolean willNot(TaApplicant ta) {
        return willNot(of(ta));
    }

    public boolean taught(TaApplicant ta) {
        return shared.keep ? taught(of(ta)) : ta.hasTaught(course);
    }

    public boolean experienced(TaApplicant ta) {
        return experienced(of(ta));
    }

    static int rating(int facts) {
        return (facts >>> RATING_SHIFT) & 7;
    }

    static int missingSkills(int facts) {
        return facts >>> MISSING_SHIFT;
    }

    static boolean unavailable(int facts) {
        return (facts & UNAVAILABLE) != 0;
    }

    static boolean conflict(int facts) {
        return (facts & CONFLICT) != 0;
    }

    static boolean banned(int facts) {
        return (facts & BANNED) != 0;
    }

    static boolean willNot(int facts) {
        return (facts & WILL_NOT) != 0;
    }

    static boolean taught(int facts) {
        return (facts & TAUGHT) != 0;
    }

    static boolean experienced(int facts) {
        return (facts & EXPERIENCED) != 0;
    }

    /** Whether the course meets at the same time as {@code other} ({@link TaCourse#meetsAtSameTimeAs}). */
    public boolean meetsWith(TaCourse other) {
        if (!shared.isOwn(other) || !shared.isOwn(course)) {
            return course.meetsAtSameTimeAs(other);
        }
        return shared.patternsClash(shared.pattern(course.index()), shared.pattern(other.index()));
    }

    /** All answers about {@code ta} in one number (read with the static decoders). */
    int of(TaApplicant ta) {
        int i = ta.index();
        if (!shared.keep || i < 0 || i >= shared.applicants.size() || shared.applicants.get(i) != ta) {
            return compute(ta);
        }
        int[] known = facts;
        if (known == null) {
            known = new int[shared.applicants.size()];
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
