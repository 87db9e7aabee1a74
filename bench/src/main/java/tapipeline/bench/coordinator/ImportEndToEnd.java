package tapipeline.bench.coordinator;

import java.io.ByteArrayOutputStream;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;

import tapipeline.coordinator.service.CoordinatorService;
import tapipeline.embedded.EmbeddedKafka;
import tapipeline.platform.config.Config;
import tapipeline.platform.kafka.KafkaClients;
import tapipeline.platform.kafka.TopicAdmin;
import tapipeline.platform.kafka.Topics;
import tapipeline.platform.web.AccountWriter;
import tapipeline.platform.web.PasswordHasher;

/**
 * The same import end to end: an embedded broker (child JVM), the coordinator service in this JVM, a
 * signed-in HTTP client uploading the four CSVs as multipart with {@code ?apply=true}: upload, check,
 * preview, the dataset's transactional write and its read-back by the instance's replay. Returns one
 * markdown row per run (the first includes the service's first request; later ones import into new terms).
 */
final class ImportEndToEnd {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ImportEndToEnd() {
    }

    static List<String> rows(Map<String, byte[]> files, int runs) throws Exception {
        Path dir = Files.createTempDirectory("coordinator-bench");
        List<String> rows = new ArrayList<>();
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().dataDir(dir).build().start()) {
            String bootstrap = kafka.bootstrapServers();
            try (Admin admin = new KafkaClients(bootstrap).admin()) {
                new TopicAdmin(admin, 3, (short) 1).ensure(Topics.allWithDeadLetters());
            }
            Map<String, String> settings = new HashMap<>(Map.of("KAFKA_BOOTSTRAP_SERVERS", bootstrap, "COORDINATOR_PORT", "0",
                    "WEB_SESSION_SECRET", "a benchmark secret that is long enough 0123456789"));
            String user = "bench-" + UUID.randomUUID().toString().substring(0, 6);
            String password = "a benchmark password";
            try (CoordinatorService.Running service = new CoordinatorService().start(Config.of(settings));
                 KafkaProducer<String, byte[]> producer = new KafkaClients(bootstrap).producer("bench-accounts")) {
                new AccountWriter(producer, new PasswordHasher()).write(user, "Bench", List.of(
                        tapipeline.schemas.coordinator.Account.Role.COORDINATOR), password.toCharArray(), false);
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (service.runtime().accounts().find(user).isEmpty() || !service.data().awaitReady(Duration.ofSeconds(1))) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("the coordinator did not become ready");
                    }
                    Thread.sleep(100);
                }
                String base = service.runtime().httpBaseUrl();
                HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
                String anon = json(http.send(HttpRequest.newBuilder(URI.create(base + "/signin")).header("Accept", "application/json")
                        .build(), HttpResponse.BodyHandlers.ofString())).path("csrfToken").asText();
                String csrf = json(http.send(HttpRequest.newBuilder(URI.create(base + "/signin")).header("Accept", "application/json")
                        .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(
                                "username=" + user + "&password=" + URLEncoder.encode(password, StandardCharsets.UTF_8) + "&_csrf=" + anon))
                        .build(), HttpResponse.BodyHandlers.ofString())).path("csrfToken").asText();
                String boundary = "----bench" + UUID.randomUUID();
                ByteArrayOutputStream body = new ByteArrayOutputStream();
                for (Map.Entry<String, byte[]> f : files.entrySet()) {
                    body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + f.getKey() + "\"; filename=\""
                            + f.getKey() + "\"\r\nContent-Type: text/csv\r\n\r\n").getBytes(StandardCharsets.UTF_8));
                    body.writeBytes(f.getValue());
                    body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
                }
                body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
                for (int i = 0; i < runs; i++) {
                    String term = "bench-" + i;
                    long t0 = System.nanoTime();
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/terms/" + term
                                    + "/imports?apply=true&reason=benchmark")).header("Accept", "application/json")
                            .header("Content-Type", "multipart/form-data; boundary=" + boundary).header("X-CSRF-Token", csrf)
                            .timeout(Duration.ofMinutes(2)).POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(),
                            HttpResponse.BodyHandlers.ofString());
                    long nanos = System.nanoTime() - t0;
                    if (r.statusCode() != 200 || !json(r).path("applied").asBoolean()) {
                        throw new IllegalStateException("import refused: " + r.statusCode() + " " + r.body().substring(0, Math.min(500, r.body().length())));
                    }
                    rows.add(String.format(Locale.ROOT, "| HTTP upload + check + apply (Kafka transaction, read back), %s | %.2f s | – | – | – | version %d |%n",
                            i == 0 ? "first request of the service" : "warm, run " + (i + 1), nanos / 1e9, json(r).path("version").asLong()));
                }
            }
        } finally {
            tapipeline.bench.BenchFiles.deleteTempTree(dir);
        }
        return rows;
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }
}
