package tapipeline.monitor;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import tapipeline.platform.config.ConfigException;

/**
 * The services the monitor watches. Instances come from two places, both shown: the HTTP base URLs
 * configured in {@code MONITOR_SERVICE_URLS} ({@code name=url,...}; whose {@code /health} is asked,
 * with a 2 s timeout, for readiness, each check's reason, and a {@code version} when the service
 * reports one), and the members of the consumer groups whose id starts with the service's name
 * (client id and host), which Kafka knows without any configuration but which have no URL.
 */
public final class ServiceDirectory {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Map<String, List<URI>> urls;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    ServiceDirectory(Map<String, List<URI>> urls) {
        this.urls = urls;
    }

    /** Parses {@code solver=http://host:8083,solver=http://host2:8083,handbook=...}. */
    static Map<String, List<URI>> parse(String key, String value) {
        Map<String, List<URI>> out = new LinkedHashMap<>();
        if (value == null || value.isBlank()) {
            return out;
        }
        for (String item : value.split(",")) {
            String s = item.strip();
            int eq = s.indexOf('=');
            if (eq <= 0 || eq == s.length() - 1) {
                throw new ConfigException("configuration key " + key + ": '" + s + "' is not name=url");
            }
            URI uri;
            try {
                uri = URI.create(s.substring(eq + 1).strip());
            } catch (IllegalArgumentException e) {
                throw new ConfigException("configuration key " + key + ": '" + s + "' has no valid URL");
            }
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new ConfigException("configuration key " + key + ": '" + s + "' needs an http(s)://host:port URL");
            }
            out.computeIfAbsent(s.substring(0, eq).strip(), k -> new ArrayList<>()).add(uri);
        }
        return out;
    }

    /** One instance with a URL: ready or not, why, version. */
    public record Instance(String service, String url, boolean reachable, boolean ready, boolean degraded, String version,
                    Map<String, String> checks, String problem) {
    }

    /** One service: its configured instances and the group members seen in Kafka. */
    public record Service(String name, List<Instance> instances, List<String> members) {
    }

    List<Service> services(Snapshot snapshot) {
        Map<String, List<String>> members = new LinkedHashMap<>();
        for (Snapshot.GroupView g : snapshot.groups().values()) {
            String service = g.groupId().contains("-") ? g.groupId().substring(0, g.groupId().indexOf('-')) : g.groupId();
            for (Snapshot.Member m : g.members()) {
                members.computeIfAbsent(service, k -> new ArrayList<>()).add(g.groupId() + ": " + m.clientId()
                        + " on " + m.host() + " (" + m.assignment().size() + " partition(s))");
            }
        }
        List<String> names = new ArrayList<>(urls.keySet());
        members.keySet().stream().filter(n -> !names.contains(n)).forEach(names::add);
        List<Service> out = new ArrayList<>();
        for (String n : names) {
            List<Instance> instances = new ArrayList<>();
            for (URI u : urls.getOrDefault(n, List.of())) {
                instances.add(health(n, u));
            }
            out.add(new Service(n, instances, members.getOrDefault(n, List.of())));
        }
        return out;
    }

    private Instance health(String service, URI base) {
        URI uri = base.resolve("/health");
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode body = JSON.readTree(r.body());
            Map<String, String> checks = new LinkedHashMap<>();
            JsonNode cs = body.path("checks");
            cs.fieldNames().forEachRemaining(k -> checks.put(k, (!cs.get(k).path("up").asBoolean() ? "DOWN: "
                    : cs.get(k).path("degraded").asBoolean() ? "DEGRADED: " : "UP: ") + cs.get(k).path("detail").asText()));
            String version = body.hasNonNull("version") ? body.get("version").asText() : "not reported";
            return new Instance(service, base.toString(), true, r.statusCode() == 200,
                    "DEGRADED".equals(body.path("status").asText()), version, checks, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Instance(service, base.toString(), false, false, false, "unknown", Map.of(), "interrupted");
        } catch (Exception e) {
            return new Instance(service, base.toString(), false, false, false, "unknown", Map.of(),
                    "no answer from " + uri + " (" + e.getClass().getSimpleName() + ")");
        }
    }
}
