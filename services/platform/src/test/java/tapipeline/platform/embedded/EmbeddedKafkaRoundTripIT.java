package tapipeline.platform.embedded;

import org.junit.jupiter.api.extension.ExtendWith;

import tapipeline.platform.testing.KafkaBrokerExtension;

/** {@link RoundTripContract} on the shared embedded broker (or the external cluster if configured). */
@ExtendWith(KafkaBrokerExtension.class)
class EmbeddedKafkaRoundTripIT extends RoundTripContract {
}
