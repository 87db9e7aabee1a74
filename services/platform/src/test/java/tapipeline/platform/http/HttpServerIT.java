package tapipeline.platform.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import tapipeline.platform.config.Config;
import tapipeline.platform.kafka.ConsumerLoop;
import tapipeline.platform.kafka.RecordDecoder;
import tapipeline.platform.service.ServiceRuntime;
import tapipeline.platform.testing.KafkaBrokerExtension;
import tapipeline.platform.testing.TestTopics;

/** /health reports each loop with a reason, /metrics serves Prometheus text with Kafka client metrics. */
@ExtendWith(KafkaBrokerExtension.class)
class HttpServerIT {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void health_and_metrics_reflect_the_running_loops() throws Exception {
        String bootstrap = KafkaBrokerExtension.bootstrapServers();
        String topic = TestTopics.createUnique(bootstrap, "health", 1, false);
        Config config = Config.of(Map.of("KAFKA_BOOTSTRAP_SERVERS", bootstrap));
        try (ServiceRuntime runtime = new ServiceRuntime("healthdemo", config)) {
            runtime.health().register("schema-cache", () -> Health.Check.down("warming up"));
            ConsumerLoop<byte[]> loop = runtime.startConsumerLoop("reader", RecordDecoder.bytes(), (v, r) -> { }, topic);
            int port = runtime.startHttp(0, cfg -> cfg.routes.get("/hello", ctx -> ctx.result("hi"))).port();
            String base = "http://127.0.0.1:" + port;

            await().atMost(Duration.ofSeconds(20)).until(() -> get(base + "/health").statusCode() == 503);
            HttpResponse<String> health = get(base + "/health");
            assertThat(health.body()).contains("\"ready\":false").contains("warming up")
                    .contains("loop:healthdemo-reader");

            runtime.health().register("schema-cache", () -> Health.Check.up("ready"));
            await().atMost(Duration.ofSeconds(20)).until(() -> get(base + "/health").statusCode() == 200);
            assertThat(get(base + "/health/live").statusCode()).isEqualTo(200);
            assertThat(get(base + "/hello").body()).isEqualTo("hi");

            HttpResponse<String> metrics = get(base + "/metrics");
            assertThat(metrics.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
            await().atMost(Duration.ofSeconds(20)).until(() -> get(base + "/metrics").body().contains("kafka_consumer_"));
            assertThat(get(base + "/metrics").body()).contains("jvm_memory_used_bytes").contains("service=\"healthdemo\"");

            loop.close();
            await().atMost(Duration.ofSeconds(20)).until(() -> get(base + "/health").body().contains("stopped"));
            assertThat(get(base + "/health").statusCode()).isEqualTo(503);
        }
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
