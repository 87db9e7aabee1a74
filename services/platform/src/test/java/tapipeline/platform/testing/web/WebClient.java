package tapipeline.platform.testing.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * An HTTP caller of a web-layer site with its own cookie jar (one browser, one session), never following
 * redirects, for tests. {@link #signIn} goes through the real {@code /signin} with its CSRF token.
 */
public final class WebClient {

    public static final String JSON = "application/json";
    public static final String HTML = "text/html,application/xhtml+xml";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String base;
    private final HttpClient http;
    private String csrfToken;
    private final Map<String, String> defaultHeaders = new LinkedHashMap<>();

    public WebClient(String baseUrl) {
        this.base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.http = HttpClient.newBuilder().cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** A header sent with every request of this client (e.g. X-Forwarded-For behind a trusted proxy). */
    public WebClient withHeader(String name, String value) {
        defaultHeaders.put(name, value);
        return this;
    }

    /** The CSRF token of this client's session (after {@link #signIn} or {@link #startAnonymousSession}). */
    public String csrfToken() {
        return csrfToken;
    }

    /** Opens an anonymous session (as the sign-in page does) and keeps its CSRF token. */
    public String startAnonymousSession() {
        HttpResponse<String> r = send("GET", "/signin", JSON, null, null, Map.of());
        if (r.statusCode() != 200) {
            throw new AssertionError("GET /signin answered " + r.statusCode() + ": " + r.body());
        }
        csrfToken = json(r).path("csrfToken").asText();
        return csrfToken;
    }

    /** Signs in through the real form handler; returns the response (200 JSON when it worked). */
    public HttpResponse<String> signIn(String username, String password) {
        startAnonymousSession();
        HttpResponse<String> r = postForm("/signin", JSON, Map.of("username", username, "password", password,
                "_csrf", csrfToken));
        if (r.statusCode() == 200) {
            csrfToken = json(r).path("csrfToken").asText();
        }
        return r;
    }

    /**
     * A client signed in as {@code username}, the sign-in retried every 300 ms while it is refused (a
     * service that has not yet replayed the account answers 401) for at most {@code timeout}; then an
     * AssertionError with the last answer.
     */
    public static WebClient signedIn(String baseUrl, String username, String password, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            WebClient c = new WebClient(baseUrl);
            HttpResponse<String> r = c.signIn(username, password);
            if (r.statusCode() == 200) {
                return c;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("sign-in of " + username + " within " + timeout + ": " + r.statusCode() + " "
                        + r.body());
            }
            Thread.sleep(300);
        }
    }

    public HttpResponse<String> get(String path, String accept) {
        return send("GET", path, accept, null, null, Map.of());
    }

    public HttpResponse<String> postForm(String path, String accept, Map<String, String> form) {
        String body = form.entrySet().stream().map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .collect(Collectors.joining("&"));
        return send("POST", path, accept, "application/x-www-form-urlencoded", body, Map.of());
    }

    /** Any request with a binary body (a multipart upload, bytes that are not UTF-8). */
    public HttpResponse<String> sendBytes(String method, String path, String accept, String contentType, byte[] body,
                                     Map<String, String> headers) {
        return send(method, path, accept, contentType, HttpRequest.BodyPublishers.ofByteArray(body), headers,
                Duration.ofSeconds(60));
    }

    /** Any request; {@code body} may be null. */
    public HttpResponse<String> send(String method, String path, String accept, String contentType, String body,
                                     Map<String, String> headers) {
        return send(method, path, accept, contentType, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8), headers, Duration.ofSeconds(30));
    }

    private HttpResponse<String> send(String method, String path, String accept, String contentType,
                                      HttpRequest.BodyPublisher body, Map<String, String> headers, Duration timeout) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout);
        if (accept != null) {
            b.header("Accept", accept);
        }
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        defaultHeaders.forEach((k, v) -> {
            if (!headers.containsKey(k)) {
                b.header(k, v);
            }
        });
        headers.forEach(b::header);
        b.method(method, body);
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static JsonNode json(HttpResponse<String> r) {
        try {
            return MAPPER.readTree(r.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON (" + r.statusCode() + "): " + r.body(), e);
        }
    }

    /** The {@code "error"} code of a JSON refusal, or a description of what came instead. */
    public static String errorCode(HttpResponse<String> r) {
        try {
            return MAPPER.readTree(r.body()).path("error").asText("<no error field>");
        } catch (IOException e) {
            return "<not JSON>";
        }
    }

    public static Map<String, String> form(String... keyValues) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            m.put(keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
