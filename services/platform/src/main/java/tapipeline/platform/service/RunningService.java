package tapipeline.platform.service;

import java.util.Map;

/** A started service: where it listens, and how to stop it. */
public interface RunningService extends AutoCloseable {

    String name();

    /** Human-facing URLs by label (e.g. "health" -> http://127.0.0.1:8083/health). */
    Map<String, String> urls();

    /** The URLs people open (a public site, a web UI), printed before the others; also in {@link #urls()}. */
    default Map<String, String> frontUrls() {
        return Map.of();
    }

    @Override
    void close();
}
