package tapipeline.solver.engine;

import tapipeline.solver.search.TimeBox;

/**
 * One run's deadline and how its stages share it. Everything a run does after it starts —
 * checking and mapping the problem, construction, search, scoring, explanations and the result —
 * must end by the time limit; the stages that can stop early are sized from it:
 *
 * <ul>
 *   <li>the end is reserved for scoring and explaining the best solution and building the result:
 *       {@link #FINISH_MICROS_PER_SLOT} per slot, at least {@link #FINISH_MIN_MS} and at most
 *       {@link #FINISH_SHARE} of the limit; explanations that do not fit are cut short;</li>
 *   <li>the search (construction, then local search) gets what is left, and construction (the greedy
 *       start) at most {@link #CONSTRUCTION_SHARE} of it: it is what makes a first good solution, so
 *       it gets its share of the time left however long reading the problem took.</li>
 * </ul>
 *
 * Checking and mapping cannot be cut (they are linear in the problem's size and take about a second
 * at 10,000 courses); whatever they take comes out of the search.
 */
final class RunBudget {

    /** Construction may use at most this share of the search's time. */
    static final double CONSTRUCTION_SHARE = 0.5;
    /** Scoring, explanations and the result may use at most this share of the limit. */
    static final double FINISH_SHARE = 0.25;
    /**
     * Time reserved per slot for scoring, explaining and building the result: measured about 40-70 µs
     * per slot at 10,000 courses (24,351 slots: score explanation 0.4-0.9 s, explanations 0.6-1.1 s,
     * result JSON 0.2 s; quiet machine and load 7), with a margin for a machine shared with other
     * work, where a run gets a fraction of a core: explanations are worth more to the coordinator than
     * the search's last seconds. 400 µs ended a quiet 60 s run at 51 s; 200 µs cut explanations short at
     * 2,000 courses under load 8.
     */
    static final long FINISH_MICROS_PER_SLOT = 300;
    /**
     * The least time reserved at the end (within {@link #FINISH_SHARE}): a score explanation builds a
     * new score director, which on a small problem is most of the finish and took a few hundred
     * milliseconds on the loaded test machine (200 ms left department runs without explanations).
     */
    static final long FINISH_MIN_MS = 1000;
    /** Of the reserve, the share explanations may use; the rest is for the result (and its JSON, by the caller). */
    static final double EXPLANATIONS_SHARE_OF_FINISH = 0.6;

    private final long startNanos;
    private final long limitMillis;

    /**
     * @param startNanos  {@link System#nanoTime} when the run's clock started (earlier instances' time included)
     * @param limitMillis the run's time limit
     */
    RunBudget(long startNanos, long limitMillis) {
        this.startNanos = startNanos;
        this.limitMillis = limitMillis;
    }

    long limitMillis() {
        return limitMillis;
    }

    long elapsedMillis() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private long deadlineNanos() {
        return startNanos + limitMillis * 1_000_000L;
    }

    /** What is kept at the end for scoring, explanations and the result. */
    long finishReserveMillis(int slots) {
        long wanted = Math.max(FINISH_MIN_MS, slots * FINISH_MICROS_PER_SLOT / 1000);
        return Math.min(wanted, (long) (limitMillis * FINISH_SHARE));
    }

    /** Construction's time box: its share of the search's time, from now (the search's start). */
    TimeBox construction(long searchMillis) {
        return TimeBox.until(System.nanoTime() + (long) (searchMillis * CONSTRUCTION_SHARE) * 1_000_000L);
    }

    /**
     * The search's time from now (the solver's start) to the reserve at the end; at least 1 s for a
     * run resumed from a checkpoint, as before (its earlier instances may have used the whole limit).
     */
    long searchMillis(int slots, boolean resumed) {
        long left = (deadlineNanos() - System.nanoTime()) / 1_000_000 - finishReserveMillis(slots);
        return Math.max(resumed ? 1000 : 0, left);
    }

    /**
     * Time the score's explanation (OptaPlanner's constraint matches, which the breakdown and the
     * explanations' notes come from) takes per slot: measured about 40 µs at 10,000 courses.
     */
    static final long SCORE_EXPLANATION_MICROS_PER_SLOT = 50;
    /** Time a score explanation takes whatever the size (building its score director). */
    static final long SCORE_EXPLANATION_FIXED_MS = 50;

    /** Whether the score's explanation still fits before explanations must stop. */
    boolean timeToExplainScore(int slots) {
        long leftNanos = explanationsEndNanos(slots) - System.nanoTime();
        return leftNanos > (SCORE_EXPLANATION_FIXED_MS * 1000L + slots * SCORE_EXPLANATION_MICROS_PER_SLOT) * 1000L;
    }

    /** When explanations must stop, leaving the rest of the reserve for the result. */
    long explanationsEndNanos(int slots) {
        long resultMillis = (long) (finishReserveMillis(slots) * (1 - EXPLANATIONS_SHARE_OF_FINISH));
        return deadlineNanos() - resultMillis * 1_000_000L;
    }
}
