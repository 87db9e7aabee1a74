package tapipeline.coordinator.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The coordinator's REST API as the command line uses it: signs in through {@code /signin} (the
 * platform's form handler, with its CSRF token) and keeps the session cookie and token for the calls
 * that change something.
 */
public final class ApiClient {

    /** A call the service refused, with its status and the service's message. */
    public static final class ApiException extends RuntimeException {
        private final int status;
        private final JsonNode body;

        ApiException(int status, JsonNode body, String message) {
            super(message);
            this.status = status;
            this.body = body;
        }

        public int status() {
            return status;
        }

        public JsonNode body() {
            return body;
        }
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final String base;
    private final HttpClient http;
    private String csrf;

    public ApiClient(String baseUrl) {
        this.base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.http = HttpClient.newBuilder().cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** Signs in; the password array is wiped afterwards. */
    public void signIn(String username, char[] password) {
        try {
            JsonNode anon = json(send(request("/signin").header("Accept", "application/json").GET().build()), "/signin");
            String form = "username=" + enc(username) + "&password=" + enc(new String(password)) + "&_csrf="
                    + enc(anon.path("csrfToken").asText());
            HttpResponse<byte[]> r = send(request("/signin").header("Accept", "application/json")
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build());
            JsonNode body = json(r, "/signin");
            csrf = body.path("csrfToken").asText();
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    public JsonNode get(String path) {
        return json(send(request(path).header("Accept", "application/json").GET().build()), path);
    }

    public byte[] getBytes(String path) {
        HttpResponse<byte[]> r = send(request(path).header("Accept", "*/*").GET().build());
        if (r.statusCode() >= 400) {
            json(r, path); // throws with the message
        }
        return r.body();
    }

    public JsonNode postJson(String path, Object body) {
        try {
            return json(send(request(path).header("Accept", "application/json").header("Content-Type", "application/json")
                    .header("X-CSRF-Token", csrf).POST(HttpRequest.BodyPublishers.ofByteArray(MAPPER.writeValueAsBytes(body)))
                    .build()), path);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Posts files as multipart/form-data, each part named after its file. */
    public JsonNode postFiles(String path, List<Path> files) throws IOException {
        String boundary = "----tapipeline" + UUID.randomUUID();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Path f : files) {
            String name = f.getFileName().toString().replace("\"", "");
            out.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\"" + name
                    + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            out.write(Files.readAllBytes(f));
            out.write("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        out.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return json(send(request(path).header("Accept", "application/json")
                .header("Content-Type", "multipart/form-data; boundary=" + boundary).header("X-CSRF-Token", csrf)
                .POST(HttpRequest.BodyPublishers.ofByteArray(out.toByteArray())).build()), path, 422);
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofMinutes(2));
    }

    private HttpResponse<byte[]> send(HttpRequest r) {
        try {
            return http.send(r, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach the coordinator at " + base + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** The JSON body; a status >= 400 (other than those accepted) throws with the service's message. */
    private static JsonNode json(HttpResponse<byte[]> r, String path, int... accepted) {
        JsonNode body;
        try {
            body = r.body().length == 0 ? MAPPER.createObjectNode() : MAPPER.readTree(r.body());
        } catch (IOException e) {
            throw new ApiException(r.statusCode(), null, path + " answered " + r.statusCode() + " with something that is not JSON");
        }
        if (r.statusCode() >= 400 && Arrays.stream(accepted).noneMatch(s -> s == r.statusCode())) {
            String message = body.path("message").asText(body.path("error").asText("refused"));
            throw new ApiException(r.statusCode(), body, path + ": " + r.statusCode() + " " + message);
        }
        return body;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    public static String encPath(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
