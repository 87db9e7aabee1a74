package tapipeline.platform.web;

/**
 * Stable paths of the shared static assets. Webjar paths carry their version and are cached for a year
 * ({@code immutable}); the platform's own files under {@code /static/platform/} for an hour.
 */
public final class Assets {

    public static final String SITE_CSS = "/static/platform/site.css";
    public static final String CSRF_JS = "/static/platform/csrf.js";
    public static final String HTMX = "/webjars/htmx.org/2.0.4/dist/htmx.min.js";
    /** htmx's server-sent-events extension: {@code hx-ext="sse" sse-connect="..."}. */
    public static final String HTMX_SSE = "/webjars/htmx-ext-sse/2.2.2/sse.js";
    public static final String UPLOT_JS = "/webjars/uplot/1.6.30/dist/uPlot.iife.min.js";
    public static final String UPLOT_CSS = "/webjars/uplot/1.6.30/dist/uPlot.min.css";

    private Assets() {
    }
}
