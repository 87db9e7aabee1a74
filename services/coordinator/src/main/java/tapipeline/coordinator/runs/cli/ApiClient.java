package tapipeline.coordinator.runs.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import tapipeline.schemas.EventCodec;

/**
 * The coordinator's REST API from a script: signs in like a browser (the sign-in form with its CSRF
 * field; the session cookie kept in memory), then sends the session's CSRF token with every change.
 */
public final class ApiClient {


    /** A refusal or failure of the API, with its HTTP status and the server's message. */
    public static final class ApiException extends RuntimeException {
        private final int status;

        ApiException(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private final URI base;
    private final HttpClient http;
    private String csrf;

    public ApiClient(URI base) {
        this.base = base;
        this.http = HttpClient.newBuilder().cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
                .connectTimeout(Duration.ofSeconds(10)).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** Signs in through the sign-in endpoint (its JSON answers); throws when the account or password is refused. */
    public ApiClient signIn(String user, String password) {
        JsonNode anon = json(send(HttpRequest.newBuilder(base.resolve("/signin")).header("Accept", "application/json")
                .GET(), 200));
        String form = form(Map.of("username", user, "password", password, "_csrf", anon.path("csrfToken").asText(),
                "next", "/"));
        HttpResponse<String> r = send(HttpRequest.newBuilder(base.resolve("/signin")).header("Accept", "application/json")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)), -1);
        if (r.statusCode() != 200) {
            throw new ApiException(r.statusCode(), "sign-in refused for " + user + " (" + message(r) + ")");
        }
        csrf = json(r).path("csrfToken").asText();
        return this;
    }

    public JsonNode get(String path) {
        return json(send(HttpRequest.newBuilder(base.resolve(path)).header("Accept", "application/json").GET(), 200));
    }

    public String text(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET(), 200).body();
    }

    public JsonNode post(String path, Map<String, ?> body) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).header("Accept", "application/json")
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(EventCodec.objectMapper().writeValueAsString(body)));
            if (csrf != null) {
                b.header("X-CSRF-Token", csrf);
            }
            return json(send(b, 0));
        } catch (IOException e) {
            throw new ApiException(0, e.getMessage());
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request, int expected) {
        HttpResponse<String> r;
        try {
            r = http.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new ApiException(0, "cannot reach the coordinator at " + base + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(0, "interrupted");
        }
        boolean ok = expected < 0 || (expected == 0 ? r.statusCode() / 100 == 2 : r.statusCode() == expected);
        if (!ok) {
            throw new ApiException(r.statusCode(), message(r));
        }
        return r;
    }

    private static String message(HttpResponse<String> r) {
        try {
            JsonNode n = EventCodec.objectMapper().readTree(r.body());
            for (String f : new String[] {"error", "message"}) {
                if (n != null && n.hasNonNull(f) && !n.get(f).asText().isBlank()) {
                    String text = n.get(f).asText();
                    if (n.hasNonNull("message") && !f.equals("message")) {
                        text = text + ": " + n.get("message").asText();
                    }
                    return "HTTP " + r.statusCode() + ": " + text;
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // not JSON
        }
        return "HTTP " + r.statusCode();
    }

    private static JsonNode json(HttpResponse<String> r) {
        try {
            return EventCodec.objectMapper().readTree(r.body());
        } catch (IOException e) {
            throw new ApiException(r.statusCode(), "the coordinator answered something that is not JSON");
        }
    }

    private static String form(Map<String, String> fields) {
        return fields.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }

}
