package tapipeline.platform.web;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A small site on the web layer, as a service would write it: routes of every method and access, its
 * own templates (src/test/jte/testsite, compiled by a separate jte-maven-plugin execution, like a
 * service module's) wrapped in the platform's layout.
 */
public final class TestSite {

    public final List<String> things = new CopyOnWriteArrayList<>();

    public void declare(Site site) {
        site.nav("Home", "/", Access.PUBLIC).nav("Dashboard", "/dashboard", Access.VIEWER).home("/");
        site.get("/", Access.PUBLIC, ctx -> Pages.render(ctx, PageMeta.of("Home"), "testsite/home.jte",
                Map.of("greeting", "Hello <world> & \"friends\"")));
        site.get("/dashboard", Access.VIEWER, ctx -> Pages.render(ctx, PageMeta.of("Dashboard"), "testsite/dashboard.jte",
                Map.of("things", List.copyOf(things))));
        site.get("/api/things", Access.VIEWER, ctx -> ctx.json(things));
        site.post("/things", Access.OPERATOR, ctx -> {
            String thing = ctx.formParam("thing");
            if (thing == null || thing.isBlank()) {
                Web.error(ctx, 400, "invalid", "The field \"thing\" is empty.");
                return;
            }
            things.add(thing);
            if (Web.wantsHtml(ctx)) {
                ctx.redirect("/dashboard", io.javalin.http.HttpStatus.SEE_OTHER);
            } else {
                ctx.status(201).json(Map.of("added", thing));
            }
        });
        site.put("/things/{index}", Access.COORDINATOR, ctx -> {
            things.set(Integer.parseInt(ctx.pathParam("index")), ctx.body());
            ctx.status(204);
        });
        site.delete("/things/{index}", Access.COORDINATOR, ctx -> {
            things.remove(Integer.parseInt(ctx.pathParam("index")));
            ctx.status(204);
        });
        site.post("/upload", Access.OPERATOR, 1024, ctx -> ctx.json(Map.of("bytes", ctx.bodyAsBytes().length)));
        site.sse("/events", Access.VIEWER, client -> {
            client.sendEvent("things", Integer.toString(things.size()));
            client.close();
        });
        site.get("/boom", Access.PUBLIC, ctx -> {
            throw new IllegalStateException("secret internal detail /etc/passwd");
        });
    }
}
