package tapipeline.platform.web;

import java.util.List;
import java.util.Objects;

/**
 * What the layout needs to know about one page besides its body.
 *
 * @param title   the page's title (the {@code <title>} and nothing else: the body has its own h1)
 * @param scripts extra script paths (e.g. {@link Assets#HTMX_SSE}, {@link Assets#UPLOT_JS}), loaded deferred
 * @param styles  extra style sheet paths (e.g. {@link Assets#UPLOT_CSS})
 */
public record PageMeta(String title, List<String> scripts, List<String> styles) {

    public PageMeta {
        Objects.requireNonNull(title, "title");
        scripts = List.copyOf(scripts);
        styles = List.copyOf(styles);
    }

    public static PageMeta of(String title) {
        return new PageMeta(title, List.of(), List.of());
    }

    public PageMeta withScripts(String... paths) {
        return new PageMeta(title, concat(scripts, paths), styles);
    }

    public PageMeta withStyles(String... paths) {
        return new PageMeta(title, scripts, concat(styles, paths));
    }

    private static List<String> concat(List<String> a, String[] b) {
        java.util.ArrayList<String> out = new java.util.ArrayList<>(a);
        out.addAll(List.of(b));
        return out;
    }
}
