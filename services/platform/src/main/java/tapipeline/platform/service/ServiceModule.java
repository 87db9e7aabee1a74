package tapipeline.platform.service;

import java.util.List;

import tapipeline.platform.config.Config;
import tapipeline.platform.config.Key;

/**
 * A deployable service, found by the launcher through {@link java.util.ServiceLoader}
 * ({@code META-INF/services/tapipeline.platform.service.ServiceModule}). Each service module ships
 * one; its own {@code Main} starts the same thing stand-alone.
 */
public interface ServiceModule {

    /** Short name, e.g. "solver"; also its consumer-group prefix. */
    String name();

    /** Starts the service's loops and HTTP server; closing the result stops it cleanly. */
    RunningService start(Config config) throws Exception;

    /**
     * What this service may do on Kafka: the topics it reads and writes, its consumer groups and
     * transactional ids; its principal (SCRAM user) is its {@link #name()}. The ACL plan grants exactly
     * this and nothing else ({@link tapipeline.platform.kafka.access.AclPlan}), so a service that
     * starts using a topic must say so here. Abstract on purpose: a new service cannot forget it.
     */
    tapipeline.platform.kafka.access.KafkaAccess kafkaAccess();

    /** The configuration keys this service reads besides the platform's, for the README table. */
    default List<Key<?>> configKeys() {
        return List.of();
    }

    /** Order among services at launch (lower first), e.g. so producers of state start before readers. */
    default int startOrder() {
        return 100;
    }
}
