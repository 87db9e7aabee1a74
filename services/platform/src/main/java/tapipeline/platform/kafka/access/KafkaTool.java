package tapipeline.platform.kafka.access;

/**
 * A command-line tool that uses Kafka's clients directly (not through a service's HTTP API) and so
 * needs a principal of its own, found by {@link java.util.ServiceLoader}
 * ({@code META-INF/services/tapipeline.platform.kafka.access.KafkaTool}) like the services'
 * {@link tapipeline.platform.service.ServiceModule}s, so that {@link AclPlan#discover()} grants it.
 */
public interface KafkaTool {

    /** What the tool's principal may do on Kafka. */
    KafkaAccess kafkaAccess();
}
