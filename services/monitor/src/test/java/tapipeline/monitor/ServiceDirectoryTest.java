package tapipeline.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import tapipeline.platform.http.Health;
import tapipeline.platform.http.HttpServer;

/** The services page's reading of real /health answers: ready, ready but degraded, not ready. */
class ServiceDirectoryTest {

    @Test
    void up_degraded_and_down_instances_are_told_apart_with_their_reasons() {
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (HttpServer up = HttpServer.start("127.0.0.1", 0, new Health().register("loop", () -> Health.Check.up("running")),
                meters, cfg -> { });
             HttpServer degraded = HttpServer.start("127.0.0.1", 0, new Health()
                     .register("loop", () -> Health.Check.up("running"))
                     .register("editions", () -> Health.Check.degraded("edition abc was refused; the link stays")), meters, cfg -> { });
             HttpServer down = HttpServer.start("127.0.0.1", 0, new Health()
                     .register("editions", () -> Health.Check.degraded("edition abc was refused; the link stays"))
                     .register("loop", () -> Health.Check.down("replaying")), meters, cfg -> { })) {
            ServiceDirectory directory = new ServiceDirectory(Map.of("publisher", List.of(
                    URI.create("http://127.0.0.1:" + up.port()), URI.create("http://127.0.0.1:" + degraded.port()),
                    URI.create("http://127.0.0.1:" + down.port()))));
            List<ServiceDirectory.Instance> instances = directory.services(Snapshot.empty()).get(0).instances();

            assertThat(instances.get(0).ready()).isTrue();
            assertThat(instances.get(0).degraded()).isFalse();
            assertThat(instances.get(1).ready()).as("a degraded instance stays ready").isTrue();
            assertThat(instances.get(1).degraded()).isTrue();
            assertThat(instances.get(1).checks()).containsEntry("editions", "DEGRADED: edition abc was refused; the link stays")
                    .containsEntry("loop", "UP: running");
            assertThat(instances.get(2).ready()).isFalse();
            assertThat(instances.get(2).degraded()).isFalse();
            assertThat(instances.get(2).checks()).containsEntry("loop", "DOWN: replaying");
        }
    }
}
