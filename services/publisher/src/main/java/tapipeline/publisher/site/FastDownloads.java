package tapipeline.publisher.site;

import java.util.Optional;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

/**
 * Serves successful handbook downloads first in Jetty's core handler chain (the publisher inserts it
 * at the server, in front of Javalin's StatisticsHandler and servlet context): the same
 * {@link Downloads#plan} and headers (pre-encoded fields, for a whole-file GET built once per
 * edition), the body written from the edition's read-only direct buffer. Anything that is not a
 * found download (404, 503, other paths and methods) goes on to Javalin, whose pages and error
 * handling apply as usual. Measured in bench/results/publisher.md (with what is left of the gap to
 * nginx and why).
 */
public final class FastDownloads extends Handler.Wrapper {

    private final Downloads downloads;

    public FastDownloads(Downloads downloads) {
        this.downloads = downloads;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String method = request.getMethod();
        if (!"GET".equals(method) && !"HEAD".equals(method)) {
            return super.handle(request, response, callback);
        }
        String path = Request.getPathInContext(request);
        HttpFields headers = request.getHeaders();
        Optional<Downloads.Plan> plan = downloads.planFor(method, path, headers::get);
        if (plan.isEmpty() || !plan.get().found()) {
            return super.handle(request, response, callback);
        }
        Downloads.Plan p = plan.get();
        response.setStatus(p.status());
        HttpFields.Mutable out = response.getHeaders();
        for (HttpField f : p.headers()) {
            out.add(f); // pre-built fields: no lookup of the header's name, no encoding of the value
        }
        response.write(true, p.body() == null ? BufferUtil.EMPTY_BUFFER : p.body().duplicate(), callback);
        return true;
    }
}
