package tapipeline.coordinator.runs.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

final class CliText {

    private CliText() {
    }

    /** One path segment, encoded. */
    static String path(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
