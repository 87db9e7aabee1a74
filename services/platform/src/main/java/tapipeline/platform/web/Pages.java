package tapipeline.platform.web;

import java.util.LinkedHashMap;
import java.util.Map;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.http.Context;

/**
 * Renders a page in the platform's layout. Templates are precompiled jte classes (HTML content type,
 * so every {@code ${}} is escaped) found on the class path: the platform's under {@code platform/},
 * each service's under its own directory (e.g. {@code publisher/program.jte}), compiled by the
 * jte-maven-plugin of that service's module. The service template renders only the page body; the
 * layout (header, navigation, sign-out, main, footer) wraps it here, so no service template needs
 * the platform's template sources.
 */
public final class Pages {

    public static final String LAYOUT = "platform/layout.jte";
    private static final TemplateEngine ENGINE = TemplateEngine.createPrecompiled(ContentType.Html);

    private Pages() {
    }

    /**
     * Renders {@code template} with {@code params} (plus {@code web}, the {@link WebPage}, for templates
     * that declare it) inside the layout, as the response (text/html; the status is left as set).
     */
    public static void render(Context ctx, PageMeta meta, String template, Map<String, ?> params) {
        ctx.html(renderToString(ctx, meta, template, params));
    }

    /** Like {@link #render(Context, PageMeta, String, Map)} for a template with exactly one parameter. */
    public static void render(Context ctx, PageMeta meta, String template, Object model) {
        WebPage page = page(ctx, meta);
        StringOutput out = new StringOutput();
        ENGINE.render(LAYOUT, Map.of("page", page, "body", (gg.jte.Content) o -> ENGINE.render(template, model, o)), out);
        ctx.html(out.toString());
    }

    public static String renderToString(Context ctx, PageMeta meta, String template, Map<String, ?> params) {
        WebPage page = page(ctx, meta);
        Map<String, Object> all = new LinkedHashMap<>(params);
        all.putIfAbsent("web", page);
        StringOutput out = new StringOutput();
        ENGINE.render(LAYOUT, Map.of("page", page, "body", (gg.jte.Content) o -> ENGINE.render(template, all, o)), out);
        return out.toString();
    }

    /** A fragment without the layout (an htmx partial), still escaped. */
    public static void fragment(Context ctx, String template, Map<String, ?> params) {
        WebPage page = page(ctx, PageMeta.of(""));
        Map<String, Object> all = new LinkedHashMap<>(params);
        all.putIfAbsent("web", page);
        StringOutput out = new StringOutput();
        ENGINE.render(template, all, out);
        ctx.html(out.toString());
    }

    /** The {@link WebPage} of this request (for templates rendered some other way). */
    public static WebPage page(Context ctx, PageMeta meta) {
        return new WebPage(Web.site(ctx), meta, Web.user(ctx).orElse(null), ctx.path(), () -> Web.csrfToken(ctx));
    }
}
