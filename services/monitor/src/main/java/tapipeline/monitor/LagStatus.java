package tapipeline.monitor;

import java.util.List;

/**
 * A partition's (and a group's) status judged over a window of recent samples, after Burrow's
 * evaluator (linkedin/Burrow core/internal/evaluator/caching.go, calculatePartitionStatus), adapted
 * to what the Admin API shows: Burrow reads every commit from {@code __consumer_offsets}; the monitor
 * samples the committed offset every poll, so its window is the last samples rather than the last
 * commits, and "stopped committing" becomes "no member of the group is consuming the partition".
 *
 * <p>Rules, in Burrow's order, worst first:
 * <ol>
 * <li>lag 0 now: OK (an idle topic is never stopped);</li>
 * <li>no live member is assigned the partition and the lag was not zero anywhere in the window
 * (Burrow: "and the lag was not zero recently"): STOPPED;</li>
 * <li>the committed offset went backwards in the window and has not come back to where it was: REWOUND;</li>
 * <li>the lag was non-zero at every sample of a full window and the committed offset never moved: STALLED;</li>
 * <li>the same, the offset moved but the lag never went down: WARNING;</li>
 * <li>otherwise OK.</li>
 * </ol>
 * A committed offset below the partition's log start is flagged separately as data loss.
 */
public enum LagStatus {
    OK, WARNING, STALLED, STOPPED, REWOUND;

    /** A status and the sentence that says why. */
    public record Judgement(LagStatus status, String reason) {
    }

    /**
     * @param window  recent samples, oldest first: a = committed offset, b = end offset
     * @param full    whether the window holds as many samples as the configured window size
     * @param consumed whether a live member of the group is assigned this partition
     */
    static Judgement judge(List<Ring.Sample> window, boolean full, boolean consumed) {
        if (window.isEmpty()) {
            return new Judgement(OK, "no sample yet");
        }
        Ring.Sample last = window.get(window.size() - 1);
        long lag = Math.max(0, last.b() - last.a());
        if (lag == 0) {
            return new Judgement(OK, "nothing waiting");
        }
        boolean lagZeroInWindow = window.stream().anyMatch(s -> s.b() - s.a() <= 0);
        if (!consumed && !lagZeroInWindow) {
            return new Judgement(STOPPED, "no member of the group consumes this partition and " + lag
                    + " record(s) wait");
        }
        for (int i = 1; i < window.size(); i++) {
            if (window.get(i).a() < window.get(i - 1).a()) {
                long before = window.get(i - 1).a();
                boolean recovered = window.subList(i, window.size()).stream().anyMatch(s -> s.a() >= before);
                if (!recovered) {
                    return new Judgement(REWOUND, "the committed offset went back from " + before + " to "
                            + window.get(i).a() + " and has not caught up again");
                }
            }
        }
        if (lagZeroInWindow) {
            return new Judgement(OK, "caught up within the window");
        }
        if (!full) {
            return new Judgement(OK, "judged once the window is full (" + window.size() + " sample(s) so far)");
        }
        boolean moved = window.stream().anyMatch(s -> s.a() != window.get(0).a());
        if (!moved) {
            return new Judgement(STALLED, "the committed offset stayed at " + last.a() + " for "
                    + seconds(last.time() - window.get(0).time()) + " while " + lag + " record(s) wait");
        }
        boolean decreased = false;
        for (int i = 1; i < window.size(); i++) {
            long prev = window.get(i - 1).b() - window.get(i - 1).a();
            long cur = window.get(i).b() - window.get(i).a();
            if (cur < prev) {
                decreased = true;
                break;
            }
        }
        if (!decreased) {
            return new Judgement(WARNING, "consuming, but the lag has not gone down in "
                    + seconds(last.time() - window.get(0).time()) + " (now " + lag + ")");
        }
        return new Judgement(OK, "consuming; lag " + lag);
    }

    private static String seconds(long ms) {
        return (ms / 1000) + " s";
    }

    /** The worse of two statuses (a group is as bad as its worst partition). */
    LagStatus worse(LagStatus other) {
        return severity() >= other.severity() ? this : other;
    }

    private int severity() {
        return switch (this) {
            case OK -> 0;
            case WARNING -> 1;
            case REWOUND -> 2;
            case STALLED -> 3;
            case STOPPED -> 4;
        };
    }
}
