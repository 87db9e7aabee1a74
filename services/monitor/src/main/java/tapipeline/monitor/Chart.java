package tapipeline.monitor;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * A line chart drawn on the server as SVG (no script: the pages work without JavaScript and the
 * content security policy allows no inline code): {@link #points()} is the polyline in a
 * {@value #WIDTH} x {@value #HEIGHT} view box, and the labels and {@link #summary()} say the same in
 * words for screen readers.
 */
public record Chart(String title, String points, String yMax, String from, String to, String summary, boolean empty) {

    static final int WIDTH = 600;
    static final int HEIGHT = 160;
    private static final DateTimeFormatter HM = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);

    /** @param series (epoch ms, value) pairs, oldest first */
    static Chart of(String title, String unit, List<double[]> series) {
        if (series.size() < 2) {
            return new Chart(title, "", "0", "", "", "Not enough samples yet for a chart.", true);
        }
        double t0 = series.get(0)[0];
        double t1 = series.get(series.size() - 1)[0];
        double max = 0;
        double last = series.get(series.size() - 1)[1];
        for (double[] p : series) {
            max = Math.max(max, p[1]);
        }
        double top = max <= 0 ? 1 : max;
        StringBuilder sb = new StringBuilder();
        for (double[] p : series) {
            double x = (t1 == t0) ? 0 : (p[0] - t0) / (t1 - t0) * WIDTH;
            double y = HEIGHT - (p[1] / top) * (HEIGHT - 4) - 2;
            sb.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
        }
        String from = HM.format(Instant.ofEpochMilli((long) t0)) + " UTC";
        String to = HM.format(Instant.ofEpochMilli((long) t1)) + " UTC";
        String summary = String.format(Locale.ROOT, "%s from %s to %s: highest %s %s, now %s %s (%d samples).", title,
                from, to, num(max), unit, num(last), unit, series.size());
        return new Chart(title, sb.toString().trim(), num(max), from, to, summary, false);
    }

    static String num(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return String.format(Locale.ROOT, "%,d", (long) v);
        }
        return String.format(Locale.ROOT, "%,.2f", v);
    }
}
