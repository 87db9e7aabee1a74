package tapipeline.monitor;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Formatting for the pages (plain text; the templates escape it). */
public final class Fmt {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private Fmt() {
    }

    public static String time(long epochMs) {
        return epochMs <= 0 ? "never" : TIME.format(Instant.ofEpochMilli(epochMs));
    }

    public static String seconds(double s) {
        if (s < 1) {
            return s == 0 ? "0 s" : String.format(Locale.ROOT, "%.1f s", s);
        }
        long t = Math.round(s);
        if (t < 120) {
            return t + " s";
        }
        if (t < 7200) {
            return (t / 60) + " min " + (t % 60) + " s";
        }
        if (t < 172_800) {
            return (t / 3600) + " h " + (t % 3600 / 60) + " min";
        }
        return (t / 86_400) + " d " + (t % 86_400 / 3600) + " h";
    }

    public static String ms(long ms) {
        return ms < 1000 ? ms + " ms" : seconds(ms / 1000.0);
    }

    public static String num(double v) {
        return Chart.num(v);
    }

    public static String bytes(long b) {
        if (b < 1024) {
            return b + " B";
        }
        if (b < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", b / 1024.0);
        }
        if (b < 1024L * 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f MiB", b / (1024.0 * 1024));
        }
        return String.format(Locale.ROOT, "%.2f GiB", b / (1024.0 * 1024 * 1024));
    }

    /** A query-string value. */
    public static String q(String s) {
        return URLEncoder.encode(s == null ? "" : s, StandardCharsets.UTF_8);
    }

    /** The CSS class of a status badge. */
    public static String badge(LagStatus s) {
        return switch (s) {
            case OK -> "badge badge-ok";
            case WARNING, REWOUND -> "badge badge-warn";
            case STALLED, STOPPED -> "badge badge-error";
        };
    }

    public static String method(Snapshot.LagMethod m) {
        return switch (m) {
            case NONE -> "nothing waiting";
            case READ -> "read: timestamp of the record at the committed offset";
            case INTERPOLATED -> "interpolated from the monitor's samples of the end offset";
            case AT_LEAST -> "at least: older than the monitor's history";
        };
    }

    public static String catchUp(Double s) {
        return s == null ? "not catching up at the current rates" : s == 0 ? "caught up" : "about " + seconds(s);
    }
}
