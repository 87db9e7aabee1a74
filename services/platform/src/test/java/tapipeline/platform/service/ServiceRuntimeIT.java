package tapipeline.platform.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import tapipeline.platform.config.Config;
import tapipeline.platform.testing.KafkaBrokerExtension;
import tapipeline.platform.testing.TestRecords;
import tapipeline.platform.testing.TestTopics;

/**
 * The shared producer outlives everything the runtime closes, even when it was first used after them:
 * a loop that hands work back at shutdown can still send its last records and have them acknowledged.
 */
@ExtendWith(KafkaBrokerExtension.class)
class ServiceRuntimeIT {

    @Test
    void resources_close_in_reverse_order_and_the_producer_last() throws Exception {
        String bootstrap = KafkaBrokerExtension.bootstrapServers();
        String topic = TestTopics.createUnique(bootstrap, "runtime-close", 1, false);
        ServiceRuntime runtime = new ServiceRuntime("close-order", Config.of(Map.of("KAFKA_BOOTSTRAP_SERVERS", bootstrap)));
        List<String> closed = new CopyOnWriteArrayList<>();
        runtime.own(() -> closed.add("first"));
        runtime.own(() -> {
            // like a loop handing back work: a last record, sent and acknowledged while stopping
            runtime.producer().send(new ProducerRecord<>(topic, "k", "sent while closing".getBytes(StandardCharsets.UTF_8)))
                    .get(10, TimeUnit.SECONDS);
            closed.add("loop");
        });
        runtime.producer(); // created after the resources, as a service's lazy first use does
        runtime.close();

        assertThat(closed).containsExactly("loop", "first");
        assertThat(TestRecords.readAll(bootstrap, topic, Duration.ofSeconds(10)))
                .extracting(r -> r.value()).containsExactly("sent while closing");
    }
}
