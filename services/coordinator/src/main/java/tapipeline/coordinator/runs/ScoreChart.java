package tapipeline.coordinator.runs;

import java.util.List;
import java.util.Locale;

/**
 * A run's progress drawn on the server as SVG polylines (works without JavaScript; the live page
 * swaps it as it changes): the best score (by rank: every improvement a step up) and the filled slots
 * over time. Only
 * points that have a score count; the x axis is solving time.
 *
 * @param softPoints   polyline points of the best score
 * @param filledPoints polyline points of the filled slots
 * @param summary      the chart in words, for screen readers and as its caption
 */
public record ScoreChart(int width, int height, String softPoints, String filledPoints, String summary,
                         boolean empty) {

    static final int WIDTH = 600;
    static final int HEIGHT = 160;
    static final int PAD = 6;

    public static ScoreChart of(List<RunBoard.Point> points) {
        List<RunBoard.Point> scored = points.stream().filter(p -> p.bestScore() != null).toList();
        if (scored.isEmpty()) {
            return new ScoreChart(WIDTH, HEIGHT, "", "", "No score yet.", true);
        }
        long maxT = Math.max(1, scored.get(scored.size() - 1).elapsedMs());
        // a score is three levels compared in order (hard, then medium, then soft): draw each point at the
        // rank of its score among the run's distinct scores, so every improvement is a step up (a soft
        // level alone drops whenever a slot gets filled)
        java.util.TreeSet<long[]> distinct = new java.util.TreeSet<>(ScoreChart::compare);
        int maxFilled = 1;
        for (RunBoard.Point p : scored) {
            distinct.add(levels(p.bestScore()));
            maxFilled = Math.max(maxFilled, p.assigned() + p.unassigned());
        }
        List<long[]> order = new java.util.ArrayList<>(distinct);
        double steps = Math.max(1, order.size() - 1);
        StringBuilder soft = new StringBuilder();
        StringBuilder filled = new StringBuilder();
        for (RunBoard.Point p : scored) {
            long[] l = levels(p.bestScore());
            int rank = 0;
            while (compare(order.get(rank), l) != 0) {
                rank++;
            }
            double x = PAD + (WIDTH - 2.0 * PAD) * p.elapsedMs() / maxT;
            double ySoft = PAD + (HEIGHT - 2.0 * PAD) * (steps - rank) / steps;
            double yFilled = PAD + (HEIGHT - 2.0 * PAD) * (maxFilled - p.assigned()) / (double) maxFilled;
            soft.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, ySoft));
            filled.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, yFilled));
        }
        RunBoard.Point first = scored.get(0);
        RunBoard.Point last = scored.get(scored.size() - 1);
        String summary = String.format(Locale.ROOT,
                "Best score went from %s to %s over %.1f s; filled slots from %d to %d of %d.",
                first.bestScore(), last.bestScore(), last.elapsedMs() / 1000.0, first.assigned(), last.assigned(),
                last.assigned() + last.unassigned());
        return new ScoreChart(WIDTH, HEIGHT, soft.toString().strip(), filled.toString().strip(), summary, false);
    }

    static int compare(long[] a, long[] b) {
        for (int i = 0; i < 3; i++) {
            int c = Long.compare(a[i], b[i]);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    /** The hard, medium and soft levels of a score such as {@code 0hard/-40medium/-1200soft}. */
    static long[] levels(String score) {
        long[] out = new long[3];
        String[] parts = score.split("/");
        for (int i = 0; i < Math.min(3, parts.length); i++) {
            String digits = parts[i].replaceAll("[a-z]", "");
            try {
                out[i] = Long.parseLong(digits);
            } catch (NumberFormatException e) {
                out[i] = 0;
            }
        }
        return out;
    }
}
