package tapipeline.solver.domain;

import java.util.List;

/**
 * A weekly block of time, in minutes since Monday 00:00, with a label for explanations
 * ({@code TUE 10:00-11:20}).
 */
public record TimeWindow(int startMinute, int endMinute, String label) {

    public TimeWindow {
        if (endMinute <= startMinute) {
            throw new IllegalArgumentException("TimeWindow end must be after start: " + label);
        }
    }

    /** True when the two blocks share at least one minute. */
    public boolean overlaps(TimeWindow other) {
        return startMinute < other.endMinute && other.startMinute < endMinute;
    }

    /** The first pair of overlapping blocks, as {@code [mine, theirs]}, or {@code null}. */
    public static TimeWindow[] firstOverlap(List<TimeWindow> mine, List<TimeWindow> theirs) {
        for (TimeWindow a : mine) {
            for (TimeWindow b : theirs) {
                if (a.overlaps(b)) {
                    return new TimeWindow[] {a, b};
                }
            }
        }
        return null;
    }

    public static boolean anyOverlap(List<TimeWindow> mine, List<TimeWindow> theirs) {
        return firstOverlap(mine, theirs) != null;
    }

    @Override
    public String toString() {
        return label;
    }
}
