package tapipeline.solver.domain;

import java.util.Locale;
import java.util.Set;

/** Reads transcript grades as written ({@code A-}, {@code B+}, {@code 87}). */
public final class Grades {

    private static final Set<String> GOOD_LETTERS = Set.of("A+", "A", "A-", "B+");

    private Grades() {
    }

    /** A good grade: B+ or better, or 77 and above on a percentage scale. */
    public static boolean isGood(String grade) {
        String g = grade.trim().toUpperCase(Locale.ROOT);
        if (GOOD_LETTERS.contains(g)) {
            return true;
        }
        try {
            return Double.parseDouble(g) >= 77.0;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
