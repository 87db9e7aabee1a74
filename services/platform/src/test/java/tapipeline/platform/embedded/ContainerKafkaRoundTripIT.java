package tapipeline.platform.embedded;

import org.junit.jupiter.api.extension.ExtendWith;

import tapipeline.platform.testing.KafkaContainerExtension;

/** {@link RoundTripContract} on a Testcontainers {@code apache/kafka} broker; skipped where Docker is missing. */
@ExtendWith(KafkaContainerExtension.class)
class ContainerKafkaRoundTripIT extends RoundTripContract {
}
